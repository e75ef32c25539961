// The seccomp user-notification supervisor protocol (kernel/seccomp.c: seccomp_do_user_notification,
// seccomp_notify_recv, seccomp_notify_send, seccomp_notify_id_valid, seccomp_notify_addfd,
// seccomp_notify_set_flags, seccomp_notify_poll, seccomp_notify_detach, seccomp_get_notif_sizes;
// facts U1–U39 of /work/shared/spec/delegation.md).
//
// Two modes. Before a `notif_supervise` step (world.notifs === null, every scenario written
// before these ops) a notified call is answered at once by the harness: the model records the
// probe's `notify` outcome and nothing waits (the conformance executor answers ECANCELED). After
// it, a call whose verdict is USER_NOTIF with an open listener *blocks its thread*: a pending
// notification (INIT) is state, the blocked thread can run no op but `notif_return`, and only a
// holder of the listener's descriptor completes it (SEND, ADDFD|SEND), or the release of the
// listener's last descriptor (ENOSYS, U22/U23), or the thread's death (U25/U26).
//
// Notifications are named in ops by the thread blocked in them (`target`, a task reference):
// a supervisor learns a notification's id from RECV only, so a notification not yet received
// (INIT) has no id the supervisor could name — SEND/ADDFD to it are `invalid` (not generated),
// and ID_VALID then uses an id of no live notification, which the kernel answers ENOENT as it
// answers INIT (U12). A task with no pending notification on that listener gets the same ENOENT.
import type { Op } from '../ops.js';
import { isAnySocket } from '../task/socket.js';
import type { World, Task, FdEntry } from '../state.js';
import { worldWith } from '../state.js';
import type { OpResult, StepOut } from '../result.js';
import { ok, err, fail, invalid } from '../result.js';
import { ERRNO } from '../errno.js';
import { MAX_ERRNO } from '../limits.js';
import type { Notifications, PendingNotif } from './notify-state.js';
import { NO_NOTIFICATIONS } from './notify-state.js';
import { listenerOpen } from './eval.js';
import { resolveFd, installFd } from '../task/fds.js';
import { decideContinued } from '../probe.js';

type OpOf<K extends Op['op']> = Extract<Op, { op: K }>;

/** struct seccomp_notif_resp.flags: SECCOMP_USER_NOTIF_FLAG_CONTINUE. */
export const NOTIF_FLAG_CONTINUE = 1;
/** struct seccomp_notif_addfd.flags: SETFD, SEND. */
export const ADDFD_FLAG_SETFD = 1;
export const ADDFD_FLAG_SEND = 2;
/** SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, the only flag NOTIF_SET_FLAGS accepts. */
export const NOTIF_FD_SYNC_WAKE_UP = 1;
/** seccomp_get_notif_sizes (U7): sizeof(struct seccomp_notif), _resp, seccomp_data. */
export const NOTIF_SIZES = { notif: 80, resp: 24, data: 64 } as const;
/** notif_sizes' return: the three sizes in one readable number. */
export const NOTIF_SIZES_RET = NOTIF_SIZES.notif * 1_000_000 + NOTIF_SIZES.resp * 1000 + NOTIF_SIZES.data;
/** poll(2) bits. */
export const POLLIN = 0x1;
export const POLLOUT = 0x4;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;

/** The pending notification the thread `tid` is blocked in, if any. */
export function blockedIn(world: World, tid: number): PendingNotif | undefined {
  const n = world.notifs;
  if (n === null) return undefined;
  for (const p of n.list) if (p.tid === tid) return p;
  return undefined;
}

/** Does some live task's stack hold the filter with listener `id` (the filter has users)? */
export function filterHasUsers(world: World, id: number): boolean {
  for (const t of world.tasks) for (let f = t.filter; f; f = f.prev) if (f.listener === id) return true;
  return false;
}

