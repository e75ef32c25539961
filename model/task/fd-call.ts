// read(2), write(2), lseek(2) and ioctl(FIONREAD) on one of the task's descriptors: what the
// file of each kind the model holds answers (delegation.md M2, landlock.md §1). None of these
// files is readable or seekable; the calls change nothing.
//   - a Landlock ruleset (security/landlock/syscalls.c ruleset_fops): .read/.write are
//     fop_dummy_read/write, which only set FMODE_CAN_READ/WRITE and return -EINVAL; no .llseek,
//     so vfs_llseek gives -ESPIPE (no FMODE_LSEEK); no .unlocked_ioctl, so vfs_ioctl gives -ENOTTY;
//   - a seccomp listener (kernel/seccomp.c seccomp_notify_ops): no .read/.write, so
//     vfs_read/vfs_write give -EINVAL (no FMODE_CAN_READ/WRITE); no .llseek: -ESPIPE;
//     seccomp_notify_ioctl answers every command it does not know -EINVAL (FIONREAD reaches it:
//     do_vfs_ioctl handles FIONREAD itself only for regular files);
//   - an eBPF map (kernel/bpf/syscall.c bpf_map_fops, H1 designs only): bpf_dummy_read/write
//     return -EINVAL; no .llseek, no .unlocked_ioctl: -ESPIPE, -ENOTTY;
//   - a layer handle (design variants only): a file like a ruleset's (a model choice).
// With no descriptor the call is made on no file: -EBADF (fdget).
// `reopen` opens /proc/self/fd/<fd> (O_RDONLY): every file the model holds is an anonymous inode
// (anon_inode_getfile), whose reopening through procfs fails -ENXIO (delegation.md M2; the
// anon inodes' file system gives no open: fs/anon_inodes.c); with no descriptor there is no such
// entry: -ENOENT. /proc/self is the thread group's directory, whose fd/ is the leader's table
// (fs/proc/fd.c: the leader's files): once the leader has exited, a zombie with no files, every
// entry is gone — -ENOENT for the other threads too (found by strata conform). Landlock does not
// decide it: the file opened is on anon_inodefs, a SB_NOUSER file system
// (security/landlock/fs.c:is_nouser_or_private).
// A unix socket end or listener (model/task/socket.ts) answers lseek ESPIPE (no llseek) and the reopen ENXIO
// (sockfs: no open); its read, write and FIONREAD move or count data the model does not keep
// (a read with nothing queued would block): `invalid` before any filter, and the executor does
// not make them.
import type { Op } from '../ops.js';
import type { World, Task, FdObject } from '../state.js';
import type { StepOut } from '../result.js';
import { err, fail, invalid } from '../result.js';
import { ERRNO } from '../errno.js';
import { resolveFd } from './fds.js';
import { isAnySocket } from './socket.js';

export type FdCall = Extract<Op, { op: 'fd_call' }>['call'];

/** The calls, in the order of the executor's sub-command (conformance/native/task.c). */
export const FD_CALLS: readonly FdCall[] = ['read', 'write', 'lseek', 'fionread', 'reopen'];

/** The syscall of each call (x86_64) and, for ioctl, its command: the op gate's constants. */
export const FD_CALL_NR: Readonly<Record<FdCall, number>> = { read: 0, write: 1, lseek: 8, fionread: 16, reopen: 257 };
export const FIONREAD = 0x541b;

/** The errno a call on a file of `kind` returns. */
export function fdCallErrno(kind: FdObject['kind'], call: FdCall): number {
  if (call === 'read' || call === 'write') return ERRNO.EINVAL;
  if (call === 'lseek') return ERRNO.ESPIPE;
  if (call === 'reopen') return ERRNO.ENXIO;
  return kind === 'listener' ? ERRNO.EINVAL : ERRNO.ENOTTY;
}

/** An fd_call the model does not decide (a socket's data), as the op's result; else null. */
export function fdCallOutsideModel(world: World, task: Task, op: Extract<Op, { op: 'fd_call' }>): StepOut | null {
  if (op.call !== 'read' && op.call !== 'write' && op.call !== 'fionread') return null;
  const e = resolveFd(task, op.fd);
  return e !== undefined && isAnySocket(e.obj) ? fail(world, task.tid, invalid(`fd_call ${op.call} on a socket: its data is not modelled`)) : null;
}

export function fdCall(world: World, task: Task, op: Extract<Op, { op: 'fd_call' }>): StepOut {
  if (op.call === 'reopen' && world.tasks.byTid(task.tgid) === undefined) return fail(world, task.tid, err(ERRNO.ENOENT));
  const e = resolveFd(task, op.fd);
  return fail(world, task.tid, err(e ? fdCallErrno(e.obj.kind, op.call) : op.call === 'reopen' ? ERRNO.ENOENT : ERRNO.EBADF));
}
