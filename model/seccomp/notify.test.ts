// The supervisor protocol on the model (model/seccomp/notify.ts), fact by fact: each test names
// the [V] facts of /work/shared/spec/delegation.md it checks. The same sequences run on the live
// kernel in conformance/notify.test.ts.
import { describe, it, expect } from 'vitest';
import type { Op } from '../ops.js';
import { SECCOMP_FILTER_FLAG as F } from '../ops.js';
import type { World } from '../state.js';
import type { OpResult } from '../result.js';
import { step } from '../step.js';
import { nnpWorld } from './fixtures.js';
import { NOTIF_SCRIPTS, notifyOn, NR_GETPID } from './notify-scripts.js';
import { ERRNO } from '../errno.js';
import { retErrno } from './action.js';
import { blockedIn } from './notify.js';
import { syscall } from '../request.js';

function runAll(ops: readonly Op[], w: World = nnpWorld()): { world: World; results: OpResult[] } {
  const results: OpResult[] = [];
  for (const op of ops) {
    const out = step(w, op);
    results.push(out.result);
    w = out.world;
  }
  return { world: w, results };
}

const short = (r: OpResult): string => {
  switch (r.kind) {
    case 'ok': return `ok ${r.ret}`;
    case 'err': return `err ${r.errno}`;
    case 'probe': return `probe ${r.probe.outcome.kind}${r.probe.outcome.kind === 'errno' ? ` ${r.probe.outcome.errno}` : ''}`;
    case 'stopped': return `stopped ${r.outcome.kind}`;
    case 'invalid': return 'invalid';
    default: return r.kind;
  }
};

describe('the supervisor protocol (delegation.md §1–§5)', () => {
  for (const s of NOTIF_SCRIPTS) {
    it(`${s.name} (${s.facts})`, () => {
      const { results } = runAll(s.ops);
      expect(results.map(short)).toEqual(s.expect);
    });
  }

  it('U22/U25: a blocked thread that dies takes its notification with it; a released listener answers ENOSYS', () => {
    const w0 = nnpWorld();
    const { world } = runAll([
      { op: 'seccomp_filter', task: 0, flags: F.NEW_LISTENER, program: notifyOn(NR_GETPID) },
      { op: 'notif_supervise', task: 0 },
      { op: 'thread', task: 0 },
      { op: 'probe', task: 1, request: syscall(NR_GETPID) },
    ], w0);
    expect(blockedIn(world, 101)?.state).toBe('init');
    // the thread group's exit (exec by the other thread kills it: de_thread)
    const after = step(world, { op: 'exec', task: 0 }).world;
    expect(after.notifs!.list).toEqual([]);
  });

  it('before notif_supervise the harness answers: a notified probe blocks nothing (old scenarios keep their meaning)', () => {
    const { results, world } = runAll([
      { op: 'seccomp_filter', task: 0, flags: F.NEW_LISTENER, program: notifyOn(NR_GETPID) },
      { op: 'probe', task: 0, request: syscall(NR_GETPID) },
      { op: 'observe', task: 0 },
      { op: 'notif_recv', task: 0, fd: 0 },
    ]);
    expect(results.map(short)).toEqual(['ok 3', 'probe notify', 'observe', 'invalid']);
    expect(world.notifs).toBeNull();
  });

  it('U36: an older ERRNO wins over USER_NOTIF: the supervisor is never asked', () => {
    const { results } = runAll([
      { op: 'seccomp_filter', task: 0, flags: 0, program: notifyOn(NR_GETPID, retErrno(ERRNO.EACCES)) },
      { op: 'seccomp_filter', task: 0, flags: F.NEW_LISTENER, program: notifyOn(NR_GETPID) },
      { op: 'notif_supervise', task: 0 },
      { op: 'probe', task: 0, request: syscall(NR_GETPID) },
      { op: 'notif_poll', task: 0, fd: 0 },
    ]);
    expect(results.map(short)).toEqual(['ok 0', 'ok 3', 'ok 0', 'probe errno 13', 'ok 0']);
  });
});

describe('a blocked thread killed by its group\'s exec (U25 through fs/exec.c:de_thread)', () => {
  it('the exec\'ing non-leader takes the leader\'s tid; the leader\'s notification is gone and the new t100 runs ops', () => {
    const { results, world } = runAll([
      { op: 'seccomp_filter', task: 0, flags: F.NEW_LISTENER, program: notifyOn(NR_GETPID) },
      { op: 'notif_supervise', task: 0 },
      { op: 'thread', task: 0 },
      { op: 'probe', task: 0, request: syscall(NR_GETPID) },
      { op: 'exec', task: 1 },
      { op: 'observe', task: 0 },
    ]);
    expect(results.map(short)).toEqual(['ok 3', 'ok 0', 'ok 101', 'probe notify', 'ok 0', 'observe']);
    expect(world.notifs!.list).toEqual([]);
  });
});
