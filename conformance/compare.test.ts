// Reading kernel results in the model's terms (compare.ts), without a kernel.
import { describe, expect, test } from 'vitest';
import type { OpResult } from '../model/result.js';
import type { Outcome } from '../model/outcome.js';
import { syscall } from '../model/request.js';
import { compareOutcome, compareResult, compareTraces } from './compare.js';
import { probe, sys } from './fixtures.js';

const kind = (v: { verdict: string }): string => v.verdict;

describe('compareOutcome', () => {
  test('allow: any return, or the request\'s natural failure', () => {
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'returned', ret: 1234 }))).toBe('same');
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'errno', errno: 111 }, { kind: 'net', op: 'connect', port: 1 }))).toBe('same');
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'errno', errno: 8 }, { kind: 'fs', access: 'execute', path: '/a/f' }))).toBe('same');
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'errno', errno: 13 }, { kind: 'fs', access: 'read_file', path: '/a/f' }))).toBe('different');
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'errno', errno: 111 }, syscall(42)))).toBe('different');
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'errno', errno: 14 }, syscall(63)))).toBe('same');
  });

  test('uprobe and uretprobe outside a trampoline: ENXIO and SIGILL are how the allowed calls end by themselves', () => {
    // (issue 13 item 5: the executor's test 22 shows both on this kernel; seccomp lets them through)
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'errno', errno: 6 }, syscall(336)))).toBe('same');
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'errno', errno: 6 }, syscall(39)))).toBe('different');
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'kill_process', signal: 'SIGILL', alone: true }, syscall(335)))).toBe('same');
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'kill_process', signal: 'SIGSYS', alone: true }, syscall(335)))).toBe('different');
    expect(kind(compareOutcome({ kind: 'allow' }, { kind: 'kill_process', signal: 'SIGILL', alone: true }, syscall(39)))).toBe('different');
    // a filter's ERRNO on uprobe is not the natural failure
    expect(kind(compareOutcome({ kind: 'errno', errno: 1, by: 'seccomp' }, { kind: 'errno', errno: 6 }, syscall(336)))).toBe('different');
  });

  test('errno, ERRNO 0, trap, kills, notify', () => {
    expect(kind(compareOutcome({ kind: 'errno', errno: 13, by: 'landlock' }, { kind: 'errno', errno: 13 }))).toBe('same');
    expect(kind(compareOutcome({ kind: 'errno', errno: 0, by: 'seccomp' }, { kind: 'returned', ret: 0 }))).toBe('same');
    expect(kind(compareOutcome({ kind: 'errno', errno: 0, by: 'seccomp' }, { kind: 'returned', ret: 7 }))).toBe('different');
    expect(kind(compareOutcome({ kind: 'trap', data: 5 }, { kind: 'trap', data: 5, nr: 39, arch: 0 }))).toBe('same');
    expect(kind(compareOutcome({ kind: 'kill_thread' }, { kind: 'kill_process', signal: 'SIGSYS', alone: true }))).toBe('same');
    expect(kind(compareOutcome({ kind: 'kill_thread' }, { kind: 'kill_process', signal: 'SIGSYS', alone: false }))).toBe('different');
    expect(kind(compareOutcome({ kind: 'kill_process' }, { kind: 'kill_thread' }))).toBe('different');
    expect(kind(compareOutcome({ kind: 'notify', listener: 2 }, { kind: 'notify', listener: 2, errno: 125 }))).toBe('same');
  });
});

