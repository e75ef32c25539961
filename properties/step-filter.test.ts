// The step filters (step-filter.ts) are promises about the checks' own early returns: a check
// is never non-null on a step its filter excludes. Generated scenarios on every built-in
// variant and on the broken designs (which give the properties no built-in variant violates
// their violations) hold every filter to every step check's results, and the engine's plan to
// the filters. A filter narrowed past what its check implies fails here.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Variant } from '../variants/variant.js';
import { BUILTIN_VARIANTS } from '../variants/registry.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import { ALL_PROPERTIES } from './all.js';
import { traceScenario } from './trace.js';
import { viewOf } from './step-view.js';
import { admits, StepPlan } from './step-filter.js';
import { BROKEN } from './broken-designs.js';

const VARIANTS: readonly Variant[] = [...BUILTIN_VARIANTS, ...Object.values(BROKEN)];
const RUNS = 400;
const STEP_PROPERTIES = ALL_PROPERTIES.filter((p) => p.stepCheck);

describe('step filters', () => {
  it('every step check is null on the steps its filter excludes, and the plan runs exactly the admitted checks', () => {
    const hits = new Map<string, number>(STEP_PROPERTIES.map((p) => [p.id, 0]));
    const wrong: string[] = [];
    const plan = new StepPlan(ALL_PROPERTIES);
    for (const v of VARIANTS) {
      const scenarios = fc.sample(scenarioArbitrary(v, { maxOps: 30 }), { seed: 11, numRuns: RUNS });
      for (const s of scenarios) {
        const trace = traceScenario(s, v);
        for (const step of trace.steps) {
          const planned = plan.checksFor(step);
          const view = viewOf(step);
          const admitted = STEP_PROPERTIES.filter((p) => admits(p.on, view)).map((p) => p.stepCheck);
          expect(planned).toEqual(admitted);
          for (const p of STEP_PROPERTIES) {
            if (p.stepCheck!(view, trace) === null) continue;
            hits.set(p.id, hits.get(p.id)! + 1);
            if (!admits(p.on, view)) wrong.push(`${v.id} ${p.id}: step ${step.index} (${step.op.op}, ${step.out.result.kind}) is excluded by ${JSON.stringify(p.on)}`);
          }
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    // Each filter was held to violations (else this test could not see it narrowed).
    expect([...hits].filter(([, n]) => n === 0).map(([id]) => id)).toEqual([]);
  }, 120_000);

  it('a filter decides on what it names: op kind, success, a changed world, a changed stack', () => {
    const trace = traceScenario(fc.sample(scenarioArbitrary(BUILTIN_VARIANTS[0]!, { minOps: 30, maxOps: 30 }), { seed: 3, numRuns: 1 })[0]!, BUILTIN_VARIANTS[0]!);
    for (const step of trace.steps) {
      const view = viewOf(step);
      expect(admits(undefined, view)).toBe(true);
      expect(admits({}, view)).toBe(true);
      expect(admits({ ops: [step.op.op] }, view)).toBe(true);
      expect(admits({ ops: [] }, view)).toBe(false);
      expect(admits({ ok: view.ok }, view)).toBe(true);
      expect(admits({ ok: !view.ok }, view)).toBe(false);
      expect(admits({ changed: true }, view)).toBe(step.after !== step.before);
      expect(admits({ restacked: true }, view)).toBe(view.restacked.length > 0);
      if (view.restacked.length > 0) expect(step.after).not.toBe(step.before);
    }
  });
});
