import { describe, it, expect } from 'vitest';
import { ebpfLength, ebpfCost } from './ebpf.js';
import { jump } from './insn.js';
import { ldNr, jeq, jgt, jge, jset, jeqX, ja, ret, retA, divX, div, add, st, ldMem, tax, txa, ldLen } from './asm.js';

const ALLOW = 0x7fff0000;

describe('converted eBPF length (bpf_convert_filter first pass)', () => {
  it('[V p03] matches the measured shapes (spec §4 table)', () => {
    expect(ebpfLength([ret(ALLOW)])).toBe(5);
    expect(ebpfLength([ldNr(), jeq(0, 0, 1), ret(ALLOW), ret(ALLOW)])).toBe(9);
    expect(ebpfLength([ldNr(), jset(1, 0, 1), ret(ALLOW), ret(ALLOW)])).toBe(10);
    expect(ebpfLength([ldNr(), jeq(0x80000000, 0, 1), ret(ALLOW), ret(ALLOW)])).toBe(10);
    expect(ebpfLength([ldNr(), jeq(0, 1, 2), ret(ALLOW), ret(ALLOW), ret(ALLOW)])).toBe(12);
    for (const L of [1, 2, 1000, 4096]) expect(ebpfLength(Array.from({ length: L }, () => ret(ALLOW)))).toBe(2 * L + 3);
  });
  it('costs each instruction as the converter emits it', () => {
    expect(ebpfCost(ret(0))).toBe(2);
    expect(ebpfCost(retA())).toBe(1);
    expect(ebpfCost(divX())).toBe(5);
    expect(ebpfCost(div(3))).toBe(1);
    for (const i of [ldNr(), add(1), st(0), ldMem(0), tax(), txa(), ldLen(), ja(3)]) expect(ebpfCost(i)).toBe(1);
    expect(ebpfCost(jeq(1, 3, 0))).toBe(1); // jf == 0
    expect(ebpfCost(jeq(1, 0, 3))).toBe(1); // inverted to JNE
    expect(ebpfCost(jgt(1, 0, 3))).toBe(1); // JLE
    expect(ebpfCost(jge(1, 0, 3))).toBe(1); // JLT
    expect(ebpfCost(jset(1, 0, 3))).toBe(2); // no inverse: Jxx + JA
    expect(ebpfCost(jeq(1, 2, 3))).toBe(2);
    expect(ebpfCost(jeq(0x80000000, 2, 3))).toBe(3); // + MOV32 TMP, K
    expect(ebpfCost(jeq(0xffffffff, 0, 3))).toBe(2);
    expect(ebpfCost(jeqX(2, 3))).toBe(2);
    expect(ebpfCost(jump(0x1d, 0x80000000, 2, 3))).toBe(2); // the K field of an X jump is not looked at
  });
});
