import { describe, it, expect } from 'vitest';
import type { Insn } from '../ops.js';
import type { World } from '../state.js';
import { ERRNO } from '../errno.js';
import { MAX_INSNS_PER_PATH } from '../limits.js';
import { ldNr, jeq, jset, ret } from '../bpf/asm.js';
import { ebpfLength } from '../bpf/ebpf.js';
import { nnpWorld, install } from './fixtures.js';

const A = 0x7fff0000;

/** Install `prog` repeatedly on an empty chain until the first failure. */
function fill(prog: readonly Insn[]): { fit: number; last: World; failure: unknown; same: boolean } {
  let w = nnpWorld();
  let fit = 0;
  for (;;) {
    const out = install(w, 0, prog);
    if (out.result.kind !== 'ok') return { fit, last: w, failure: out.result, same: out.world === w };
    w = out.world;
    fit++;
  }
}

describe('path length (seccomp_attach_filter, MAX_INSNS_PER_PATH over converted lengths)', () => {
  const cases: [string, Insn[], number][] = [
    ['1-insn RET', [ret(A)], 3641],
    ['ld nr; jeq(0,1); ret; ret', [ldNr(), jeq(0, 0, 1), ret(A), ret(A)], 2520],
    ['the same with JSET', [ldNr(), jset(1, 0, 1), ret(A), ret(A)], 2340],
    ['the same with K ≥ 2^31', [ldNr(), jeq(0x80000000, 0, 1), ret(A), ret(A)], 2340],
    ['two-target jump (5 insns)', [ldNr(), jeq(0, 1, 2), ret(A), ret(A), ret(A)], 2048],
    ['all-RET L=2', Array.from({ length: 2 }, () => ret(A)), 2979],
    ['all-RET L=1000', Array.from({ length: 1000 }, () => ret(A)), 16],
    ['all-RET L=4096', Array.from({ length: 4096 }, () => ret(A)), 3],
  ];
  for (const [name, prog, n] of cases) {
    it(`[V p03] ${name}: ${n} fit, then ENOMEM with nothing changed`, () => {
      const r = fill(prog);
      expect(r.fit).toBe(n);
      expect(r.failure).toEqual({ kind: 'err', errno: ERRNO.ENOMEM });
      expect(r.same).toBe(true);
      expect(r.last.tasks.at(0)!.filterCount).toBe(n);
      // The count is the largest k with E + (k - 1)(E + 4) ≤ 32768 (k - 1 filters already there).
      const E = ebpfLength(prog);
      expect(E + (n - 1) * (E + 4)).toBeLessThanOrEqual(MAX_INSNS_PER_PATH);
      expect(E + n * (E + 4)).toBeGreaterThan(MAX_INSNS_PER_PATH);
    });
  }
});
