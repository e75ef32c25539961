// `npm start`'s run with coverage on (every built-in variant × every property, the default runs,
// seed and length — the very scenario stream npm start checks): every corner of every
// variant's catalogue is reached at least once, nothing outside it, and most Landlock calls act
// on live rulesets. Counts, never times.
import { describe, it, expect, beforeAll } from 'vitest';
import { runCheck } from '../properties/check.js';
import type { CheckReport } from '../properties/check.js';
import { BUILTIN_VARIANTS } from '../variants/registry.js';
import { DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_MAX_OPS } from '../cli/commands/check.js';
import { successRate } from './report.js';
import { CoverageCounter } from './counter.js';
import type { Coverage } from './report.js';

describe('coverage at the default budget (npm start)', () => {
  let report: CheckReport;
  const coverage = (id: string): Coverage => report.variants.find((v) => v.id === id)!.coverage!;

  beforeAll(() => {
    report = runCheck({ variants: BUILTIN_VARIANTS, runs: DEFAULT_RUNS, seed: DEFAULT_SEED, maxOps: DEFAULT_MAX_OPS, coverage: (v) => new CoverageCounter(v) });
  }, 600_000);

  it('counts the main scenario stream of every variant, all of it', () => {
    expect(report.variants.map((v) => v.id)).toEqual(BUILTIN_VARIANTS.map((v) => v.id));
    for (const v of report.variants) {
      expect(v.interrupted).toBe(false);
      expect(v.coverage!.scenarios, v.id).toBe(v.scenarios);
      expect(v.scenarios, v.id).toBe(DEFAULT_RUNS);
    }
  });

  for (const v of BUILTIN_VARIANTS) {
    it(`${v.id}: reaches every corner of its catalogue, and none outside it`, () => {
      const c = coverage(v.id);
      expect(c.corners.length).toBeGreaterThan(50);
      expect(c.corners.filter((x) => x.count === 0).map((x) => x.id)).toEqual([]);
      expect(c.undeclared).toEqual([]);
    });
  }

  it('linux: at least 60% of add_rule and restrict_self calls succeed, and each of their errors is reached', () => {
    const c = coverage('linux');
    for (const op of ['ruleset_add_rule', 'restrict_self']) {
      const r = successRate(c, op);
      expect(r.calls, op).toBeGreaterThan(1000);
      expect(r.rate, `${op}: ${r.ok} of ${r.calls}`).toBeGreaterThanOrEqual(0.6);
      const errors = c.corners.filter((x) => x.id.startsWith(`op.${op}.`) && !x.id.endsWith('.ok'));
      expect(errors.length, op).toBeGreaterThanOrEqual(4);
      for (const e of errors) expect(e.count, e.id).toBeGreaterThan(0);
    }
  });
});
