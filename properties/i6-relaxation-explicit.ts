// I6 relaxation is explicit (layering-designs §5): if a task of another thread group becomes
// more permissive, the op is a modify of a layer of its stack created ANY, or a supervisor
// commit — each chosen by a flag when the layer was created. Stricter than I2, which accepts
// any successful modify: here a modify that loosens through an IMMUTABLE or STRICTER layer,
// or loosening with no layer of y's stack changed, is a violation. Scope as I2 (processes);
// the caller itself is I3's, its sibling threads I2-thread's.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { changedLayersOfTask } from './step-view.js';
import type { ModelTrace } from './trace.js';
import { weakeningOf, weakeningMessage } from './weakening.js';

function checkStep(view: StepView, trace: ModelTrace) {
  if (view.step.after === view.step.before || !view.actor) return null;
  const x = view.actor;
  for (const s of view.redecided) {
    if (s.before.tgid === x.tgid) continue;
    const w = weakeningOf(trace, view, s);
    if (!w) continue;
    if (view.relaxation === 'commit') continue;
    const changed = changedLayersOfTask(s);
    if (view.relaxation === 'modify' && changed.length > 0 && changed.every((c) => c.before.mutability === 'any')) continue;
    const why = view.relaxation === 'modify'
      ? `through layer(s) not created ANY (${changed.map((c) => `${c.kind} ${c.id}: ${c.before.mutability}`).join(', ') || 'none changed'})`
      : 'by no explicit relaxation path';
    return { message: `${describeStep(view)}: ${weakeningMessage(w)} ${why}`, details: { ...w, actor: x.tid } };
  }
  return null;
}

export const I6: Property = {
  id: 'I6',
  statement: 'A task of another thread group becomes more permissive only by a modify of an ANY layer it holds or a supervisor commit.',
  source: 'layering-designs §5 I6; §3b (mutability flags), §3f (supervisor)',
  threadScope: 'processes',
  threadNote: 'Tasks of other thread groups, as I2.',
  // Only steps after which some survivor may decide differently (step-view.ts:redecided).
  on: { redecided: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
