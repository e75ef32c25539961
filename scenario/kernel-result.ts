// What the kernel executor reports per op, as plain data: shaped like the model's OpResult
// (model/result.ts) wherever the kernel shows the same thing, so that a diff is a direct
// comparison; kernel-only situations (a timeout, a skipped op, an executor failure) have kinds
// of their own. These types live in scenario/ because a scenario document can record a kernel
// run (scenario/types.ts: KernelRecord); conformance/ produces them (conformance/result.ts
// re-exports them), scenario/ never imports conformance/.

/** A probe as the task experienced it on the live kernel. */
export type KernelOutcome =
  /** The call returned this value (a RET_ERRNO with data 0 also looks like this: ret 0). */
  | { readonly kind: 'returned'; readonly ret: number }
  /** The call failed with this errno (whether seccomp or Landlock said so is not visible). */
  | { readonly kind: 'errno'; readonly errno: number }
  /** The SIGSYS handler ran (SECCOMP_RET_TRAP): si_errno = the filter's data. */
  | { readonly kind: 'trap'; readonly data: number; readonly nr: number; readonly arch: number }
  /** Only the calling thread died; its process lives on. */
  | { readonly kind: 'kill_thread' }
  /**
   * The whole process died (`signal`, e.g. SIGSYS for KILL_PROCESS, SIGKILL for strict mode).
   * `alone`: the task was the process's only thread, in which case a KILL_THREAD looks the
   * same (kernel/seccomp.c: the last thread's KILL_THREAD is a process-wide SIGSYS).
   */
  | { readonly kind: 'kill_process'; readonly signal: string | null; readonly alone: boolean }
  /**
   * The call became a user notification on listener `listener` (the model's listener id,
   * 1, 2, ... in creation order); the executor answered it with an error, which the task's call
   * returned as `errno`.
   */
  | { readonly kind: 'notify'; readonly listener: number; readonly errno: number };

/** `observe` as /proc/PID/task/TID/status and the layer-count oracle show it. */
export interface KernelObservation {
  readonly seccompMode: number;
  readonly filterCount: number;
  readonly nnp: boolean;
  /** null when the oracle could not run (see `landlockError`). */
  readonly landlockLayers: number | null;
  readonly landlockError?: string;
}

/**
 * How a task died. `signal` null: not observable (a single thread died). `exitCode`: the process
 * exited instead of being killed. `alone`: it was its process's only thread.
 */
export interface KernelDeath {
  readonly scope: 'thread' | 'process';
  readonly signal: string | null;
  readonly exitCode?: number;
  readonly alone: boolean;
}

export type KernelOpResult =
  /**
   * The call returned `ret` (`err`: failed with `errno`). `thenKilled`: the task then died at its
   * next system call, the executor's own reply, killed by the filter the op had just installed
   * (kernel/seccomp.c: a filter applies from the next syscall entry on) — a call the model's task
   * does not make, so the worlds part after this step (conformance/protocol.md).
   */
  | { readonly kind: 'ok'; readonly ret: number; readonly thenKilled?: KernelDeath }
  | { readonly kind: 'err'; readonly errno: number; readonly thenKilled?: KernelDeath }
  | { readonly kind: 'tsync_fail'; readonly tid: number }
  | { readonly kind: 'probe'; readonly outcome: KernelOutcome }
  /**
   * The op's own system calls killed the task (strict mode: SIGKILL; a filter on fork's clone:
   * whatever it says). `signal` null: not observable (a single thread died). `exitCode`: the
   * process exited instead of being killed.
   */
  | {
      readonly kind: 'killed';
      readonly scope: 'thread' | 'process';
      readonly signal: string | null;
      readonly exitCode?: number;
      readonly alone: boolean;
    }
  /**
   * A filter stopped the op's own syscall with a trap (the SIGSYS handler ran) or a user
   * notification (answered with an error). An ERRNO shows as `err` (data 0: `ok 0`), a kill
   * as `killed`: the kernel cannot tell those from the op's own failure.
   */
  | { readonly kind: 'stopped'; readonly outcome: KernelOutcome }
  | { readonly kind: 'observe'; readonly state: KernelObservation }
  /** As in the model: no live task, no live target, an unknown or malformed op. */
  | { readonly kind: 'invalid'; readonly reason: string }
  /** Not run: the kernel lacks the feature, or the op exists only in a variant, or it is unsafe. */
  | { readonly kind: 'skip'; readonly reason: string }
  /** The op did not finish in time; the scenario was stopped there. */
  | { readonly kind: 'timeout'; readonly ms: number; readonly scope: 'op' | 'scenario' }
  /** An earlier op timed out or failed, so this one was not attempted. */
  | { readonly kind: 'not_run'; readonly reason: string }
  /** The executor could not carry the op out (a plumbing call failed, the executor died). */
  | { readonly kind: 'error'; readonly message: string };

export interface KernelStep {
  /** The model tid the op's task reference resolved to (0 if none), as in TraceStep. */
  readonly tid: number;
  readonly result: KernelOpResult;
}

/**
 * A full-table observe's request: an index into the scenario's universe (its syscalls, then its
 * Landlock requests), or a task-relative request towards the live task with model tid `target`.
 */
export type KernelTableRequest = number | { readonly kind: 'signal' | 'abstract_unix' | 'ptrace'; readonly target: number };

/** One entry of a full-table observe: what the kernel decided for one task and one request,
 * made by a disposable child of the task (conformance/protocol.md "Full-table observes"). */
export interface KernelTableEntry {
  /** After which op (an observe's index), or 'end': after the last op. */
  readonly point: number | 'end';
  /** The model tid of the task whose decision this is. */
  readonly tid: number;
  readonly request: KernelTableRequest;
  /** A `probe` result, or `skip` / `error` / `timeout` when the entry could not be observed. */
  readonly result: KernelOpResult;
}

export type KernelRunStatus =
  /** Every op ran (each one's result says how it went). */
  | 'ok'
  /** The scenario deadline passed; the process group was killed. */
  | 'timeout'
  /** The coordinator failed, or the request was refused. */
  | 'error'
  /** The executor process died or stopped answering; it is restarted on the next run. */
  | 'executor_failed';