function withNotifs(world: World, list: readonly PendingNotif[], nextSeq = world.notifs!.nextSeq): World {
  return worldWith(world, { notifs: { list, nextSeq } });
}

/** `notif_supervise`: from here on, notifications wait for the scenario's supervisor. */
export function notifSupervise(world: World, task: Task): StepOut {
  if (world.notifs !== null) return { world, result: ok(0), tid: task.tid };
  return { world: worldWith(world, { notifs: NO_NOTIFICATIONS }), result: ok(0), tid: task.tid };
}

/**
 * seccomp_do_user_notification: a step whose call was notified (a probe's `notify` outcome, or
 * an op stopped by `notify`) leaves its thread blocked in a new INIT notification — in
 * supervised scenarios only (before `notif_supervise` the harness answered it).
 */
export function blockOnNotification(before: World, out: StepOut, op: Op): StepOut {
  const notifs = out.world.notifs;
  if (notifs === null) return out;
  const r = out.result;
  const outcome = r.kind === 'probe' ? r.probe.outcome : r.kind === 'stopped' ? r.outcome : null;
  if (outcome === null || outcome.kind !== 'notify') return out;
  const p: PendingNotif = {
    seq: notifs.nextSeq,
    listener: outcome.listener,
    tid: out.tid,
    state: 'init',
    request: op.op === 'probe' ? op.request : null,
    verdict: r.kind === 'probe' ? r.probe.seccomp : null,
    op: op.op,
    answer: null,
  };
  void before;
  return { world: withNotifs(out.world, [...notifs.list, p], notifs.nextSeq + 1), result: r, tid: out.tid };
}

const ENOSYS_ANSWER: OpResult = err(ERRNO.ENOSYS);

/**
 * After every step of a supervised scenario: a notification whose thread died is gone
 * (seccomp_do_user_notification's wait ends on the fatal signal and unlinks it: U25, U26); one
 * whose listener's last descriptor was released is answered −ENOSYS (seccomp_notify_detach, U22,
 * U23). `execGroup`: the thread group of a successful exec in this step, whose other threads
 * died. Returns the same world when nothing changed.
 */
export function settleNotifications(world: World, execGroup = 0): World {
  const n = world.notifs;
  if (n === null || n.list.length === 0) return world;
  let changed = false;
  const next: PendingNotif[] = [];
  for (const p of n.list) {
    // an exec by another thread of the group killed the blocked one (fs/exec.c:de_thread), even
    // when the exec'ing thread took over its tid (a non-leader's exec takes the leader's)
    if (!world.tasks.byTid(p.tid) || (execGroup !== 0 && world.tasks.byTid(p.tid)!.tgid === execGroup)) { changed = true; continue; }
    if (p.state !== 'replied' && !listenerOpen(world, p.listener)) {
      changed = true;
      next.push({ ...p, state: 'replied', answer: ENOSYS_ANSWER });
      continue;
    }
    next.push(p);
  }
  return changed ? withNotifs(world, next) : world;
}

/** The ops that name a notification, and so need a supervised scenario. */
const NEEDS_SUPERVISION: ReadonlySet<string> = new Set(['notif_recv', 'notif_send', 'notif_id_valid', 'notif_addfd']);

/**
 * An op that names a notification in a scenario without a supervisor (the harness already
 * answered every notification): out of scope, `invalid` before its call meets any filter — the
 * executor refuses it before the task makes the call (conformance/native/notify.c), so a filter
 * that would stop the ioctl must not decide it first (found by strata conform: a shrunk scenario
 * that had lost its notif_supervise step).
 */
export function unsupervisedNotif(world: World, task: Task, op: Op): StepOut | null {
  return world.notifs === null && NEEDS_SUPERVISION.has(op.op) ? fail(world, task.tid, invalid(`${op.op}: notifications are answered by the harness before a notif_supervise step`)) : null;
}

/** poll(2) of a socket: its readiness follows data the model does not keep (model/task/socket.ts);
 * `invalid`, and the executor does not make it. */
