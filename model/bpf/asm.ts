// Tiny assembler helpers so tests and generators can write seccomp programs readably, and a
// compiler from a structured policy to a valid program.
import { u64Hi, u64Lo, type U64 } from '../u64.js';
import type { Insn } from '../ops.js';
import {
  BPF_LD, BPF_LDX, BPF_ST, BPF_STX, BPF_ALU, BPF_JMP, BPF_RET, BPF_MISC, BPF_W, BPF_IMM, BPF_ABS,
  BPF_MEM, BPF_LEN, BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH, BPF_RSH, BPF_NEG,
  BPF_XOR, BPF_JA, BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_K, BPF_X, BPF_A, BPF_TAX, BPF_TXA,
  stmt, jump,
} from './insn.js';
import { BPF_MAXINSNS } from '../limits.js';
import { splitU64 } from '../seccomp/data.js';

/** Byte offsets in struct seccomp_data. */
export const OFF_NR = 0;
export const OFF_ARCH = 4;
export const OFF_IP = 8;
export const offArg = (i: number): number => 16 + 8 * i;

// Loads.
export const ld = (offset: number): Insn => stmt(BPF_LD | BPF_W | BPF_ABS, offset);
export const ldNr = (): Insn => ld(OFF_NR);
export const ldArch = (): Insn => ld(OFF_ARCH);
export const ldIpLo = (): Insn => ld(OFF_IP);
export const ldIpHi = (): Insn => ld(OFF_IP + 4);
/** Low (little-endian first) word of args[i]. */
export const ldArgLo = (i: number): Insn => ld(offArg(i));
export const ldArgHi = (i: number): Insn => ld(offArg(i) + 4);
export const ldLen = (): Insn => stmt(BPF_LD | BPF_W | BPF_LEN);
export const ldxLen = (): Insn => stmt(BPF_LDX | BPF_W | BPF_LEN);
export const ldImm = (k: number): Insn => stmt(BPF_LD | BPF_IMM, k);
export const ldxImm = (k: number): Insn => stmt(BPF_LDX | BPF_IMM, k);
export const ldMem = (i: number): Insn => stmt(BPF_LD | BPF_MEM, i);
export const ldxMem = (i: number): Insn => stmt(BPF_LDX | BPF_MEM, i);
export const st = (i: number): Insn => stmt(BPF_ST, i);
export const stx = (i: number): Insn => stmt(BPF_STX, i);
export const tax = (): Insn => stmt(BPF_MISC | BPF_TAX);
export const txa = (): Insn => stmt(BPF_MISC | BPF_TXA);

// ALU (A op= K, or A op= X with the X variants).
export const add = (k: number): Insn => stmt(BPF_ALU | BPF_ADD | BPF_K, k);
export const addX = (): Insn => stmt(BPF_ALU | BPF_ADD | BPF_X);
export const sub = (k: number): Insn => stmt(BPF_ALU | BPF_SUB | BPF_K, k);
export const subX = (): Insn => stmt(BPF_ALU | BPF_SUB | BPF_X);
export const mul = (k: number): Insn => stmt(BPF_ALU | BPF_MUL | BPF_K, k);
export const mulX = (): Insn => stmt(BPF_ALU | BPF_MUL | BPF_X);
export const div = (k: number): Insn => stmt(BPF_ALU | BPF_DIV | BPF_K, k);
export const divX = (): Insn => stmt(BPF_ALU | BPF_DIV | BPF_X);
export const and = (k: number): Insn => stmt(BPF_ALU | BPF_AND | BPF_K, k);
export const andX = (): Insn => stmt(BPF_ALU | BPF_AND | BPF_X);
export const or = (k: number): Insn => stmt(BPF_ALU | BPF_OR | BPF_K, k);
export const orX = (): Insn => stmt(BPF_ALU | BPF_OR | BPF_X);
export const xor = (k: number): Insn => stmt(BPF_ALU | BPF_XOR | BPF_K, k);
export const xorX = (): Insn => stmt(BPF_ALU | BPF_XOR | BPF_X);
export const lsh = (k: number): Insn => stmt(BPF_ALU | BPF_LSH | BPF_K, k);
export const lshX = (): Insn => stmt(BPF_ALU | BPF_LSH | BPF_X);
export const rsh = (k: number): Insn => stmt(BPF_ALU | BPF_RSH | BPF_K, k);
export const rshX = (): Insn => stmt(BPF_ALU | BPF_RSH | BPF_X);
export const neg = (): Insn => stmt(BPF_ALU | BPF_NEG);

