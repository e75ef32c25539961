// The check engine's time budget and progress ticks: the budget is shared between the variants,
// an expected violation the budget left unfound is "not searched enough" (unsearched), not a
// mismatch, and a running variant reports ticks from inside fast-check's loop. A fake clock
// (CheckOptions.clock) makes the budget and the ticks deterministic.
import { describe, it, expect } from 'vitest';
import { budgetShare, runCheck } from './check.js';
import type { ProgressEvent } from './check.js';
import { builtinVariant } from '../variants/registry.js';
import { propertyById } from './all.js';

/** A clock that moves `step` ms every time it is read. */
function steppingClock(step: number): () => number {
  let t = 0;
  return () => (t += step);
}

describe('budgetShare', () => {
  it('gives the next variant an equal share of what is left', () => {
    expect(budgetShare(0, 900, 3)).toBe(300);
    // the first variant finished after 100 ms: the other two share the remaining 800 ms
    expect(budgetShare(100, 900, 2)).toBe(500);
    expect(budgetShare(500, 900, 1)).toBe(900);
  });

  it('is unlimited without a budget and empty once the budget is spent', () => {
    expect(budgetShare(5, Infinity, 2)).toBe(Infinity);
    expect(budgetShare(1000, 900, 2)).toBe(1000);
  });
});

describe('runCheck with a time budget', () => {
  it('reports an expected violation the budget left unfound as unsearched, not as a mismatch', () => {
    const r = runCheck({
      variants: [builtinVariant('tsync-overwrite')!],
      properties: [propertyById('I9')!, propertyById('I1')!],
      runs: 1000,
      seed: 1,
      timeBudgetMs: 1,
      clock: steppingClock(1000),
    });
    expect(r.variants[0]!.interrupted).toBe(true);
    expect(r.results.map((x) => [x.property, x.outcome, x.matches, x.unsearched === true])).toEqual([
      ['I9', 'holds', false, true],
      ['I1', 'holds', true, false],
    ]);
    expect(r.mismatches).toBe(0);
    expect(r.unsearched).toBe(1);
    expect(r.ok).toBe(true);
  });

  it('gives every variant a share: none is left with no scenarios when the first could use it all', () => {
    const ids = ['linux', 'lutomirski-2017', 'mutable-domains-rfc'];
    const r = runCheck({
      variants: ids.map((id) => builtinVariant(id)!),
      properties: [propertyById('I1')!],
      runs: 10_000_000,
      seed: 1,
      timeBudgetMs: 3000,
    });
    expect(r.variants.map((v) => v.id)).toEqual(ids);
    for (const v of r.variants) {
      expect(v.interrupted).toBe(true);
      expect(v.scenarios).toBeGreaterThan(0);
    }
  });
});

describe('progress ticks', () => {
  it('a running variant sends ticks before it is done', () => {
    const events: ProgressEvent[] = [];
    runCheck({
      variants: [builtinVariant('linux')!],
      properties: [propertyById('I1')!],
      runs: 200,
      seed: 1,
      clock: steppingClock(1000),
      tickMs: 1000,
      onProgress: (e) => events.push(e),
    });
    const ticks = events.filter((e) => e.type === 'tick');
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks[0]).toMatchObject({ type: 'tick', variant: 'linux', index: 0, total: 1, shrinking: false });
    expect(events.findIndex((e) => e.type === 'tick')).toBeLessThan(events.findIndex((e) => e.type === 'variant-done'));
  });
});