export function pollOutsideModel(world: World, task: Task, op: OpOf<'notif_poll'>): StepOut | null {
  const e = resolveFd(task, op.fd);
  return e !== undefined && isAnySocket(e.obj) ? fail(world, task.tid, invalid('notif_poll of a socket: its readiness is not modelled')) : null;
}

/**
 * The listener behind the task's `fd`-th descriptor, or the failing step: an empty table is
 * EBADF; a descriptor of another kind does not know the listener ioctls — ENOTTY, as a Landlock
 * ruleset's file (M2: it has no unlocked_ioctl).
 */
function listenerAt(world: World, task: Task, fd: number): { entry: FdEntry; id: number } | StepOut {
  const e = resolveFd(task, fd);
  if (!e) return fail(world, task.tid, err(ERRNO.EBADF));
  if (e.obj.kind !== 'listener') return fail(world, task.tid, err(ERRNO.ENOTTY));
  return { entry: e, id: e.obj.id };
}

/**
 * SECCOMP_IOCTL_NOTIF_RECV (seccomp_notify_recv, U10–U13): the oldest INIT notification of the
 * filter becomes SENT and its pid (the blocked thread's tid) is returned. With none queued and
 * no task using the filter: ENOENT at once (recv_wait_event). With none queued while the filter
 * has users the call would block: the step is `invalid` (the executor refuses to block too).
 */
export function notifRecv(world: World, task: Task, op: OpOf<'notif_recv'>): StepOut {
  const l = listenerAt(world, task, op.fd);
  if ('world' in l) return l;
  const list = world.notifs!.list;
  let first = -1;
  for (let k = 0; k < list.length; k++) {
    const p = list[k]!;
    if (p.listener === l.id && p.state === 'init' && (first < 0 || p.seq < list[first]!.seq)) first = k;
  }
  if (first < 0) {
    if (!filterHasUsers(world, l.id)) return fail(world, task.tid, err(ERRNO.ENOENT));
    return fail(world, task.tid, invalid('notif_recv: no notification is queued and the filter has users: the call would block'));
  }
  const p = list[first]!;
  const next = list.slice();
  next[first] = { ...p, state: 'sent' };
  return { world: withNotifs(world, next), result: ok(p.tid), tid: task.tid };
}

/** The notification `target` is blocked in on listener `id`, with its index. */
function targetNotif(world: World, target: number, id: number): { p: PendingNotif; k: number } | null {
  const n = world.tasks.length;
  if (n === 0 || !Number.isInteger(target)) return null;
  const t = world.tasks.at(((target % n) + n) % n)!;
  const list = world.notifs!.list;
  for (let k = 0; k < list.length; k++) if (list[k]!.tid === t.tid && list[k]!.listener === id) return { p: list[k]!, k };
  return null;
}

/** What the blocked call returns for an answer (syscall_set_return_value: error if ≠ 0, else
 * val, U15 — the sign of error is not checked, so +5 returns 5). */
function answerResult(val: number, error: number): OpResult {
  const r = error !== 0 ? error : val;
  return r < 0 && r >= -MAX_ERRNO ? err(-r) : ok(r);
}

/**
 * SECCOMP_IOCTL_NOTIF_SEND (seccomp_notify_send, U14, U15, U16): flags other than CONTINUE →
 * EINVAL; CONTINUE with val or error ≠ 0 → EINVAL; an id of no notification → ENOENT; INIT →
 * EINPROGRESS (not expressible: see the head comment); SENT → REPLIED, the blocked call returns
 * the answer, or with CONTINUE runs (its Landlock checks still apply: decideContinued).
 */
