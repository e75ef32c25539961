// I7 STRICTER honoured (layering-designs §5, §3b): a successful modify of a layer created
// STRICTER gives content C' ⊆ C, i.e. the layer alone decides no request of the universe more
// permissively than before.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { changedLayers } from './step-view.js';
import type { ModelTrace } from './trace.js';
import { firstWeakening, describeRequest, formatOutcome } from './decisions.js';

function checkStep(view: StepView, trace: ModelTrace) {
  if (view.relaxation !== 'modify' || !view.actor) return null;
  for (const c of changedLayers(view).values()) {
    if (c.before.mutability !== 'stricter') continue;
    const d = trace.decisions;
    const a = d.ofLayer(view.step.before, view.actor, c.kind, c.before);
    const b = d.ofLayer(view.step.after, view.actor, c.kind, c.after);
    const i = firstWeakening(a, b);
    if (i < 0) continue;
    return {
      message: `${describeStep(view)} loosened STRICTER ${c.kind} layer ${c.id} for ${describeRequest(d.request(i))} (${formatOutcome(a[i]!)} -> ${formatOutcome(b[i]!)})`,
      details: { layer: c.id, kind: c.kind, request: describeRequest(d.request(i)), before: formatOutcome(a[i]!), after: formatOutcome(b[i]!) },
    };
  }
  return null;
}

export const I7: Property = {
  id: 'I7',
  statement: 'A modify of a layer created STRICTER only narrows it: C\' ⊆ C.',
  source: 'layering-designs §5 I7 (Lutomirski 2017, §3b)',
  threadScope: 'all',
  threadNote: 'About layers, whoever holds them.',
  // A successful modify that changed a layer's content (so some survivor's stacks).
  on: { ops: ['modify'], ok: true, restacked: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
