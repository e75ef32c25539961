// Becoming a tracer: PTRACE_ATTACH / PTRACE_SEIZE (kernel/ptrace.c:ptrace_attach),
// PTRACE_TRACEME (ptrace_traceme) and PTRACE_SETOPTIONS (ptrace_setoptions), with the option
// checks of check_ptrace_options and the access checks of __ptrace_may_access (the thread-group
// exemption, then the LSMs: security/landlock/task.c:hook_ptrace_access_check and
// hook_ptrace_traceme, model/landlock/ptrace.ts). Every task is root with CAP_SYS_PTRACE, so the
// credential and dumpability checks pass; Yama is not modelled (inactive on the reference kernel).
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail, invalid } from '../result.js';
import { ERRNO } from '../errno.js';
import { evaluationOf } from '../evaluation.js';
import { ptraceDecision } from '../landlock/ptrace.js';
import type { TraceLink, TraceResponse } from './state.js';
import { PTRACE_O, PTRACE_O_MASK, linkOfTracee, withPtrace } from './state.js';
import { resolveTarget } from '../landlock/decide.js';
import { realParent } from '../task/tree.js';

/**
 * check_ptrace_options: an unknown bit → EINVAL; SUSPEND_SECCOMP needs CONFIG_CHECKPOINT_RESTORE
 * (built in on the reference kernel), capable(CAP_SYS_ADMIN) in the initial user namespace
 * (every modelled task is in it) and a tracer with seccomp mode 0 that is not itself a suspended
 * tracee (the CVE-2022-30594 fix), else EPERM.
 */
export function checkPtraceOptions(world: World, tracer: Task, options: number): number {
  if ((options & ~PTRACE_O_MASK) !== 0) return ERRNO.EINVAL;
  if ((options & PTRACE_O.SUSPEND_SECCOMP) !== 0) {
    if (!tracer.capSysAdmin) return ERRNO.EPERM;
    if (tracer.seccompMode !== 0) return ERRNO.EPERM;
    const own = linkOfTracee(world, tracer.tid);
    if (own && (own.options & PTRACE_O.SUSPEND_SECCOMP) !== 0) return ERRNO.EPERM;
  }
  return 0;
}

function addLink(world: World, link: TraceLink): World {
  return withPtrace(world, { links: [...world.ptrace.links, link], responses: world.ptrace.responses });
}

/**
 * ptrace_attach: SEIZE checks its options first (an unknown bit → EIO, then
 * check_ptrace_options); a task of the caller's own thread group → EPERM (before any LSM, L3);
 * __ptrace_may_access (Landlock's domain order, L1) → EPERM; a task already traced → EPERM.
 * ATTACH's SIGSTOP stop is waited for and continued by the tracer (the executor), so the tracee
 * runs on in both modes.
 */
export function ptraceAttach(world: World, task: Task, op: { readonly target: number; readonly seize: boolean; readonly options: number }): StepOut {
  const target = resolveTarget(world, op.target);
  if (!target) return fail(world, task.tid, invalid('ptrace_attach: no live target task'));
  if (!op.seize && op.options !== 0) return fail(world, task.tid, invalid('ptrace_attach: options are set by SEIZE only (PTRACE_ATTACH takes none; use ptrace_setoptions)'));
  if (op.seize) {
    if ((op.options & ~PTRACE_O_MASK) !== 0) return fail(world, task.tid, err(ERRNO.EIO));
    const e = checkPtraceOptions(world, task, op.options);
    if (e !== 0) return fail(world, task.tid, err(e));
  }
  if (target.tgid === task.tgid) return fail(world, task.tid, err(ERRNO.EPERM));
  const lsm = ptraceDecision(task.domain, task.tgid, target.domain, target.tgid, evaluationOf(world.semantics).landlockScope);
  if (lsm !== 0) return fail(world, task.tid, err(lsm));
  if (linkOfTracee(world, target.tid)) return fail(world, task.tid, err(ERRNO.EPERM));
  const next = addLink(world, { tracer: task.tid, tracee: target.tid, options: op.seize ? op.options : 0, seized: op.seize });
  return { world: next, result: ok(0), tid: task.tid };
}


/**
 * A TRACEME whose real parent the model does not know is not run at all (not even its syscall:
 * the executor would make an unmodelled process the tracer), so step.ts asks this before the
 * op gate; null when the parent is a modelled task.
 */
export function tracemeOutsideModel(world: World, task: Task, parent: Task | 'outside' | 'ambiguous' = realParent(world, task)): StepOut | null {
  if (parent === 'outside') return fail(world, task.tid, invalid('ptrace_traceme: the real parent is not a modelled task'));
  if (parent === 'ambiguous') return fail(world, task.tid, invalid('ptrace_traceme: the parent\'s thread group has several live threads (which one forked is not modelled)'));
  return null;
}

/**
 * ptrace_traceme: an already traced task → EPERM; security_ptrace_traceme(parent) (Landlock:
 * the parent's domain must be an ancestor-or-self of the caller's, L1) → EPERM; else the real
 * parent becomes the tracer, options 0.
 */
export function ptraceTraceme(world: World, task: Task): StepOut {
  const parent = realParent(world, task);
  if (typeof parent === 'string') return tracemeOutsideModel(world, task, parent)!;
  if (linkOfTracee(world, task.tid)) return fail(world, task.tid, err(ERRNO.EPERM));
  const lsm = ptraceDecision(parent.domain, parent.tgid, task.domain, task.tgid, evaluationOf(world.semantics).landlockScope);
  if (lsm !== 0) return fail(world, task.tid, err(lsm));
  const next = addLink(world, { tracer: parent.tid, tracee: task.tid, options: 0, seized: false });
  return { world: next, result: ok(0), tid: task.tid };
}

/**
 * PTRACE_SETOPTIONS: ptrace_check_attach (not the caller's tracee → ESRCH; the executor stops the
 * tracee for the call), then check_ptrace_options, then the options replace the old ones (a
 * cleared SUSPEND_SECCOMP resumes filtering, P5).
 */
export function ptraceSetoptions(world: World, task: Task, op: { readonly target: number; readonly options: number }): StepOut {
  const target = resolveTarget(world, op.target);
  if (!target) return fail(world, task.tid, invalid('ptrace_setoptions: no live target task'));
  const link = linkOfTracee(world, target.tid);
  if (!link || link.tracer !== task.tid) return fail(world, task.tid, err(ERRNO.ESRCH));
  const e = checkPtraceOptions(world, task, op.options);
  if (e !== 0) return fail(world, task.tid, err(e));
  if (link.options === op.options) return { world, result: ok(0), tid: task.tid };
  const links = world.ptrace.links.map((l) => (l === link ? { ...l, options: op.options } : l));
  return { world: withPtrace(world, { links, responses: world.ptrace.responses }), result: ok(0), tid: task.tid };
}

/** The tracer's program decides its response at seccomp stops from now on: no syscall, no check. */
export function ptraceResponse(world: World, task: Task, response: TraceResponse): StepOut {
  const responses = world.ptrace.responses.filter((r) => r.tracer !== task.tid);
  if (response.kind !== 'allow') responses.push({ tracer: task.tid, response });
  return { world: withPtrace(world, { links: world.ptrace.links, responses }), result: ok(0), tid: task.tid };
}
