// A probe: the task makes one request. Seccomp decides first (kernel/seccomp.c:
// __secure_computing at syscall entry); if the call runs, the Landlock hook of the operation
// decides (security/landlock/*). A kill verdict removes the thread or the whole group.
import { reparentAcrossMounts } from './landlock/fs.js';
import { fsIndex } from './landlock/fstree.js';
import type { Request } from './request.js';
import { isTargeted } from './request.js';
import type { World, Task } from './state.js';
import type { StepOut } from './result.js';
import type { Outcome, ProbeResult } from './outcome.js';
import { seccompVerdict, seccompOutcome } from './seccomp/eval.js';
import { evaluationOf } from './evaluation.js';
import { landlockDecide, resolveTarget, taskRelativeDecision } from './landlock/decide.js';
import { ERRNO } from './errno.js';
import { requestSyscall } from './request-syscall.js';
import { killGroup, killThread } from './task/tree.js';
import { seccompSuspended, linkOfTracee } from './ptrace/state.js';
import { traceStop } from './ptrace/trace-stop.js';
import { invalid } from './result.js';
import { sigurgDecision } from './landlock/fown.js';
import { isUnixListenerFd } from './task/socket.js';
import { resolveFd } from './task/fds.js';
import { abstractUnixDecision } from './landlock/scope.js';
import { resolveRequest } from './task/relative-request.js';
import { isRelativePath } from './task/cwd.js';

const ALLOW: Outcome = { kind: 'allow' };

/** The decided outcome of `request` for `task` in `world`, without applying its effects. */
export function decideRequest(world: World, task: Task, request: Request): ProbeResult {
  return decideAgainst(world, task, request, isTargeted(request) ? resolveTarget(world, request.target) : undefined);
}

/** A task-relative request towards a task given directly (not by reference). */
export function decideRelative(world: World, task: Task, kind: 'signal' | 'abstract_unix' | 'ptrace', target: Task): ProbeResult {
  return decideAgainst(world, task, { kind, target: 0 }, target);
}

/** decideRequest with a task-relative request's target resolved (undefined: none alive). */
function decideAgainst(world: World, task: Task, request: Request, target: Task | undefined): ProbeResult {
  const e = evaluationOf(world.semantics);
  const verdict = seccompVerdict(task, requestSyscall(request), e);
  const outcome = verdict ? seccompOutcome(world, task, verdict) : ALLOW;
  if (outcome.kind !== 'allow' || request.kind === 'syscall') return { seccomp: verdict, outcome };
  return afterSeccomp(world, task, request, target, verdict, outcome);
}

/** The operation's own checks once seccomp let the call run (the Landlock hooks, ptrace_attach's). */
function afterSeccomp(world: World, task: Task, request: Request, target: Task | undefined, verdict: ProbeResult['seccomp'], outcome: Outcome): ProbeResult {
  if (request.kind === 'syscall') return { seccomp: verdict, outcome };
  const e = evaluationOf(world.semantics);
  let errno: number;
  if (request.kind === 'signal' || request.kind === 'abstract_unix' || request.kind === 'ptrace') {
    if (!target) errno = ERRNO.ESRCH;
    else {
      // kernel/ptrace.c:ptrace_attach refuses a task of the caller's own thread group with
      // EPERM before any LSM hook.
      if (request.kind === 'ptrace' && target.tgid === task.tgid) return { seccomp: verdict, outcome: { kind: 'errno', errno: ERRNO.EPERM, by: 'kernel' } };
      if (request.kind === 'abstract_unix' && request.listener !== undefined) {
        // a listener the target holds (made by unix_listen): its file's creator is the server
        const l = resolveFd(target, request.listener, isUnixListenerFd);
        if (l === undefined || l.obj.kind !== 'unix_listener') return { seccomp: verdict, outcome: { kind: 'errno', errno: ERRNO.ECONNREFUSED, by: 'kernel' } };
        errno = abstractUnixDecision(task.domain, l.obj.creator, e.landlockScope);
      } else errno = taskRelativeDecision(request.kind, task, target, e);
      // ptrace_attach: a task already traced → EPERM, after __ptrace_may_access (the LSMs).
      if (errno === 0 && request.kind === 'ptrace' && world.ptrace.links.length !== 0 && linkOfTracee(world, target.tid)) {
        return { seccomp: verdict, outcome: { kind: 'errno', errno: ERRNO.EPERM, by: 'kernel' } };
      }
    }
  } else if (request.kind === 'sigurg') {
    // the delivery of SIGURG to the other end's owner (task/socket.ts)
    const d = sigurgDecision(world, task, request, e);
    if (d.errno !== 0) return { seccomp: verdict, outcome: { kind: 'errno', errno: d.errno, by: d.by } };
    errno = 0;
  } else {
    // do_renameat2 / do_linkat: across two mounts, EXDEV before any hook
    const vfs = request.kind === 'rename' || request.kind === 'link' || request.kind === 'exchange' ? reparentAcrossMounts(fsIndex(world.fs), request) : 0;
    if (vfs !== 0) return { seccomp: verdict, outcome: { kind: 'errno', errno: vfs, by: 'kernel' } };
    errno = landlockDecide(world, task, request);
  }
  if (errno === 0) return { seccomp: verdict, outcome };
  return { seccomp: verdict, outcome: { kind: 'errno', errno, by: 'landlock' } };
}

