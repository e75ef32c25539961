// I3 self-monotone (layering-designs §5): A'(x) ⊆ A(x) for the acting task, except a modify of
// an ANY layer and a supervisor commit. Exec reset is not excepted: e3 violates I3 (§6).
// Structure first, like every weakening check: a stack that only grew by new layers is not
// weaker (least-permissive seccomp action wins, Landlock layers intersect; the model's own
// tests pin that), so tables are compared only when layers went or changed.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { changedLayersOfTask } from './step-view.js';
import type { ModelTrace } from './trace.js';
import { weakeningOf, weakeningMessage } from './weakening.js';
import { identicalStacks } from './stacks.js';

function checkStep(view: StepView, trace: ModelTrace) {
  const { actor, actorAfter } = view;
  if (view.step.after === view.step.before || !actor || !actorAfter || identicalStacks(actor, actorAfter)) return null;
  const s = { before: actor, after: actorAfter };
  const w = weakeningOf(trace, s, view.step.before, view.step.after);
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
  // The actor's stacks changed: it is one of the restacked survivors.
  on: { restacked: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
