// The check report and its matrix on a hand-made CheckReport that has every kind of cell: holds
// and violated as expected, both kinds of unexpected result, a model error, an interrupted run.
import { describe, it, expect } from 'vitest';
import type { CheckReport, PairResult } from '../properties/check.js';
import { runTrace, traceToScenario } from '../properties/trace.js';
import { TSYNC_OVERWRITE, LIVE_RULESET } from '../variants/index.js';
import { propertyById } from '../properties/all.js';
import type { FindingReport } from './finding.js';
import { renderCheck, verdict } from './check.js';
import { renderMatrix, cellOf, propertyLabel } from './matrix.js';
import { renderToString } from './sink.js';
import { TSYNC_OVERWRITE_WITNESS, LIVE_RULESET_WITNESS } from './fixtures.js';

function findingOf(variant: typeof TSYNC_OVERWRITE, ops: typeof TSYNC_OVERWRITE_WITNESS, property: string, expected: boolean): FindingReport {
  const trace = runTrace(variant, ops);
  const p = propertyById(property)!;
  const v = p.check(trace)!;
  const scenario = traceToScenario(trace, { finding: { property, statement: p.statement, seed: 42, path: '5:1:0', atStep: v.atStep, message: v.message } });
  return { scenario, file: `strata-out/${variant.id}.${property}.seed42.json`, trace, expected };
}

const pair = (variant: string, property: PairResult['property'], expected: PairResult['expected'], outcome: PairResult['outcome']): PairResult => ({
  variant, property, expected, outcome, matches: (expected === 'violates') === (outcome === 'violated'), runs: 500,
});

const RESULTS: PairResult[] = [
  pair('tsync-overwrite', 'I2-thread', 'violates', 'violated'),
  pair('tsync-overwrite', 'I9', 'violates', 'holds'),
  pair('tsync-overwrite', 'children-never-weakened', 'holds', 'holds'),
  pair('live-ruleset', 'I2-thread', 'holds', 'holds'),
  pair('live-ruleset', 'I9', 'holds', 'holds'),
  pair('live-ruleset', 'children-never-weakened', 'holds', 'violated'),
];

const REPORT: CheckReport = {
  seed: 42,
  runs: 500,
  maxOps: 20,
  variants: [
    { id: 'tsync-overwrite', title: 't', scenarios: 500, ops: 5000, elapsedMs: 300, interrupted: false },
    { id: 'live-ruleset', title: 'l', scenarios: 212, ops: 2000, elapsedMs: 300, interrupted: true },
  ],
  results: RESULTS,
  mismatches: 2,
  unsearched: 0,
  interrupted: true,
  ok: false,
  elapsedMs: 12_345,
};

describe('matrix', () => {
  it('labels long property ids briefly', () => {
    expect(['I2-thread', 'children-never-weakened', 'non-interference', 'I12', 'my-new-prop'].map(propertyLabel)).toEqual(['I2t', 'CNW', 'NI', 'I12', 'MNP']);
  });

  it('marks each cell by expectation and outcome', () => {
    expect(RESULTS.map(cellOf)).toEqual(['✗', '!✓', '✓', '✓', '✓', '!✗']);
  });

  it('renders rows per variant, columns per property, with notes and a legend', () => {
    expect(renderToString((s) => renderMatrix(REPORT, s))).toBe(
      [
        'variant          I2t I9 CNW',
        'tsync-overwrite  ✗   !✓ ✓',
        'live-ruleset     ✓   ✓  !✗   (interrupted after 212 scenarios)',
        '',
        '✓ holds as expected · ✗ violated as expected · !✗ violated, expected to hold · !✓ held, expected a violation · · not checked',
        'I2t = I2-thread · CNW = children-never-weakened',
        '',
      ].join('\n'),
    );
  });
});