export function notifSend(world: World, task: Task, op: OpOf<'notif_send'>): StepOut {
  const l = listenerAt(world, task, op.fd);
  if ('world' in l) return l;
  const flags = op.flags >>> 0;
  if ((flags & ~NOTIF_FLAG_CONTINUE) !== 0) return fail(world, task.tid, err(ERRNO.EINVAL));
  const cont = (flags & NOTIF_FLAG_CONTINUE) !== 0;
  if (cont && (op.error !== 0 || op.val !== 0)) return fail(world, task.tid, err(ERRNO.EINVAL));
  const hit = targetNotif(world, op.target, l.id);
  if (!hit || hit.p.state === 'replied') return fail(world, task.tid, err(ERRNO.ENOENT));
  if (hit.p.state === 'init') return fail(world, task.tid, invalid('notif_send: the notification was not received: the supervisor knows no id for it'));
  let answer: OpResult;
  if (cont) {
    if (hit.p.request === null) return fail(world, task.tid, invalid(`notif_send: CONTINUE of ${hit.p.op}'s own syscall is not modelled`));
    const target = world.tasks.byTid(hit.p.tid)!;
    answer = { kind: 'probe', probe: decideContinued(world, target, hit.p.request) };
  } else {
    answer = answerResult(op.val, op.error);
  }
  const next = world.notifs!.list.slice();
  next[hit.k] = { ...hit.p, state: 'replied', answer };
  return { world: withNotifs(world, next), result: ok(0), tid: task.tid };
}

/** SECCOMP_IOCTL_NOTIF_ID_VALID (seccomp_notify_id_valid, U12): 0 only in SENT, else ENOENT. */
export function notifIdValid(world: World, task: Task, op: OpOf<'notif_id_valid'>): StepOut {
  const l = listenerAt(world, task, op.fd);
  if ('world' in l) return l;
  const hit = targetNotif(world, op.target, l.id);
  return fail(world, task.tid, hit && hit.p.state === 'sent' ? ok(0) : err(ERRNO.ENOENT));
}

/**
 * SECCOMP_IOCTL_NOTIF_ADDFD (seccomp_notify_addfd, U17–U19): flags other than SETFD|SEND →
 * EINVAL; SETFD is not generated (EINVAL without a newfd is modelled: newfd 0 without SETFD is
 * fine, SETFD with newfd 0 would replace fd 0 — refused as invalid); a bad source fd → EBADF; no
 * notification → ENOENT; SENT → the source's file is installed in the target at its lowest free
 * number (FD_CLOEXEC with newfd_flags O_CLOEXEC) and its number returned; with SEND the call
 * returns that number and the notification is answered (a later SEND → ENOENT, U19).
 */
export function notifAddfd(world: World, task: Task, op: OpOf<'notif_addfd'>): StepOut {
  const l = listenerAt(world, task, op.fd);
  if ('world' in l) return l;
  const flags = op.flags >>> 0;
  if ((flags & ~(ADDFD_FLAG_SETFD | ADDFD_FLAG_SEND)) !== 0) return fail(world, task.tid, err(ERRNO.EINVAL));
  if ((flags & ADDFD_FLAG_SETFD) !== 0) return fail(world, task.tid, invalid('notif_addfd: SETFD is not modelled'));
  const src = resolveFd(task, op.src);
  if (!src) return fail(world, task.tid, err(ERRNO.EBADF));
  const hit = targetNotif(world, op.target, l.id);
  if (!hit || hit.p.state === 'replied') return fail(world, task.tid, err(ERRNO.ENOENT));
  if (hit.p.state === 'init') return fail(world, task.tid, invalid('notif_addfd: the notification was not received: the supervisor knows no id for it'));
  const target = world.tasks.byTid(hit.p.tid)!;
  const r = installFd(world, target, src.obj, op.cloexec);
  let w = r.world;
  if ((flags & ADDFD_FLAG_SEND) !== 0) {
    const next = w.notifs!.list.slice();
    next[hit.k] = { ...hit.p, state: 'replied', answer: ok(r.fd) };
    w = withNotifs(w, next);
  }
  return { world: w, result: ok(r.fd), tid: task.tid };
}

