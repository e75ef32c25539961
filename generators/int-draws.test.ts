import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { intDraws, intDrawsMatch } from './int-draws.js';

/** Copies of the Randoms fast-check hands a generator, one per seed. */
class RandomArbitrary extends fc.Arbitrary<fc.Random> {
  generate(mrng: fc.Random): fc.Value<fc.Random> {
    return new fc.Value(mrng.clone(), undefined);
  }
  canShrinkWithoutContext(v: unknown): v is fc.Random {
    return false;
  }
  shrink(): fc.Stream<fc.Value<fc.Random>> {
    return fc.Stream.nil();
  }
}
const randoms = (seed: number, n: number): fc.Random[] => fc.sample(new RandomArbitrary(), { numRuns: n, seed });

describe('intDraws', () => {
  it('takes the fast path with the installed fast-check (a failure here means slower generation, not other values)', () => {
    for (const r of randoms(1, 5)) expect(intDrawsMatch(r)).toBe(true);
  });

  it('gives what fc.Random.nextInt gives, draw by draw, and leaves the Random where its own draws would', () => {
    const ranges: [number, number][] = [
      [0, 0], [0, 1], [0, 2], [0, 3], [1, 30], [0, 8], [-8, 7], [0, 97], [-5, 5], [3, 3], [0, 1023],
      [0, 2 ** 30 - 1], [0, 2 ** 31 - 2], [0, 2 ** 31], [0, 2 ** 40], [0, -1], [5, 2],
    ];
    for (const r of randoms(7, 20)) {
      const ours = r.clone();
      const theirs = r.clone();
      const draws = intDraws(ours);
      for (let i = 0; i < 300; i++) {
        const [min, max] = ranges[i % ranges.length]!;
        expect(draws.nextInt(min, max)).toStrictEqual(theirs.nextInt(min, max));
      }
      expect(ours.nextInt(0, 2 ** 30)).toBe(theirs.nextInt(0, 2 ** 30));
    }
  });
});
