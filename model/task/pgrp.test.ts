// Process groups (model/task/pgrp.ts) and F_SETOWN owners of each type (model/task/socket.ts,
// model/landlock/fown.ts); the kernel side of the same cases: conformance/landlock.test.ts
// "9b. process groups and owner types".
import { describe, it, expect } from 'vitest';
import { initialWorld, OUTSIDE_PGID } from '../state.js';
import type { Op } from '../ops.js';
import type { OpResult } from '../result.js';
import { run } from '../step.js';
import { ERRNO } from '../errno.js';
import { SCOPE } from '../landlock/access.js';
import { LINUX_SEMANTICS } from '../semantics.js';
import { groupHead } from './pgrp.js';

const fork = (task: number): Op => ({ op: 'fork', task });
const pair = (task: number): Op => ({ op: 'socketpair', task });
const own = (task: number, target: number, owner: 'process' | 'thread' | 'group'): Op => ({ op: 'fown_set', task, fd: 0, target, owner });
const urg = (task: number, to?: number): Op => ({ op: 'probe', task, request: to === undefined ? { kind: 'sigurg', fd: 1 } : { kind: 'sigurg', fd: 1, to } });
const scoped = (task: number): Op[] => [
  { op: 'ruleset_create', task, fs: 0, net: 0, scoped: SCOPE.SIGNAL },
  { op: 'restrict_self', task, ruleset: -1, flags: 0 },
];

function shape(r: OpResult): string | number {
  if (r.kind === 'probe') return r.probe.outcome.kind === 'errno' ? r.probe.outcome.errno : 0;
  if (r.kind === 'ok') return `ok ${r.ret}`;
  if (r.kind === 'err') return `err ${r.errno}`;
  return r.kind;
}
function results(ops: Op[], semantics = LINUX_SEMANTICS): (string | number)[] {
  return run(initialWorld({ semantics }), ops).steps.map((s) => shape(s.result));
}

describe('setpgid (kernel/sys.c:setpgid)', () => {
  it('a fork joins its parent\'s group at its head; the first task\'s group is led from outside', () => {
    const out = run(initialWorld(), [fork(0), { op: 'thread', task: 1 }]);
    expect(out.world.tasks.at(0)!.pgid).toBe(OUTSIDE_PGID);
    expect(out.world.tasks.at(1)!.pgid).toBe(OUTSIDE_PGID);
    expect(groupHead(out.world, OUTSIDE_PGID)!.tid).toBe(101);
  });
  it('0, 0: the caller\'s process leads a new group; a child moves into it; naming the same group again changes nothing', () => {
    const out = run(initialWorld(), [fork(0), { op: 'setpgid', task: 0 }, { op: 'setpgid', task: 0, pid: 1, pgid: 0 }]);
    expect(out.steps.map((s) => shape(s.result))).toEqual(['ok 101', 'ok 0', 'ok 0']);
    expect([out.world.tasks.at(0)!.pgid, out.world.tasks.at(1)!.pgid]).toEqual([100, 100]);
    expect(groupHead(out.world, 100)!.tid).toBe(101);
    const again = run(out.world, [{ op: 'setpgid', task: 0 }]);
    expect(groupHead(again.world, 100)!.tid).toBe(101);
  });
  it('EINVAL for a thread that is no leader, ESRCH for a parent or a sibling, EACCES for a child that exec\'d', () => {
    expect(results([{ op: 'thread', task: 0 }, { op: 'setpgid', task: 0, pid: 1 }])).toEqual(['ok 101', `err ${ERRNO.EINVAL}`]);
    expect(results([fork(0), { op: 'setpgid', task: 1, pid: 0 }])).toEqual(['ok 101', `err ${ERRNO.ESRCH}`]);
    expect(results([fork(0), fork(0), { op: 'setpgid', task: 1, pid: 2 }])).toEqual(['ok 101', 'ok 102', `err ${ERRNO.ESRCH}`]);
    expect(results([fork(0), { op: 'exec', task: 1 }, { op: 'setpgid', task: 0, pid: 1 }, { op: 'setpgid', task: 1 }])).toEqual(['ok 101', 'ok 0', `err ${ERRNO.EACCES}`, 'ok 0']);
  });
  it('a caller whose leader has exited is not followed (the zombie leader would move)', () => {
    expect(results([{ op: 'thread', task: 0 }, { op: 'exit', task: 0 }, { op: 'setpgid', task: 0 }]).at(-1)).toBe('invalid');
  });
});

