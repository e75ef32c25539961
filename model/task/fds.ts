// Descriptor passing and closing. fd references in ops are indices into the acting task's
// table (sorted by number), taken modulo its size; an empty table gives EBADF.
import type { Task, World, FdEntry } from '../state.js';
import { addFd, lowestFreeFd, setGroupFds } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail } from '../result.js';
import { ERRNO } from '../errno.js';
import { FIRST_FD } from '../limits.js';

/** Resolve an fd index (mod table size) among entries matching `pred`. */
export function resolveFd(task: Task, index: number, pred?: (e: FdEntry) => boolean): FdEntry | undefined {
  const fds = task.fds;
  if (!pred) {
    if (fds.length === 0) return undefined;
    return fds[((index % fds.length) + fds.length) % fds.length];
  }
  // Count, then walk to the i-th match (no filtered copy: ops resolve fds on every call).
  let n = 0;
  for (let k = 0; k < fds.length; k++) if (pred(fds[k]!)) n++;
  if (n === 0) return undefined;
  let i = ((index % n) + n) % n;
  for (let k = 0; k < fds.length; k++) if (pred(fds[k]!) && i-- === 0) return fds[k];
  return undefined;
}

/**
 * Install a new descriptor in a group's table at the lowest free number (fs/file.c:alloc_fd);
 * `rulesets`, when given, replaces the world's in the same copy.
 */
export function installFd(world: World, task: Task, obj: FdEntry['obj'], cloexec: boolean, rulesets?: World['rulesets']): { world: World; fd: number } {
  const fd = lowestFreeFd(task.fds, FIRST_FD);
  return { world: setGroupFds(world, task.tgid, addFd(task.fds, { fd, cloexec, obj }), rulesets), fd };
}

/** sendmsg(SCM_RIGHTS) + recvmsg: the receiver gets a new fd for the same object, without
 * close-on-exec (no MSG_CMSG_CLOEXEC). */
export function sendFd(world: World, task: Task, index: number, to: Task): StepOut {
  const e = resolveFd(task, index);
  if (!e) return fail(world, task.tid, err(ERRNO.EBADF));
  const r = installFd(world, to, e.obj, false);
  return { world: r.world, result: ok(r.fd), tid: task.tid };
}

/** close(2). */
export function closeFd(world: World, task: Task, index: number): StepOut {
  const e = resolveFd(task, index);
  if (!e) return fail(world, task.tid, err(ERRNO.EBADF));
  return { world: setGroupFds(world, task.tgid, task.fds.filter((x) => x !== e)), result: ok(0), tid: task.tid };
}
