// I5 modify never creates (layering-designs §5): a successful modify leaves every S(y)
// unchanged — the same layer ids in the same order; only contents (revs) may change.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { sameIds, formatStacks } from './stacks.js';

function checkStep(view: StepView) {
  if (!view.ok || view.step.op.op !== 'modify') return null;
  for (const s of view.restacked) {
    if (sameIds(s.before.filter, s.after.filter) && sameIds(s.before.domain, s.after.domain) && s.before.seccompMode === s.after.seccompMode) continue;
    return { message: `${describeStep(view)} changed the layer ids of task ${s.before.tid}`, details: { task: s.before.tid, before: formatStacks(s.before), after: formatStacks(s.after) } };
  }
  if (view.survivors.length !== view.step.before.tasks.length || view.step.after.tasks.length !== view.step.before.tasks.length) {
    return { message: `${describeStep(view)} created or removed tasks`, details: { before: view.step.before.tasks.length, after: view.step.after.tasks.length } };
  }
  return null;
}

export const I5: Property = {
  id: 'I5',
  statement: 'A modify leaves every task\'s stacks as they were (same layer ids, same order); only layer contents may change.',
  source: 'layering-designs §5 I5 (Lutomirski 2017: add != modify)',
  threadScope: 'all',
  threadNote: 'Every task.',
  // A modify that returned the same world changed no stack and no task.
  on: { ops: ['modify'], ok: true, changed: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
