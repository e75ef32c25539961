// Socket pairs, F_SETOWN and SIGURG (model/task/socket.ts, model/landlock/fown.ts); the kernel
// side of the same cases: conformance/landlock.test.ts "9. F_SETOWN / SIGURG".
import { describe, it, expect } from 'vitest';
import { initialWorld } from '../state.js';
import type { Op } from '../ops.js';
import type { OpResult } from '../result.js';
import { run } from '../step.js';
import { ERRNO } from '../errno.js';
import { SCOPE } from '../landlock/access.js';

const pair = (task: number): Op => ({ op: 'socketpair', task });
const own = (task: number, fd: number, target: number): Op => ({ op: 'fown_set', task, fd, target });
const urg = (task: number, fd: number): Op => ({ op: 'probe', task, request: { kind: 'sigurg', fd } });
const scoped = (task: number): Op[] => [
  { op: 'ruleset_create', task, fs: 0, net: 0, scoped: SCOPE.SIGNAL },
  { op: 'restrict_self', task, ruleset: -1, flags: 0 },
];

/** The result of each op, probes as their errno (0: delivered or nothing to deliver). */
function results(ops: Op[]): (string | number)[] {
  return run(initialWorld(), ops).steps.map((s) => shape(s.result));
}
function shape(r: OpResult): string | number {
  if (r.kind === 'probe') return r.probe.outcome.kind === 'errno' ? r.probe.outcome.errno : 0;
  if (r.kind === 'ok') return `ok ${r.ret}`;
  if (r.kind === 'err') return `err ${r.errno}`;
  return r.kind;
}

describe('socketpair', () => {
  it('installs two ends at the lowest free numbers, without close-on-exec; fork shares the files', () => {
    const out = run(initialWorld(), [pair(0), { op: 'fork', task: 0 }, pair(1)]);
    expect(out.steps.map((s) => shape(s.result))).toEqual(['ok 3', 'ok 101', 'ok 5']);
    const [parent, child] = [out.world.tasks.at(0)!, out.world.tasks.at(1)!];
    expect(parent.fds.map((e) => [e.fd, e.cloexec, e.obj])).toEqual([[3, false, { kind: 'socket', id: 0 }], [4, false, { kind: 'socket', id: 1 }]]);
    expect(child.fds.map((e) => e.obj)).toEqual([{ kind: 'socket', id: 0 }, { kind: 'socket', id: 1 }, { kind: 'socket', id: 2 }, { kind: 'socket', id: 3 }]);
    expect(out.world.sockets).toHaveLength(4);
  });
});

describe('F_SETOWN records the setter\'s domain (hook_file_set_fowner)', () => {
  it('an owner set before the setter\'s sandbox still gets SIGURG; one set after does not; the sender plays no part', () => {
    expect(results([pair(0), { op: 'fork', task: 0 }, own(0, 0, 1), ...scoped(0), urg(0, 1), urg(1, 1), own(0, 0, 1), urg(0, 1), urg(1, 1)]))
      .toEqual(['ok 3', 'ok 101', 'ok 0', 'ok 5', 'ok 0', 0, 0, 'ok 0', ERRNO.EPERM, ERRNO.EPERM]);
  });
  it('records nothing when the owner is the caller\'s own process, even for a thread sandboxed deeper than its leader', () => {
    const ops = [pair(0), { op: 'fork', task: 0 }, { op: 'thread', task: 0 }, ...scoped(2), own(2, 0, 0), urg(1, 1)] as Op[];
    const out = run(initialWorld(), ops);
    expect(out.world.sockets[0]).toEqual({ owner: 100, ownerType: 'process', fownSubject: null, fownSetter: out.world.tasks.at(2)!.domain, fownSetterTgid: 100 });
    expect(shape(out.steps.at(-1)!.result)).toBe(0);
  });
  it('checks the owner process\'s leader, not the thread named', () => {
    // the thread is sandboxed deeper; a process with that domain names it: its leader is outside
    const ops = [pair(0), { op: 'fork', task: 0 }, { op: 'thread', task: 0 }, ...scoped(2), { op: 'fork', task: 2 }, own(3, 0, 2), urg(1, 1)] as Op[];
    expect(results(ops).at(-1)).toBe(ERRNO.EPERM);
  });
  it('an owner inside the recorded domain gets it; a process that is gone gets nothing (allowed)', () => {
    expect(results([pair(0), ...scoped(0), { op: 'fork', task: 0 }, own(0, 0, 1), urg(0, 1), { op: 'exit', task: 1 }, urg(0, 1)]).slice(-3)).toEqual([0, 'ok 0', 0]);
  });
  it('no socket descriptor: EBADF for F_SETOWN and the send; the other end closed: EPIPE', () => {
    expect(results([own(0, 0, 0), urg(0, 0), pair(0), { op: 'close_fd', task: 0, fd: 0 }, urg(0, 0)]))
      .toEqual([`err ${ERRNO.EBADF}`, ERRNO.EBADF, 'ok 3', 'ok 0', ERRNO.EPIPE]);
  });
});

