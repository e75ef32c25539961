// Length of a seccomp program after cBPF→eBPF conversion, as bpf_convert_filter's first pass
// counts it (net/core/filter.c; called by bpf_migrate_filter, which stores it in fp->len —
// the length seccomp_attach_filter sums against MAX_INSNS_PER_PATH). The program must already
// have passed checkSeccompProgram: seccomp_check_filter has rewritten LD W ABS to LDX W ABS
// (one LDX_MEM, no ld_abs prologue) and LD/LDX W LEN to an immediate.
import type { Insn } from '../ops.js';
import {
  BPF_ALU, BPF_JMP, BPF_RET, BPF_DIV, BPF_MOD, BPF_X, BPF_K, BPF_JA, BPF_JEQ, BPF_JGT, BPF_JGE,
  bpfClass, bpfOp, bpfSrc, bpfRval,
} from './insn.js';

/** Prologue: A ^= A, X ^= X, CTX = ARG1. */
export const EBPF_PROLOGUE = 3;

/** eBPF instructions emitted for one classic instruction (seccomp subset). */
export function ebpfCost(insn: Insn): number {
  const [code, jt, jf, k] = insn;
  switch (bpfClass(code)) {
    case BPF_ALU:
      // DIV/MOD by X: MOV32 X,X; JNE X,0,+2; A ^= A; EXIT; then the op.
      if (bpfSrc(code) === BPF_X && (bpfOp(code) === BPF_DIV || bpfOp(code) === BPF_MOD)) return 5;
      return 1;
    case BPF_RET:
      // RET K: MOV32 R0,K; EXIT. RET A: EXIT (A is R0).
      return bpfRval(code) === BPF_K ? 2 : 1;
    case BPF_JMP: {
      if (bpfOp(code) === BPF_JA) return 1;
      // A negative (as s32) immediate is first moved into TMP.
      const imm = bpfSrc(code) === BPF_K && (k | 0) < 0 ? 1 : 0;
      if (jf === 0) return imm + 1;
      if (jt === 0 && (bpfOp(code) === BPF_JEQ || bpfOp(code) === BPF_JGT || bpfOp(code) === BPF_JGE)) return imm + 1;
      return imm + 2; // Jxx + JA
    }
    default:
      // LD/LDX IMM, MEM, ABS (as LDX_MEM), ST/STX, TAX/TXA.
      return 1;
  }
}

/** Converted length of a whole (validated) seccomp program. */
export function ebpfLength(program: readonly Insn[]): number {
  let n = EBPF_PROLOGUE;
  for (const insn of program) n += ebpfCost(insn);
  return n;
}
