// I4 add is local (layering-designs §5): a successful add (seccomp_filter, restrict_self with a
// ruleset) pushes exactly one new layer on S(x) — plus the caller's sibling threads under
// TSYNC, whose new stacks are I9's concern — changes no other task's stacks, and leaves the
// content (rev) of every existing layer unchanged. restrict_self(-1, LOG_SUBDOMAINS_OFF)
// creates no layer and must change no stack. Thread scope: only TSYNC may reach siblings.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import { changedLayers } from './step-view.js';
import { sameStacks, sameLayers, pushedOne, findId, formatStacks } from './stacks.js';
import type { LayerNode } from './stacks.js';

function checkStep(view: StepView) {
  const { op } = view.step;
  if (!view.ok || !view.actor || !view.actorAfter) return null;
  if (op.op !== 'seccomp_filter' && op.op !== 'restrict_self') return null;
  const x = view.actor;
  const xa = view.actorAfter;
  const addsLayer = op.op === 'seccomp_filter' || op.ruleset !== null;
  // The caller: one new layer on the op's kind, nothing else.
  const [kb, ka, ob, oa]: (LayerNode | null)[] = op.op === 'seccomp_filter'
    ? [x.filter, xa.filter, x.domain, xa.domain]
    : [x.domain, xa.domain, x.filter, xa.filter];
  if (addsLayer && !pushedOne(kb, ka)) {
    return { message: `${describeStep(view)} did not push exactly one new layer on the caller's stack`, details: { task: x.tid, before: formatStacks(x), after: formatStacks(xa) } };
  }
  if (!addsLayer && !sameLayers(kb, ka)) {
    return { message: `${describeStep(view)} without a ruleset changed the caller's layers`, details: { task: x.tid, before: formatStacks(x), after: formatStacks(xa) } };
  }
  if (!sameLayers(ob, oa)) {
    return { message: `${describeStep(view)} changed the caller's other stack`, details: { task: x.tid, before: formatStacks(x), after: formatStacks(xa) } };
  }
  // A fresh layer id: no task held it before.
  if (addsLayer && ka) {
    for (const t of view.step.before.tasks) {
      if (findId(op.op === 'seccomp_filter' ? t.filter : t.domain, ka.id)) {
        return { message: `${describeStep(view)} pushed layer ${ka.id}, which task ${t.tid} already held`, details: { layer: ka.id, holder: t.tid } };
      }
    }
  }
  // Nobody else, except TSYNC siblings.
  for (const s of view.restacked) {
    if (s.before.tid === x.tid) continue;
    if (view.tsync && s.before.tgid === x.tgid) continue;
    if (sameStacks(s.before, s.after)) continue;
    return { message: `${describeStep(view)} changed the layers of task ${s.before.tid}`, details: { task: s.before.tid, actor: x.tid, before: formatStacks(s.before), after: formatStacks(s.after) } };
  }
  // No existing layer changed content, anywhere.
  for (const c of changedLayers(view).values()) {
    return { message: `${describeStep(view)} changed the content of existing ${c.kind} layer ${c.id} (rev ${c.before.rev} -> ${c.after.rev})`, details: { layer: c.id, kind: c.kind, actor: x.tid } };
  }
  return null;
}

export const I4: Property = {
  id: 'I4',
  statement: 'An add pushes exactly one new layer on the caller (and TSYNC siblings) and changes no existing layer and no other task.',
  source: 'layering-designs §5 I4; kernel/seccomp.c:seccomp_attach_filter, security/landlock/ruleset.c:landlock_merge_ruleset',
  threadScope: 'all',
  threadNote: 'Every other task; only the caller\'s siblings under TSYNC may change (I9 checks how).',
  on: { ops: ['seccomp_filter', 'restrict_self'], ok: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
