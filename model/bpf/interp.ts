// A fast classic-BPF interpreter for seccomp programs over struct seccomp_data given as 16
// little-endian u32 words. Semantics are those of the converted eBPF program the kernel runs
// (net/core/filter.c:bpf_convert_filter, kernel/bpf/core.c): 32-bit ALU, shifts by X masked
// to 5 bits, DIV by X == 0 returns 0 from the program, unsigned compares, RET returns u32.
// Programs are pre-decoded into typed arrays with dense opcodes and absolute jump targets;
// the hot loop is one switch, no closures, no allocation.
import type { Insn } from '../ops.js';
import { checkSeccompProgram } from './check.js';
import {
  BPF_LD, BPF_LDX, BPF_ST, BPF_STX, BPF_ALU, BPF_JMP, BPF_RET, BPF_MISC, BPF_W, BPF_IMM, BPF_ABS,
  BPF_MEM, BPF_LEN, BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH, BPF_RSH, BPF_NEG,
  BPF_XOR, BPF_JA, BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_K, BPF_X, BPF_A, BPF_TAX, BPF_TXA,
} from './insn.js';
import { SECCOMP_DATA_SIZE } from '../limits.js';

// Dense operation ids.
const LD_ABS = 0, LD_IMM = 1, LDX_IMM = 2, LD_MEM = 3, LDX_MEM = 4, ST = 5, STX = 6, TAX = 7, TXA = 8;
const ADD_K = 9, ADD_X = 10, SUB_K = 11, SUB_X = 12, MUL_K = 13, MUL_X = 14, DIV_K = 15, DIV_X = 16;
const AND_K = 17, AND_X = 18, OR_K = 19, OR_X = 20, XOR_K = 21, XOR_X = 22, LSH_K = 23, LSH_X = 24;
const RSH_K = 25, RSH_X = 26, NEG = 27, JA = 28, JEQ_K = 29, JEQ_X = 30, JGT_K = 31, JGT_X = 32;
const JGE_K = 33, JGE_X = 34, JSET_K = 35, JSET_X = 36, RET_K = 37, RET_A = 38;

/** The dense operation ids, for the JIT (jit.ts). */
export const OPS = {
  LD_ABS, LD_IMM, LDX_IMM, LD_MEM, LDX_MEM, ST, STX, TAX, TXA, ADD_K, ADD_X, SUB_K, SUB_X, MUL_K, MUL_X,
  DIV_K, DIV_X, AND_K, AND_X, OR_K, OR_X, XOR_K, XOR_X, LSH_K, LSH_X, RSH_K, RSH_X, NEG, JA, JEQ_K,
  JEQ_X, JGT_K, JGT_X, JGE_K, JGE_X, JSET_K, JSET_X, RET_K, RET_A,
} as const;

