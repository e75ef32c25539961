// Unix stream socket pairs and their F_SETOWN owner (landlock.md §4 "Signal exceptions", the
// selftest scoped_signal_test.c `fown`; SIGURG's delivery: model/landlock/fown.ts), and abstract
// listeners made by one task and connected to through another (landlock.md §4 "Abstract UNIX
// sockets": the socket's creator decides; the selftest scoped_abstract_unix_test.c
// `outside_socket`):
//   - socketpair(AF_UNIX, SOCK_STREAM, 0) installs two connected ends at the lowest free
//     numbers of the caller's table (fs/file.c:alloc_fd, twice), without close-on-exec; each end
//     is one file, shared by every descriptor that fork, threads and SCM_RIGHTS make of it.
//   - fcntl(fd, F_SETOWN, pid) names pid's process (PIDTYPE_TGID) as the file's owner
//     (fs/fcntl.c:f_setown), and Landlock's hook_file_set_fowner records the *caller's* domain
//     with it (fown_subject) — unless the owner is in the caller's own thread group
//     (control_current_fowner: same_thread_group), when nothing is recorded. No socket
//     descriptor: EBADF.
import type { Op } from '../ops.js';
import type { World, Task, FdEntry } from '../state.js';
import type { StepOut } from '../result.js';
import type { DomainNode } from '../landlock/domain.js';
import { ok, err, fail } from '../result.js';
import { worldWith } from '../state.js';
import { ERRNO } from '../errno.js';
import { installFd, resolveFd } from './fds.js';

/** One end of a pair: a file with its F_SETOWN record. */
export interface SocketFile {
  /** The owner's thread-group id (f_owner.pid, PIDTYPE_TGID), or 0: none. */
  readonly owner: number;
  /** The domain hook_file_set_fowner recorded (fown_subject), or null: none. */
  readonly fownSubject: DomainNode | null;
}

const UNOWNED: SocketFile = { owner: 0, fownSubject: null };

/** fcntl's F_SETOWN and socketpair's constants: the op gate's arguments. */
export const F_SETOWN = 8;
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
  // control_current_fowner: no record when the owner is the caller's own process.
  const record: SocketFile = { owner: target.tgid, fownSubject: target.tgid === task.tgid ? null : task.domain };
  const sockets = world.sockets.slice();
  sockets[e.obj.id] = record;
  return { world: worldWith(world, { sockets }), result: ok(0), tid: task.tid };
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

/** The owner's process: its leader, 'gone' when no task of it lives, 'leaderless' when only
 * non-leader threads do (the model keeps no exited leader). */
export function ownerLeader(world: World, tgid: number): Task | 'gone' | 'leaderless' {
  const leader = world.tasks.byTid(tgid);
  if (leader !== undefined) return leader;
  for (let i = 0; i < world.tasks.length; i++) if (world.tasks.at(i)!.tgid === tgid) return 'leaderless';
  return 'gone';
}
