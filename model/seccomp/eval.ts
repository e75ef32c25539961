// Evaluating a task's seccomp state for one syscall (kernel/seccomp.c:__secure_computing,
// seccomp_run_filters, __seccomp_filter) and mapping the verdict to what the task observes.
import type { World, Task } from '../state.js';
import type { SyscallRequest } from '../request.js';
import { AUDIT_ARCH_X86_64 } from '../request.js';
import type { Outcome, SeccompVerdict } from '../outcome.js';
import { ERRNO } from '../errno.js';
import { MAX_ERRNO } from '../limits.js';
import type { FilterNode } from './stack.js';
import { findLayer } from './stack.js';
import { compile } from '../bpf/interp.js';
import { run } from '../bpf/jit.js';
import { seccompData } from './data.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS, actionKind, actionOnly, retData } from './action.js';
import { strictVerdict, threadKillOutcome } from './strict.js';
import type { Evaluation } from '../evaluation.js';
import { LINUX_EVALUATION, seccompReplaces } from '../evaluation.js';
import { evalRuledLayer } from '../maps/rule.js';
import { trapKills } from '../task/sigsys.js';

/** x86_64 __NR_uretprobe / __NR_uprobe. */
export const NR_URETPROBE = 335;
export const NR_UPROBE = 336;

/**
 * seccomp_uprobe_exception (6.18): native-arch uretprobe/uprobe are constant-allowed in every
 * filter's action cache, so seccomp_run_filters returns ALLOW before running any filter.
 */
export function uprobeException(nr: number, arch: number): boolean {
  return arch === AUDIT_ARCH_X86_64 && (nr === NR_URETPROBE || nr === NR_UPROBE);
}

/**
 * One layer's value: its programs run newest (last appended) first, replaced on strictly-less
 * (under `e`'s precedence and combination). On Linux a layer has exactly one program.
 */
export function evalLayer(node: FilterNode, data: Uint32Array, e: Evaluation): number {
  if (node.mapRules !== null) return evalRuledLayer(node, data, e); // H1: programs that read a map
  const progs = node.programs;
  let ret = run(compile(progs[progs.length - 1]!), data);
  for (let i = progs.length - 2; i >= 0; i--) {
    const r = run(compile(progs[i]!), data);
    if (e === LINUX_EVALUATION ? actionOnly(r) < actionOnly(ret) : seccompReplaces(e, r, ret)) ret = r;
  }
  return ret;
}

export interface RunResult {
  /** The winning u32 (SECCOMP_RET_ALLOW itself when nothing beat the initial value). */
  readonly ret: number;
  /** The filter that produced it (`match`), null when it stayed at the initial ALLOW. */
  readonly match: FilterNode | null;
}

/**
 * seccomp_run_filters: ret = ALLOW; newest first; replace (and set match) on strictly-less.
 * Under another evaluation: its precedence, or (combine 'newest') the newest filter alone.
 */
export function runFilters(top: FilterNode, data: Uint32Array, e: Evaluation): RunResult {
  if (e.seccompCombine === 'newest') return { ret: evalLayer(top, data, e), match: top };
  let ret = SECCOMP_RET_ALLOW;
  let match: FilterNode | null = null;
  const linux = e === LINUX_EVALUATION;
  for (let f: FilterNode | null = top; f; f = f.prev) {
    const cur = evalLayer(f, data, e);
    if (linux ? actionOnly(cur) < actionOnly(ret) : seccompReplaces(e, cur, ret)) {
      ret = cur;
      match = f;
    }
  }
  return { ret, match };
}

/** A verdict from a run result. */
export function verdictOf(ret: number, match: FilterNode | null): SeccompVerdict {
  return { action: actionKind(ret), ret: ret >>> 0, data: retData(ret), layer: match ? match.id : null };
}

const ALLOW_EXEMPT: SeccompVerdict = { action: 'allow', ret: SECCOMP_RET_ALLOW, data: 0, layer: null };

/** stackVerdict's seccomp_data, filled afresh per call (filters only read it; no allocation). */
const STACK_DATA = new Uint32Array(16);

/** The verdict of a filter stack for one request (mode 2), uprobe exemption included. */
export function stackVerdict(top: FilterNode | null, req: SyscallRequest, e: Evaluation): SeccompVerdict {
  if (top === null) {
    // seccomp_run_filters: WARN_ON(f == NULL) → fail closed.
    return { action: 'kill_process', ret: SECCOMP_RET_KILL_PROCESS, data: 0, layer: null };
  }
  if (uprobeException(req.nr, req.arch)) return ALLOW_EXEMPT;
  const r = runFilters(top, seccompData(req, STACK_DATA), e);
  return verdictOf(r.ret, r.match);
}

/**
 * __secure_computing for one request: null when the task is in mode 0; strict mode's verdict
 * (layer null) in mode 1; otherwise every filter runs.
 */
export function seccompVerdict(task: Task, req: SyscallRequest, e: Evaluation): SeccompVerdict | null {
  switch (task.seccompMode) {
    case 0: return null;
    case 1: return strictVerdict(req);
    default: return stackVerdict(task.filter, req, e);
  }
}

/** Is listener `id` still open: does some live task's fd table hold a listener fd for it? */
export function listenerOpen(world: World, id: number): boolean {
  for (const t of world.tasks) for (const e of t.fds) if (e.obj.kind === 'listener' && e.obj.id === id) return true;
  return false;
}

const ALLOW_OUTCOME: Outcome = { kind: 'allow' };
const LOG_OUTCOME: Outcome = { kind: 'allow', logged: true };

/**
 * __seccomp_filter: what the verdict does to the calling task.
 * ERRNO → -min(data, MAX_ERRNO) (0: skipped, returns 0); TRAP → SIGSYS with si_errno = data;
 * KILL_THREAD → the thread, or the process if it is the last live thread; KILL_PROCESS and
 * unknown → the process; USER_NOTIF → match's listener if it is still open, else ENOSYS;
 * TRACE → ENOSYS (no tracer is modelled); LOG → runs, logged; ALLOW → runs.
 */
export function seccompOutcome(world: World, task: Task, verdict: SeccompVerdict): Outcome {
  switch (verdict.action) {
    case 'allow': return ALLOW_OUTCOME;
    case 'log': return LOG_OUTCOME;
    case 'errno': return { kind: 'errno', errno: Math.min(verdict.data, MAX_ERRNO), by: 'seccomp' };
    // force_sig_seccomp: ignored, default or blocked SIGSYS → the process dies (task/sigsys.ts)
    case 'trap': return trapKills(task) ? { kind: 'kill_process' } : { kind: 'trap', data: verdict.data };
    case 'kill_thread': return threadKillOutcome(world, task);
    case 'kill_process': return { kind: 'kill_process' };
    case 'trace': return { kind: 'errno', errno: ERRNO.ENOSYS, by: 'seccomp' };
    case 'user_notif': {
      // seccomp_do_user_notification: match->notif is freed when the listener file is released.
      const node = verdict.layer === null ? null : findLayer(task.filter, verdict.layer);
      const id = node?.listener ?? null;
      if (id !== null && listenerOpen(world, id)) return { kind: 'notify', listener: id };
      return { kind: 'errno', errno: ERRNO.ENOSYS, by: 'seccomp' };
    }
  }
}
