// Delegated decisions: the convention of /work/shared/spec/delegation.md §12 item 1, stated once.
//
// Only ERRNO, TRAP and KILL_* are kernel-final. A call whose deciding verdict is USER_NOTIF is
// *delegated*: decided by whoever holds the listener of the filter that returned it (`match`,
// kernel/seccomp.c:seccomp_do_user_notification) — a holder, not necessarily the layer's creator
// (the descriptor moves by fork, SCM_RIGHTS and pidfd_getfd: U31, U33). Its ENOSYS once the
// listener is closed (U22), and RET_TRACE's ENOSYS without a tracer (R1), are the fail-closed
// answer of an absent decider, not a decision of the layer. So the decision tables rank
// `notify` and seccomp's ENOSYS as one *delegated* rank between ERRNO and allow
// (properties/decisions.ts: sameDecision, permissiveness), and a supervisor's answer — SEND
// with a value, FLAG_CONTINUE, ADDFD|SEND — is the explicit relaxation path a layer's creator
// chose with SECCOMP_FILTER_FLAG_NEW_LISTENER (delegation.md §12 item 1, I1 exception, I6).
//
// The path is bounded, and `delegationBreach` checks the bound on every answer that lets a call
// proceed (I6: properties/i6-relaxation-explicit.ts):
// 1. the notified call's deciding verdict is USER_NOTIF, and its `match` is the layer whose
//    listener answered — a layer created with NEW_LISTENER;
// 2. no other layer of the caller's stack returns ERRNO, TRAP or KILL for the call: a
//    kernel-final denial of any layer still wins (U36), whatever the supervisor says;
// 3. no other layer delegated the same call to another decider (USER_NOTIF with its own
//    listener, or TRACE to a tracer): the decider is the one the deciding layer's creator chose.
//
// Linux keeps 1 and 2 by its precedence (USER_NOTIF loses to ERRNO, TRAP and KILL:
// seccomp_run_filters) and breaks 3 by design: on a USER_NOTIF tie the newest filter is `match`
// (U37), and USER_NOTIF beats TRACE (U36), so a task that adds its own NEW_LISTENER layer and
// CONTINUEs from a thread runs a call an older layer delegated elsewhere — whose listener is
// closed (ENOSYS) or whose tracer is absent (ENOSYS) (U39, the self-escape). The kernel's own
// uapi comment (include/uapi/linux/seccomp.h, above SECCOMP_USER_NOTIF_FLAG_CONTINUE) documents
// exactly this: "the seccomp notifier _cannot_ be used to implement a security policy"; "For
// SECCOMP_RET_USER_NOTIF filters acting on the same syscall, the most recently added filter takes
// precedence. This means that the new SECCOMP_RET_USER_NOTIF filter can override any
// SECCOMP_IOCTL_NOTIF_SEND from earlier filters, essentially allowing all such filtered syscalls
// to be executed by sending the response SECCOMP_USER_NOTIF_FLAG_CONTINUE. Note that
// SECCOMP_RET_TRACE can equally be overriden by SECCOMP_USER_NOTIF_FLAG_CONTINUE."
// (Documentation/userspace-api/seccomp_filter.rst, "Userspace Notification", says the same of
// the notifier.) So such a call was never *denied* in the kernel's own terms — no decision table
// gets weaker, and I3 holds — but the older layer's delegation is overridden by a party its
// creator did not choose: `linux` violates I6 by design, and its minimal witness is kept in the
// corpus (corpus/section6/22-linux.json past TRACE, 23-linux.json past a closed listener; README "What strata found about Linux").
import type { World, Task } from '../model/state.js';
import type { TraceStep } from './trace.js';
import type { PendingNotif } from '../model/seccomp/notify-state.js';
import { evaluationOf } from '../model/evaluation.js';
import { evalLayer } from '../model/seccomp/eval.js';
import { seccompData } from '../model/seccomp/data.js';
import { requestSyscall } from '../model/request-syscall.js';
import { actionKind } from '../model/seccomp/action.js';
import { NOTIF_FLAG_CONTINUE, ADDFD_FLAG_SEND } from '../model/seccomp/notify.js';

/** The answer lets the blocked call proceed: CONTINUE, a value with no error, or ADDFD|SEND. */
function relaxingAnswer(step: TraceStep): boolean {
  const { op, out } = step;
  if (out.result.kind !== 'ok') return false;
  if (op.op === 'notif_send') return (op.flags & NOTIF_FLAG_CONTINUE) !== 0 || op.error === 0;
  if (op.op === 'notif_addfd') return (op.flags & ADDFD_FLAG_SEND) !== 0;
  return false;
}

/** The notification this step answered (REPLIED after it, not before). */
function answered(step: TraceStep): PendingNotif | undefined {
  const b = step.before.notifs;
  const a = step.after.notifs;
  if (!a || !b) return undefined;
  for (const p of a.list) {
    if (p.state !== 'replied') continue;
    const was = b.list.find((q) => q.seq === p.seq);
    if (was && was.state !== 'replied') return was;
  }
  return undefined;
}

const DATA = new Uint32Array(16);

/**
 * The bound of the delegation path broken by this step's answer, in words, or null. Only a
 * probe's notification is judged (an op's own syscall has no request the model keeps).
 */
export function delegationBreach(step: TraceStep): string | null {
  if ((step.op.op !== 'notif_send' && step.op.op !== 'notif_addfd') || !relaxingAnswer(step)) return null;
  const p = answered(step);
  if (!p || p.request === null || p.verdict === null) return null;
  const world: World = step.before;
  const target: Task | undefined = world.tasks.byTid(p.tid);
  if (!target) return null;
  const v = p.verdict;
  let match = null;
  for (let f = target.filter; f; f = f.prev) if (f.id === v.layer) match = f;
  if (v.action !== 'user_notif' || !match || match.listener !== p.listener) {
    return `t${p.tid}'s call was notified on listener ${p.listener}, but its deciding verdict is ${v.action} of layer ${v.layer ?? '-'}, not USER_NOTIF of that listener's layer`;
  }
  const e = evaluationOf(world.semantics);
  seccompData(requestSyscall(p.request), DATA);
  for (let f = target.filter; f; f = f.prev) {
    if (f === match) continue;
    const kind = actionKind(evalLayer(f, DATA, e));
    if (kind === 'errno' || kind === 'trap' || kind === 'kill_thread' || kind === 'kill_process') {
      return `the supervisor of listener ${p.listener} let t${p.tid}'s call proceed, which layer ${f.id} (created without that listener) denies with ${kind.toUpperCase()}`;
    }
    if (kind === 'user_notif' || kind === 'trace') {
      return `the supervisor of listener ${p.listener} (layer ${match.id}) let t${p.tid}'s call proceed, which layer ${f.id} delegated to ${kind === 'trace' ? 'a tracer (RET_TRACE)' : f.listener === null ? 'a listener it never had (USER_NOTIF)' : `its own listener ${f.listener} (USER_NOTIF)`}`;
    }
  }
  return null;
}
