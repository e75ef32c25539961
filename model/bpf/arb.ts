// fast-check arbitraries for seccomp programs (test and generator support; not used by the
// model's transitions). `validProgram` yields only programs seccomp accepts, by construction.
import fc from 'fast-check';
import type { Insn } from '../ops.js';
import {
  BPF_LD, BPF_LDX, BPF_ALU, BPF_JMP, BPF_RET, BPF_MISC, BPF_W, BPF_IMM, BPF_ABS, BPF_MEM, BPF_LEN,
  BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH, BPF_RSH, BPF_NEG, BPF_XOR,
  BPF_JA, BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_K, BPF_X, BPF_A, BPF_ST, BPF_STX, BPF_TAX, BPF_TXA,
} from './insn.js';
import { KNOWN_ACTIONS } from '../seccomp/action.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** Interesting 32-bit values: small, action values with data, high-bit values. */
export const arbK: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 70 }),
  fc.constantFrom(...KNOWN_ACTIONS, 0x40000, 0x10000000, 0x90000000, 0xffffffff, 0x80000000, 0x7fffffff),
  u32,
);
/** A filter return value: a known action with data, or anything. */
export const arbRet: fc.Arbitrary<number> = fc.oneof(
  fc.tuple(fc.constantFrom(...KNOWN_ACTIONS), fc.integer({ min: 0, max: 0xffff })).map(([a, d]) => (a | d) >>> 0),
  u32,
);

type Slot = (pc: number, len: number, stored: readonly number[]) => fc.Arbitrary<Insn>;

const ALU_K = [BPF_ADD, BPF_SUB, BPF_MUL, BPF_OR, BPF_AND, BPF_XOR];
const ALU_X = [BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_XOR, BPF_LSH, BPF_RSH];
const JMPS = [BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET];

const straight: Slot = (_pc, _len, stored) => fc.oneof(
  fc.integer({ min: 0, max: 15 }).map((w): Insn => [BPF_LD | BPF_W | BPF_ABS, 0, 0, w * 4]),
  arbK.map((k): Insn => [BPF_LD | BPF_IMM, 0, 0, k]),
  arbK.map((k): Insn => [BPF_LDX | BPF_IMM, 0, 0, k]),
  fc.constant<Insn>([BPF_LD | BPF_W | BPF_LEN, 0, 0, 0]),
  fc.constant<Insn>([BPF_LDX | BPF_W | BPF_LEN, 0, 0, 0]),
  fc.tuple(fc.constantFrom(...ALU_K), arbK).map(([op, k]): Insn => [BPF_ALU | op | BPF_K, 0, 0, k]),
  fc.constantFrom(...ALU_X).map((op): Insn => [BPF_ALU | op | BPF_X, 0, 0, 0]),
  fc.integer({ min: 1, max: 0xffffffff }).map((k): Insn => [BPF_ALU | BPF_DIV | BPF_K, 0, 0, k]),
  fc.tuple(fc.constantFrom(BPF_LSH, BPF_RSH), fc.integer({ min: 0, max: 31 })).map(([op, k]): Insn => [BPF_ALU | op | BPF_K, 0, 0, k]),
  fc.constant<Insn>([BPF_ALU | BPF_NEG, 0, 0, 0]),
  fc.constant<Insn>([BPF_MISC | BPF_TAX, 0, 0, 0]),
  fc.constant<Insn>([BPF_MISC | BPF_TXA, 0, 0, 0]),
  ...(stored.length > 0
    ? [fc.tuple(fc.constantFrom(BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM), fc.constantFrom(...stored)).map(([c, w]): Insn => [c, 0, 0, w])]
    : []),
  fc.tuple(fc.constantFrom(BPF_ST, BPF_STX), fc.integer({ min: 0, max: 15 })).map(([c, w]): Insn => [c, 0, 0, w]),
);

const jumpy: Slot = (pc, len) => {
  const room = Math.min(255, len - pc - 2); // targets stay at or before the last insn
  return fc.oneof(
    fc.tuple(fc.constantFrom(...JMPS), fc.constantFrom(BPF_K, BPF_X), arbK, fc.integer({ min: 0, max: room }), fc.integer({ min: 0, max: room }))
      .map(([op, src, k, jt, jf]): Insn => [BPF_JMP | op | src, jt, jf, k]),
    fc.integer({ min: 0, max: len - pc - 2 }).map((k): Insn => [BPF_JMP | BPF_JA, 0, 0, k]),
  );
};

const retSlot: fc.Arbitrary<Insn> = fc.oneof(
  arbRet.map((k): Insn => [BPF_RET | BPF_K, 0, 0, k]),
  fc.constant<Insn>([BPF_RET | BPF_A, 0, 0, 0]),
);

/**
 * A program seccomp accepts: a prologue storing some scratch words (it dominates every later
 * read), then straight-line, jump and RET instructions, ending in RET.
 */
export function validProgram(maxLen = 40): fc.Arbitrary<Insn[]> {
  return fc
    .tuple(fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 3 }), fc.integer({ min: 1, max: maxLen }))
    .chain(([stored, bodyLen]) => {
      const prologue: Insn[] = stored.map((w): Insn => [BPF_ST, 0, 0, w]);
      const len = prologue.length + bodyLen;
      const slots: fc.Arbitrary<Insn>[] = [];
      for (let pc = prologue.length; pc < len - 1; pc++) {
        slots.push(fc.oneof({ weight: 5, arbitrary: straight(pc, len, stored) }, { weight: 3, arbitrary: jumpy(pc, len, stored) }, { weight: 1, arbitrary: retSlot }));
      }
      slots.push(retSlot);
      return fc.tuple(...slots).map((body) => [...prologue, ...body]);
    });
}

/** seccomp_data words with interesting nr/arch values. */
export const arbData: fc.Arbitrary<Uint32Array> = fc
  .tuple(fc.oneof(fc.integer({ min: 0, max: 400 }), u32), fc.constantFrom(0xc000003e, 0x40000003, 0), fc.array(u32, { minLength: 14, maxLength: 14 }))
  .map(([nr, arch, rest]) => Uint32Array.from([nr, arch, ...rest]));


