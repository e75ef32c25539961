// "A'(y) ⊆ A(y)": is a task more permissive after a step than before? Every decision a task
// makes is compared: its table over the request universe (properties/decisions.ts) and its
// task-relative requests towards every other surviving task. The only comparisons left out
// are those decisions.ts proves equal: a table whose nodes, mode, evaluation and tree did not
// change, and a task-relative decision whose two tasks did not change (under the same
// evaluation).
import type { World } from '../model/state.js';
import type { ModelTrace } from './trace.js';
import type { StepView, Survivor } from './step-view.js';
import { formatStacks } from './stacks.js';
import { firstWeakening, describeRequest, formatOutcome, comparesAlike, relationRequest } from './decisions.js';
import { evaluationOf } from '../model/evaluation.js';

export interface Weakening {
  readonly tid: number;
  readonly request: string;
  readonly before: string;
  readonly after: string;
  readonly stacksBefore: { seccomp: string; landlock: string };
  readonly stacksAfter: { seccomp: string; landlock: string };
}

/** The first request the survivor `s` allows more of after the view's step, or null. */
export function weakeningOf(trace: ModelTrace, view: StepView, s: Survivor): Weakening | null {
  const wb = view.step.before;
  const wa = view.step.after;
  const d = trace.decisions;
  if (!comparesAlike(wb, s.before, wa, s.after)) {
    const a = d.of(wb, s.before);
    const b = d.of(wa, s.after);
    const i = firstWeakening(a, b);
    if (i >= 0) return weakening(s, describeRequest(d.request(i)), a[i]!, b[i]!);
  }
  return relationWeakening(trace, view, s, wb, wa);
}

/** The first task-relative request of `s` towards another survivor that it allows more of. */
function relationWeakening(trace: ModelTrace, view: StepView, s: Survivor, wb: World, wa: World): Weakening | null {
  const sameEvaluation = evaluationOf(wb.semantics) === evaluationOf(wa.semantics);
  const self = s.before === s.after && sameEvaluation;
  const ss = view.survivors;
  const d = trace.decisions;
  for (let k = 0; k < ss.length; k++) {
    const t = ss[k]!;
    if (t.before === s.before || (self && t.before === t.after)) continue;
    const a = d.relation(wb, s.before, t.before);
    const b = d.relation(wa, s.after, t.after);
    const i = firstWeakening(a, b);
    if (i >= 0) return weakening(s, relationRequest(i, t.after.tid), a[i]!, b[i]!);
  }
  return null;
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
