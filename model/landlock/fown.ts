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
//   - An owner thread (F_OWNER_TID) gets it alone, checked against its own domain; a process
//     group (F_SETOWN with -pgid) gets it at every member process's leader, each checked
//     (send_sigurg's do_each_pid_task), so one send may reach some members and not others —
//     always the setter's own process since the fix for CVE-2026-72183, which records the
//     setter's thread group with its domain (semantics.sigioScopeFix).
// The probe's outcome is the delivery at one task: the request's `to` (its process for a process
// or group owner, the task itself for a thread owner), or without `to` the owner itself:
// allowed, EPERM (the hook's answer) when it is dropped, ESRCH when the send does not address
// `to` at all. No owner, or an owner that is gone, sends nothing: allowed without `to`. With no
// descriptor the send fails EBADF; with the other end's file released (no descriptor left) EPIPE
// (unix_stream_sendmsg; the executor passes MSG_NOSIGNAL). A leader that has exited while its
// threads live is still the signal's target in the kernel (a zombie keeps its credentials), but
// the model keeps no exited task: such a probe is `invalid`, and the executor does not make it
// (so is one observed at a process whose leader has exited, and a group owner's without `to`);
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
import { resolveTask } from '../task-ref.js';
import type { SocketFile } from '../task/socket.js';
import { isSocketFd, peerOf, fileOpen } from '../task/socket.js';
import { processLeader } from '../task/pgrp.js';
import { linkOfTracee } from '../ptrace/state.js';
import { isScoped } from './scope.js';
import { SCOPE } from './access.js';

/** A SIGURG the model cannot decide, as the op's result; else null. In the executor's order: a
 * supervisor or tracer may hold the send; `to` names no task; then, only for a send that can
 * deliver, an owner process or an observed one whose leader has exited, a group owner without
 * `to`. */
export function sigurgOutsideModel(world: World, task: Task, req: SigurgRequest): StepOut | null {
  if (world.notifs !== null) return fail(world, task.tid, invalid('sigurg: the scenario\'s supervisor may hold the send'));
  if (world.ptrace.links.length !== 0 && linkOfTracee(world, task.tid)) return fail(world, task.tid, invalid('sigurg: a traced task\'s send may stop at its tracer'));
  const to = req.to === undefined ? undefined : resolveTask(world, req.to);
  if (req.to !== undefined && to === undefined) return fail(world, task.tid, invalid('sigurg: no live task to observe'));
  const peer = sigurgFile(world, task, req);
  if (peer === null) return null;
  if (peer.owner !== 0 && peer.ownerType === 'process' && processLeader(world, peer.owner) === 'leaderless') {
    return fail(world, task.tid, invalid('sigurg: the owner process\'s leader has exited; the model keeps no exited task'));
  }
  if (to !== undefined && processLeader(world, to.tgid) === 'leaderless') return fail(world, task.tid, invalid('sigurg: the observed process\'s leader has exited; the model keeps no exited task'));
  if (to === undefined && peer.owner !== 0 && peer.ownerType === 'group') return fail(world, task.tid, invalid('sigurg: a process-group owner\'s delivery is observed at a member named by `to`'));
  return null;
}

/** The other end's file when a send on the task's `fd`-th socket can deliver (the socket exists
 * and the other end is open), else null. */
export function sigurgFile(world: World, task: Task, req: SigurgRequest): SocketFile | null {
  const e = resolveFd(task, req.fd, isSocketFd);
  if (!e || e.obj.kind !== 'socket') return null;
  const peerId = peerOf(e.obj.id);
  if (!fileOpen(world, peerId)) return null;
  return world.sockets[peerId] ?? null;
}

/** Where the observed delivery goes: the task whose domain the hook checks (the leader of the
 * observed process for a process or group owner, the thread for a thread owner), 'unaddressed'
 * when the send does not address the observed task, null when nothing is sent and nothing is
 * observed (no owner, or a gone one, without `to`). */
function observedRecipient(world: World, peer: SocketFile, to: Task | undefined): Task | 'unaddressed' | null {
  if (to === undefined) {
    if (peer.owner === 0) return null;
    if (peer.ownerType === 'thread') return world.tasks.byTid(peer.owner) ?? null;
    const leader = processLeader(world, peer.owner);
    return typeof leader === 'string' ? null : leader;
  }
  if (peer.owner === 0) return 'unaddressed';
  switch (peer.ownerType) {
    case 'process': return to.tgid === peer.owner ? (world.tasks.byTid(to.tgid) ?? 'unaddressed') : 'unaddressed';
    case 'thread': return to.tid === peer.owner ? to : 'unaddressed';
    case 'group': return to.pgid === peer.owner ? (world.tasks.byTid(to.tgid) ?? 'unaddressed') : 'unaddressed';
  }
}

/** Whom a SIGURG sent on the task's `fd`-th socket would reach at the observed task, and with
 * which recorded domain; null when nothing would be observed or the model cannot tell (for the
 * coverage report). */
export function sigurgReach(world: World, task: Task, req: SigurgRequest): { readonly leader: Task; readonly subject: DomainNode | null; readonly ownerType: SocketFile['ownerType'] } | null {
  const peer = sigurgFile(world, task, req);
  if (peer === null) return null;
  const to = req.to === undefined ? undefined : resolveTask(world, req.to);
  const r = observedRecipient(world, peer, to);
  return r === null || r === 'unaddressed' ? null : { leader: r, subject: peer.fownSubject, ownerType: peer.ownerType };
}

/** The send's and the observed delivery's outcome: 0 (delivered, or nothing to deliver and
 * nothing observed), or an errno with who decided it. */
export function sigurgDecision(world: World, task: Task, req: SigurgRequest, e: Evaluation): { errno: number; by: 'landlock' | 'kernel' } {
  const ent = resolveFd(task, req.fd, isSocketFd);
  if (!ent || ent.obj.kind !== 'socket') return { errno: ERRNO.EBADF, by: 'kernel' };
  const peerId = peerOf(ent.obj.id);
  if (!fileOpen(world, peerId)) return { errno: ERRNO.EPIPE, by: 'kernel' };
  const peer = world.sockets[peerId]!;
  const to = req.to === undefined ? undefined : resolveTask(world, req.to);
  const r = observedRecipient(world, peer, to);
  if (r === null) return { errno: 0, by: 'kernel' };
  if (r === 'unaddressed') return { errno: ERRNO.ESRCH, by: 'kernel' };
  // hook_file_send_sigiotask: nothing recorded, nothing to check; since the fix for
  // CVE-2026-72183 a recipient of the setter's own process is always allowed (a group owner's
  // leader may carry another domain than the thread that set it)
  if (peer.fownSubject === null) return { errno: 0, by: 'kernel' };
  if (world.semantics.sigioScopeFix && r.tgid === peer.fownSetterTgid) return { errno: 0, by: 'kernel' };
  return isScoped(peer.fownSubject, r.domain, SCOPE.SIGNAL, e.landlockScope) ? { errno: ERRNO.EPERM, by: 'landlock' } : { errno: 0, by: 'kernel' };
}
