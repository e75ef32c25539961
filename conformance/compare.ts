// Model result vs kernel result for one op: what the executor knows about reading a kernel
// observation as the model's terms (a request's natural failure counts as allowed; a thread
// kill and a process kill look alike when the thread was alone; RET_ERRNO with data 0 looks
// like a call that returned 0). For the lead's model diff.
import type { Op } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import type { Outcome } from '../model/outcome.js';
import type { Request } from '../model/request.js';
import { AUDIT_ARCH_X86_64 } from '../model/request.js';
import { NR_UPROBE, NR_URETPROBE } from '../model/seccomp/eval.js';
import { mountCall, mountNaturalErrnos } from '../model/landlock/mount.js';
import type { KernelOpResult, KernelOutcome } from './result.js';

export type Verdict =
  | { readonly verdict: 'same' }
  | { readonly verdict: 'different'; readonly why: string }
  /** The kernel did not run the op (skip, timeout, executor error): nothing to compare.
   * `unobservable`: it ran, but the kernel does not show what would tell the two apart. */
  | { readonly verdict: 'not_comparable'; readonly why: string; readonly unobservable?: true };

const ENXIO = 6;
const EPROTO = 71;
const ENOEXEC = 8;
const EFAULT = 14;
const ENOTTY = 25;
const ENOTEMPTY = 39;
const EBUSY = 16;
const ECONNREFUSED = 111;

/**
 * Errnos with which an allowed request fails by itself: for Landlock requests
 * (model/landlock/fs.ts, net.ts) execve of the empty test file, FIONREAD on a device that has no
 * such ioctl, rmdir of a non-empty directory, rmdir or rename of a mount point, a connect nobody
 * listens to; for syscalls, a null pointer where the call needs one (uname(NULL)).
 */
export function naturalErrnos(req: Request | undefined): readonly number[] {
  if (!req) return [];
  // the default universe's uname(NULL) (model/universe.ts) faults when it runs
  if (req.kind === 'syscall' && req.nr === 63 && req.arch === AUDIT_ARCH_X86_64 && req.args[0] === 0) return [EFAULT];
  // uprobe(2) from outside a uprobe trampoline fails by itself
  // (arch/x86/kernel/uprobes.c:SYSCALL_DEFINE0(uprobe)): ENXIO on this 6.18 kernel
  // (conformance/seccomp.test.ts, test 22), EPROTO in the check's later form
  if (req.kind === 'syscall' && req.nr === NR_UPROBE && req.arch === AUDIT_ARCH_X86_64) return [ENXIO, EPROTO];
  if (req.kind === 'fs') {
    if (req.access === 'execute') return [ENOEXEC];
    if (req.access === 'ioctl_dev') return [ENOTTY];
    // rmdir of a bind mount's mount point: EBUSY after Landlock allowed it (vfs_rmdir)
    if (req.access === 'remove_dir') return [ENOTEMPTY, EBUSY];
  }
  // renaming a bind mount's mount point (either side of an exchange): EBUSY after Landlock
  // allowed it (vfs_rename's is_local_mountpoint; model/landlock/fs.ts)
  if (req.kind === 'rename' || req.kind === 'exchange') return [EBUSY];
  if (req.kind === 'net' && req.op === 'connect') return [ECONNREFUSED];
  if (req.kind === 'mount') return mountNaturalErrnos(mountCall(req));
  return [];
}

/**
 * uretprobe(2) outside a uretprobe trampoline: arch/x86/kernel/uprobes.c:SYSCALL_DEFINE0(uretprobe)
 * forces SIGILL on the caller ("sigill"), which kills the process — the call ran (seccomp lets
 * both through: model/seccomp/eval.ts:uprobeException), and that is how it ends by itself.
 */
function naturallyKilled(req: Request | undefined, k: KernelOutcome): boolean {
  return req?.kind === 'syscall' && req.nr === NR_URETPROBE && req.arch === AUDIT_ARCH_X86_64 &&
    k.kind === 'kill_process' && k.signal === 'SIGILL';
}

const same: Verdict = { verdict: 'same' };
const differ = (why: string): Verdict => ({ verdict: 'different', why });

function show(o: Outcome | KernelOutcome): string {
  return JSON.stringify(o);
}