// Jumps: offsets are relative to the next instruction.
export const ja = (k: number): Insn => stmt(BPF_JMP | BPF_JA, k);
export const jeq = (k: number, jt: number, jf: number): Insn => jump(BPF_JMP | BPF_JEQ | BPF_K, k, jt, jf);
export const jgt = (k: number, jt: number, jf: number): Insn => jump(BPF_JMP | BPF_JGT | BPF_K, k, jt, jf);
export const jge = (k: number, jt: number, jf: number): Insn => jump(BPF_JMP | BPF_JGE | BPF_K, k, jt, jf);
export const jset = (k: number, jt: number, jf: number): Insn => jump(BPF_JMP | BPF_JSET | BPF_K, k, jt, jf);
export const jeqX = (jt: number, jf: number): Insn => jump(BPF_JMP | BPF_JEQ | BPF_X, 0, jt, jf);
export const jgtX = (jt: number, jf: number): Insn => jump(BPF_JMP | BPF_JGT | BPF_X, 0, jt, jf);
export const jgeX = (jt: number, jf: number): Insn => jump(BPF_JMP | BPF_JGE | BPF_X, 0, jt, jf);
export const jsetX = (jt: number, jf: number): Insn => jump(BPF_JMP | BPF_JSET | BPF_X, 0, jt, jf);

// Returns.
export const ret = (k: number): Insn => stmt(BPF_RET | BPF_K, k);
export const retA = (): Insn => stmt(BPF_RET | BPF_A);

/** A structured policy: first matching rule decides, else `default`. Actions are u32 RET values. */
export interface PolicyRule {
  readonly nr: number;
  /** AUDIT_ARCH_* value the rule is restricted to; any arch if absent. */
  readonly arch?: number;
  /** Match only if args[i] equals v (a safe integer, compared as a u64). */
  readonly argEq?: readonly [number, U64];
  readonly action: number;
}
export interface Policy {
  readonly default: number;
  readonly rules: readonly PolicyRule[];
}

/**
 * Compile a policy to a program: one block per rule, each failed test jumping to the next
 * block, then `ret default`. Throws RangeError if the result exceeds BPF_MAXINSNS.
 */
export function compilePolicy(policy: Policy): Insn[] {
  const out: Insn[] = [];
  for (const rule of policy.rules) {
    const tests: [Insn, number][] = []; // (load, value) pairs to compare
    if (rule.arch !== undefined) tests.push([ldArch(), rule.arch >>> 0]);
    tests.push([ldNr(), rule.nr >>> 0]);
    if (rule.argEq) {
      const [i, v] = rule.argEq;
      const [lo, hi] = typeof v === 'number' ? splitU64(v) : [u64Lo(v), u64Hi(v)];
      tests.push([ldArgLo(i), lo], [ldArgHi(i), hi]);
    }
    // Block: for each test "ld; jeq v, 0, <to next block>"; then "ret action".
    const blockLen = tests.length * 2 + 1;
    tests.forEach(([load, v], j) => {
      const pcOfJeq = j * 2 + 1;
      out.push(load, jeq(v, 0, blockLen - pcOfJeq - 1));
    });
    out.push(ret(rule.action));
  }
  out.push(ret(policy.default));
  if (out.length > BPF_MAXINSNS) throw new RangeError(`policy compiles to ${out.length} instructions (> ${BPF_MAXINSNS})`);
  return out;
}
