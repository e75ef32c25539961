// The H1 map calls in generated scenarios (generators/maps.ts): offered only to variants whose
// API has them, acting mostly on live maps, and reaching the §6 V5+H1 weakening.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { builtinVariant, BUILTIN_VARIANTS } from '../variants/registry.js';
import { accepts } from '../variants/variant.js';
import { scenarioArbitrary } from './scenario.js';
import { traceScenario } from '../properties/trace.js';
import { I2 } from '../properties/i2-no-weakening.js';

const MAPS = builtinVariant('v5-2017-maps')!;

describe('map ops in generated scenarios', () => {
  it('appear only for variants whose API has them', () => {
    for (const v of BUILTIN_VARIANTS) {
      const offered = accepts(v, 'map_create');
      let seen = 0;
      for (const s of fc.sample(scenarioArbitrary(v, { maxOps: 25 }), { numRuns: 60, seed: 4 })) {
        for (const op of s.ops) if (op.op === 'map_create' || op.op === 'map_put' || (op.op === 'seccomp_filter' && op.map !== undefined)) seen++;
      }
      if (offered) expect(seen, v.id).toBeGreaterThan(0);
      else expect(seen, v.id).toBe(0);
    }
  });

  it('are not generated with weight 0', () => {
    for (const s of fc.sample(scenarioArbitrary(MAPS, { maxOps: 25, weights: { maps: 0 } }), { numRuns: 60, seed: 4 })) {
      expect(s.ops.filter((op) => op.op === 'map_create' || op.op === 'map_put' || (op.op === 'seccomp_filter' && op.map !== undefined))).toEqual([]);
    }
  });

  it('every kind is drawn, and most puts and map filters act on a live map', () => {
    const count = { create: 0, put: 0, putOk: 0, filter: 0, filterOk: 0 };
    for (const s of fc.sample(scenarioArbitrary(MAPS, { maxOps: 30 }), { numRuns: 200, seed: 6 })) {
      for (const st of traceScenario(s, MAPS).steps) {
        const ok = st.out.result.kind === 'ok';
        if (st.op.op === 'map_create') count.create++;
        else if (st.op.op === 'map_put') (count.put++, ok && count.putOk++);
        else if (st.op.op === 'seccomp_filter' && st.op.map !== undefined) (count.filter++, ok && count.filterOk++);
      }
    }
    expect(count.create).toBeGreaterThan(50);
    expect(count.putOk / count.put).toBeGreaterThan(0.5);
    expect(count.filterOk / count.filter).toBeGreaterThan(0.5);
  });

  it('reach the §6 V5+H1 weakening: a put loosens a task of another process', () => {
    let found = 0;
    for (const s of fc.sample(scenarioArbitrary(MAPS, { maxOps: 20 }), { numRuns: 200, seed: 7 })) {
      const trace = traceScenario(s, MAPS);
      const v = I2.check(trace);
      if (v && trace.steps[v.atStep]!.op.op === 'map_put') found++;
    }
    expect(found).toBeGreaterThan(0);
  });
});
