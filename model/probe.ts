// A probe: the task makes one request. Seccomp decides first (kernel/seccomp.c:
// __secure_computing at syscall entry); if the call runs, the Landlock hook of the operation
// decides (security/landlock/*). A kill verdict removes the thread or the whole group.
import type { Request } from './request.js';
import type { World, Task } from './state.js';
import type { StepOut } from './result.js';
import type { Outcome, ProbeResult } from './outcome.js';
import { seccompVerdict, seccompOutcome } from './seccomp/eval.js';
import { landlockDecide, resolveTarget } from './landlock/decide.js';
import { ERRNO } from './errno.js';
import { requestSyscall } from './request-syscall.js';
import { killGroup, killThread } from './task/tree.js';

const ALLOW: Outcome = { kind: 'allow' };

/** The decided outcome of `request` for `task` in `world`, without applying its effects. */
export function decideRequest(world: World, task: Task, request: Request): ProbeResult {
  const verdict = seccompVerdict(task, requestSyscall(request));
  const outcome = verdict ? seccompOutcome(world, task, verdict) : ALLOW;
  if (outcome.kind !== 'allow' || request.kind === 'syscall') return { seccomp: verdict, outcome };
  const pre = kernelPrecheck(world, task, request);
  if (pre !== 0) return { seccomp: verdict, outcome: { kind: 'errno', errno: pre, by: 'kernel' } };
  const errno = landlockDecide(world, task, request);
  if (errno === 0) return { seccomp: verdict, outcome };
  return { seccomp: verdict, outcome: { kind: 'errno', errno, by: 'landlock' } };
}

/**
 * The syscall's own checks that run before any LSM hook. PTRACE_ATTACH refuses a task of the
 * caller's own thread group with EPERM (kernel/ptrace.c:ptrace_attach: same_thread_group).
 */
function kernelPrecheck(world: World, task: Task, request: Request): number {
  if (request.kind === 'ptrace') {
    const target = resolveTarget(world, request.target);
    if (target && target.tgid === task.tgid) return ERRNO.EPERM;
  }
  return 0;
}

export function probe(world: World, task: Task, request: Request): StepOut {
  const r = decideRequest(world, task, request);
  let next = world;
  if (r.outcome.kind === 'kill_process') next = killGroup(world, task.tgid);
  else if (r.outcome.kind === 'kill_thread') next = killThread(world, task.tid);
  return { world: next, result: { kind: 'probe', probe: r }, tid: task.tid };
}