/** SECCOMP_IOCTL_NOTIF_SET_FLAGS (seccomp_notify_set_flags, U8): the flag by value; 0 or
 * SYNC_WAKE_UP → 0 (only which CPU is woken changes), anything else → EINVAL. */
export function notifSetFlags(world: World, task: Task, op: OpOf<'notif_set_flags'>): StepOut {
  const l = listenerAt(world, task, op.fd);
  if ('world' in l) return l;
  const f = op.flags;
  return fail(world, task.tid, f === 0 || f === NOTIF_FD_SYNC_WAKE_UP ? ok(0) : err(ERRNO.EINVAL));
}

/** seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &sizes) (seccomp_get_notif_sizes, U7). */
export function notifSizes(world: World, task: Task): StepOut {
  return fail(world, task.tid, ok(NOTIF_SIZES_RET));
}

/**
 * poll(2) for POLLIN|POLLOUT (seccomp_notify_poll, U21): POLLIN if a notification is INIT,
 * POLLOUT if one is SENT, POLLHUP when the filter has no users. A descriptor of another kind:
 * its file has no poll method, so DEFAULT_POLLMASK answers POLLIN|POLLOUT (fs/select.c:vfs_poll);
 * no descriptor at all: POLLNVAL.
 */
export function notifPoll(world: World, task: Task, op: OpOf<'notif_poll'>): StepOut {
  const e = resolveFd(task, op.fd);
  // poll(2) does not fail on a bad descriptor: its revents say POLLNVAL (fs/select.c:do_pollfd)
  if (!e) return fail(world, task.tid, ok(POLLNVAL));
  if (e.obj.kind !== 'listener') return fail(world, task.tid, ok(POLLIN | POLLOUT));
  const id = e.obj.id;
  let rev = 0;
  for (const p of world.notifs?.list ?? []) {
    if (p.listener !== id) continue;
    if (p.state === 'init') rev |= POLLIN;
    else if (p.state === 'sent') rev |= POLLOUT;
  }
  if (!filterHasUsers(world, id)) rev |= POLLHUP;
  return fail(world, task.tid, ok(rev));
}

/** The blocked call has returned: its answer, and the thread runs on. Still waiting, or not
 * blocked at all: invalid. */
export function notifReturn(world: World, task: Task): StepOut {
  const p = blockedIn(world, task.tid);
  if (!p) return fail(world, task.tid, invalid('notif_return: the task is not in a notified call'));
  if (p.state !== 'replied' || p.answer === null) return fail(world, task.tid, invalid('notif_return: the task is still blocked in its notified call'));
  return { world: withNotifs(world, world.notifs!.list.filter((x) => x !== p)), result: p.answer, tid: task.tid };
}

/** A step aimed at a thread blocked in a notified call (its own op, or a descriptor or a
 * task-relative probe towards it) cannot run: the thread is asleep in the kernel. */
export function blockedStep(world: World, task: Task, op: Op): StepOut | null {
  const n: Notifications | null = world.notifs;
  // notif_return collects the call; compromise and notif_supervise are the harness's (no call)
  if (n === null || n.list.length === 0 || op.op === 'notif_return' || op.op === 'compromise' || op.op === 'notif_supervise') return null;
  if (blockedIn(world, task.tid)) return fail(world, task.tid, invalid(`${op.op}: task ${task.tid} is blocked in a notified call`));
  let ref: number | undefined;
  if (op.op === 'send_fd') ref = op.to;
  else if (op.op === 'probe' && (op.request.kind === 'signal' || op.request.kind === 'ptrace' || op.request.kind === 'abstract_unix')) ref = op.request.target;
  if (ref === undefined) return null;
  const len = world.tasks.length;
  if (!Number.isInteger(ref)) return null;
  const t = world.tasks.at(((ref % len) + len) % len)!;
  if (blockedIn(world, t.tid)) return fail(world, task.tid, invalid(`${op.op}: its target ${t.tid} is blocked in a notified call`));
  return null;
}
