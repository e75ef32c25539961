// One decision per task over both layer kinds: seccomp first, then Landlock, over a request
// universe. Tables are per layer node (seccomp/table.ts, landlock/table.ts), so the combined
// table of a task is computed once per (filter node, domain node) pair and reused.
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

const ALLOW: Outcome = { kind: 'allow' };

/**
 * The task's outcome for every request of the universe: its syscalls first, then its Landlock
 * requests (index-aligned with `[...universe.syscalls, ...universe.landlock]`).
 * Verdicts come from per-node tables; the outcome is re-derived per call because USER_NOTIF
 * depends on whether the listener is still open, which is world state.
 */
export function taskDecisions(world: World, task: Task, universe: Universe): readonly Outcome[] {
  const out: Outcome[] = new Array(universe.syscalls.length + universe.landlock.length);
  const sTables = seccompTables(universe);
  const sTable = task.filter ? sTables.tableOf(task.filter) : null;
  for (let i = 0; i < universe.syscalls.length; i++) {
    const req = universe.syscalls[i]!;
    if (task.seccompMode === 0) out[i] = ALLOW;
    else if (task.seccompMode === 1) out[i] = seccompOutcome(world, task, strictVerdict(req));
    else out[i] = seccompOutcome(world, task, sTable ? sTable.verdict(i) : stackVerdict(null, req));
  }
  const lTable = landlockTables(universe, world.fs).table(task.domain);
  const base = universe.syscalls.length;
  for (let j = 0; j < universe.landlock.length; j++) {
    const req = universe.landlock[j]!;
    let o: Outcome = ALLOW;
    if (task.seccompMode !== 0) {
      const sreq = requestSyscall(req);
      const v = task.seccompMode === 1 ? strictVerdict(sreq) : stackVerdictCached(task.filter, sreq);
      o = seccompOutcome(world, task, v);
    }
    if (o.kind === 'allow') {
      const e = lTable[j]!;
      if (e !== 0) o = { kind: 'errno', errno: e, by: 'landlock' };
    }
    out[base + j] = o;
  }
  return out;
}

/** Seccomp verdict for the syscall behind a Landlock request, cached per filter node. */
const LL_SYSCALL_CACHE = new WeakMap<FilterNode, Map<number, SeccompVerdict>>();
function stackVerdictCached(top: FilterNode | null, req: SyscallRequest): SeccompVerdict {
  if (!top) return stackVerdict(top, req);
  let m = LL_SYSCALL_CACHE.get(top);
  if (!m) LL_SYSCALL_CACHE.set(top, (m = new Map()));
  let v = m.get(req.nr);
  if (!v) m.set(req.nr, (v = stackVerdict(top, req)));
  return v;
}

/** Same-identity check of a task's layers: the seccomp and Landlock top nodes. */
export function sameLayers(a: Task, b: Task): boolean {
  return a.filter === b.filter && a.domain === b.domain && a.seccompMode === b.seccompMode;
}