describe('F_SETOWN owner types and the observed delivery', () => {
  it('a group owner reaches every member, each checked with the recorded domain; `to` outside the group is ESRCH', () => {
    // t0 forks t1 (head of the start group); t1 sandboxes itself and names its own group
    const base: Op[] = [fork(0), fork(0), { op: 'setpgid', task: 0, pid: 2 }, pair(1), ...scoped(1), own(1, 1, 'group')];
    expect(results([...base, urg(1, 0), urg(1, 1), urg(1, 2)]).slice(-3)).toEqual([ERRNO.EPERM, 0, ERRNO.ESRCH]);
  });
  it('Landlock before the PIDTYPE_PGID fix records nothing for the group\'s head: the unsandboxed parent gets it', () => {
    const ops: Op[] = [fork(0), pair(1), ...scoped(1), own(1, 1, 'group'), urg(1, 0)];
    expect(results(ops).at(-1)).toBe(ERRNO.EPERM);
    expect(results(ops, { ...LINUX_SEMANTICS, sigioScopeFix: false }).at(-1)).toBe(0);
    // a later fork makes another process the head: then even the old design records
    const later: Op[] = [fork(0), pair(1), ...scoped(1), fork(1), own(1, 1, 'group'), urg(1, 0)];
    expect(results(later, { ...LINUX_SEMANTICS, sigioScopeFix: false }).at(-1)).toBe(ERRNO.EPERM);
  });
  it('since the fix, the setter\'s own process always gets it: a thread sandboxed deeper than its leader signals the leader through its group', () => {
    const ops: Op[] = [pair(0), { op: 'thread', task: 0 }, ...scoped(1), own(1, 1, 'group'), urg(1, 0), urg(0, 1), fork(0), urg(0, 2)];
    expect(results(ops).slice(-4)).toEqual([0, 0, 'ok 102', ERRNO.EPERM]);
    // before it, no record at all: the thread's process heads the group, so even t102 gets it
    expect(results(ops, { ...LINUX_SEMANTICS, sigioScopeFix: false }).slice(-4)).toEqual([0, 0, 'ok 102', 0]);
  });
  it('a group owner needs `to`; a process owner without it is observed at the owner', () => {
    expect(results([fork(0), pair(0), own(0, 0, 'group'), urg(0)]).at(-1)).toBe('invalid');
    expect(results([fork(0), pair(0), own(0, 1, 'process'), urg(0), urg(0, 1), urg(0, 0)]).slice(-3)).toEqual([0, 0, ERRNO.ESRCH]);
  });
  it('a thread owner is checked with the thread\'s own domain; the thread of another process gets it alone', () => {
    // t1 forked, t1's thread t2 sandboxed deeper; t0 (unsandboxed) names t2, sends: allowed (no record)
    const ops: Op[] = [fork(0), { op: 'thread', task: 1 }, pair(0), ...scoped(0), own(0, 2, 'thread'), urg(0), urg(0, 2), urg(0, 1)];
    // t0 sandboxed: its record scopes out t2, whose domain is outside it
    expect(results(ops).slice(-3)).toEqual([ERRNO.EPERM, ERRNO.EPERM, ERRNO.ESRCH]);
    // naming a thread of its own process records nothing
    expect(results([{ op: 'thread', task: 0 }, pair(0), ...scoped(0), own(0, 1, 'thread'), urg(0, 1)]).at(-1)).toBe(0);
  });
  it('no owner: allowed without `to`, ESRCH with it', () => {
    expect(results([pair(0), urg(0), urg(0, 0)]).slice(-2)).toEqual([0, ERRNO.ESRCH]);
  });
});