describe('check report', () => {
  const findings = [
    findingOf(TSYNC_OVERWRITE, TSYNC_OVERWRITE_WITNESS, 'I2-thread', true),
    findingOf(LIVE_RULESET, LIVE_RULESET_WITNESS, 'children-never-weakened', false),
  ];
  const crashes = [{ variant: 'live-ruleset', message: 'TypeError: x is undefined', file: 'strata-out/live-ruleset.model-error.0123456789.json' }];

  it('puts what a replay needs in the first lines', () => {
    const lines = renderToString((s) => renderCheck({ report: REPORT, findings, crashes }, s)).split('\n');
    expect(lines[0]).toBe('strata check: seed 42 · 500 runs per variant · up to 20 ops · 2 variants × 3 properties · 12.3 s');
    expect(lines[1]).toBe('counterexamples (replay one with strata replay <file>):');
    expect(lines[2]).toBe('  tsync-overwrite × I2-thread                          strata-out/tsync-overwrite.I2-thread.seed42.json  (fast-check seed 42, path "5:1:0")');
    expect(lines[4]).toBe('  live-ruleset model error                             strata-out/live-ruleset.model-error.0123456789.json');
  });

  it('full report snapshot', async () => {
    await expect(renderToString((s) => renderCheck({ report: REPORT, findings, crashes }, s))).toMatchFileSnapshot('golden/check-report.txt');
  });

  it('leaves the traces out on request', () => {
    const text = renderToString((s) => renderCheck({ report: REPORT, findings, crashes, traces: false }, s));
    expect(text).not.toContain('#0 t100');
    expect(text).toContain('strata-out/tsync-overwrite.I2-thread.seed42.json');
  });

  it('ends with a one-line verdict', () => {
    expect(verdict(REPORT, 1)).toBe('FAILED: 2 results disagree with the expectation matrix, 1 model error (time budget spent: some variants ran fewer scenarios)');
    expect(verdict({ ...REPORT, mismatches: 0, interrupted: false, ok: true }, 0)).toBe('ok: all 6 results match the expectation matrix');
    expect(verdict({ ...REPORT, mismatches: 1, interrupted: false }, 0)).toBe('FAILED: 1 result disagrees with the expectation matrix');
  });
});

describe('expected violations not searched enough (time budget)', () => {
  const cut: PairResult = { ...pair('live-ruleset', 'I9', 'violates', 'holds'), runs: 212, unsearched: true };
  const report: CheckReport = {
    ...REPORT,
    results: [pair('tsync-overwrite', 'I9', 'violates', 'violated'), pair('live-ruleset', 'I2-thread', 'holds', 'holds'), cut],
    mismatches: 0,
    unsearched: 1,
    ok: true,
  };

  it('are a ? cell, explained in the legend, not an unexpected result', () => {
    expect(cellOf(cut)).toBe('?');
    const text = renderToString((s) => renderCheck({ report, findings: [], crashes: [] }, s));
    expect(text).toContain('\nlive-ruleset     ?  ✓    (interrupted after 212 scenarios)\n');
    expect(text).toContain('· ? expected a violation, not searched enough (time budget ran out) ·');
    expect(text).not.toContain('unexpected results');
    expect(text).toContain('not searched enough (1):\n  ? live-ruleset × I9: expected a violation, none found in 212 scenarios before the time budget ran out\n  hint: raise --time-budget, or leave it out; --strict makes this a failure\n');
  });

  it('leave the verdict ok, unless strict', () => {
    expect(verdict(report, 0)).toBe('ok: no result disagrees with the expectation matrix, but 1 expected violation not searched enough (the time budget ran out; --strict makes this a failure)');
    expect(verdict(report, 0, true)).toBe('FAILED: 1 expected violation not searched enough (--strict) (time budget spent: some variants ran fewer scenarios)');
    expect(verdict({ ...report, mismatches: 1, ok: false }, 0)).toBe('FAILED: 1 result disagrees with the expectation matrix, 1 expected violation not searched enough (time budget spent: some variants ran fewer scenarios)');
  });
});

describe('a counterexample that could not be written', () => {
  it('says so where the file would be named, and gives no replay command for it', () => {
    const f = { ...findingOf(TSYNC_OVERWRITE, TSYNC_OVERWRITE_WITNESS, 'I2-thread', true), unwritten: 'no space left on device (ENOSPC)' };
    const text = renderToString((s) => renderCheck({ report: REPORT, findings: [f], crashes: [] }, s));
    expect(text).toContain('  tsync-overwrite × I2-thread  NOT WRITTEN to strata-out/tsync-overwrite.I2-thread.seed42.json: no space left on device (ENOSPC)  (fast-check seed 42, path "5:1:0")\n');
    expect(text).toContain('  scenario:   NOT WRITTEN to strata-out/tsync-overwrite.I2-thread.seed42.json: no space left on device (ENOSPC)\n');
    expect(text).not.toContain('strata replay strata-out/tsync-overwrite.I2-thread.seed42.json');
    expect(verdict({ ...REPORT, mismatches: 0, interrupted: false, ok: true }, 0, false, 1)).toBe('FAILED: 1 counterexample file not written (see NOT WRITTEN above)');
  });
});
