// SECCOMP_RET_TRACE with a tracer (kernel/seccomp.c:__seccomp_filter): with
// PTRACE_O_TRACESECCOMP set (ptrace_event_enabled), the tracee stops at PTRACE_EVENT_SECCOMP and
// its tracer acts by its declared response (state.ts): continue, skip (orig_rax = −1, rax set),
// or rewrite the number and arguments. After the stop, a skipped call returns the tracer's value;
// otherwise, since Linux 4.8, every filter runs again on the call as it now is
// (`__seccomp_filter(this_syscall, true)`: a TRACE verdict then counts as allow, any other as
// usual), R5. Without the option, or without a tracer, the call fails ENOSYS (R1).
import type { World, Task } from '../state.js';
import type { Outcome, SeccompVerdict } from '../outcome.js';
import type { SyscallRequest } from '../request.js';
import { syscall } from '../request.js';
import { evaluationOf } from '../evaluation.js';
import { seccompOutcome, seccompVerdict, stackVerdict } from '../seccomp/eval.js';
import type { TraceResponse } from './state.js';
import { PTRACE_O, PTRACE_REQ, linkOfTracee, responseOf, seccompSuspended } from './state.js';

export interface ServedStop {
  readonly kind: 'served';
  readonly tracer: number;
  readonly response: TraceResponse;
  /** The call as it is after the stop (the rewritten one, or the original). */
  readonly call: SyscallRequest;
  /** What the tracee sees of its seccomp step: the skip's value or the re-check's outcome. */
  readonly outcome: Outcome;
  /** The call ran unchanged: the operation's own checks (Landlock) decide next. */
  readonly continues: boolean;
}

export type TraceStop =
  /** No tracer, or one without PTRACE_O_TRACESECCOMP: ENOSYS, no stop (R1). */
  | { readonly kind: 'none' }
  /** The tracer cannot serve the stop: its own seccomp state stops its ptrace(2) calls. */
  | { readonly kind: 'unserved'; readonly tracer: number; readonly reason: string }
  | ServedStop;

const NONE: TraceStop = { kind: 'none' };
const ALLOW: Outcome = { kind: 'allow' };

/**
 * The calls a tracer makes to serve a seccomp stop (the executor's, conformance/native/tracer.c):
 * waitid, PTRACE_GET_SYSCALL_INFO, GETREGS, SETREGS, CONT.
 */
const SERVING_CALLS: readonly SyscallRequest[] = [
  syscall(247),
  ...[PTRACE_REQ.GET_SYSCALL_INFO, PTRACE_REQ.GETREGS, PTRACE_REQ.SETREGS, PTRACE_REQ.CONT].map((r) => syscall(101, [r])),
];

/** Can `tracer` make its stop-serving ptrace calls (its own filters, strict mode, suspension)? */
export function tracerCanServe(world: World, tracer: Task): boolean {
  if (tracer.seccompMode === 0 || seccompSuspended(world, tracer)) return true;
  const e = evaluationOf(world.semantics);
  for (const c of SERVING_CALLS) {
    const v = seccompVerdict(tracer, c, e);
    if (v && v.action !== 'allow' && v.action !== 'log' && v.action !== 'trace') return false;
  }
  return true;
}

/**
 * The re-check after the stop: all filters on `call`, TRACE counting as allow
 * (`recheck_after_trace`). Under a semantics without it (before 4.8) the call runs as the tracer
 * left it.
 */
export function recheckAfterTrace(world: World, task: Task, call: SyscallRequest): Outcome {
  if (!world.semantics.seccompTraceRecheck) return ALLOW;
  const v = stackVerdict(task.filter, call, evaluationOf(world.semantics));
  if (v.action === 'trace') return ALLOW;
  return seccompOutcome(world, task, v);
}

/** Does `task` stop at a RET_TRACE for a tracer that serves the stop (TRACESECCOMP, able to act)? */
export function traceServed(world: World, task: Task): boolean {
  const link = linkOfTracee(world, task.tid);
  if (!link || (link.options & PTRACE_O.TRACESECCOMP) === 0) return false;
  const tracer = world.tasks.byTid(link.tracer);
  return tracer !== undefined && tracerCanServe(world, tracer);
}

/** What a TRACE verdict for `call` comes to for `task` (a probe's seccomp step). */
export function traceStop(world: World, task: Task, verdict: SeccompVerdict, call: SyscallRequest): TraceStop {
  if (verdict.action !== 'trace' || world.ptrace.links.length === 0) return NONE;
  const link = linkOfTracee(world, task.tid);
  if (!link || (link.options & PTRACE_O.TRACESECCOMP) === 0) return NONE;
  const tracer = world.tasks.byTid(link.tracer);
  if (!tracer) return NONE;
  if (!tracerCanServe(world, tracer)) return { kind: 'unserved', tracer: tracer.tid, reason: `tracer ${tracer.tid}'s own seccomp state stops its ptrace(2) calls at the stop` };
  const response = responseOf(world, tracer.tid);
  switch (response.kind) {
    case 'skip':
      return { kind: 'served', tracer: tracer.tid, response, call, outcome: { kind: 'errno', errno: response.errno, by: 'tracer' }, continues: false };
    case 'rewrite': {
      const next = syscall(response.nr, response.args, call.arch, call.ip);
      return { kind: 'served', tracer: tracer.tid, response, call: next, outcome: recheckAfterTrace(world, task, next), continues: false };
    }
    case 'allow': {
      const outcome = recheckAfterTrace(world, task, call);
      return { kind: 'served', tracer: tracer.tid, response, call, outcome, continues: outcome.kind === 'allow' };
    }
  }
}