const OP_OF: ReadonlyMap<number, number> = new Map<number, number>([
  [BPF_LD | BPF_W | BPF_ABS, LD_ABS], [BPF_LD | BPF_IMM, LD_IMM], [BPF_LDX | BPF_IMM, LDX_IMM],
  [BPF_LD | BPF_W | BPF_LEN, LD_IMM], [BPF_LDX | BPF_W | BPF_LEN, LDX_IMM],
  [BPF_LD | BPF_MEM, LD_MEM], [BPF_LDX | BPF_MEM, LDX_MEM], [BPF_ST, ST], [BPF_STX, STX],
  [BPF_MISC | BPF_TAX, TAX], [BPF_MISC | BPF_TXA, TXA],
  [BPF_ALU | BPF_ADD | BPF_K, ADD_K], [BPF_ALU | BPF_ADD | BPF_X, ADD_X],
  [BPF_ALU | BPF_SUB | BPF_K, SUB_K], [BPF_ALU | BPF_SUB | BPF_X, SUB_X],
  [BPF_ALU | BPF_MUL | BPF_K, MUL_K], [BPF_ALU | BPF_MUL | BPF_X, MUL_X],
  [BPF_ALU | BPF_DIV | BPF_K, DIV_K], [BPF_ALU | BPF_DIV | BPF_X, DIV_X],
  [BPF_ALU | BPF_AND | BPF_K, AND_K], [BPF_ALU | BPF_AND | BPF_X, AND_X],
  [BPF_ALU | BPF_OR | BPF_K, OR_K], [BPF_ALU | BPF_OR | BPF_X, OR_X],
  [BPF_ALU | BPF_XOR | BPF_K, XOR_K], [BPF_ALU | BPF_XOR | BPF_X, XOR_X],
  [BPF_ALU | BPF_LSH | BPF_K, LSH_K], [BPF_ALU | BPF_LSH | BPF_X, LSH_X],
  [BPF_ALU | BPF_RSH | BPF_K, RSH_K], [BPF_ALU | BPF_RSH | BPF_X, RSH_X],
  [BPF_ALU | BPF_NEG, NEG], [BPF_JMP | BPF_JA, JA],
  [BPF_JMP | BPF_JEQ | BPF_K, JEQ_K], [BPF_JMP | BPF_JEQ | BPF_X, JEQ_X],
  [BPF_JMP | BPF_JGT | BPF_K, JGT_K], [BPF_JMP | BPF_JGT | BPF_X, JGT_X],
  [BPF_JMP | BPF_JGE | BPF_K, JGE_K], [BPF_JMP | BPF_JGE | BPF_X, JGE_X],
  [BPF_JMP | BPF_JSET | BPF_K, JSET_K], [BPF_JMP | BPF_JSET | BPF_X, JSET_X],
  [BPF_RET | BPF_K, RET_K], [BPF_RET | BPF_A, RET_A],
]);

/**
 * A decoded program: one Int32Array with a stride of 4 per instruction — dense op id, operand,
 * and the absolute offsets (already ×4) of the true and false successors. For JGT/JGE K the
 * operand is k ^ 0x80000000, so an unsigned compare is a signed compare of biased values.
 */
export class CompiledProgram {
  constructor(
    readonly code: Int32Array,
    readonly source: readonly Insn[],
  ) {}
  get length(): number {
    return this.code.length >> 2;
  }
}

const CACHE = new WeakMap<readonly Insn[], CompiledProgram>();

/**
 * Decode a program that passed checkSeccompProgram (results are cached per program array).
 * Throws on a program that would not pass: the model compiles only accepted programs.
 */
export function compile(program: readonly Insn[]): CompiledProgram {
  const hit = CACHE.get(program);
  if (hit) return hit;
  const chk = checkSeccompProgram(program);
  if (!chk.ok) throw new Error(`compile: invalid seccomp program: ${chk.reason}`);
  const p = chk.program;
  const n = p.length;
  const code = new Int32Array(n * 4);
  for (let pc = 0; pc < n; pc++) {
    const [c, t, f, kk] = p[pc]!;
    const o = OP_OF.get(c)!;
    // seccomp_check_filter: LD/LDX W LEN become immediates of sizeof(struct seccomp_data).
    let v = c === (BPF_LD | BPF_W | BPF_LEN) || c === (BPF_LDX | BPF_W | BPF_LEN) ? SECCOMP_DATA_SIZE : kk;
    if (o === LD_ABS) v = kk >>> 2;
    if (o === JGT_K || o === JGE_K) v = (kk ^ 0x80000000) >>> 0;
    const i = pc * 4;
    code[i] = o;
    code[i + 1] = v | 0;
    code[i + 2] = (o === JA ? pc + 1 + kk : pc + 1 + t) * 4;
    code[i + 3] = (o === JA ? pc + 1 + kk : pc + 1 + f) * 4;
  }
  const cp = new CompiledProgram(code, program);
  CACHE.set(program, cp);
  return cp;
}

// Scratch memory, reused: accepted programs never read a word before writing it
// (check_load_and_stores), so no state leaks between runs.
const MEM = new Int32Array(16);

