// The run ranges strata check --workers and --shard split a stream into (check-range.ts).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { streamRanges } from './check-range.js';

describe('streamRanges', () => {
  it('covers the slice exactly once, in order, the same every time', () => {
    fc.assert(fc.property(fc.nat(2_000_000), fc.nat(3_000_000), fc.integer({ min: 1, max: 64 }), (from, len, w) => {
      const to = from + len;
      const r = streamRanges(from, to, w);
      expect(r).toEqual(streamRanges(from, to, w));
      let a = from;
      for (const [x, y] of r) {
        expect(x).toBe(a);
        expect(y).toBeGreaterThan(x);
        a = y;
      }
      expect(a).toBe(to);
    }), { numRuns: 200 });
  });

  it("keeps the generator's walk to each range's start at runs·log(runs), not runs²", () => {
    // a range starting at k walks k jumps; equal 250-scenario ranges walked runs²/500 in all
    for (const runs of [5_000, 100_000, 1_000_000, 10_000_000]) {
      const r = streamRanges(0, runs, 2);
      const walked = r.reduce((n, [a]) => n + a, 0);
      expect(walked, `${runs} runs: ${r.length} ranges`).toBeLessThanOrEqual(2 * runs * Math.log2(runs / 250));
    }
  });

  it('gives every worker several ranges of a small run, and ends with small ranges', () => {
    for (const w of [2, 4, 8]) {
      const r = streamRanges(0, 1000, w);
      expect(r.length).toBeGreaterThanOrEqual(w * 3);
      const big = streamRanges(0, 1_000_000, w);
      const [a, b] = big[big.length - 1]!;
      expect(b - a).toBeLessThanOrEqual(250);
    }
  });
});