/**
 * A notified call the supervisor answered with SECCOMP_USER_NOTIF_FLAG_CONTINUE: the syscall
 * runs (seccomp_do_user_notification returns 0 to __seccomp_filter), so what decides it now is
 * the kernel's own checks and the Landlock hook — seccomp is not asked again. The verdict shown
 * stays the USER_NOTIF one that delegated the call.
 */
export function decideContinued(world: World, task: Task, asked: Request): ProbeResult {
  // a relative path is looked up now, from the cwd of this moment (model/task/cwd.ts); a walk
  // the model does not follow never got this far (step.ts), so none is left here
  const res = resolveRequest(world, task, asked);
  const request = 'invalid' in res ? asked : res.request;
  const lookup = 'invalid' in res ? ERRNO.ENOENT : res.lookup;
  const decided = decideRequest(world, task, request);
  const target = isTargeted(request) ? resolveTarget(world, request.target) : undefined;
  const r = afterSeccomp(world, task, request, target, decided.seccomp, ALLOW);
  return lookup === undefined ? r : lookupFailed(r, lookup);
}

/**
 * What the probe comes to with the task's tracer in the picture (model/ptrace/): a suspended
 * task's filters do not run at all (P4: Landlock still decides); a TRACE verdict goes to a tracer
 * with PTRACE_O_TRACESECCOMP, whose response and the re-check decide (R2–R5). A string, the
 * reason: the tracer cannot serve the stop. decideRequest is the untraced decision (a disposable
 * child's: no tracer follows it).
 */
export function decideTraced(world: World, task: Task, request: Request): ProbeResult | string {
  const r = decideRequest(world, task, request);
  if (world.ptrace.links.length === 0) return r;
  const target = isTargeted(request) ? resolveTarget(world, request.target) : undefined;
  if (r.seccomp !== null && seccompSuspended(world, task)) {
    const s = afterSeccomp(world, task, request, target, null, ALLOW);
    return { seccomp: r.seccomp, outcome: s.outcome, suspended: true };
  }
  if (r.seccomp === null || r.seccomp.action !== 'trace') return r;
  const stop = traceStop(world, task, r.seccomp, requestSyscall(request));
  if (stop.kind === 'none') return r;
  if (stop.kind === 'unserved') return stop.reason;
  const trace = { tracer: stop.tracer, response: stop.response, call: stop.call };
  if (!stop.continues) return { seccomp: r.seccomp, outcome: stop.outcome, trace };
  const after = afterSeccomp(world, task, request, target, r.seccomp, stop.outcome);
  return { seccomp: r.seccomp, outcome: after.outcome, trace };
}

/**
 * A probe whose relative path failed its lookup (ENOENT, ENOTDIR: model/task/cwd.ts): the call
 * ran past seccomp (and a tracer), so what the syscall body would have decided — Landlock's hook,
 * never reached — is the lookup's errno instead.
 */
function lookupFailed(r: ProbeResult, errno: number): ProbeResult {
  const o = r.outcome;
  if (o.kind === 'allow' || (o.kind === 'errno' && o.by === 'landlock')) return { ...r, outcome: { kind: 'errno', errno, by: 'kernel' } };
  return r;
}

export function probe(world: World, task: Task, asked: Request): StepOut {
  // a relative path stands for its absolute one (model/task/cwd.ts; step.ts made sure it
  // walks); every other request is decided as it is (the hot path: no resolution)
  const res = asked.kind === 'fs' && isRelativePath(asked.path) ? resolveRequest(world, task, asked) : null;
  if (res !== null && 'invalid' in res) return { world, result: invalid(`probe: ${res.invalid}`), tid: task.tid };
  const decided = decideTraced(world, task, res === null ? asked : res.request);
  const r = res?.lookup === undefined || typeof decided === 'string' ? decided : lookupFailed(decided, res.lookup);
  if (typeof r === 'string') return { world, result: invalid(`probe: ${r}`), tid: task.tid };
  let next = world;
  if (r.outcome.kind === 'kill_process') next = killGroup(world, task.tgid);
  else if (r.outcome.kind === 'kill_thread') next = killThread(world, task.tid);
  return { world: next, result: { kind: 'probe', probe: r }, tid: task.tid };
}