/** Run a compiled program over seccomp_data words; returns the filter's u32 return value. */
export function runProgram(prog: CompiledProgram, data: Uint32Array): number {
  const c = prog.code, M = MEM;
  let A = 0, X = 0, i = 0;
  for (;;) {
    switch (c[i]!) {
      case LD_ABS: A = data[c[i + 1]!]! | 0; i += 4; break;
      case LD_IMM: A = c[i + 1]!; i += 4; break;
      case LDX_IMM: X = c[i + 1]!; i += 4; break;
      case LD_MEM: A = M[c[i + 1]!]!; i += 4; break;
      case LDX_MEM: X = M[c[i + 1]!]!; i += 4; break;
      case ST: M[c[i + 1]!] = A; i += 4; break;
      case STX: M[c[i + 1]!] = X; i += 4; break;
      case TAX: X = A; i += 4; break;
      case TXA: A = X; i += 4; break;
      case ADD_K: A = (A + c[i + 1]!) | 0; i += 4; break;
      case ADD_X: A = (A + X) | 0; i += 4; break;
      case SUB_K: A = (A - c[i + 1]!) | 0; i += 4; break;
      case SUB_X: A = (A - X) | 0; i += 4; break;
      case MUL_K: A = Math.imul(A, c[i + 1]!); i += 4; break;
      case MUL_X: A = Math.imul(A, X); i += 4; break;
      case DIV_K: A = ((A >>> 0) / (c[i + 1]! >>> 0)) | 0; i += 4; break;
      case DIV_X:
        if (X === 0) return 0; // converted program: JNE X,0,+2; A ^= A; EXIT
        A = ((A >>> 0) / (X >>> 0)) | 0; i += 4; break;
      case AND_K: A &= c[i + 1]!; i += 4; break;
      case AND_X: A &= X; i += 4; break;
      case OR_K: A |= c[i + 1]!; i += 4; break;
      case OR_X: A |= X; i += 4; break;
      case XOR_K: A ^= c[i + 1]!; i += 4; break;
      case XOR_X: A ^= X; i += 4; break;
      case LSH_K: A <<= c[i + 1]!; i += 4; break;
      case LSH_X: A <<= X; i += 4; break; // JS masks the count to 5 bits, as ALU32 LSH X does
      case RSH_K: A = (A >>> c[i + 1]!) | 0; i += 4; break;
      case RSH_X: A = (A >>> X) | 0; i += 4; break;
      case NEG: A = -A | 0; i += 4; break;
      case JA: i = c[i + 2]!; break;
      case JEQ_K: i = A === c[i + 1]! ? c[i + 2]! : c[i + 3]!; break;
      case JEQ_X: i = A === X ? c[i + 2]! : c[i + 3]!; break;
      case JGT_K: i = (A ^ 0x80000000) > c[i + 1]! ? c[i + 2]! : c[i + 3]!; break;
      case JGT_X: i = (A ^ 0x80000000) > (X ^ 0x80000000) ? c[i + 2]! : c[i + 3]!; break;
      case JGE_K: i = (A ^ 0x80000000) >= c[i + 1]! ? c[i + 2]! : c[i + 3]!; break;
      case JGE_X: i = (A ^ 0x80000000) >= (X ^ 0x80000000) ? c[i + 2]! : c[i + 3]!; break;
      case JSET_K: i = (A & c[i + 1]!) !== 0 ? c[i + 2]! : c[i + 3]!; break;
      case JSET_X: i = (A & X) !== 0 ? c[i + 2]! : c[i + 3]!; break;
      case RET_K: return c[i + 1]! >>> 0;
      case RET_A: return A >>> 0;
      default: return 0x80000000; // unreachable for accepted programs; fail closed (KILL_PROCESS)
    }
  }
}

/** Convenience: compile (cached) and run. */
export function runSeccompProgram(program: readonly Insn[], data: Uint32Array): number {
  return runProgram(compile(program), data);
}
