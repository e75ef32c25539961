// The largest scenario strata reads (strata replay, strata conform's files, the library's
// loadScenario): past either limit a file is refused with one line naming it, before the model
// runs. Replay's memory is the model's state (one world per step is kept, its task list shared
// with the step before, model/task/list.ts), so these bound what a file may ask for, not a
// per-op cost: the largest scenario of thread + TSYNC (200 000 ops) replays in a 256 MB heap
// (cli/replay-long.test.ts).

/** Most operations a scenario may hold. */
export const MAX_SCENARIO_OPS = 200_000;

/** Largest scenario file, in bytes (32 MiB: JSON.parse needs several times this in heap). */
export const MAX_SCENARIO_BYTES = 32 * 1024 * 1024;

/** `33554432 bytes` as `32 MiB`. */
export function mib(bytes: number): string {
  const m = bytes / (1024 * 1024);
  return `${Number.isInteger(m) ? m : m.toFixed(1)} MiB`;
}
