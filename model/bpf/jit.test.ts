import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compile, runProgram } from './interp.js';
import { jit, run, JIT_THRESHOLD, JIT_MAX_INSNS } from './jit.js';
import { validProgram, arbData } from './arb.js';
import { ldNr, jeq, jgt, jge, jset, ret, retA, ldxImm, divX } from './asm.js';

const MEM = new Int32Array(16);

describe('JIT (the kernel JITs every filter; ours must equal the interpreter)', () => {
  it('JIT-compiled programs return exactly what the interpreter returns', () => {
    fc.assert(
      fc.property(validProgram(60), fc.array(arbData, { minLength: 1, maxLength: 8 }), (prog, datas) => {
        const cp = compile(prog);
        const fn = jit(cp);
        for (const d of datas) expect(fn(d, MEM)).toBe(runProgram(cp, d));
      }),
      { numRuns: 400, seed: 20261128 },
    );
  });
  it('unsigned compares and DIV by X == 0 behave as in the converted eBPF program', () => {
    const d = new Uint32Array(16);
    d[0] = 0xfffffff0;
    const big = compile([ldNr(), jgt(0x7fffffff, 0, 1), ret(1), ret(2)]);
    expect(jit(big)(d, MEM)).toBe(1);
    const ge = compile([ldNr(), jge(0xfffffff0, 0, 1), ret(1), ret(2)]);
    expect(jit(ge)(d, MEM)).toBe(1);
    const set = compile([ldNr(), jset(0x80000000, 0, 1), ret(1), ret(2)]);
    expect(jit(set)(d, MEM)).toBe(1);
    const div0 = compile([ldxImm(0), ldNr(), divX(), retA()]);
    expect(jit(div0)(d, MEM)).toBe(0);
    const eq = compile([ldNr(), jeq(0xfffffff0, 0, 1), ret(7), ret(8)]);
    expect(jit(eq)(d, MEM)).toBe(7);
  });
  it('tiers up: the first runs are interpreted, later ones JIT-compiled, results unchanged', () => {
    const cp = compile([ldNr(), jeq(39, 0, 1), ret(0x50001), ret(0x7fff0000)]);
    const d = new Uint32Array(16);
    const seen = new Set<number>();
    for (let i = 0; i < JIT_THRESHOLD * 2; i++) {
      d[0] = i % 2 ? 39 : 40;
      seen.add(run(cp, d));
    }
    expect([...seen].sort()).toEqual([0x50001, 0x7fff0000].sort());
  });

  it('a program longer than JIT_MAX_INSNS stays interpreted, with the same results', () => {
    const body = [ldNr(), jeq(39, 0, 1), ret(0x50001), ret(0x7fff0000)];
    const long = [...body];
    while (long.length <= JIT_MAX_INSNS) long.push(ret(0x7fff0000));
    const cp = compile(long);
    const d = new Uint32Array(16);
    for (let i = 0; i < JIT_THRESHOLD * 2; i++) {
      d[0] = i % 2 ? 39 : 40;
      expect(run(cp, d)).toBe(i % 2 ? 0x50001 : 0x7fff0000);
    }
  });
});
