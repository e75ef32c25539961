// children-never-weakened: the question of the 2017 review. After any step taken by another
// process, a forked task's decision table over the universe is never more permissive, unless
// through an explicit relaxation path of the variant: a modify of a layer it holds created
// ANY or STRICTER (STRICTER cannot weaken anyway; I7 checks it), or a supervisor commit.
// (Delegated USER_NOTIF decisions are not ops of the model.) Every decision is compared
// (properties/weakening.ts), task-relative ones included.
// Thread scope: the forked process is the unit, as in I1; its own threads are I2-thread's.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { changedLayersOfTask } from './step-view.js';
import type { ModelTrace } from './trace.js';
import { weakeningOf, weakeningMessage } from './weakening.js';

function checkStep(view: StepView, trace: ModelTrace) {
  if (view.step.after === view.step.before || !view.actor) return null;
  const rootTgid = trace.initial.tasks.at(0)!.tgid;
  const x = view.actor;
  for (const s of view.redecided) {
    if (s.before.tgid === rootTgid || s.before.tgid === x.tgid) continue;
    const w = weakeningOf(trace, view, s);
    if (!w) continue;
    if (view.relaxation === 'commit') continue;
    if (view.relaxation === 'modify') {
      const changed = changedLayersOfTask(s);
      if (changed.length > 0 && changed.every((c) => c.before.mutability !== 'immutable')) continue;
    }
    return { message: `${describeStep(view)}: forked ${weakeningMessage(w)}`, details: { ...w, actor: x.tid } };
  }
  return null;
}

export const CHILDREN_NEVER_WEAKENED: Property = {
  id: 'children-never-weakened',
  statement: 'No call by another process makes a forked task more permissive, except an explicit relaxation of a layer it holds (ANY/STRICTER modify, supervisor commit).',
  source: 'Lutomirski/Salaün review of Landlock v5, Feb-Mar 2017 (layering-designs §1, §6); kernel/fork.c:copy_seccomp',
  threadScope: 'processes',
  threadNote: 'Forked tasks versus other thread groups; the first task and sibling threads are I2/I2-thread\'s.',
  // Only steps after which some survivor may decide differently (step-view.ts:redecided).
  on: { redecided: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
