// struct seccomp_data from a SyscallRequest (kernel/seccomp.c:populate_seccomp_data), as 16
// little-endian u32 words: nr, arch, ip lo/hi, then args[0..5] lo/hi.
import type { SyscallRequest } from '../request.js';

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
  out[2] = req.ip >>> 0;
  out[3] = Math.floor(req.ip / TWO32) >>> 0;
  const args = req.args;
  for (let i = 0; i < 6; i++) {
    const v = args[i] ?? 0;
    out[4 + 2 * i] = v >>> 0;
    out[5 + 2 * i] = Math.floor(v / TWO32) >>> 0;
  }
  return out;
}
