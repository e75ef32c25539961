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
import { seccompOutcome, stackVerdict } from './seccomp/eval.js';
import { strictVerdict } from './seccomp/strict.js';
import { landlockTables } from './landlock/table.js';
import { requestSyscall } from './request-syscall.js';
import type { Evaluation } from './evaluation.js';
import { evaluationOf } from './evaluation.js';
import { decideRelative } from './probe.js';

const ALLOW: Outcome = { kind: 'allow' };

/**
 * The task's outcome for every request of the universe: its syscalls first, then its Landlock
 * requests (index-aligned with `[...universe.syscalls, ...universe.landlock]`); each equals
 * probe.ts:decideRequest's outcome for that request (decide.test.ts).
 */
export function taskDecisions(world: World, task: Task, universe: Universe): readonly Outcome[] {
  const e = evaluationOf(world.semantics);
  const out: Outcome[] = new Array(universe.syscalls.length + universe.landlock.length);
  const sTable = task.filter ? seccompTables(universe, e).tableOf(task.filter) : null;
  for (let i = 0; i < universe.syscalls.length; i++) {
    const req = universe.syscalls[i]!;
    if (task.seccompMode === 0) out[i] = ALLOW;
    else if (task.seccompMode === 1) out[i] = seccompOutcome(world, task, strictVerdict(req));
    else out[i] = seccompOutcome(world, task, sTable ? sTable.verdict(i) : stackVerdict(null, req, e));
  }
  const lTable = landlockTables(universe, world.fs, e).table(task.domain);
  const base = universe.syscalls.length;
  for (let j = 0; j < universe.landlock.length; j++) {
    const req = universe.landlock[j]!;
    let o: Outcome = ALLOW;
    if (task.seccompMode !== 0) {
      const sreq = requestSyscall(req);
      const v = task.seccompMode === 1 ? strictVerdict(sreq) : stackVerdictCached(task.filter, sreq, e);
      o = seccompOutcome(world, task, v);
    }
    if (o.kind === 'allow') {
      const code = lTable[j]!;
      if (code !== 0) o = { kind: 'errno', errno: code, by: 'landlock' };
    }
    out[base + j] = o;
  }
  return out;
}

/** The task-relative requests, in the order relationDecisions lists them. */
export const TASK_RELATIVE_KINDS = ['signal', 'abstract_unix', 'ptrace'] as const;
export type TaskRelativeKind = (typeof TASK_RELATIVE_KINDS)[number];

/**
 * `task`'s outcome for each task-relative request towards `target` (TASK_RELATIVE_KINDS order):
 * probe.ts:decideRelative, i.e. decideRequest with the target resolved.
 */
export function relationDecisions(world: World, task: Task, target: Task): readonly Outcome[] {
  return [
    decideRelative(world, task, 'signal', target).outcome,
    decideRelative(world, task, 'abstract_unix', target).outcome,
    decideRelative(world, task, 'ptrace', target).outcome,
  ];
}

/** Seccomp verdict for the syscall behind a Landlock request, cached per filter node and evaluation. */
const LL_SYSCALL_CACHE = new WeakMap<FilterNode, Map<Evaluation, Map<number, SeccompVerdict>>>();
function stackVerdictCached(top: FilterNode | null, req: SyscallRequest, e: Evaluation): SeccompVerdict {
  if (!top) return stackVerdict(top, req, e);
  let byEval = LL_SYSCALL_CACHE.get(top);
  if (!byEval) LL_SYSCALL_CACHE.set(top, (byEval = new Map()));
  let m = byEval.get(e);
  if (!m) byEval.set(e, (m = new Map()));
  let v = m.get(req.nr);
  if (!v) m.set(req.nr, (v = stackVerdict(top, req, e)));
  return v;
}

/** Same-identity check of a task's layers: the seccomp and Landlock top nodes. */
export function sameLayers(a: Task, b: Task): boolean {
  return a.filter === b.filter && a.domain === b.domain && a.seccompMode === b.seccompMode;
}
