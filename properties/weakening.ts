// "A'(y) ⊆ A(y)": is a task more permissive after a step than before? Structure first (the
// stacks only grew → not weaker), then decision tables (model/outcome.ts:outcomeRank).
import type { World } from '../model/state.js';
import type { ModelTrace } from './trace.js';
import type { Survivor } from './step-view.js';
import { structurallyNotWeaker, formatStacks } from './stacks.js';
import { firstWeakening, describeRequest, formatOutcome } from './decisions.js';

export interface Weakening {
  readonly tid: number;
  readonly request: string;
  readonly before: string;
  readonly after: string;
  readonly stacksBefore: { seccomp: string; landlock: string };
  readonly stacksAfter: { seccomp: string; landlock: string };
}

/**
 * The first request of the universe the task allows more of after the step, or null.
 * Structure first: stacks that only grew are not weaker (properties/stacks.ts).
 */
export function weakeningOf(trace: ModelTrace, s: Survivor, beforeWorld: World, afterWorld: World): Weakening | null {
  if (s.before === s.after || structurallyNotWeaker(s.before, s.after)) return null;
  const d = trace.decisions;
  const a = d.of(beforeWorld, s.before);
  const b = d.of(afterWorld, s.after);
  const i = firstWeakening(a, b);
  if (i < 0) return null;
  return {
    tid: s.after.tid,
    request: describeRequest(d.request(i)),
    before: formatOutcome(a[i]!),
    after: formatOutcome(b[i]!),
    stacksBefore: formatStacks(s.before),
    stacksAfter: formatStacks(s.after),
  };
}

/** "task 101 now allows read_file /a/f (errno 13 (landlock) -> allow)". */
export function weakeningMessage(w: Weakening): string {
  return `task ${w.tid} became more permissive for ${w.request} (${w.before} -> ${w.after})`;
}
