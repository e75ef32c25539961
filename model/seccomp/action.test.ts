import { describe, it, expect } from 'vitest';
import type { Outcome } from '../outcome.js';
import { step } from '../step.js';
import { nnpWorld, install, must, always, outcomeOfTask, verdictOfTask } from './fixtures.js';
import { actionOnly, actionKind, foldNewestFirst, retErrno, retTrap, SECCOMP_RET_ALLOW } from './action.js';
import { ERRNO } from '../errno.js';

/** The 11 values of p02, least permissive first, as the spec orders them. */
const ORDER = [0x80000000, 0x90000000, 0x00000000, 0x00030000, 0x00040000, 0x00050000, 0x10000000, 0x7fc00000, 0x7ff00000, 0x7ffc0000, 0x7fff0000];

/** What the winning value (with data d) does, per spec §3 (listener-less, 2 live threads). */
function expected(base: number, d: number): Outcome {
  switch (base) {
    case 0x00000000: return { kind: 'kill_thread' };
    case 0x00030000: return { kind: 'trap', data: d };
    case 0x00050000: return { kind: 'errno', errno: d, by: 'seccomp' };
    case 0x7fc00000: return { kind: 'errno', errno: ERRNO.ENOSYS, by: 'seccomp' };
    case 0x7ff00000: return { kind: 'errno', errno: ERRNO.ENOSYS, by: 'seccomp' };
    case 0x7ffc0000: return { kind: 'allow', logged: true };
    case 0x7fff0000: return { kind: 'allow' };
    default: return { kind: 'kill_process' }; // KILL_PROCESS and the unknown 0x90000000, 0x40000, 0x10000000
  }
}

/** Two threads, `older` then `newer` installed on the first; request getpid (39). */
function twoFilters(older: number, newer: number) {
  let w = must(step(nnpWorld(), { op: 'thread', task: 0 }));
  w = must(install(w, 0, always(older)));
  w = must(install(w, 0, always(newer)));
  return w;
}

describe('precedence (seccomp_run_filters)', () => {
  it('[V p02] all 121 ordered pairs of the 11 values: the least permissive wins, ties keep the newer filter', () => {
    let pairs = 0;
    for (let i = 0; i < ORDER.length; i++) {
      for (let j = 0; j < ORDER.length; j++) {
        const older = (ORDER[i]! | 17) >>> 0, newer = (ORDER[j]! | 34) >>> 0;
        const w = twoFilters(older, newer);
        const olderId = w.tasks.at(0)!.filter!.prev!.id, newerId = w.tasks.at(0)!.filter!.id;
        const olderWins = i < j;
        const win = olderWins ? ORDER[i]! : ORDER[j]!;
        const d = olderWins ? 17 : 34;
        const v = verdictOfTask(w, 0, 39)!;
        expect(outcomeOfTask(w, 0, 39), `older ${older.toString(16)} newer ${newer.toString(16)}`).toEqual(expected(win, d));
        if (win === SECCOMP_RET_ALLOW) {
          // Nothing beats the initial ALLOW: ret stays 0x7fff0000 and match stays NULL.
          expect(v).toEqual({ action: 'allow', ret: SECCOMP_RET_ALLOW, data: 0, layer: null });
        } else {
          expect(v.ret).toBe(olderWins ? older : newer);
          expect(v.layer).toBe(olderWins ? olderId : newerId);
        }
        pairs++;
      }
    }
    expect(pairs).toBe(121);
  });
  it('[V p02] unknown values compete by number and, winning, kill the process', () => {
    expect(outcomeOfTask(twoFilters(0x40000, retErrno(5)), 0, 39)).toEqual({ kind: 'kill_process' });
    expect(outcomeOfTask(twoFilters(0x10000000, retErrno(5)), 0, 39)).toEqual({ kind: 'errno', errno: 5, by: 'seccomp' });
    expect(verdictOfTask(twoFilters(0x10000000, 0x7fc00000), 0, 39)!.ret).toBe(0x10000000);
    expect(outcomeOfTask(twoFilters(0x90000000, 0), 0, 39)).toEqual({ kind: 'kill_process' });
    expect(actionKind(0x40000)).toBe('kill_process');
  });
  it('[V p02] tie data: the newest filter\'s full value', () => {
    expect(outcomeOfTask(twoFilters(retErrno(17), retErrno(34)), 0, 39)).toEqual({ kind: 'errno', errno: 34, by: 'seccomp' });
    expect(outcomeOfTask(twoFilters(retTrap(17), retTrap(34)), 0, 39)).toEqual({ kind: 'trap', data: 34 });
    expect(outcomeOfTask(twoFilters(retTrap(17), retErrno(34)), 0, 39)).toEqual({ kind: 'trap', data: 17 });
  });
  it('[V p10] ERRNO data 0 returns 0 without running; data above 4095 is capped', () => {
    const one = (v: number) => must(install(nnpWorld(), 0, always(v)));
    expect(outcomeOfTask(one(retErrno(0)), 0, 39)).toEqual({ kind: 'errno', errno: 0, by: 'seccomp' });
    expect(outcomeOfTask(one(retErrno(4095)), 0, 39)).toEqual({ kind: 'errno', errno: 4095, by: 'seccomp' });
    expect(outcomeOfTask(one(retErrno(4096)), 0, 39)).toEqual({ kind: 'errno', errno: 4095, by: 'seccomp' });
    expect(outcomeOfTask(one(retErrno(0xffff)), 0, 39)).toEqual({ kind: 'errno', errno: 4095, by: 'seccomp' });
  });
  it('0x7fff0000..0x7fffffff all mean ALLOW', () => {
    for (const v of [0x7fff0000, 0x7fff0001, 0x7fffabcd, 0x7fffffff]) {
      expect(outcomeOfTask(must(install(nnpWorld(), 0, always(v))), 0, 39)).toEqual({ kind: 'allow' });
    }
  });
  it('[V p02] KILL_THREAD kills only the thread while another lives, the process when it is the last', () => {
    expect(outcomeOfTask(twoFilters(0x7fff0000, 0), 0, 39)).toEqual({ kind: 'kill_thread' });
    expect(outcomeOfTask(must(install(nnpWorld(), 0, always(0))), 0, 39)).toEqual({ kind: 'kill_process' });
  });
  it('compares by signed upper 16 bits', () => {
    expect(actionOnly(0x80000000)).toBeLessThan(actionOnly(0x90000000));
    expect(actionOnly(0x90000000)).toBeLessThan(actionOnly(0));
    expect(foldNewestFirst([retErrno(34), retErrno(17)])).toEqual({ ret: retErrno(34), index: 0 });
    expect(foldNewestFirst([0x7fff1234])).toEqual({ ret: SECCOMP_RET_ALLOW, index: -1 });
  });
});
