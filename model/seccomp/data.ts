// struct seccomp_data from a SyscallRequest (kernel/seccomp.c:populate_seccomp_data), as 16
// little-endian u32 words: nr, arch, ip lo/hi, then args[0..5] lo/hi.
import type { SyscallRequest } from '../request.js';
import { u64Hi, u64Lo } from '../u64.js';

const TWO32 = 4294967296;

/** Split a safe integer into the [lo, hi] u32 words of its two's-complement u64. */
export function splitU64(v: number): [number, number] {
  return [v >>> 0, Math.floor(v / TWO32) >>> 0];
}

/** Fill (or allocate) the 16-word seccomp_data of a request. */
export function seccompData(req: SyscallRequest, out: Uint32Array = new Uint32Array(16)): Uint32Array {
  out[0] = req.nr >>> 0; // int nr, as a u32 word
  out[1] = req.arch >>> 0;
  // splitU64 written in place (no [lo, hi] pair per word: this runs on every op the gate decides).
  const ip = req.ip;
  out[2] = typeof ip === 'number' ? ip >>> 0 : u64Lo(ip);
  out[3] = typeof ip === 'number' ? Math.floor(ip / TWO32) >>> 0 : u64Hi(ip);
  const args = req.args;
  for (let i = 0; i < 6; i++) {
    const v = args[i] ?? 0;
    // a hex string is a value at or above 2^53 (model/u64.ts)
    out[4 + 2 * i] = typeof v === 'number' ? v >>> 0 : u64Lo(v);
    out[5 + 2 * i] = typeof v === 'number' ? Math.floor(v / TWO32) >>> 0 : u64Hi(v);
  }
  return out;
}
