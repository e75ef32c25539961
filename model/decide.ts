// One decision per task over both layer kinds: seccomp first, then Landlock.
// STUB signatures — implemented once seccomp/table.ts and landlock/table.ts exist.
import type { World, Task } from './state.js';
import type { Universe } from './universe.js';
import type { Outcome } from './outcome.js';

/** The task's outcome for every request of the universe (syscalls, then Landlock requests). */
export function taskDecisions(_world: World, _task: Task, universe: Universe): readonly Outcome[] {
  return [...universe.syscalls, ...universe.landlock].map(() => ({ kind: 'allow' }) as const);
}
