// I10 inheritance (layering-designs §5): right after fork/thread the child's stacks are the
// parent's (S(c) = S(p)); exec leaves the caller's stacks unchanged.
// kernel/fork.c:copy_seccomp, security/landlock/cred.c:hook_cred_prepare, fs/exec.c.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { taskOf } from './step-view.js';
import { sameStacks, formatStacks } from './stacks.js';

function checkStep(view: StepView) {
  const { op, after, out } = view.step;
  if (!view.ok || !view.actor || out.result.kind !== 'ok') return null;
  if (op.op === 'fork' || op.op === 'thread') {
    const child = taskOf(after, out.result.ret);
    const parent = view.actorAfter;
    if (!child || !parent) {
      return { message: `${describeStep(view)} returned ${out.result.ret}, which is not a live task`, details: { ret: out.result.ret } };
    }
    if (sameStacks(parent, child)) return null;
    return { message: `${describeStep(view)}: child ${child.tid} did not inherit the parent's layers`, details: { parent: formatStacks(parent), child: formatStacks(child) } };
  }
  if (op.op === 'exec') {
    const a = view.actorAfter;
    if (a && sameStacks(view.actor, a) && a.seccompMode === view.actor.seccompMode) return null;
    return {
      message: `${describeStep(view)} changed the caller's layers`,
      details: { task: view.actor.tid, before: formatStacks(view.actor), after: a ? formatStacks(a) : null },
    };
  }
  return null;
}

export const I10: Property = {
  id: 'I10',
  statement: 'Right after fork or thread the child has the parent\'s stacks, and exec leaves the caller\'s stacks unchanged.',
  source: 'layering-designs §5 I10; kernel/fork.c:copy_seccomp, security/landlock/cred.c:hook_cred_prepare, fs/exec.c:begin_new_exec',
  threadScope: 'all',
  threadNote: 'Threads inherit like processes.',
  on: { ops: ['fork', 'thread', 'exec'], ok: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
