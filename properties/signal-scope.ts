// Signal scope (landlock.md §4 "Signal exceptions"; LANDLOCK_SCOPE_SIGNAL): a signal a task
// causes never reaches a task outside the scope of the domain that caused it, except within
// one process.
//   - kill(2) (the `signal` probe): the sender's domain at the call (hook_task_kill).
//   - SIGURG through a file's F_SETOWN owner (the `sigurg` probe): the domain its owner-setter
//     had at F_SETOWN, not the sender's (hook_file_set_fowner records it; hook_file_send_sigiotask
//     checks every recipient with it) — for each recipient, so a process-group owner is held to
//     it at every member outside the setter's own process.
// The check reads who set the owner (SocketFile.fownSetter and fownSetterTgid, written when the
// owner is set whatever a design records) and the recipient's domain at the send, and
// compares them with the design's own scope relation — so a design whose bookkeeping loses a
// record is caught (the `fown-group-head` variant: Landlock before the fix of
// control_current_fowner for PIDTYPE_PGID), while one that scopes by another relation is judged
// by that relation (the weakening properties judge the relation).
import type { Property } from './property.js';
import { firstStepViolation } from './property.js';
import type { StepView } from './step-view.js';
import { evaluationOf } from '../model/evaluation.js';
import { isScoped } from '../model/landlock/scope.js';
import { SCOPE } from '../model/landlock/access.js';
import { sigurgReach, sigurgFile } from '../model/landlock/fown.js';
import { resolveTask } from '../model/task-ref.js';
import { describeRequest } from './decisions.js';

function checkStep(view: StepView) {
  const { op, before, out } = view.step;
  if (op.op !== 'probe' || out.result.kind !== 'probe') return null;
  const p = out.result.probe;
  // a call a tracer rewrote or a suspended one is tracer-bounded's; only a delivered signal counts
  if (p.trace || p.suspended || p.outcome.kind !== 'allow') return null;
  const task = before.tasks.byTid(out.tid);
  if (!task) return null;
  const r = op.request;
  const e = evaluationOf(before.semantics);
  if (r.kind === 'signal') {
    const target = resolveTask(before, r.target);
    if (!target || target.tgid === task.tgid || !isScoped(task.domain, target.domain, SCOPE.SIGNAL, e.landlockScope)) return null;
    return {
      message: `t${task.tid}'s kill() reached t${target.tid}, outside its domain's signal scope`,
      details: { tid: task.tid, target: target.tid, request: describeRequest(r) },
    };
  }
  if (r.kind !== 'sigurg') return null;
  const reach = sigurgReach(before, task, r);
  const file = sigurgFile(before, task, r);
  if (reach === null || file === null || reach.leader.tgid === file.fownSetterTgid || !isScoped(file.fownSetter, reach.leader.domain, SCOPE.SIGNAL, e.landlockScope)) return null;
  return {
    message: `t${task.tid}'s SIGURG reached t${reach.leader.tid} through a ${reach.ownerType} owner whose setter's domain scopes it out (the domain recorded at F_SETOWN: ${file.fownSubject === null ? 'none' : `layer ${file.fownSubject.id}`})`,
    details: { tid: task.tid, recipient: reach.leader.tid, ownerType: reach.ownerType, setterLayer: file.fownSetter?.id ?? null, recordedLayer: file.fownSubject?.id ?? null },
  };
}

export const SIGNAL_SCOPE: Property = {
  id: 'signal-scope',
  statement: 'A signal reaches a task outside the signal scope of the domain that caused it — the sender\'s for kill(), the owner-setter\'s at F_SETOWN for SIGURG, at every recipient — only within one process.',
  source: 'landlock.md §4 Signal exceptions; security/landlock/task.c:hook_task_kill, fs.c:hook_file_set_fowner, hook_file_send_sigiotask (control_current_fowner)',
  threadScope: 'processes',
  threadNote: 'Signals between the threads of one process are always allowed (Landlock erratum 2).',
  on: { ops: ['probe'] },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
