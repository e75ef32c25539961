// Random choices over fast-check's Random, as plain functions (the generators draw ops
// directly; shrinking is the op-list shrinker's, generators/shrink.ts).
import type fc from 'fast-check';

export type Rng = fc.Random;

/** A uniformly chosen element. */
export function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.nextInt(0, xs.length - 1)]!;
}

/** true with probability num/den. */
export function chance(rng: Rng, num: number, den: number): boolean {
  return rng.nextInt(0, den - 1) < num;
}

/** A weighted choice table: values and cumulative integer weights (zero weights dropped). */
export class Weighted<T> {
  readonly values: T[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;
  add(value: T, weight: number): this {
    if (weight > 0) {
      this.total += weight;
      this.values.push(value);
      this.cumulative.push(this.total);
    }
    return this;
  }
  get size(): number {
    return this.values.length;
  }
  draw(rng: Rng): T {
    return this.values[this.drawIndex(rng)]!;
  }
  /** The index (into `values`) of a weighted draw. */
  drawIndex(rng: Rng): number {
    const r = rng.nextInt(0, this.total - 1);
    const c = this.cumulative;
    let i = 0;
    while (c[i]! <= r) i++;
    return i;
  }
}

/** OR of a random subset of `bits` with at least `min` members. */
export function subset(rng: Rng, bits: readonly number[], min: number): number {
  let m = 0;
  let n = 0;
  for (const b of bits) {
    if (rng.nextInt(0, 1) === 1) {
      m |= b;
      n++;
    }
  }
  while (n < min && n < bits.length) {
    const b = pick(rng, bits);
    if ((m & b) === 0) {
      m |= b;
      n++;
    }
  }
  return m;
}
