import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Insn } from '../ops.js';
import { runSeccompProgram } from './interp.js';
import {
  ld, ldNr, ldArch, ldArgLo, ldArgHi, ldImm, ldxImm, ldLen, ldxLen, ldMem, st, stx, tax, txa, add, addX, sub, mul, mulX,
  div, divX, and, or, xor, lsh, lshX, rsh, rshX, neg, ja, jeq, jgt, jge, jset, jgtX, jeqX, ret, retA,
} from './asm.js';
import { validProgram, arbData } from './arb.js';
import { seccompData, splitU64 } from '../seccomp/data.js';
import { syscall, AUDIT_ARCH_X86_64 } from '../request.js';

const d = (words: Record<number, number> = {}): Uint32Array => {
  const a = new Uint32Array(16);
  for (const [i, v] of Object.entries(words)) a[Number(i)] = v;
  return a;
};
const run = (p: Insn[], data = d()): number => runSeccompProgram(p, data);

/** A plain reference machine over raw instructions (classic semantics as converted to eBPF). */
function reference(p: readonly Insn[], data: Uint32Array): { ret: number; steps: number } {
  let A = 0, X = 0, pc = 0, steps = 0;
  const M: number[] = new Array(16).fill(0);
  while (pc < p.length) {
    const [code, jt, jf, k] = p[pc]!;
    steps++;
    const cls = code & 7, op = code & 0xf0, srcX = (code & 8) !== 0;
    const v = srcX ? X : k;
    if (cls === 6) return { ret: ((code & 0x18) === 0x10 ? A : k) >>> 0, steps };
    if (cls === 0 || cls === 1) {
      const mode = code & 0xe0;
      const val = mode === 0x20 ? data[k / 4]! : mode === 0x80 ? 64 : mode === 0x60 ? M[k]! : k;
      if (cls === 0) A = val >>> 0; else X = val >>> 0;
    } else if (cls === 2) M[k] = A;
    else if (cls === 3) M[k] = X;
    else if (cls === 7) { if (code & 0x80) A = X; else X = A; }
    else if (cls === 4) {
      const a = BigInt(A), b = BigInt(v >>> 0);
      let r: bigint;
      switch (op) {
        case 0x00: r = a + b; break;
        case 0x10: r = a - b; break;
        case 0x20: r = a * b; break;
        case 0x30: if (b === 0n) return { ret: 0, steps }; r = a / b; break;
        case 0x40: r = a | b; break;
        case 0x50: r = a & b; break;
        case 0x60: r = a << (b & 31n); break;
        case 0x70: r = a >> (b & 31n); break;
        case 0x80: r = -a; break;
        case 0xa0: r = a ^ b; break;
        default: throw new Error('bad alu');
      }
      A = Number(BigInt.asUintN(32, r));
    } else if (cls === 5) {
      if (op === 0) { pc += 1 + k; continue; }
      const b = v >>> 0;
      const t = op === 0x10 ? A === b : op === 0x20 ? A > b : op === 0x30 ? A >= b : (A & b) !== 0;
      pc += 1 + (t ? jt : jf);
      continue;
    }
    pc++;
  }
  throw new Error('ran off the end without RET');
}

describe('classic BPF interpreter', () => {
  it('loads seccomp_data words (nr, arch, args lo/hi, LEN = 64)', () => {
    const data = seccompData(syscall(257, [0, 2 ** 40 + 7]));
    expect(run([ldNr(), retA()], data)).toBe(257);
    expect(run([ldArch(), retA()], data)).toBe(AUDIT_ARCH_X86_64);
    expect(run([ldArgLo(1), retA()], data)).toBe(7);
    expect(run([ldArgHi(1), retA()], data)).toBe(256);
    expect(run([ldLen(), retA()])).toBe(64);
    expect(run([ldxLen(), txa(), retA()])).toBe(64);
  });
  it('splits negative and large u64 values in two\'s complement', () => {
    expect(splitU64(-1)).toEqual([0xffffffff, 0xffffffff]);
    expect(splitU64(2 ** 32)).toEqual([0, 1]);
    const data = seccompData(syscall(-1 as number));
    expect(data[0]).toBe(0xffffffff);
  });
  it('does 32-bit wrapping ALU', () => {
    expect(run([ldImm(0xffffffff), add(2), retA()])).toBe(1);
    expect(run([ldImm(0), sub(1), retA()])).toBe(0xffffffff);
    expect(run([ldImm(0x10000), mul(0x10000), retA()])).toBe(0);
    expect(run([ldImm(0xffffffff), div(2), retA()])).toBe(0x7fffffff);
    expect(run([ldImm(5), neg(), retA()])).toBe(0xfffffffb);
    expect(run([ldImm(0xf0), and(0x3c), or(1), xor(0xff), retA()])).toBe(0xce);
    expect(run([ldImm(1), lsh(31), rsh(31), retA()])).toBe(1);
    expect(run([ldImm(0x80000000), rsh(4), retA()])).toBe(0x08000000);
  });
  it('masks shifts by X to 5 bits (ALU32 LSH/RSH X)', () => {
    expect(run([ldxImm(33), ldImm(1), lshX(), retA()])).toBe(2);
    expect(run([ldxImm(36), ldImm(0x100), rshX(), retA()])).toBe(0x10);
  });
  it('returns 0 from the program on division by X == 0', () => {
    expect(run([ldImm(10), ldxImm(0), divX(), ret(0x7fff0000)])).toBe(0);
    expect(run([ldImm(10), ldxImm(3), divX(), retA()])).toBe(3);
    expect(run([ldImm(7), ldxImm(6), mulX(), addX(), retA()])).toBe(48);
  });
  it('compares unsigned, including constants ≥ 2^31', () => {
    expect(run([ldImm(0x90000000), jgt(0x80000000, 0, 1), ret(1), ret(2)])).toBe(1);
    expect(run([ldImm(1), jgt(0x80000000, 0, 1), ret(1), ret(2)])).toBe(2);
    expect(run([ldImm(0x80000000), jge(0x80000000, 0, 1), ret(1), ret(2)])).toBe(1);
    expect(run([ldImm(0xffffffff), jeq(0xffffffff, 0, 1), ret(1), ret(2)])).toBe(1);
    expect(run([ldImm(6), jset(4, 0, 1), ret(1), ret(2)])).toBe(1);
    expect(run([ldImm(0xffffffff), ldxImm(1), jgtX(0, 1), ret(1), ret(2)])).toBe(1);
    expect(run([ldImm(5), tax(), jeqX(0, 1), ret(1), ret(2)])).toBe(1);
    expect(run([ja(1), ret(1), ret(2)])).toBe(2);
  });
  it('uses scratch memory', () => {
    expect(run([ldImm(9), st(3), ldxImm(4), stx(4), ldImm(0), ldMem(3), retA()])).toBe(9);
    expect(run([ld(0), ret(0xffffffff)])).toBe(0xffffffff);
  });
  it('random valid programs never throw and always end in a RET (equal to a reference machine)', () => {
    fc.assert(fc.property(validProgram(), arbData, (p, data) => {
      const want = reference(p, data); // throws if it ran off the end
      expect(run(p, data)).toBe(want.ret);
    }), { numRuns: 3000 });
  });
});
