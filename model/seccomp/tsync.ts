// SECCOMP_FILTER_FLAG_TSYNC (kernel/seccomp.c:seccomp_can_sync_threads, seccomp_sync_threads).
import type { World, Task } from '../state.js';
import { taskWith, worldWith } from '../state.js';
import { isAncestor } from './stack.js';

/**
 * seccomp_can_sync_threads: the first other thread of the caller's group (thread-list order)
 * that is neither in mode 0 nor in mode 2 with a filter that is an ancestor of (or equal to)
 * the caller's current filter; null if every thread can be synchronised. With
 * `ancestorCheck` false (variant e2, gVisor's bug) nothing is checked.
 */
export function tsyncBlocker(world: World, caller: Task, ancestorCheck: boolean): Task | null {
  if (!ancestorCheck) return null;
  for (const t of world.tasks.group(caller.tgid)) {
    if (t.tid === caller.tid) continue;
    if (t.seccompMode === 0) continue;
    if (t.seccompMode === 2 && isAncestor(t.filter, caller.filter)) continue;
    return t;
  }
  return null;
}

/**
 * seccomp_sync_threads: every other thread of the group gets the caller's filter pointer (its
 * whole chain) and filter_count; NNP is set if the caller has it; mode 0 becomes 2.
 * `caller` is the caller after its own install.
 */
export function syncThreads(world: World, caller: Task): World {
  const tasks = world.tasks.mapGroup(caller.tgid, (t) => t.tid === caller.tid
    ? t
    : taskWith(t, {
      filter: caller.filter,
      filterCount: caller.filterCount,
      nnp: t.nnp || caller.nnp,
      seccompMode: t.seccompMode === 0 ? 2 : t.seccompMode,
    }));
  return worldWith(world, { tasks });
}
