// The largest scenario strata reads (strata replay, strata conform's files, the library's
// loadScenario): past either limit a file is refused with one line naming it, before the model
// runs. Replay's memory is the model's state (one world per step is kept), so these bound what
// a file may ask for, not a per-op cost: a 200 000-op scenario of thread + TSYNC replays in a
// few hundred MB of heap.

/** Most operations a scenario may hold. */
export const MAX_SCENARIO_OPS = 200_000;

/** Largest scenario file, in bytes (32 MiB: JSON.parse needs several times this in heap). */
export const MAX_SCENARIO_BYTES = 32 * 1024 * 1024;

/** `33554432 bytes` as `32 MiB`. */
export function mib(bytes: number): string {
  const m = bytes / (1024 * 1024);
  return `${Number.isInteger(m) ? m : m.toFixed(1)} MiB`;
}
