// SIGURG to a socket end's F_SETOWN owner, and Landlock's signal scope on it (landlock.md §4
// "Signal exceptions", the selftest scoped_signal_test.c `fown`; the pair and its owner:
// model/task/socket.ts):
//   - send(MSG_OOB) on one end queues the byte on the other and sends its owner SIGURG
//     (net/unix/af_unix.c:queue_oob → sk_send_sigurg → fs/fcntl.c:send_sigurg): to the task
//     whose pid is the owner's tgid — the thread-group leader — through sigio_perm and
//     hook_file_send_sigiotask, which drops the signal silently when the domain *recorded at
//     F_SETOWN* scopes the leader out (task.c:domain_is_scoped, SCOPE_SIGNAL). So the sender's
//     own domain plays no part: a file owned before its owner-setter was sandboxed keeps
//     signalling out of the sandbox, and one owned after does not, whoever sends.
// The probe's outcome is the delivery: allowed, or EPERM (the hook's answer) when it is dropped;
// no owner, or an owner process that is gone, sends nothing: allowed. With no descriptor the
// send fails EBADF; with the other end's file released (no descriptor left) EPIPE
// (unix_stream_sendmsg; the executor passes MSG_NOSIGNAL). A leader that has exited while its
// threads live is still the signal's target in the kernel (a zombie keeps its credentials), but
// the model keeps no exited task: such a probe is `invalid`, and the executor does not make it;
// so is one in a supervised scenario or by a traced task, whose send a supervisor or tracer may
// hold or change (the executor observes the delivery right after the send returns).
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import type { SigurgRequest } from '../request.js';
import type { DomainNode } from './domain.js';
import type { Evaluation } from '../evaluation.js';
import { fail, invalid } from '../result.js';
import { ERRNO } from '../errno.js';
import { resolveFd } from '../task/fds.js';
import { isSocketFd, peerOf, fileOpen, ownerLeader } from '../task/socket.js';
import { linkOfTracee } from '../ptrace/state.js';
import { isScoped } from './scope.js';
import { SCOPE } from './access.js';

/** A SIGURG the model cannot decide (its target is an exited leader), as the op's result; else null. */
export function sigurgOutsideModel(world: World, task: Task, req: SigurgRequest): StepOut | null {
  if (world.notifs !== null) return fail(world, task.tid, invalid('sigurg: the scenario\'s supervisor may hold the send'));
  if (world.ptrace.links.length !== 0 && linkOfTracee(world, task.tid)) return fail(world, task.tid, invalid('sigurg: a traced task\'s send may stop at its tracer'));
  const e = resolveFd(task, req.fd, isSocketFd);
  if (!e || e.obj.kind !== 'socket') return null;
  const peer = world.sockets[peerOf(e.obj.id)];
  if (peer === undefined || peer.owner === 0 || !fileOpen(world, peerOf(e.obj.id))) return null;
  if (ownerLeader(world, peer.owner) !== 'leaderless') return null;
  return fail(world, task.tid, invalid('sigurg: the owner process\'s leader has exited; the model keeps no exited task'));
}

/** Whom a SIGURG sent on the task's `fd`-th socket would reach, and with which recorded domain:
 * the owner process's leader and the F_SETOWN record; null when nothing would be sent or the
 * model cannot tell (for the coverage report). */
export function sigurgReach(world: World, task: Task, req: SigurgRequest): { readonly leader: Task; readonly subject: DomainNode | null } | null {
  const ent = resolveFd(task, req.fd, isSocketFd);
  if (!ent || ent.obj.kind !== 'socket') return null;
  const peerId = peerOf(ent.obj.id);
  const peer = world.sockets[peerId];
  if (peer === undefined || peer.owner === 0 || !fileOpen(world, peerId)) return null;
  const leader = ownerLeader(world, peer.owner);
  return typeof leader === 'string' ? null : { leader, subject: peer.fownSubject };
}

/** The send's and the delivery's outcome: 0 (delivered, or nothing to deliver), or an errno with
 * who decided it. */
export function sigurgDecision(world: World, task: Task, req: SigurgRequest, e: Evaluation): { errno: number; by: 'landlock' | 'kernel' } {
  const ent = resolveFd(task, req.fd, isSocketFd);
  if (!ent || ent.obj.kind !== 'socket') return { errno: ERRNO.EBADF, by: 'kernel' };
  const peerId = peerOf(ent.obj.id);
  if (!fileOpen(world, peerId)) return { errno: ERRNO.EPIPE, by: 'kernel' };
  const peer = world.sockets[peerId]!;
  if (peer.owner === 0 || peer.fownSubject === null) return { errno: 0, by: 'kernel' };
  const leader = ownerLeader(world, peer.owner);
  if (typeof leader === 'string') return { errno: 0, by: 'kernel' };
  return isScoped(peer.fownSubject, leader.domain, SCOPE.SIGNAL, e.landlockScope) ? { errno: ERRNO.EPERM, by: 'landlock' } : { errno: 0, by: 'kernel' };
}
