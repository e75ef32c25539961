// A mutation check of the properties themselves: every deliberately broken design
// (broken-designs.ts — one at least per property, and one per class of weakening: an add that
// loosens, a non-stack step that loosens, an evaluation change, a task-relative change) and
// every built-in unsafe variant must be caught by `strata check` at the default budget
// (5,000 runs, seed 1, 20 ops), with a counterexample shrunk to its known minimal length.
import { describe, expect, it } from 'vitest';
import type { Variant } from '../variants/variant.js';
import { BUILTIN_VARIANTS } from '../variants/registry.js';
import { PROPERTY_IDS } from './ids.js';
import { ALL_PROPERTIES } from './all.js';
import { runCheck } from './check.js';
import { BROKEN } from './broken-designs.js';
import { knownRoutes } from '../test/routes.js';

const DESIGNS: readonly Variant[] = Object.values(BROKEN);
const WITNESSED: readonly Variant[] = [...DESIGNS, ...BUILTIN_VARIANTS.filter((v) => v.witness)];

describe('mutation check: broken designs are caught with their minimal witness', () => {
  it('every property has a broken design whose witness it is, or that violates it on a script (broken-variants.test.ts)', () => {
    const witnessed = new Set(DESIGNS.map((d) => d.witness?.property));
    const uncovered = PROPERTY_IDS.filter((p) => !witnessed.has(p));
    // The rest are witnessed by designs whose witness names another property; each must at least
    // be violated by some design at the default budget (next test).
    expect(uncovered.length).toBeLessThan(PROPERTY_IDS.length);
  });

  for (const v of WITNESSED) {
    const w = v.witness!;
    it(`${v.id}: ${w.property} found and shrunk to ${w.maxOps} ops`, () => {
      const property = ALL_PROPERTIES.find((p) => p.id === w.property)!;
      const r = runCheck({ variants: [v], properties: [property], runs: 5000, seed: 1, maxOps: 20 });
      const res = r.results[0]!;
      expect(res.outcome, `${v.id} × ${w.property}`).toBe('violated');
      // the documented minimum, or where another route is known (test/routes.ts) within it
      const routes = knownRoutes(v, property);
      const n = res.counterexample!.ops.length;
      if (routes.every((k) => k === w.maxOps)) expect(n, `${v.id} × ${w.property} shrunk length`).toBe(w.maxOps);
      else expect(routes, `${v.id} × ${w.property} shrunk length ${n}: not a known route's`).toContain(n);
    });
  }

  it('every property is violated by some broken design at the default budget', () => {
    const caught = new Set<string>();
    for (const v of DESIGNS) {
      const r = runCheck({ variants: [v], runs: 5000, seed: 1, maxOps: 20 });
      for (const x of r.results) if (x.outcome === 'violated') caught.add(x.property);
    }
    expect(PROPERTY_IDS.filter((p) => !caught.has(p))).toEqual([]);
    // 5000 scenarios per broken design: ~25 s alone, over 60 s beside the suite's compiling
    // tests on two cores (a guard against a hang, not a speed target: npm run bench has those)
  }, 240_000);
});
