// One decision per task over both layer kinds: seccomp first, then Landlock, over a request
// universe, under the world's evaluation (model/evaluation.ts). Verdicts come from per-node
// tables (seccomp/table.ts, landlock/table.ts, cached per universe and evaluation); the
// outcome of a verdict is derived per call, because two of them read world state
// (seccomp/eval.ts:seccompOutcome): KILL_THREAD kills the process when the thread is the
// group's last, and USER_NOTIF gives ENOSYS once its listener is closed.
import type { World, Task } from './state.js';
import type { Universe } from './universe.js';
import type { Outcome, SeccompVerdict } from './outcome.js';
import type { SyscallRequest } from './request.js';
import type { FilterNode } from './seccomp/stack.js';
import { seccompTables } from './seccomp/table.js';
import { syscallVerdict } from './seccomp/op-gate.js';
import { AUDIT_ARCH_X86_64 } from './request.js';
import { seccompOutcome, stackVerdict } from './seccomp/eval.js';
import { strictVerdict } from './seccomp/strict.js';
import { landlockTables } from './landlock/table.js';
import { requestSyscall } from './request-syscall.js';
import type { Evaluation } from './evaluation.js';
import { evaluationOf } from './evaluation.js';
import { taskRelativeDecision } from './landlock/decide.js';
import { ERRNO } from './errno.js';
import { linkOfTracee } from './ptrace/state.js';

const ALLOW: Outcome = { kind: 'allow' };

/**
 * The task's outcome for every request of the universe: its syscalls first, then its Landlock
 * requests (index-aligned with `[...universe.syscalls, ...universe.landlock]`); each equals
 * probe.ts:decideRequest's outcome for that request (decide.test.ts).
 */
export function taskDecisions(world: World, task: Task, universe: Universe): readonly Outcome[] {
  const e = evaluationOf(world.semantics);
  const out: Outcome[] = new Array(universe.syscalls.length + universe.landlock.length);
  const sTable = task.seccompMode === 2 && task.filter ? seccompTables(universe, e).tableOf(task.filter) : null;
  for (let i = 0; i < universe.syscalls.length; i++) {
    const req = universe.syscalls[i]!;
    if (task.seccompMode === 0) out[i] = ALLOW;
    else if (task.seccompMode === 1) out[i] = seccompOutcome(world, task, strictVerdict(req));
    else out[i] = sTable ? sTable.outcome(i, world, task) : seccompOutcome(world, task, stackVerdict(null, req, e));
  }
  const lTable = landlockTables(universe, world.fs, e).table(task.domain);
  const base = universe.syscalls.length;
  for (let j = 0; j < universe.landlock.length; j++) {
    const req = universe.landlock[j]!;
    let o: Outcome = ALLOW;
    if (task.seccompMode !== 0) o = syscallOutcome(world, task, requestSyscall(req), e);
    if (o.kind === 'allow') {
      const code = lTable[j]!;
      if (code !== 0) o = landlockDenial(code);
    }
    out[base + j] = o;
  }
  return out;
}

/**
 * The seccomp outcome of a zero-argument native syscall of a Landlock or task-relative request
 * (request-syscall.ts): the verdict from the op gate's per-node memo (seccomp/op-gate.ts).
 */
function syscallOutcome(world: World, task: Task, sreq: SyscallRequest, e: Evaluation): Outcome {
  if (task.seccompMode === 1) return seccompOutcome(world, task, strictVerdict(sreq));
  const v = task.filter === null || sreq.arch !== AUDIT_ARCH_X86_64 || sreq.args.some((a) => a !== 0) || sreq.ip !== 0
    ? stackVerdict(task.filter, sreq, e)
    : syscallVerdict(task.filter, sreq.nr, e);
  return seccompOutcome(world, task, v);
}

const LANDLOCK_DENIALS: Outcome[] = [];

/** A Landlock denial with `errno`, one shared value per errno. */
function landlockDenial(errno: number): Outcome {
  return (LANDLOCK_DENIALS[errno] ??= { kind: 'errno', errno, by: 'landlock' });
}

/** The task-relative requests, in the order relationDecisions lists them. */
export const TASK_RELATIVE_KINDS = ['signal', 'abstract_unix', 'ptrace'] as const;
export type TaskRelativeKind = (typeof TASK_RELATIVE_KINDS)[number];

/** The syscalls the task-relative requests are made with (request-syscall.ts), in TASK_RELATIVE_KINDS order. */
const RELATIVE_SYSCALLS: readonly SyscallRequest[] = TASK_RELATIVE_KINDS.map((kind) => requestSyscall({ kind, target: 0 }));

/**
 * `task`'s outcome for each task-relative request towards `target` (TASK_RELATIVE_KINDS order):
 * what probe.ts:decideRelative gives (decisions.test.ts holds them equal), with the seccomp
 * verdicts cached per filter node.
 */
export function relationDecisions(world: World, task: Task, target: Task): readonly Outcome[] {
  const e = evaluationOf(world.semantics);
  const out: Outcome[] = new Array(TASK_RELATIVE_KINDS.length);
  for (let k = 0; k < TASK_RELATIVE_KINDS.length; k++) {
    const kind = TASK_RELATIVE_KINDS[k]!;
    let base = ALLOW;
    if (task.seccompMode !== 0) {
      base = syscallOutcome(world, task, RELATIVE_SYSCALLS[k]!, e);
      if (base.kind !== 'allow') {
        out[k] = base;
        continue;
      }
    }
    if (kind === 'ptrace' && target.tgid === task.tgid) out[k] = SAME_GROUP_PTRACE;
    else {
      const code = taskRelativeDecision(kind, task, target, e);
      // ptrace_attach: a task already traced → EPERM, after the LSMs (model/ptrace/).
      if (code === 0 && kind === 'ptrace' && world.ptrace.links.length !== 0 && linkOfTracee(world, target.tid)) out[k] = SAME_GROUP_PTRACE;
      else out[k] = code === 0 ? base : landlockDenial(code);
    }
  }
  return out;
}

/**
 * The seccomp outcomes of the task-relative requests' syscalls for `task` (TASK_RELATIVE_KINDS
 * order): what relationDecisions gives wherever seccomp does not let the call through.
 */
export function relativeSeccomp(world: World, task: Task): readonly Outcome[] {
  if (task.seccompMode === 0) return ALLOW_ALL_RELATIVE;
  const e = evaluationOf(world.semantics);
  return RELATIVE_SYSCALLS.map((r) => syscallOutcome(world, task, r, e));
}

const ALLOW_ALL_RELATIVE: readonly Outcome[] = TASK_RELATIVE_KINDS.map(() => ALLOW);

/** kernel/ptrace.c:ptrace_attach on one's own thread group, before any LSM (probe.ts). */
const SAME_GROUP_PTRACE: Outcome = { kind: 'errno', errno: ERRNO.EPERM, by: 'kernel' };

/** Same-identity check of a task's layers: the seccomp and Landlock top nodes. */
export function sameLayers(a: Task, b: Task): boolean {
  return a.filter === b.filter && a.domain === b.domain && a.seccompMode === b.seccompMode;
}
