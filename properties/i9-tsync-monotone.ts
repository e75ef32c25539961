// I9 TSYNC monotone (layering-designs §5): after a successful TSYNC by x, every sibling u's old
// stack is a suffix of its new one (it only gained layers); a failed TSYNC changes nothing.
// kernel/seccomp.c:seccomp_can_sync_threads guarantees it for seccomp; Landlock's TSYNC
// (security/landlock/tsync.c:restrict_one_thread) overwrites by design.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { isSuffix, formatStacks } from './stacks.js';

function checkStep(view: StepView) {
  if (!view.tsync || !view.actor) return null;
  const { step } = view;
  const r = step.out.result;
  if (r.kind === 'err' || r.kind === 'tsync_fail') {
    if (step.after === step.before) return null;
    return { message: `${describeStep(view)} failed (${r.kind}) but changed the world`, details: { result: r } };
  }
  if (!view.ok) return null;
  const x = view.actor;
  // An unchanged stack is a suffix of itself.
  for (const s of view.restacked) {
    if (s.before.tgid !== x.tgid || s.before.tid === x.tid) continue;
    if (isSuffix(s.before.filter, s.after.filter) && isSuffix(s.before.domain, s.after.domain)) continue;
    return {
      message: `${describeStep(view)}: sibling ${s.before.tid} lost layers (its old stack is not a suffix of the new one)`,
      details: { sibling: s.before.tid, actor: x.tid, before: formatStacks(s.before), after: formatStacks(s.after) },
    };
  }
  return null;
}

export const I9: Property = {
  id: 'I9',
  statement: 'After a successful TSYNC every sibling thread\'s old stack is a suffix of its new one; a failed TSYNC changes nothing.',
  source: 'layering-designs §5 I9; kernel/seccomp.c:seccomp_can_sync_threads, security/landlock/tsync.c',
  threadScope: 'threads',
  threadNote: 'The caller\'s sibling threads, which TSYNC is about.',
  // TSYNC ops; a failed one that changed nothing and a successful one that changed no stack hold.
  on: { ops: ['seccomp_filter', 'restrict_self'], changed: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
