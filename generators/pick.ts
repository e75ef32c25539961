// Random choices over fast-check's Random, as plain functions (the generators draw ops
// directly; shrinking is the op-list shrinker's, generators/shrink.ts).

/** Where draws come from: fast-check's Random, or IntDraws on it (generators/int-draws.ts). */
export interface Rng {
  nextInt(min: number, max: number): number;
}

/** A uniformly chosen element. */
export function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.nextInt(0, xs.length - 1)]!;
}

/** true with probability num/den. */
export function chance(rng: Rng, num: number, den: number): boolean {
  return rng.nextInt(0, den - 1) < num;
}

/** Totals up to this get an index table (one entry per drawn number) instead of a scan. */
const TABLE_LIMIT = 4096;

/** A weighted choice table: values and cumulative integer weights (zero weights dropped). */
export class Weighted<T> {
  readonly values: T[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;
  /** The index each drawn number 0..total-1 selects, for totals up to TABLE_LIMIT (else a scan). */
  private table: Uint16Array | undefined = undefined;
  add(value: T, weight: number): this {
    if (weight > 0) {
      this.total += weight;
      this.values.push(value);
      this.cumulative.push(this.total);
      this.table = this.total <= TABLE_LIMIT ? indexTable(this.cumulative) : undefined;
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
    const t = this.table;
    if (t !== undefined) return t[r]!;
    const c = this.cumulative;
    let i = 0;
    while (c[i]! <= r) i++;
    return i;
  }
}

/** For each number 0..total-1, the index of the first cumulative weight above it. */
function indexTable(cumulative: readonly number[]): Uint16Array {
  const t = new Uint16Array(cumulative[cumulative.length - 1]!);
  for (let i = 0, r = 0; i < cumulative.length; i++) for (; r < cumulative[i]!; r++) t[r] = i;
  return t;
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
