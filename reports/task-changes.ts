// Which tasks a step touched: the tasks removed, and the tasks of the world after it that are
// new or another value than before (matched by tid). Work is proportional to the tasks that
// differ, plus one identity check per task up to the first removal or reordering: a step that
// appends a task or changes a few leaves the other task values as they were, so the report of
// a long scenario does not cost the whole task list per step.
import type { World, Task } from '../model/state.js';

export interface TaskChange {
  /** The task before the step; undefined for a new task. */
  readonly before: Task | undefined;
  readonly after: Task;
}

export interface TaskChanges {
  /** Tasks gone after the step, in the order of the world before it. */
  readonly removed: readonly Task[];
  /** New and changed tasks, in the order of the world after the step. */
  readonly changed: readonly TaskChange[];
}

const NO_CHANGES: TaskChanges = { removed: [], changed: [] };

/** The tasks `after` adds, removes or changes relative to `before`. */
export function taskChanges(before: World, after: World): TaskChanges {
  const b = before.tasks;
  const a = after.tasks;
  if (a === b) return NO_CHANGES;
  const changed: TaskChange[] = [];
  // Both lists are in creation order: walk them in step while tids pair up.
  let i = 0;
  let j = 0;
  for (; i < b.length && j < a.length; i++, j++) {
    const bt = b[i]!;
    const at = a[j]!;
    if (bt === at) continue;
    if (bt.tid !== at.tid) break;
    changed.push({ before: bt, after: at });
  }
  if (i === b.length) {
    for (; j < a.length; j++) changed.push({ before: undefined, after: a[j]! });
    return { removed: [], changed };
  }
  // A removal or a reordering (exec moves a thread to the leader's tid): match the rest by tid.
  const old = new Map<number, Task>();
  for (let k = i; k < b.length; k++) old.set(b[k]!.tid, b[k]!);
  const now = new Set<number>();
  for (let k = j; k < a.length; k++) {
    const at = a[k]!;
    now.add(at.tid);
    const bt = old.get(at.tid);
    if (bt !== at) changed.push({ before: bt, after: at });
  }
  const removed: Task[] = [];
  for (let k = i; k < b.length; k++) if (!now.has(b[k]!.tid)) removed.push(b[k]!);
  return { removed, changed };
}