/** A model outcome against what the task experienced on the kernel. */
export function compareOutcome(m: Outcome, k: KernelOutcome, req?: Request): Verdict {
  const mismatch = (): Verdict => differ(`model ${show(m)}, kernel ${show(k)}`);
  switch (m.kind) {
    case 'allow':
      if (k.kind === 'returned') return same;
      if (k.kind === 'errno' && naturalErrnos(req).includes(k.errno)) return same;
      if (naturallyKilled(req, k)) return same;
      return mismatch();
    case 'errno':
      if (m.errno === 0) return k.kind === 'returned' && k.ret === 0 ? same : mismatch(); // skipped, returned 0
      return k.kind === 'errno' && k.errno === m.errno ? same : mismatch();
    case 'trap':
      return k.kind === 'trap' && k.data === m.data ? same : mismatch();
    case 'kill_thread':
      // the last thread's KILL_THREAD is a process-wide SIGSYS (kernel/seccomp.c:__seccomp_filter)
      return k.kind === 'kill_thread' || (k.kind === 'kill_process' && k.alone) ? same : mismatch();
    case 'kill_process':
      return k.kind === 'kill_process' ? same : mismatch();
    case 'notify':
      return k.kind === 'notify' && k.listener === m.listener ? same : mismatch();
  }
}

/** A filter stopped the op's own syscall (model/seccomp/op-gate.ts): on the kernel an ERRNO
 * is the op's error (data 0: the call returned 0), a kill is `killed`, a trap or a
 * notification is `stopped`. */
function compareStopped(m: Outcome, k: KernelOpResult): Verdict {
  const mismatch = (): Verdict => differ(`model stopped ${JSON.stringify(m)}, kernel ${JSON.stringify(k)}`);
  switch (m.kind) {
    case 'errno':
      if (m.errno === 0) return k.kind === 'ok' && k.ret === 0 ? same : mismatch();
      return k.kind === 'err' && k.errno === m.errno ? same : mismatch();
    case 'kill_thread':
      return k.kind === 'killed' && (k.scope === 'thread' || k.alone) ? same : mismatch();
    case 'kill_process':
      return k.kind === 'killed' && k.scope === 'process' ? same : mismatch();
    case 'trap':
    case 'notify':
      return k.kind === 'stopped' ? compareOutcome(m, k.outcome) : mismatch();
    case 'allow':
      return mismatch();
  }
}

/** One op's model result against its kernel result (`op` gives the probe's request). */
export function compareResult(m: OpResult, k: KernelOpResult, op?: Op): Verdict {
  switch (k.kind) {
    case 'skip': return { verdict: 'not_comparable', why: `skipped on the kernel: ${k.reason}` };
    case 'timeout': return { verdict: 'not_comparable', why: `timed out on the kernel after ${k.ms} ms (${k.scope})` };
    case 'not_run': return { verdict: 'not_comparable', why: `not run on the kernel: ${k.reason}` };
    case 'error': return { verdict: 'not_comparable', why: `executor error: ${k.message}` };
    default: break;
  }
  const mismatch = (): Verdict => differ(`model ${JSON.stringify(m)}, kernel ${JSON.stringify(k)}`);
  // exit(2) of a thread with siblings and a filter's KILL_THREAD of that exit(2) look the same:
  // the thread is gone, its group lives on, and a single thread leaves no exit status
  // (kernel/exit.c:do_exit; kernel/seccomp.c:__seccomp_filter). A last thread's KILL_THREAD is a
  // process-wide SIGSYS, which the kernel does show (`killed`).
  if (op?.op === 'exit' && m.kind === 'stopped' && m.outcome.kind === 'kill_thread' && k.kind === 'ok' && k.ret === 0) return same;
  // A lone process's exit(2) and its end by a filter's kill differ only in the exit status, which
  // a kernel before 6.15 gives only to the parent (PIDFD_GET_INFO, kernel/pid.c:pidfd_info): a
  // process forked by a task (the kernel reaps it) then ends with no status (`signal` null).
  if (op?.op === 'exit' && m.kind === 'ok' && m.ret === 0 && k.kind === 'killed' && k.scope === 'process' && k.signal === null && k.exitCode === undefined) {
    return { verdict: 'not_comparable', why: 'the process ended, but this kernel gives its exit status only to its parent (PIDFD_GET_INFO: Linux 6.15): exit(2) and a kill look the same', unobservable: true };
  }
  switch (m.kind) {
    case 'ok':
      return k.kind === 'ok' && k.ret === m.ret ? same : mismatch();
    case 'err':
      return k.kind === 'err' && k.errno === m.errno ? same : mismatch();
    case 'tsync_fail':
      return k.kind === 'tsync_fail' && k.tid === m.tid ? same : mismatch();
    case 'invalid':
      return k.kind === 'invalid' ? same : mismatch();
    case 'probe':
      if (k.kind !== 'probe') return mismatch();
      return compareOutcome(m.probe.outcome, k.outcome, op?.op === 'probe' ? op.request : undefined);
    case 'killed':
      if (k.kind !== 'killed') return mismatch();
      if (m.scope === 'thread') return k.scope === 'thread' || k.alone ? same : mismatch();
      return k.scope === 'process' ? same : mismatch();
    case 'stopped':
      return compareStopped(m.outcome, k);
    case 'observe': {
      if (k.kind !== 'observe') return mismatch();
      const a = m.state;
      const b = k.state;
      if (a.seccompMode !== b.seccompMode || a.filterCount !== b.filterCount || a.nnp !== b.nnp) return mismatch();
      if (b.landlockLayers === null) return { verdict: 'not_comparable', why: `the kernel's layer count is unknown: ${b.landlockError ?? ''}` };
      return a.landlockLayers === b.landlockLayers ? same : mismatch();
    }
  }
}

