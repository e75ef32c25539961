// Unix stream socket pairs and their F_SETOWN owner (landlock.md §4 "Signal exceptions", the
// selftest scoped_signal_test.c `fown`; SIGURG's delivery: model/landlock/fown.ts), and abstract
// listeners made by one task and connected to through another (landlock.md §4 "Abstract UNIX
// sockets": the socket's creator decides; the selftest scoped_abstract_unix_test.c
// `outside_socket`):
//   - socketpair(AF_UNIX, SOCK_STREAM, 0) installs two connected ends at the lowest free
//     numbers of the caller's table (fs/file.c:alloc_fd, twice), without close-on-exec; each end
//     is one file, shared by every descriptor that fork, threads and SCM_RIGHTS make of it.
//   - fcntl(fd, F_SETOWN, pid) names pid's process (PIDTYPE_TGID) as the file's owner
//     (fs/fcntl.c:f_setown), F_SETOWN_EX with F_OWNER_TID one thread (PIDTYPE_PID), F_SETOWN
//     with -pgid a process group (PIDTYPE_PGID). Landlock's hook_file_set_fowner records the
//     *caller's* domain with it (fown_subject) — unless control_current_fowner finds the owner
//     in the caller's own thread group (same_thread_group of pid_task(pid, type)), when nothing
//     is recorded. For a group that test is skipped since the fix for CVE-2026-72183 (the
//     group's other members are still to be checked at delivery), and the caller's thread group
//     is recorded too: a delivery to it is always allowed (model/landlock/fown.ts). Landlock
//     before that fix asked the test of the group's head, the most recently attached process,
//     and exempted nothing at delivery (semantics.sigioScopeFix = false; pgrp.ts: groupHead).
//     No socket descriptor: EBADF.
import type { Op, FownType } from '../ops.js';
import type { World, Task, FdEntry } from '../state.js';
import type { StepOut } from '../result.js';
import type { DomainNode } from '../landlock/domain.js';
import { ok, err, fail } from '../result.js';
import { worldWith } from '../state.js';
import { ERRNO } from '../errno.js';
import { installFd, resolveFd } from './fds.js';
import { groupHead } from './pgrp.js';

/** One end of a pair: a file with its F_SETOWN record. */
export interface SocketFile {
  /** The owner (f_owner.pid): a thread-group id (`process`), a tid (`thread`) or a process group
   * id (`group`), or 0: none. */
  readonly owner: number;
  /** f_owner.pid_type: PIDTYPE_TGID, PIDTYPE_PID or PIDTYPE_PGID. */
  readonly ownerType: FownType;
  /** The domain hook_file_set_fowner recorded (fown_subject), or null: none. */
  readonly fownSubject: DomainNode | null;
  /** Who set the owner, whatever a design recorded: the setter's domain, which Landlock's
   * documented signal scope holds every delivery outside the setter's process to (read by
   * properties/signal-scope.ts, never by a decision)... */
  readonly fownSetter: DomainNode | null;
  /** ...and the setter's process, which the kernel records with the domain since the fix for
   * CVE-2026-72183 and always delivers to (model/landlock/fown.ts). */
  readonly fownSetterTgid: number;
}

const UNOWNED: SocketFile = { owner: 0, ownerType: 'process', fownSubject: null, fownSetter: null, fownSetterTgid: 0 };

/** fcntl's F_SETOWN, F_SETOWN_EX and socketpair's constants: the op gate's arguments. */
export const F_SETOWN = 8;
export const F_SETOWN_EX = 15;
export const AF_UNIX = 1;
export const SOCK_STREAM = 1;

export function isSocketFd(e: FdEntry): boolean {
  return e.obj.kind === 'socket';
}

export function isUnixListenerFd(e: FdEntry): boolean {
  return e.obj.kind === 'unix_listener';
}

/** A socket of either kind, whose data and readiness the model does not follow. */
export function isAnySocket(obj: FdEntry['obj']): boolean {
  return obj.kind === 'socket' || obj.kind === 'unix_listener';
}

/** The other end of socket `id`. */
export function peerOf(id: number): number {
  return id ^ 1;
}

export function socketpair(world: World, task: Task): StepOut {
  const id = world.sockets.length;
  const sockets = [...world.sockets, UNOWNED, UNOWNED];
  const a = installFd(worldWith(world, { sockets }), task, { kind: 'socket', id }, false);
  const t = a.world.tasks.byTid(task.tid)!;
  const b = installFd(a.world, t, { kind: 'socket', id: id + 1 }, false);
  return { world: b.world, result: ok(a.fd), tid: task.tid };
}

export function fownSet(world: World, task: Task, op: Extract<Op, { op: 'fown_set' }>, target: Task): StepOut {
  const e = resolveFd(task, op.fd, isSocketFd);
  if (!e || e.obj.kind !== 'socket') return fail(world, task.tid, err(ERRNO.EBADF));
  const ownerType = op.owner ?? 'process';
  const owner = ownerType === 'process' ? target.tgid : ownerType === 'thread' ? target.tid : target.pgid;
  const record: SocketFile = {
    owner,
    ownerType,
    fownSubject: recordsDomain(world, task, ownerType, target) ? task.domain : null,
    fownSetter: task.domain,
    fownSetterTgid: task.tgid,
  };
  const sockets = world.sockets.slice();
  sockets[e.obj.id] = record;
  return { world: worldWith(world, { sockets }), result: ok(0), tid: task.tid };
}

/** control_current_fowner: whether hook_file_set_fowner records the caller's domain. Not when
 * the owner's task — pid_task(pid, type): the process's leader, the thread, or the group's
 * head — is of the caller's own thread group; for a group, only where Landlock still asks that
 * (semantics.sigioScopeFix false). */
function recordsDomain(world: World, task: Task, type: FownType, target: Task): boolean {
  if (type !== 'group') return target.tgid !== task.tgid;
  if (world.semantics.sigioScopeFix) return true;
  const head = groupHead(world, target.pgid);
  return head === undefined || head.tgid !== task.tgid;
}

/**
 * unix_listen: socket(2), bind(2) to an abstract name, listen(2). The file keeps the caller's
 * credentials, so its domain is the one hook_unix_stream_connect later reads for every client
 * (sock_is_scoped: the socket's creator, whoever holds it then). Its id shares the pairs' space
 * and takes two of it, so that a pair's ends stay 2k and 2k+1 (peerOf; found by strata conform:
 * a pair made after a listener had ends 1 and 2).
 */
export function unixListen(world: World, task: Task): StepOut {
  const id = world.sockets.length;
  const r = installFd(worldWith(world, { sockets: [...world.sockets, UNOWNED, UNOWNED] }), task, { kind: 'unix_listener', id, creator: task.domain }, false);
  return { world: r.world, result: ok(r.fd), tid: task.tid };
}

/** Whether some live task holds a descriptor of socket file `id`. */
export function fileOpen(world: World, id: number): boolean {
  for (let i = 0; i < world.tasks.length; i++) {
    for (const e of world.tasks.at(i)!.fds) if (e.obj.kind === 'socket' && e.obj.id === id) return true;
  }
  return false;
}

