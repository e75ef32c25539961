// Which decisions a step changed, per task and per request of the universe: the weaker ones
// (more permissive after the step, model/outcome.ts outcomeRank order, kills ranked together)
// in full, the stricter ones counted. Tasks are matched by tid across the step.
import type { Outcome } from '../model/outcome.js';
import type { Task } from '../model/state.js';
import type { ModelTrace, TraceStep } from '../properties/trace.js';
import { permissiveness } from '../properties/decisions.js';
import { outcomeWords, requestWords } from './names.js';
import type { TaskChanges } from './task-changes.js';
import { taskChanges } from './task-changes.js';

export interface DecisionChange {
  readonly tid: number;
  /** Index into [...universe.syscalls, ...universe.landlock]. */
  readonly request: number;
  readonly before: Outcome;
  readonly after: Outcome;
}

export interface DecisionDiff {
  readonly weaker: readonly DecisionChange[];
  readonly stricter: readonly DecisionChange[];
}

/** Decision changes of every task alive before and after `step`. */
export function decisionDiff(trace: ModelTrace, step: TraceStep, changes?: TaskChanges): DecisionDiff {
  const weaker: DecisionChange[] = [];
  const stricter: DecisionChange[] = [];
  if (step.before === step.after) return { weaker, stricter };
  // A task value that did not change has the same decisions: only changed tasks are compared,
  // and the tables' differences are worked out once per run of tasks with the same stacks.
  let pb: Task | undefined;
  let pt: Task | undefined;
  let diff: number[] = [];
  let before: readonly Outcome[] = [];
  let after: readonly Outcome[] = [];
  for (const { before: b, after: t } of (changes ?? taskChanges(step.before, step.after)).changed) {
    if (!b) continue;
    if (!(pb !== undefined && pt !== undefined && sameKey(b, pb) && sameKey(t, pt))) {
      before = trace.decisions.of(step.before, b);
      after = trace.decisions.of(step.after, t);
      diff = [];
      for (let i = 0; i < Math.min(before.length, after.length); i++) {
        const rb = permissiveness(before[i]!);
        const ra = permissiveness(after[i]!);
        if (ra !== rb) diff.push(ra > rb ? i : -1 - i);
      }
    }
    pb = b;
    pt = t;
    for (const d of diff) {
      const i = d >= 0 ? d : -1 - d;
      (d >= 0 ? weaker : stricter).push({ tid: t.tid, request: i, before: before[i]!, after: after[i]! });
    }
  }
  return { weaker, stricter };
}

/** The key of a task's decision table (properties/decisions.ts: Decisions.of). */
function sameKey(a: Task, b: Task): boolean {
  return a.filter === b.filter && a.domain === b.domain && a.seccompMode === b.seccompMode;
}

/** `t101 connect tcp port 8080: EACCES (landlock) → allow`. */
export function changeWords(trace: ModelTrace, c: DecisionChange): string {
  return `t${c.tid} ${requestWords(trace.decisions.request(c.request))}: ${outcomeWords(c.before)} → ${outcomeWords(c.after)}`;
}

/** Tasks named in the stricter summary; the rest are counted. */
const STRICTER_SHOWN = 8;

/** `3 requests for t101` per task, for a one-line summary (past STRICTER_SHOWN tasks, a count). */
export function stricterSummary(changes: readonly DecisionChange[]): string {
  const per = new Map<number, number>();
  for (const c of changes) per.set(c.tid, (per.get(c.tid) ?? 0) + 1);
  const parts: string[] = [];
  for (const [tid, n] of per) {
    if (parts.length === STRICTER_SHOWN) {
      parts.push(`and ${per.size - STRICTER_SHOWN} more tasks`);
      break;
    }
    parts.push(`${n} request${n === 1 ? '' : 's'} for t${tid}`);
  }
  return parts.join(', ');
}
