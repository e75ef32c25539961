// I2 no weakening of others (layering-designs §5): for y ≠ x, A'(y) ⊆ A(y), except through
// I6's explicit paths (a successful modify or supervisor commit). Two scopes: I2 protects the
// tasks of other thread groups; I2-thread (the "thread scope" variant of §5) the acting
// task's own sibling threads, which Landlock TSYNC (ABI 8) and gVisor's TSYNC do not respect.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import type { ModelTrace } from './trace.js';
import { weakeningOf, weakeningMessage } from './weakening.js';

function check(view: StepView, trace: ModelTrace, threads: boolean) {
  if (view.step.after === view.step.before || !view.actor || view.relaxation) return null;
  const x = view.actor;
  for (const s of view.redecided) {
    const y = s.before;
    if (y.tid === x.tid || (y.tgid === x.tgid) !== threads) continue;
    const w = weakeningOf(trace, view, s);
    if (w) return { message: `${describeStep(view)}: ${weakeningMessage(w)}`, details: { ...w, actor: x.tid } };
  }
  return null;
}

const checkProcesses = (v: StepView, t: ModelTrace) => check(v, t, false);
const checkThreads = (v: StepView, t: ModelTrace) => check(v, t, true);

export const I2: Property = {
  id: 'I2',
  statement: "No op makes a task of another thread group more permissive, except an explicit modify or supervisor commit.",
  source: 'layering-designs §5 I2; kernel/seccomp.c:seccomp_run_filters, security/landlock/ruleset.c:landlock_unmask_layers',
  threadScope: 'processes',
  threadNote: 'Tasks of other thread groups; sibling threads are I2-thread.',
  // Only steps after which some survivor may decide differently (step-view.ts:redecided).
  on: { redecided: true },
  stepCheck: checkProcesses,
  check: (trace) => firstStepViolation(trace, checkProcesses),
};

export const I2_THREAD: Property = {
  id: 'I2-thread',
  statement: "No op makes a sibling thread of the caller more permissive, except an explicit modify or supervisor commit.",
  source: 'layering-designs §5 I2 (thread scope); kernel/seccomp.c:seccomp_can_sync_threads, security/landlock/tsync.c',
  threadScope: 'threads',
  threadNote: 'The thread group is not a boundary: siblings are protected too (seccomp TSYNC respects it, Landlock TSYNC does not).',
  on: { redecided: true },
  stepCheck: checkThreads,
  check: (trace) => firstStepViolation(trace, checkThreads),
};
