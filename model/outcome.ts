// What a request comes to: the decided outcome of a probe (kernel/seccomp.c:__seccomp_filter,
// then the Landlock hook of the operation).
import type { TraceResponse } from './ptrace/state.js';
import type { SyscallRequest } from './request.js';

/** Seccomp action kinds, least permissive first (seccomp_run_filters' signed comparison). */
export type SeccompActionKind =
  | 'kill_process' | 'kill_thread' | 'trap' | 'errno' | 'user_notif' | 'trace' | 'log' | 'allow';

/** The winning filter return of a stack for one request. */
export interface SeccompVerdict {
  /** Kind of the action that decides (an unknown action value acts as kill_process). */
  readonly action: SeccompActionKind;
  /** Full 32-bit return value of the winning filter (unsigned). */
  readonly ret: number;
  /** SECCOMP_RET_DATA of the winning value (low 16 bits). */
  readonly data: number;
  /** Layer id of the filter that produced the winning value (`match`), or null for strict mode. */
  readonly layer: number | null;
}

/**
 * What the task observes. `errno` 0 means the call was skipped and returned 0
 * (RET_ERRNO with data 0). `allow` with `logged` is RET_LOG.
 */
export type Outcome =
  | { readonly kind: 'allow'; readonly logged?: boolean }
  /** `by` says who refused: a seccomp filter, a Landlock hook, the kernel's own check
   * before any LSM (e.g. kernel/ptrace.c:ptrace_attach on one's own thread group), or a tracer
   * that skipped the call at a seccomp stop (model/ptrace/trace-stop.ts). */
  | { readonly kind: 'errno'; readonly errno: number; readonly by: 'seccomp' | 'landlock' | 'kernel' | 'tracer' }
  | { readonly kind: 'trap'; readonly data: number }
  | { readonly kind: 'kill_thread' }
  | { readonly kind: 'kill_process' }
  | { readonly kind: 'notify'; readonly listener: number };

/** Result of a probe: the seccomp verdict (null if the task is unfiltered) and the outcome. */
export interface ProbeResult {
  readonly seccomp: SeccompVerdict | null;
  readonly outcome: Outcome;
  /**
   * A RET_TRACE verdict served by a tracer (model/ptrace/trace-stop.ts): who, what it did, and
   * the call as it was after the stop (re-checked, R5). Absent otherwise.
   */
  readonly trace?: { readonly tracer: number; readonly response: TraceResponse; readonly call: SyscallRequest };
  /** The task's seccomp was suspended by its tracer (PTRACE_O_SUSPEND_SECCOMP, P4): no filter ran. */
  readonly suspended?: true;
}

/**
 * Permissiveness rank of an outcome: higher is more permissive. Mirrors the seccomp action
 * order (KILL_PROCESS < KILL_THREAD < TRAP < ERRNO < USER_NOTIF < LOG/ALLOW); a Landlock
 * denial ranks with ERRNO.
 */
export function outcomeRank(o: Outcome): number {
  switch (o.kind) {
    case 'kill_process': return 0;
    case 'kill_thread': return 1;
    case 'trap': return 2;
    case 'errno': return 3;
    case 'notify': return 4;
    case 'allow': return o.logged ? 6 : 7;
  }
}

export function outcomeEquals(a: Outcome, b: Outcome): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'errno': return a.errno === (b as typeof a).errno && a.by === (b as typeof a).by;
    case 'trap': return a.data === (b as typeof a).data;
    case 'notify': return a.listener === (b as typeof a).listener;
    case 'allow': return !!a.logged === !!(b as typeof a).logged;
    default: return true;
  }
}

export function formatOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'allow': return o.logged ? 'allow(log)' : 'allow';
    case 'errno': return o.errno === 0 ? `skip(ret 0, ${o.by})` : `errno ${o.errno} (${o.by})`;
    case 'trap': return `trap(si_errno ${o.data})`;
    case 'kill_thread': return 'kill_thread';
    case 'kill_process': return 'kill_process';
    case 'notify': return `notify(listener ${o.listener})`;
  }
}
