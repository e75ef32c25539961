// Tracer-bounded (delegation.md §6 R5, §12 items 5–6): a tracer decides only the calls a layer
// delegated to it with SECCOMP_RET_TRACE, and only within every layer's kernel-final verdict
// (ERRNO, TRAP, KILL) on the call it lets run — the one it rewrote the call to, re-checked since
// Linux 4.8 (kernel/seccomp.c:__seccomp_filter, recheck_after_trace). The check reads the layers
// themselves (stackVerdict on the call as the tracer left it), not the model's re-check, so a
// design without the re-check is caught.
//
// PTRACE_O_SUSPEND_SECCOMP (§7, §12 item 6) is an out-of-model administrator escape: init-namespace
// CAP_SYS_ADMIN in a tracer with no filter of its own turns every layer of its tracee off. The
// generators make it only when asked (`admin_escape` weight, 0 by default); when a trace holds
// one, this property names it at the first call a layer would have decided otherwise, rather than
// the weakening properties passing it silently (their tables are the layers' decisions) or
// failing with a weakening they cannot explain.
import type { Property } from './property.js';
import { firstStepViolation } from './property.js';
import type { StepView } from './step-view.js';
import { stackVerdict, seccompOutcome, seccompVerdict } from '../model/seccomp/eval.js';
import { evaluationOf } from '../model/evaluation.js';
import { requestSyscall } from '../model/request-syscall.js';
import { formatOutcome } from '../model/outcome.js';
import { permissiveness, describeRequest } from './decisions.js';

const FINAL: ReadonlySet<string> = new Set(['errno', 'trap', 'kill_thread', 'kill_process']);

function checkStep(view: StepView) {
  const { op, before, out } = view.step;
  if (op.op !== 'probe' || out.result.kind !== 'probe') return null;
  const p = out.result.probe;
  if (!p.trace && !p.suspended) return null;
  const task = before.tasks.byTid(out.tid);
  if (!task) return null;
  const e = evaluationOf(before.semantics);
  if (p.suspended) {
    const v = seccompVerdict(task, requestSyscall(op.request), e);
    if (!v || v.action === 'allow' || v.action === 'log') return null;
    return {
      message: `t${task.tid}'s ${describeRequest(op.request)} ran with no filter evaluated: its tracer suspended seccomp (PTRACE_O_SUSPEND_SECCOMP), an administrator escape outside the layering model (delegation.md §12.6); its layers say ${v.action}`,
      details: { escape: 'PTRACE_O_SUSPEND_SECCOMP', tid: task.tid, verdict: v, outcome: p.outcome },
    };
  }
  const t = p.trace!;
  if (task.filter === null) return null;
  const v = stackVerdict(task.filter, t.call, e);
  if (!FINAL.has(v.action)) return null;
  const bound = seccompOutcome(before, task, v);
  if (permissiveness(p.outcome) <= permissiveness(bound)) return null;
  return {
    message: `tracer t${t.tracer} turned t${task.tid}'s RET_TRACE'd ${describeRequest(op.request)} into syscall ${t.call.nr}, which layer ${v.layer} decides ${v.action} (${formatOutcome(bound)}), and it came to ${formatOutcome(p.outcome)}: no re-check after the stop (R5)`,
    details: { tracer: t.tracer, tid: task.tid, call: t.call, layer: v.layer, verdict: v, outcome: p.outcome },
  };
}

export const TRACER_BOUNDED: Property = {
  id: 'tracer-bounded',
  statement: 'A tracer decides only RET_TRACE\'d calls, within every layer\'s ERRNO/TRAP/KILL verdict on the call it lets run; a suspended task\'s unfiltered call is named as the SUSPEND_SECCOMP administrator escape.',
  source: 'delegation.md §6 R5, §12 items 5–6; kernel/seccomp.c:__seccomp_filter (recheck_after_trace), kernel/ptrace.c:check_ptrace_options',
  threadScope: 'all',
  threadNote: 'The traced task itself: its own layers bound its tracer.',
  on: { ops: ['probe'] },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
