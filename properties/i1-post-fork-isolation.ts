// I1 post-fork isolation (layering-designs §5): after c = fork(p), no op by a task outside c's
// thread group changes S(c) (ids, order) or the content (rev) of a layer in S(c), unless it is
// an explicit modify/commit on a layer of S(c) created ANY/STRICTER/SUPERVISOR.
// Thread scope: the forked process is the unit; its own threads may change it (seccomp TSYNC
// does, by design), tasks of other thread groups may not. The first task, which no fork made,
// is I4's concern.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { changedLayersOfTask } from './step-view.js';
import type { ModelTrace } from './trace.js';
import { sameStacks, sameIds, formatStacks } from './stacks.js';

function checkStep(view: StepView, trace: ModelTrace) {
  if (view.step.after === view.step.before || !view.actor) return null;
  const rootTgid = trace.initial.tasks.at(0)!.tgid;
  const xTgid = view.actor.tgid;
  for (const s of view.restacked) {
    const y = s.before;
    if (y.tgid === rootTgid || y.tgid === xTgid) continue;
    if (sameStacks(s.before, s.after)) continue;
    if (view.relaxation && sameIds(s.before.filter, s.after.filter) && sameIds(s.before.domain, s.after.domain)) {
      const changed = changedLayersOfTask(s);
      if (view.relaxation === 'commit' || changed.every((c) => c.before.mutability !== 'immutable')) continue;
    }
    return {
      message: `${describeStep(view)} changed the layers of forked task ${y.tid} (another process)`,
      details: { task: y.tid, actor: view.actor.tid, before: formatStacks(s.before), after: formatStacks(s.after) },
    };
  }
  return null;
}

export const I1: Property = {
  id: 'I1',
  statement: 'After c = fork(p), no op by another process changes S(c) or the content of a layer in S(c), except an explicit modify/commit of a layer created mutable.',
  source: 'layering-designs §5 I1; kernel/fork.c:copy_seccomp, security/landlock/cred.c:hook_cred_prepare',
  threadScope: 'processes',
  threadNote: "The forked process is the unit: its own threads may change it (seccomp TSYNC), other thread groups may not.",
  // Only survivors whose stacks changed are looked at.
  on: { restacked: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
