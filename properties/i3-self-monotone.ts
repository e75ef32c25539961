// I3 self-monotone (layering-designs §5): A'(x) ⊆ A(x) for the acting task, except a modify of
// an ANY layer and a supervisor commit. Exec reset is not excepted: e3 violates I3 (§6).
// Every decision of the caller is compared (properties/weakening.ts), adds included: a new
// layer must not loosen anything, whatever the design's evaluation.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { changedLayersOfTask } from './step-view.js';
import type { ModelTrace } from './trace.js';
import { weakeningOf, weakeningMessage } from './weakening.js';

function checkStep(view: StepView, trace: ModelTrace) {
  const { actor, actorAfter } = view;
  if (view.step.after === view.step.before || !actor || !actorAfter) return null;
  // The actor's pair among the survivors whose decisions may differ (none: nothing to compare).
  const rs = view.redecided;
  let s: (typeof rs)[number] | undefined;
  for (let i = 0; i < rs.length; i++) if (rs[i]!.before === actor) s = rs[i];
  if (s === undefined) return null;
  const w = weakeningOf(trace, view, s);
  if (!w) return null;
  if (view.relaxation === 'commit') return null;
  if (view.relaxation === 'modify' && changedLayersOfTask(s).every((c) => c.before.mutability === 'any')) return null;
  return { message: `${describeStep(view)}: ${weakeningMessage(w)} (its own call)`, details: { ...w } };
}

export const I3: Property = {
  id: 'I3',
  statement: "No op makes the calling task itself more permissive, except a modify of an ANY layer or a supervisor commit.",
  source: 'layering-designs §5 I3; fs/exec.c:begin_new_exec (layers kept), kernel/seccomp.c:seccomp_attach_filter',
  threadScope: 'self',
  threadNote: 'The acting task only; after exec it is the thread that took the leader\'s tid.',
  // Only steps after which some survivor may decide differently (step-view.ts:redecided).
  on: { redecided: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
