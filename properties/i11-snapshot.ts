// I11 snapshot (layering-designs §5): ruleset_create, add_rule (other than a supervisor COMMIT),
// the supervisee ioctl, send_fd and close_fd — and, in the H1 variants, map_create and map_put
// (§5's "mapput()") — never change any task's decisions. Landlock copies a ruleset into the
// layer at restrict time (security/landlock/ruleset.c:landlock_merge_ruleset), so writing to a
// ruleset later reaches no domain.
import type { Op } from '../model/ops.js';
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';
import type { ModelTrace } from './trace.js';
import { formatStacks } from './stacks.js';
import { firstDifference, describeRequest, formatOutcome } from './decisions.js';

const SNAPSHOT_OPS: readonly Op['op'][] = ['ruleset_create', 'ruleset_add_rule', 'ruleset_supervisee', 'send_fd', 'close_fd', 'map_create', 'map_put'];
const IS_SNAPSHOT_OP: ReadonlySet<string> = new Set(SNAPSHOT_OPS);

function checkStep(view: StepView, trace: ModelTrace) {
  const { op, before, after } = view.step;
  if (!IS_SNAPSHOT_OP.has(op.op) || after === before || view.relaxation === 'commit') return null;
  for (const s of view.restacked) {
    const d = trace.decisions;
    const a = d.comparable(before, s.before);
    const b = d.comparable(after, s.after);
    const i = firstDifference(a, b);
    if (i < 0) continue;
    return {
      message: `${describeStep(view)} changed the decisions of task ${s.before.tid} for ${describeRequest(d.request(i))} (${formatOutcome(a[i]!)} -> ${formatOutcome(b[i]!)})`,
      details: { task: s.before.tid, request: describeRequest(d.request(i)), before: formatOutcome(a[i]!), after: formatOutcome(b[i]!), stacksBefore: formatStacks(s.before), stacksAfter: formatStacks(s.after) },
    };
  }
  return null;
}

export const I11: Property = {
  id: 'I11',
  statement: 'Creating or writing rulesets or maps and passing or closing fds never changes any task\'s decisions (layers are snapshots).',
  source: 'layering-designs §5 I11; security/landlock/ruleset.c:landlock_merge_ruleset',
  threadScope: 'all',
  threadNote: 'Every task, the caller included.',
  // Only survivors whose stacks changed can decide otherwise.
  on: { ops: SNAPSHOT_OPS, restacked: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