export interface StepDiff {
  readonly index: number;
  readonly verdict: Verdict;
}

/**
 * The op whose request a step's result answers: a `notif_return` reports the call of the probe
 * that blocked its thread (model/seccomp/notify.ts), whose request decides what failing by
 * itself means (naturalErrnos); any other step, its own op.
 */
export function answeringOp(ops: readonly Op[], model: readonly { readonly tid: number; readonly result: OpResult }[], i: number): Op | undefined {
  const op = ops[i];
  if (op?.op !== 'notif_return') return op;
  const tid = model[i]?.tid;
  for (let j = i - 1; j >= 0; j--) {
    const r = model[j]?.result;
    if (model[j]?.tid === tid && ops[j]?.op === 'probe' && r?.kind === 'probe' && r.probe.outcome.kind === 'notify') return ops[j];
  }
  return op;
}

/** Compare two traces op by op (model steps as model/step.ts:run gives them); differing tids
 * count as a difference. Returns every step whose verdict is not `same`. */
export function compareTraces(
  ops: readonly Op[],
  model: readonly { readonly tid: number; readonly result: OpResult }[],
  kernel: readonly { readonly tid: number; readonly result: KernelOpResult }[],
): StepDiff[] {
  const out: StepDiff[] = [];
  ops.forEach((op, i) => {
    const m = model[i];
    const k = kernel[i];
    if (!m || !k) {
      out.push({ index: i, verdict: { verdict: 'not_comparable', why: 'missing step' } });
      return;
    }
    let v = compareResult(m.result, k.result, answeringOp(ops, model, i) ?? op);
    if (v.verdict === 'same' && m.tid !== k.tid) v = differ(`model tid ${m.tid}, kernel tid ${k.tid}`);
    if (v.verdict !== 'same') out.push({ index: i, verdict: v });
  });
  return out;
}

/**
 * A recorded kernel result against a new run's: the same kind and the same observable values,
 * except what differs from run to run by nature — a probe's return value (real pids and
 * descriptor numbers), an executor error's wording, a layer oracle's failure text.
 */
export function sameKernelResult(recorded: KernelOpResult, now: KernelOpResult): boolean {
  return JSON.stringify(stable(recorded)) === JSON.stringify(stable(now));
}

function stable(r: KernelOpResult): unknown {
  switch (r.kind) {
    case 'probe': return r.outcome.kind === 'returned' ? { kind: 'probe', outcome: 'returned' } : { kind: 'probe', outcome: sortKeys(r.outcome) };
    case 'error': return { kind: 'error' };
    case 'observe': {
      const { landlockError: _ignored, ...state } = r.state;
      return { kind: 'observe', state: sortKeys(state) };
    }
    default: return sortKeys(r);
  }
}

function sortKeys(o: object): Record<string, unknown> {
  const rec = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec).sort()) if (rec[k] !== undefined) out[k] = rec[k];
  return out;
}
