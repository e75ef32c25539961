// The set of world forms `strata explore` has met: 64-bit hashes of the canonical strings
// (explore/canonical.ts) in an open-addressing table of two Uint32Arrays, 16 bytes per form at
// the highest load — the strings themselves would take a hundred times more, and a search to
// depth 6 meets millions. Two different forms share a hash with probability about n²/2⁶⁵
// (3·10⁻⁶ for ten million forms); the README says so where it calls the search exhaustive.

/** Two independent 32-bit hashes of `s` (FNV-1a, and a multiply-rotate mix of each code). */
export function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    b ^= Math.imul(k, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = (Math.imul(b, 5) + 0xe6546b64) | 0;
  }
  b ^= s.length;
  b ^= b >>> 16;
  b = Math.imul(b, 0x85ebca6b);
  b ^= b >>> 13;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 16;
  return [a >>> 0, b >>> 0];
}

export class SeenSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  /** Add the form's hash; true if it was not there. */
  add(form: string): boolean {
    const [a, b0] = hash64(form);
    // (0, 0) marks an empty slot.
    const b = a === 0 && b0 === 0 ? 1 : b0;
    if (this.insert(a, b)) {
      if (++this.size * 2 > this.mask) this.grow();
      return true;
    }
    return false;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength;
  }

  private insert(a: number, b: number): boolean {
    const hi = this.hi;
    const lo = this.lo;
    const mask = this.mask;
    for (let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const x = hi[i]!;
      const y = lo[i]!;
      if (x === 0 && y === 0) {
        hi[i] = a;
        lo[i] = b;
        return true;
      }
      if (x === a && y === b) return false;
    }
  }

  private grow(): void {
    const oldHi = this.hi;
    const oldLo = this.lo;
    const cap = oldHi.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < oldHi.length; i++) {
      const a = oldHi[i]!;
      const b = oldLo[i]!;
      if (a !== 0 || b !== 0) this.insert(a, b);
    }
  }
}
