// Which tasks a step touched: the tasks removed, and the tasks of the world after it that are
// new or another value than before (matched by tid). Work is proportional to what the step
// changed (TaskList.changesBetween skips the subtrees the two worlds share), so the report of a
// long scenario does not cost the whole task list per step.
import type { World, Task } from '../model/state.js';
import type { ListChanges } from '../model/task/list.js';
import { TaskList } from '../model/task/list.js';

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

/** Collects a slot-matched list comparison, then matches by tid as the report reads it: exec
 * renames a thread to its leader's tid (fs/exec.c:de_thread), and the report shows that as the
 * leader's task changing and the thread leaving. */
class ByTid implements ListChanges {
  readonly removedTasks: Task[] = [];
  readonly changedTasks: TaskChange[] = [];
  constructor(private readonly before: World, private readonly after: World) {}
  removed(t: Task): void {
    // A task renamed by exec lives on under its tid in another slot: reported with that slot.
    if (this.after.tasks.byTid(t.tid) === undefined) this.removedTasks.push(t);
  }
  added(t: Task): void {
    this.changedTasks.push({ before: this.before.tasks.byTid(t.tid), after: t });
  }
  changed(b: Task, a: Task): void {
    if (b.tid === a.tid) {
      this.changedTasks.push({ before: b, after: a });
      return;
    }
    this.changedTasks.push({ before: this.before.tasks.byTid(a.tid), after: a });
    this.removed(b);
  }
}

/** The tasks `after` adds, removes or changes relative to `before`. */
export function taskChanges(before: World, after: World): TaskChanges {
  if (after.tasks === before.tasks) return NO_CHANGES;
  const c = new ByTid(before, after);
  TaskList.changesBetween(before.tasks, after.tasks, c);
  return { removed: c.removedTasks, changed: c.changedTasks };
}
