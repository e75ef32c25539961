// 64-bit unsigned values of the kernel's interfaces (syscall arguments and instruction pointer in
// struct seccomp_data, Landlock's __u64 access masks, a net_port rule's __u64 port) held exactly.
// A JSON number is exact only below 2^53, so a value at or above it is a hex string ("0x…", at
// most 16 digits, lower case, no leading zeros): the scenario format's version 2
// (scenario/types.ts). Below 2^53 a value is always a plain number — one canonical form, so that
// equal values compare equal with === and serialise alike. No bigint is kept in the model's
// state: strings stringify, hash and compare like the numbers they stand beside.

/** A u64 hex literal: `0x` and 1–16 lower-case hex digits, no leading zeros. */
export type HexU64 = `0x${string}`;
/** A u64: a safe non-negative integer, or (≥ 2^53) its canonical hex string. */
export type U64 = number | HexU64;

const HEX_U64 = /^0x(?:0|[1-9a-f][0-9a-f]{0,15})$/;
const TWO32 = 4294967296;
const MAX_U64 = (1n << 64n) - 1n;

/** Is `v` a u64 in canonical form (a safe integer ≥ 0, or a canonical hex string ≥ 2^53)? */
export function isU64(v: unknown): v is U64 {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0;
  return typeof v === 'string' && HEX_U64.test(v) && BigInt(v) > BigInt(Number.MAX_SAFE_INTEGER);
}

/** The exact value. */
export function u64BigInt(v: U64): bigint {
  return BigInt(v);
}

/** The canonical form of an exact value in [0, 2^64). */
export function u64(v: bigint | number | string): U64 {
  const b = typeof v === 'bigint' ? v : BigInt(v);
  if (b < 0n || b > MAX_U64) throw new RangeError(`${String(v)} is not a u64`);
  return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : (`0x${b.toString(16)}` as HexU64);
}

/** [lo, hi] u32 words (little-endian halves), as struct seccomp_data holds an argument. */
export function u64Lo(v: U64): number {
  if (typeof v === 'number') return v >>> 0;
  const h = v.slice(2);
  return parseInt(h.slice(-8), 16) >>> 0;
}

export function u64Hi(v: U64): number {
  if (typeof v === 'number') return Math.floor(v / TWO32) >>> 0;
  const h = v.slice(2);
  return h.length > 8 ? parseInt(h.slice(0, -8), 16) >>> 0 : 0;
}

/** Has `v` a bit set outside `mask` (a mask below 2^32, as every Landlock ABI's are)? */
export function u64HasBitsOutside32(v: U64, mask: number): boolean {
  if (u64Hi(v) !== 0) return true;
  return ((u64Lo(v) & ~mask) >>> 0) !== 0;
}

/** The indices of the set bits, lowest first. */
export function u64Bits(v: U64): number[] {
  const out: number[] = [];
  const lo = u64Lo(v), hi = u64Hi(v);
  for (let b = 0; b < 32; b++) if (((lo >>> b) & 1) === 1) out.push(b);
  for (let b = 0; b < 32; b++) if (((hi >>> b) & 1) === 1) out.push(32 + b);
  return out;
}

/** `v` without bit `b`. */
export function u64Without(v: U64, b: number): U64 {
  return u64(u64BigInt(v) & ~(1n << BigInt(b)));
}

/** Decimal text of the exact value (the executor's line protocol). */
export function u64Decimal(v: U64): string {
  return typeof v === 'number' ? String(v) : BigInt(v).toString();
}

