import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Insn } from '../ops.js';
import { checkSeccompProgram } from './check.js';
import { stmt, jump } from './insn.js';
import { ld, ldNr, ldImm, ldMem, st, stx, ldxMem, jeq, ja, jset, ret, retA, div, divX, lsh, rsh, ldLen, ldxLen, xor } from './asm.js';
import { validProgram } from './arb.js';
import { ERRNO } from '../errno.js';

const ALLOW = 0x7fff0000;
const ok = (p: unknown): boolean => checkSeccompProgram(p).ok;
const einval = (p: unknown): void => {
  const r = checkSeccompProgram(p);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.errno).toBe(ERRNO.EINVAL);
};

/** seccomp_check_filter's explicit list (kernel/seccomp.c), as raw opcodes. */
const SECCOMP_ALLOWED = [
  0x20 /* LD W ABS */, 0x80 /* LD W LEN */, 0x81 /* LDX W LEN */, 0x06 /* RET K */, 0x16 /* RET A */,
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x54, 0x5c, 0x44, 0x4c, 0xa4, 0xac, 0x64, 0x6c, 0x74, 0x7c, 0x84,
  0x00 /* LD IMM */, 0x01 /* LDX IMM */, 0x07 /* TAX */, 0x87 /* TXA */,
  0x60 /* LD MEM */, 0x61 /* LDX MEM */, 0x02 /* ST */, 0x03 /* STX */,
  0x05 /* JA */, 0x15, 0x1d, 0x35, 0x3d, 0x25, 0x2d, 0x45, 0x4d,
];

