import { describe, expect, it } from 'vitest';
import { SECTION6 } from './section6.js';
import { runTrace } from './trace.js';
import { ALL_PROPERTIES } from './all.js';
import { firstWeakening } from './decisions.js';
import { builtinVariant } from '../variants/registry.js';

describe('layering-designs §6 witnesses, given as scripts', () => {
  for (const row of SECTION6) {
    it(`${row.variant}: ${row.row}`, () => {
      const variant = builtinVariant(row.variant);
      expect(variant, row.variant).toBeDefined();
      const trace = runTrace(variant!, row.ops);
      for (const [i, want] of Object.entries(row.results ?? {})) expect(trace.steps[Number(i)]!.out.result, `result of step ${i}`).toEqual(want);
      for (const s of trace.steps) expect(s.out.result.kind, `step ${s.index} (${s.op.op}) is meaningful`).not.toBe('invalid');
      const got: Record<string, number> = {};
      for (const p of ALL_PROPERTIES) {
        const v = p.check(trace);
        if (v) got[p.id] = v.atStep;
      }
      expect(got).toEqual(row.violates);
      if (row.relaxesAt !== undefined) {
        const s = trace.steps[row.relaxesAt]!;
        const grew = s.before.tasks.some((t) => {
          const a = s.after.tasks.find((x) => x.tid === t.tid);
          return a !== undefined && firstWeakening(trace.decisions.of(s.before, t), trace.decisions.of(s.after, a)) >= 0;
        });
        expect(grew, 'the legal relaxation does loosen a task').toBe(true);
      }
    });
  }
});
