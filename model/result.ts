// Results of one transition. A failed operation returns the world it was given, unchanged.
import type { Outcome, ProbeResult } from './outcome.js';
import type { World } from './state.js';

export interface Observation {
  /** `Seccomp:` 0 off, 1 strict, 2 filter. */
  readonly seccompMode: number;
  /** `Seccomp_filters:`. */
  readonly filterCount: number;
  /** `NoNewPrivs:`. */
  readonly nnp: boolean;
  /** Number of Landlock layers of the task's domain (16 minus how many more restricts fit). */
  readonly landlockLayers: number;
}

export type OpResult =
  /** Success; `ret` is the syscall's return (0, a new fd, a new tid). */
  | { readonly kind: 'ok'; readonly ret: number }
  /** The syscall failed with this errno; nothing changed. */
  | { readonly kind: 'err'; readonly errno: number }
  /** TSYNC could not synchronise: the syscall returned this sibling's tid; nothing changed. */
  | { readonly kind: 'tsync_fail'; readonly tid: number }
  /** A probe's decided outcome (which may have killed tasks). */
  | { readonly kind: 'probe'; readonly probe: ProbeResult }
  /** The op's own syscall killed the acting thread (strict mode) before it could act. */
  | { readonly kind: 'killed'; readonly scope: 'thread' | 'process'; readonly signal: 'SIGKILL' | 'SIGSYS' }
  /** A seccomp filter stopped the op's own syscall before it ran (ERRNO, TRAP, KILL_*,
   * USER_NOTIF): nothing of the op happened; a kill removed the thread or its group. */
  | { readonly kind: 'stopped'; readonly outcome: Outcome }
  /** What `observe` sees: /proc/PID/task/TID/status fields and the Landlock layer count. */
  | { readonly kind: 'observe'; readonly state: Observation }
  /** The operation is not meaningful here (unknown op, no live task, not in this variant). */
  | { readonly kind: 'invalid'; readonly reason: string };

export interface StepOut {
  readonly world: World;
  readonly result: OpResult;
  /** The tid the op's task reference resolved to (0 if none). */
  readonly tid: number;
}

/** The result of most successful calls, shared (results are immutable values). */
const OK_ZERO: OpResult = { kind: 'ok', ret: 0 };
export const ok = (ret = 0): OpResult => (ret === 0 ? OK_ZERO : { kind: 'ok', ret });
export const err = (errno: number): OpResult => ({ kind: 'err', errno });
export const invalid = (reason: string): OpResult => ({ kind: 'invalid', reason });

/** A failed step: the same world, the given result. */
export function fail(world: World, tid: number, result: OpResult): StepOut {
  return { world, result, tid };
}
