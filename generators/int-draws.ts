// Uniform integers from fast-check's Random, the very values its nextInt gives, at a fraction
// of the cost. fc.Random.nextInt(min, max) is pure-rand's uniformInt on the Random's generator
// (its `internalRng`): rejection-sample `next() + 2^31` below the largest multiple of the range
// size n in 2^32, then reduce modulo n. It pays a float modulo per draw, and a generated
// scenario makes ~200 draws. IntDraws does the same on the same generator (so the Random's
// state advances exactly as its own draws would), with the modulo written d - floor(d / n) * n:
// exact for integers 0 <= d < 2^53, n >= 1, as the division's rounding error (< d/n * 2^-53)
// is below 1/n, the least distance from d/n up to the next integer; for a power of two, the
// low bits of d.
//
// The shortcut reads a field fast-check does not declare, so it is taken only once a self-check
// has matched it against fc.Random.nextInt draw by draw (on first use, on copies of that Random);
// after a fast-check update that changed the field or the distribution, draws go to fc.Random
// itself: slower, the same values. Range sizes that are not an integer in 1..2^31-1 always do.
import fc from 'fast-check';
import type { Rng } from './pick.js';

interface Generator {
  next(): number;
}

/** The Random's underlying generator, if it has the shape IntDraws needs. */
function generatorOf(rng: fc.Random): Generator | undefined {
  const g = (rng as unknown as { readonly internalRng?: Partial<Generator> }).internalRng;
  return g !== undefined && typeof g.next === 'function' ? (g as Generator) : undefined;
}

/** nextInt on a Random's generator, as pure-rand's uniformInt computes it. */
class IntDraws implements Rng {
  constructor(private readonly rng: fc.Random, private readonly g: Generator) {}

  nextInt(min: number, max: number): number {
    const n = max - min + 1;
    if ((n | 0) !== n || n < 1) return this.rng.nextInt(min, max);
    let d = this.g.next() + 2147483648;
    if ((n & (n - 1)) === 0) {
      // A power of two divides 2^32: reject only d >= 2^32, and d mod n is its low bits.
      while (d >= 4294967296) d = this.g.next() + 2147483648;
      return (d & (n - 1)) + min;
    }
    const limit = n > 2 ? Math.floor(4294967296 / n) * n : 4294967296;
    while (d >= limit) d = this.g.next() + 2147483648;
    return d - Math.floor(d / n) * n + min;
  }
}

/** Ranges the self-check draws from: the generators' small ones, and the edges of the fast path. */
const CHECK_RANGES: readonly (readonly [number, number])[] = [
  [0, 0], [0, 1], [0, 2], [0, 3], [1, 3], [0, 5], [0, 7], [0, 8], [0, 9], [0, 15], [0, 16], [-3, 4], [7, 1000],
  [0, 2 ** 30 - 1], [0, 2 ** 30], [-(2 ** 30), 2 ** 30 - 2], [0, 2 ** 31 - 2], [0, 2 ** 31], [0, -1],
];

/** Whether IntDraws gives what fc.Random.nextInt gives, from copies of `rng` (left as it is). */
export function intDrawsMatch(rng: fc.Random): boolean {
  const ours = rng.clone();
  const theirs = rng.clone();
  const g = generatorOf(ours);
  if (!g) return false;
  const draws = new IntDraws(ours, g);
  for (let i = 0; i < 64; i++) {
    for (const [min, max] of CHECK_RANGES) if (!Object.is(draws.nextInt(min, max), theirs.nextInt(min, max))) return false;
  }
  return true;
}

let fast: boolean | undefined;

/** Draws for one generation from `rng`: IntDraws when the self-check passed, else `rng` itself. */
export function intDraws(rng: fc.Random): Rng {
  fast ??= intDrawsMatch(rng);
  const g = fast ? generatorOf(rng) : undefined;
  return g ? new IntDraws(rng, g) : rng;
}