describe('unix_listen: a listener kept and passed on is judged by its creator\'s domain', () => {
  const listen = (task: number): Op => ({ op: 'unix_listen', task });
  const kept = (task: number, target: number, listener: number, type?: 'dgram'): Op => ({ op: 'probe', task, request: { kind: 'abstract_unix', target, listener, ...(type ? { type } : {}) } });
  const scopeAbstract: Op[] = [{ op: 'ruleset_create', task: 0, fs: 0, net: 0, scoped: SCOPE.ABSTRACT_UNIX_SOCKET }, { op: 'restrict_self', task: 0, ruleset: -1, flags: 0 }];
  it('made before the sandbox: out of its scope; made inside and passed out: in it', () => {
    const out = run(initialWorld(), [listen(0), { op: 'fork', task: 0 }, ...scopeAbstract, kept(0, 0, 0), listen(0), { op: 'send_fd', task: 0, fd: 2, to: 1 }, { op: 'fork', task: 0 }, kept(2, 1, 1), kept(2, 1, 0)]);
    expect(out.steps.map((s) => shape(s.result))).toEqual(['ok 3', 'ok 101', 'ok 4', 'ok 0', ERRNO.EPERM, 'ok 5', 'ok 4', 'ok 102', 0, ERRNO.EPERM]);
    expect(out.world.tasks.at(1)!.fds.map((e) => e.obj.kind)).toEqual(['unix_listener', 'unix_listener']);
  });
  it('a target without a listener: ECONNREFUSED (no one bound the name), before Landlock; a datagram: invalid', () => {
    expect(results([...scopeAbstract, kept(0, 0, 0)]).at(-1)).toBe(ERRNO.ECONNREFUSED);
    expect(results([listen(0), kept(0, 0, 0, 'dgram')]).at(-1)).toBe('invalid');
  });
  it('a pair made after a listener still finds its peer (ids 2k, 2k+1: found by strata conform)', () => {
    expect(results([listen(0), pair(0), urg(0, 1), urg(0, 0)])).toEqual(['ok 3', 'ok 4', 0, 0]);
  });
  it('its data and readiness are not modelled either', () => {
    expect(results([listen(0), { op: 'fd_call', task: 0, fd: 0, call: 'read' }, { op: 'notif_poll', task: 0, fd: 0 }, { op: 'fd_call', task: 0, fd: 0, call: 'reopen' }]).slice(1))
      .toEqual(['invalid', 'invalid', `err ${ERRNO.ENXIO}`]);
  });
});

describe('what the model does not decide: invalid before any filter', () => {
  it('a SIGURG whose owner\'s leader has exited while a thread lives', () => {
    const r = results([pair(0), { op: 'fork', task: 0 }, { op: 'thread', task: 1 }, own(0, 0, 1), { op: 'exit', task: 1 }, urg(0, 1)]);
    expect(r.at(-1)).toBe('invalid');
  });
  it('a SIGURG in a supervised scenario, or sent by a traced task', () => {
    expect(results([pair(0), { op: 'notif_supervise', task: 0 }, urg(0, 1)]).at(-1)).toBe('invalid');
    expect(results([pair(0), { op: 'fork', task: 0 }, { op: 'ptrace_attach', task: 0, target: 1, seize: true, options: 0 }, urg(1, 1)]).at(-1)).toBe('invalid');
  });
  it('a socket\'s data: read, write and FIONREAD, and poll; lseek and the reopen are decided (ESPIPE, ENXIO)', () => {
    const calls = (['read', 'write', 'fionread', 'lseek', 'reopen'] as const).map((call): Op => ({ op: 'fd_call', task: 0, fd: 0, call }));
    expect(results([pair(0), ...calls, { op: 'notif_poll', task: 0, fd: 1 }]).slice(1))
      .toEqual(['invalid', 'invalid', 'invalid', `err ${ERRNO.ESPIPE}`, `err ${ERRNO.ENXIO}`, 'invalid']);
  });
});
