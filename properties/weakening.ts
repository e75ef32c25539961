// "A'(y) ⊆ A(y)": is a task more permissive after a step than before? Every decision a task
// makes is compared: its table over the request universe (properties/decisions.ts) and its
// task-relative requests towards every other surviving task. The only comparisons left out
// are those decisions.test.ts proves alike or not weaker: a table whose nodes, mode, evaluation
// and tree did not change (comparesAlike), a table whose stacks only had layers pushed on the
// very same old tops under a combination that cannot loosen by a push (pushedOnly), and a
// task-relative decision whose two tasks kept their inputs under the same evaluation.
import type { ModelTrace } from './trace.js';
import type { StepView, Survivor } from './step-view.js';
import { formatStacks } from './stacks.js';
import { firstWeakening, firstDifference, describeRequest, formatOutcome, comparesAlike, pushedOnly, relationRequest } from './decisions.js';
import { relativeSeccomp, TASK_RELATIVE_KINDS } from '../model/decide.js';
import { taskRelativeDecision } from '../model/landlock/decide.js';
import { evaluationOf } from '../model/evaluation.js';
import type { Evaluation } from '../model/evaluation.js';
import type { Task, World } from '../model/state.js';

export interface Weakening {
  readonly tid: number;
  readonly request: string;
  readonly before: string;
  readonly after: string;
  readonly stacksBefore: { seccomp: string; landlock: string };
  readonly stacksAfter: { seccomp: string; landlock: string };
}

/**
 * The first request the survivor `s` allows more of after the view's step, or null. Memoised
 * on the survivor pair: several properties ask about the same one.
 */
export function weakeningOf(trace: ModelTrace, view: StepView, s: Survivor): Weakening | null {
  let w = s.weakening;
  if (w === undefined) s.weakening = w = computeWeakening(trace, view, s);
  return w;
}

function computeWeakening(trace: ModelTrace, view: StepView, s: Survivor): Weakening | null {
  const wb = view.step.before;
  const wa = view.step.after;
  const d = trace.decisions;
  if (!comparesAlike(wb, s.before, wa, s.after) && !pushedOnly(wb, s.before, wa, s.after)) {
    const a = d.comparable(wb, s.before);
    const b = d.comparable(wa, s.after);
    const i = firstWeakening(a, b);
    if (i >= 0) return weakening(s, describeRequest(d.request(i)), a[i]!, b[i]!);
  }
  return relationWeakening(trace, view, s, wb, wa);
}

/**
 * The first task-relative request of `s` towards another survivor that it allows more of. A
 * request compares alike when its inputs did not change under the same evaluation
 * (decisions.test.ts): the requester's filter, mode, domain and thread group, and the target's
 * domain and thread group. So for a requester whose inputs did not change (or whose filter or
 * mode changed but not its seccomp outcomes on these requests), only the targets whose inputs
 * changed (view.targetChanged) are compared.
 */
function relationWeakening(trace: ModelTrace, view: StepView, s: Survivor, wb: World, wa: World): Weakening | null {
  let partners = view.targetChanged;
  if (view.evaluationChanged) partners = view.survivors;
  else if (s.before !== s.after && view.relationChanged.includes(s)) {
    const a = s.before;
    const b = s.after;
    // Same domain and thread group: only the seccomp part of each request can differ, and a
    // filter pushed on the same stack cannot loosen it (pushedOnly; decisions.test.ts).
    if (a.domain !== b.domain || a.tgid !== b.tgid) partners = view.survivors;
    else if (!pushedOnly(wb, a, wa, b) && firstDifference(relativeSeccomp(wb, a), relativeSeccomp(wa, b)) >= 0) partners = view.survivors;
  }
  const d = trace.decisions;
  // A requester that did not change keeps its seccomp part: only the Landlock part (and
  // ptrace's same-group refusal) can loosen, seen from the codes alone (no allocation).
  const same = s.before === s.after && !view.evaluationChanged;
  const e = same ? evaluationOf(wb.semantics) : null;
  for (let k = 0; k < partners.length; k++) {
    const t = partners[k]!;
    if (t.before === s.before) continue;
    if (e !== null && !landlockPartLoosened(e, s.before, t.before, t.after)) continue;
    const a = d.relation(wb, s.before, t.before);
    const b = d.relation(wa, s.after, t.after);
    const i = firstWeakening(a, b);
    if (i >= 0) return weakening(s, relationRequest(i, t.after.tid), a[i]!, b[i]!);
  }
  return null;
}

/**
 * Does some task-relative request of `x` towards the target go from refused to allowed in its
 * Landlock part (landlock/decide.ts:taskRelativeDecision; ptrace within one thread group is
 * refused before any LSM, probe.ts)? What relationDecisions gives past an unchanged seccomp part.
 */
function landlockPartLoosened(e: Evaluation, x: Task, before: Task, after: Task): boolean {
  for (let k = 0; k < TASK_RELATIVE_KINDS.length; k++) {
    const kind = TASK_RELATIVE_KINDS[k]!;
    const was = kind === 'ptrace' && before.tgid === x.tgid ? -1 : taskRelativeDecision(kind, x, before, e);
    if (was === 0) continue;
    const now = kind === 'ptrace' && after.tgid === x.tgid ? -1 : taskRelativeDecision(kind, x, after, e);
    if (now === 0) return true;
  }
  return false;
}

function weakening(s: Survivor, request: string, before: Parameters<typeof formatOutcome>[0], after: Parameters<typeof formatOutcome>[0]): Weakening {
  return {
    tid: s.after.tid,
    request,
    before: formatOutcome(before),
    after: formatOutcome(after),
    stacksBefore: formatStacks(s.before),
    stacksAfter: formatStacks(s.after),
  };
}

/** "task 101 now allows read_file /a/f (errno 13 (landlock) -> allow)". */
export function weakeningMessage(w: Weakening): string {
  return `task ${w.tid} became more permissive for ${w.request} (${w.before} -> ${w.after})`;
}