describe('compareResult', () => {
  test('a lone process that ended with no exit status (before Linux 6.15): its exit(2) is not observable, a known status is', () => {
    const exit = { op: 'exit', task: 1 } as const;
    const noStatus = { kind: 'killed', scope: 'process', signal: null, alone: true } as const;
    const v = compareResult({ kind: 'ok', ret: 0 }, noStatus, exit);
    expect(v).toMatchObject({ verdict: 'not_comparable', unobservable: true });
    // a known status still tells: killed by a signal is not an exit(2), exit status 0 is
    expect(kind(compareResult({ kind: 'ok', ret: 0 }, { ...noStatus, signal: 'SIGSYS' }, exit))).toBe('different');
    expect(kind(compareResult({ kind: 'ok', ret: 0 }, { ...noStatus, exitCode: 3 }, exit))).toBe('different');
    // only for exit: a fork the kernel killed while the model says it ran is a difference
    expect(kind(compareResult({ kind: 'ok', ret: 0 }, noStatus, { op: 'fork', task: 0 }))).toBe('different');
    // a kill the model predicts stays comparable (and agrees)
    expect(kind(compareResult({ kind: 'killed', scope: 'process', signal: 'SIGSYS' } as OpResult, noStatus, exit))).toBe('same');
  });

  test('kernel-only kinds are not comparable; observe needs a known layer count', () => {
    const m: OpResult = { kind: 'observe', state: { seccompMode: 2, filterCount: 1, nnp: false, landlockLayers: 0 } };
    expect(kind(compareResult(m, { kind: 'skip', reason: 'x' }))).toBe('not_comparable');
    expect(kind(compareResult(m, { kind: 'timeout', ms: 1, scope: 'op' }))).toBe('not_comparable');
    expect(kind(compareResult(m, { kind: 'observe', state: { seccompMode: 2, filterCount: 1, nnp: false, landlockLayers: 0 } }))).toBe('same');
    expect(kind(compareResult(m, { kind: 'observe', state: { seccompMode: 2, filterCount: 1, nnp: false, landlockLayers: null } }))).toBe('not_comparable');
    expect(kind(compareResult(m, { kind: 'observe', state: { seccompMode: 2, filterCount: 2, nnp: false, landlockLayers: null } }))).toBe('different');
    expect(kind(compareResult({ kind: 'killed', scope: 'thread', signal: 'SIGKILL' }, { kind: 'killed', scope: 'process', signal: 'SIGKILL', alone: true }))).toBe('same');
  });

  test('an op stopped by a filter: ERRNO is the op\'s error, data 0 its 0, a trap or a notification `stopped`, a kill `killed`', () => {
    const stopped = (outcome: Outcome): OpResult => ({ kind: 'stopped', outcome });
    expect(kind(compareResult(stopped({ kind: 'errno', errno: 1, by: 'seccomp' }), { kind: 'err', errno: 1 }))).toBe('same');
    expect(kind(compareResult(stopped({ kind: 'errno', errno: 0, by: 'seccomp' }), { kind: 'ok', ret: 0 }))).toBe('same');
    expect(kind(compareResult(stopped({ kind: 'trap', data: 7 }), { kind: 'stopped', outcome: { kind: 'trap', data: 7, nr: 157, arch: 0 } }))).toBe('same');
    expect(kind(compareResult(stopped({ kind: 'notify', listener: 1 }), { kind: 'stopped', outcome: { kind: 'notify', listener: 1, errno: 125 } }))).toBe('same');
    expect(kind(compareResult(stopped({ kind: 'kill_thread' }), { kind: 'killed', scope: 'thread', signal: null, alone: false }))).toBe('same');
    expect(kind(compareResult(stopped({ kind: 'kill_process' }), { kind: 'killed', scope: 'thread', signal: null, alone: false }))).toBe('different');
    expect(kind(compareResult({ kind: 'ok', ret: 0 }, { kind: 'stopped', outcome: { kind: 'trap', data: 7, nr: 157, arch: 0 } }))).toBe('different');
  });

  test('exit: a KILL_THREAD of a thread with siblings looks like its exit; a last thread\'s does not', () => {
    const exit = { op: 'exit', task: 0 } as const;
    const killThread: OpResult = { kind: 'stopped', outcome: { kind: 'kill_thread' } };
    expect(kind(compareResult(killThread, { kind: 'ok', ret: 0 }, exit))).toBe('same');
    expect(kind(compareResult(killThread, { kind: 'killed', scope: 'process', signal: 'SIGSYS', alone: true }, exit))).toBe('same');
    expect(kind(compareResult(killThread, { kind: 'ok', ret: 0 }, { op: 'set_nnp', task: 0 }))).toBe('different');
    expect(kind(compareResult({ kind: 'stopped', outcome: { kind: 'kill_process' } }, { kind: 'ok', ret: 0 }, exit))).toBe('different');
  });

  test('traces: tids count', () => {
    const ops = [sys(0, 39), probe(0, { kind: 'mount' })];
    const model = [
      { tid: 100, result: { kind: 'probe', probe: { seccomp: null, outcome: { kind: 'allow' } } } as OpResult },
      { tid: 100, result: { kind: 'probe', probe: { seccomp: null, outcome: { kind: 'allow' } } } as OpResult },
    ];
    const kernel = [
      { tid: 100, result: { kind: 'probe', outcome: { kind: 'returned', ret: 4242 } } as const },
      { tid: 101, result: { kind: 'probe', outcome: { kind: 'returned', ret: 0 } } as const },
    ];
    expect(compareTraces(ops, model, kernel)).toEqual([{ index: 1, verdict: { verdict: 'different', why: 'model tid 100, kernel tid 101' } }]);
  });
});