describe('seccomp program validation (bpf_check_classic + seccomp_check_filter)', () => {
  it('[V p06] rejects LD ABS offset 64 and offset 2 with EINVAL', () => {
    einval([ld(64), ret(ALLOW)]);
    einval([ld(2), ret(ALLOW)]);
    expect(ok([ld(60), ret(ALLOW)])).toBe(true);
  });
  it('[V p06] rejects LD H and LD B ABS', () => {
    einval([stmt(0x28, 0), ret(ALLOW)]);
    einval([stmt(0x30, 0), ret(ALLOW)]);
  });
  it('[V p06] rejects a program without a final RET', () => {
    einval([ret(ALLOW), ldNr()]);
    einval([ldNr()]);
  });
  it('[V p06] rejects jumps past the end (conditional and JA)', () => {
    einval([ldNr(), jeq(0, 2, 0), ret(ALLOW)]);
    einval([ldNr(), jeq(0, 0, 2), ret(ALLOW)]);
    einval([ja(1), ret(ALLOW)]);
    expect(ok([ja(0), ret(ALLOW)])).toBe(true);
    expect(ok([ldNr(), jeq(0, 1, 0), ret(ALLOW), ret(0)])).toBe(true);
  });
  it('[V p06] rejects MOD (K and X)', () => {
    einval([ldNr(), stmt(0x94, 3), ret(ALLOW)]);
    einval([ldNr(), stmt(0x9c, 0), ret(ALLOW)]);
  });
  it('[V p03] length 4096 is accepted, 4097 and 0 are rejected', () => {
    expect(ok(Array.from({ length: 4096 }, () => ret(ALLOW)))).toBe(true);
    einval(Array.from({ length: 4097 }, () => ret(ALLOW)));
    einval([]);
  });
  it('rejects division by constant zero but not by X', () => {
    einval([ldNr(), div(0), ret(ALLOW)]);
    expect(ok([ldNr(), div(3), ret(ALLOW)])).toBe(true);
    expect(ok([ldNr(), divX(), ret(ALLOW)])).toBe(true);
  });
  it('rejects constant shifts of 32 or more', () => {
    einval([ldNr(), lsh(32), ret(ALLOW)]);
    einval([ldNr(), rsh(40), ret(ALLOW)]);
    expect(ok([ldNr(), lsh(31), rsh(31), ret(ALLOW)])).toBe(true);
  });
  it('rejects scratch words out of range', () => {
    einval([ldNr(), st(16), ret(ALLOW)]);
    einval([ldNr(), stx(99), ret(ALLOW)]);
  });
  it('rejects reads of scratch words not written on every path (check_load_and_stores)', () => {
    einval([ldMem(0), ret(ALLOW)]);
    einval([st(1), ldxMem(0), ret(ALLOW)]);
    // written on one branch only
    einval([ldNr(), jeq(1, 0, 1), st(0), ldMem(0), ret(ALLOW)]);
    // written on both branches
    expect(ok([ldNr(), jeq(1, 0, 2), st(0), ja(1), st(0), ldMem(0), retA()])).toBe(true);
    expect(ok([st(3), ldNr(), jset(1, 0, 1), ldMem(3), retA()])).toBe(true);
  });
  it('accepts a read of an unwritten word in code no jump reaches (memvalid resets after a jump)', () => {
    // check_load_and_stores sets memvalid = ~0 after every jump; pc 2 is only a fall-through.
    expect(ok([ldNr(), jeq(0, 1, 1), ldMem(5), ret(ALLOW)])).toBe(true);
    expect(ok([ja(1), ldMem(5), ret(ALLOW)])).toBe(true);
  });
  it('accepts LD/LDX LEN, XOR and RET A', () => {
    expect(ok([ldLen(), ldxLen(), xor(1), retA()])).toBe(true);
  });
  it('rejects LD IND, LDX MSH, unknown opcodes and unknown ancillary loads', () => {
    einval([stmt(0x40, 0), ret(ALLOW)]);
    einval([stmt(0xb1, 0), ret(ALLOW)]);
    einval([stmt(0xffff, 0), ret(ALLOW)]);
    einval([ld(0xfffff000), ret(ALLOW)]); // SKF_AD_PROTOCOL: classic-valid, not seccomp
    einval([ld(0xfffff100), ret(ALLOW)]);
  });
  it('rejects malformed input without throwing', () => {
    einval('nope');
    einval([[1, 2, 3]]);
    einval([[6, 0, 0, 1.5]]);
    einval([null]);
  });
  it('accepts exactly seccomp_check_filter\'s opcode list (all 65536 codes)', () => {
    const allowed = new Set(SECCOMP_ALLOWED);
    expect(allowed.size).toBe(41);
    for (let code = 0; code <= 0xffff; code++) {
      const k = code === 0x34 ? 1 : 0; // DIV K needs a non-zero constant
      const prog: Insn[] = [st(0), jump(code, k, 0, 0), ret(ALLOW)];
      expect(ok(prog), `code 0x${code.toString(16)}`).toBe(allowed.has(code));
    }
  });
  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.anything(), (x) => {
      const r = checkSeccompProgram(x);
      return r.ok || r.errno === ERRNO.EINVAL;
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: -5, max: 0x1ffff }), fc.integer({ min: -1, max: 300 }), fc.integer({ min: -1, max: 300 }), fc.integer())), (p) => {
      const r = checkSeccompProgram(p);
      return r.ok || r.errno === ERRNO.EINVAL;
    }), { numRuns: 500 });
  });
  it('agrees with the generator of known-valid programs', () => {
    fc.assert(fc.property(validProgram(), (p) => {
      const r = checkSeccompProgram(p);
      if (!r.ok) throw new Error(r.reason);
      return true;
    }), { numRuns: 1000 });
  });
  it('rejects random invalid programs (valid programs with one breaking mutation) with EINVAL', () => {
    const mutations: ((p: Insn[], pc: number) => Insn[])[] = [
      (p) => [...p.slice(0, -1), ldImm(1)], // no RET at the end
      (p, pc) => p.map((x, i) => (i === pc ? stmt(0x94, 7) : x)), // MOD K
      (p, pc) => p.map((x, i) => (i === pc ? ld(2 + 4 * (pc % 15)) : x)), // unaligned
      (p, pc) => p.map((x, i) => (i === pc ? ld(64 + 4 * pc) : x)), // out of seccomp_data
      (p, pc) => p.map((x, i) => (i === pc ? stmt(0x28, 0) : x)), // LD H ABS
      (p, pc) => p.map((x, i) => (i === pc ? jeq(0, p.length - pc - 1, 0) : x)), // past the end
      (p, pc) => p.map((x, i) => (i === pc ? ja(p.length - pc - 1) : x)),
      (p, pc) => p.map((x, i) => (i === pc ? div(0) : x)),
      (p, pc) => p.map((x, i) => (i === pc ? lsh(32 + (pc % 100)) : x)),
      (p, pc) => p.map((x, i) => (i === pc ? st(16 + pc) : x)),
      (p) => [...p, ...Array.from({ length: 4097 - p.length }, () => ret(ALLOW))],
      (p, pc) => [ldMem(pc % 16), ...p], // read before any write
    ];
    fc.assert(fc.property(validProgram(), fc.nat(), fc.integer({ min: 0, max: mutations.length - 1 }), (p, at, m) => {
      const pc = at % (m === 0 ? p.length : Math.max(1, p.length - 1));
      const bad = mutations[m]!(p, pc);
      const r = checkSeccompProgram(bad);
      expect(r.ok).toBe(false);
      return !r.ok && r.errno === ERRNO.EINVAL;
    }), { numRuns: 2000 });
  });
});
