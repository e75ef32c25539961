// I8 non-current modify needs a handle (layering-designs §5, §3b b2): a successful modify by x
// of a layer outside S(x) requires that x named an explicitly granted layer-handle fd for it;
// with the b1 design (modify 'current') it never succeeds.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { changedLayers } from './step-view.js';
import { findId } from './stacks.js';

function checkStep(view: StepView) {
  const { op } = view.step;
  if (view.relaxation !== 'modify' || op.op !== 'modify' || !view.actor) return null;
  const x = view.actor;
  for (const c of changedLayers(view).values()) {
    const own = c.kind === 'seccomp' ? x.filter : x.domain;
    if (findId(own, c.id)) continue;
    const handle = op.handle !== undefined && x.fds.some((e) => e.obj.kind === 'layer_handle' && e.obj.layer === c.id);
    if (handle && view.step.before.semantics.modify === 'handle') continue;
    return {
      message: `${describeStep(view)} changed ${c.kind} layer ${c.id}, which is not in the caller's stack, ${handle ? 'in a design without handles' : 'without a granted handle'}`,
      details: { layer: c.id, kind: c.kind, actor: x.tid, handle: op.handle ?? null },
    };
  }
  return null;
}

export const I8: Property = {
  id: 'I8',
  statement: 'A modify of a layer outside the caller\'s own stack succeeds only through an explicitly granted handle.',
  source: 'layering-designs §5 I8 (§3b b2, §3f)',
  threadScope: 'all',
  threadNote: 'Any layer not in the caller\'s own stacks, a sibling thread\'s included.',
  // A successful modify that changed a layer's content (so some survivor's stacks).
  on: { ops: ['modify'], ok: true, restacked: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
