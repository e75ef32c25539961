// I6 relaxation is explicit (layering-designs §5): if a task of another thread group becomes
// more permissive, the op is a modify of a layer of its stack created ANY, or a supervisor
// commit — each chosen by a flag when the layer was created. Stricter than I2, which accepts
// any successful modify: here a modify that loosens through an IMMUTABLE or STRICTER layer,
// or loosening with no layer of y's stack changed, is a violation. Scope as I2 (processes);
// the caller itself is I3's, its sibling threads I2-thread's.
//
// Delegated calls (properties/delegation.ts): a supervisor's answer that lets a notified call
// proceed is the relaxation path its layer's creator chose with NEW_LISTENER, and is checked
// against that path's bounds for every target, whatever its thread group (the decider is the
// listener's holder, not a domain or a process: delegation.md §12 items 1 and 9).
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { changedLayersOfTask } from './step-view.js';
import type { ModelTrace } from './trace.js';
import { weakeningOf, weakeningMessage } from './weakening.js';
import { delegationBreach } from './delegation.js';

function checkStep(view: StepView, trace: ModelTrace) {
  if (view.step.after === view.step.before || !view.actor) return null;
  const op = view.step.op.op;
  if (op === 'notif_send' || op === 'notif_addfd') {
    const breach = delegationBreach(view.step);
    if (breach) return { message: `${describeStep(view)}: ${breach}: a delegated call relaxed outside its layer's delegation path`, details: { actor: view.actor.tid } };
  }
  if (view.redecided.length === 0) return null;
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
  statement: 'A task of another thread group becomes more permissive only by a modify of an ANY layer it holds or a supervisor commit; a notified call proceeds only on its deciding layer\'s listener, with no other layer denying or delegating it.',
  source: 'layering-designs §5 I6; §3b (mutability flags), §3f (supervisor); delegation.md §12 item 1 (USER_NOTIF), include/uapi/linux/seccomp.h (CONTINUE)',
  threadScope: 'processes',
  threadNote: 'Tasks of other thread groups, as I2.',
  // Steps after which some survivor may decide differently (step-view.ts:redecided), and
  // supervisor answers (which change no decision table: checked in checkStep).
  on: { changed: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
