// Explained differences: the documented model decisions under which the kernel may legitimately
// show something other than the model, each a named entry with its reason and a citation. A
// difference is explained only when an entry's predicate recognises it precisely; everything
// else is a discrepancy. `strata conform` counts and lists every explained difference by entry:
// nothing here silences a check.
import type { Op } from '../model/ops.js';
import type { ModelTrace, TraceStep } from '../properties/trace.js';
import type { KernelStep } from '../scenario/kernel-result.js';
import type { OpResult } from '../model/result.js';
import { compareOutcome, compareResult } from './compare.js';
import { callOf, otherOutcomes } from './unknown-args.js';

/** What an entry sees of one differing step. */
export interface DifferenceContext {
  readonly index: number;
  readonly op: Op;
  /** The model's step: the worlds before and after, its result and tid. */
  readonly model: TraceStep;
  /** The whole model trace (for the variant, the universe, earlier steps). */
  readonly trace: ModelTrace;
  readonly kernel: KernelStep;
}

export interface ExplainedDifference {
  /** Stable id, printed in reports. */
  readonly id: string;
  /** One line: what differs. */
  readonly title: string;
  /** Why the model decides as it does. */
  readonly reason: string;
  /** Where the decision is documented (a model file, a kernel function). */
  readonly citation: string;
  /** Whether later steps can still be compared ('compare') or the worlds have parted ('stop'). */
  readonly after: 'compare' | 'stop';
  /** true iff this entry explains the difference at this step. */
  matches(c: DifferenceContext): boolean;
}

/**
 * model/request-syscall.ts and model/seccomp/op-gate.ts: a call's pointer arguments, the
 * descriptors and real pids a Landlock-mediated call is made with, and the instruction pointer
 * are unknowable across runs and are 0 in the model. When the acting task's filters decide that
 * very call differently for other values of exactly those fields, and the kernel's result is one
 * such other decision, the kernel saw values the model does not have.
 */
const UNKNOWN_ARGUMENTS: ExplainedDifference = {
  id: 'unknown-arguments',
  title: 'a filter decides a call by an argument the model does not know (a pointer, a real pid or descriptor, the instruction pointer)',
  reason:
    'The model gives a call the values it can know — the syscall number, its constant arguments, the model\'s descriptor numbers — ' +
    'and zeros for the rest; filters that should decide Landlock-mediated calls and ops must match on the number and the constant ' +
    'arguments only. Here the filter reads another field, so the kernel\'s verdict rests on a value the model does not have.',
  citation: 'model/request-syscall.ts (requestSyscall), model/seccomp/op-gate.ts (opSyscall); kernel/seccomp.c:populate_seccomp_data',
  after: 'stop',
  matches(c) {
    const task = c.model.before.tasks.find((t) => t.tid === c.model.out.tid);
    if (!task || c.kernel.tid !== task.tid) return false;
    const call = callOf(task, c.op);
    if (!call) return false;
    const others = otherOutcomes(c.model.before, task, call.req, call.known);
    const k = c.kernel.result;
    for (const o of others) {
      if (c.op.op === 'probe') {
        if (k.kind === 'probe' && compareOutcome(o, k.outcome, c.op.request).verdict === 'same') return true;
        continue;
      }
      // an op: another verdict either stops its syscall or lets it run (then any ordinary result)
      if (o.kind === 'allow') {
        if (k.kind !== 'stopped' && k.kind !== 'killed') return true;
        continue;
      }
      const stopped: OpResult = { kind: 'stopped', outcome: o };
      if (compareResult(stopped, k, c.op).verdict === 'same') return true;
    }
    return false;
  },
};

/**
 * model/landlock/mount.ts: a mount probe is decided by seccomp and Landlock's hooks
 * (hook_sb_mount & co: EPERM under an fs-handling domain). On 6.18, fs/namespace.c:path_mount then
 * asks may_mount() — CAP_SYS_ADMIN over the mount namespace — and fails with EPERM without it;
 * umount, pivot_root, move_mount and open_tree(OPEN_TREE_CLONE) ask it before their hook, and
 * mount_setattr asks CAP_SYS_ADMIN over the mount's namespace: EPERM all the same.
 * The model does not check it: a capability is not a layer, and a decision that read it would
 * tie every decision table (properties/decisions.ts, keyed by the layers) to the capability too.
 * So when the probing task lacks CAP_SYS_ADMIN, a mount the model allows is EPERM on the kernel.
 */
const MOUNT_NEEDS_CAP: ExplainedDifference = {
  id: 'mount-needs-cap-sys-admin',
  title: 'mount by a task without CAP_SYS_ADMIN: the model allows what Landlock allows, the kernel says EPERM (may_mount)',
  reason:
    'The model decides a mount request by the seccomp filters and Landlock\'s hooks only; the capability check that ' +
    'every mount-tree call makes (may_mount: CAP_SYS_ADMIN over the mount namespace; after the LSM hook for mount(2), before it ' +
    'for the others) is not modelled, as capabilities are not layers. Found when generation began to probe mount (coverage ' +
    'corner landlock.mount.*).',
  citation: 'model/landlock/mount.ts; fs/namespace.c:path_mount, may_mount, can_umount, pivot_root, move_mount, open_tree, mount_setattr (Linux 6.18)',
  after: 'compare',
  matches(c) {
    if (c.op.op !== 'probe' || c.op.request.kind !== 'mount') return false;
    const task = c.model.before.tasks.find((t) => t.tid === c.model.out.tid);
    const m = c.model.out.result;
    const k = c.kernel.result;
    return task !== undefined && !task.capSysAdmin && m.kind === 'probe' && m.probe.outcome.kind === 'allow' &&
      k.kind === 'probe' && k.outcome.kind === 'errno' && k.outcome.errno === 1;
  },
};

/** Every documented model decision that explains a kernel difference. */
export const EXPLAINED: readonly ExplainedDifference[] = [UNKNOWN_ARGUMENTS, MOUNT_NEEDS_CAP];

export function explainedById(id: string): ExplainedDifference | undefined {
  return EXPLAINED.find((e) => e.id === id);
}
