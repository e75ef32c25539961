// Deliberately broken designs, for tests: a built-in variant's transition wrapped so that
// properties no built-in variant violates can fail. broken-variants.test.ts checks each on a
// script (exactly the properties it breaks flag it, at the right step); step-filter.test.ts
// generates scenarios on them, so that every step check has violations to be held to.
import type { World, Task } from '../model/state.js';
import type { FilterNode } from '../model/seccomp/stack.js';
import { replaceFilterLayer } from '../model/seccomp/rewrite.js';
import type { StepFn, Variant } from '../variants/variant.js';
import { builtinVariant } from '../variants/registry.js';
import { RAW_PROGRAMS } from '../generators/policy.js';
import type { PropertyId } from './ids.js';

const LINUX = builtinVariant('linux')!;
const ANDY = builtinVariant('lutomirski-2017')!;
const SUPERVISED = builtinVariant('mutable-domains-rfc')!;
const ALLOW_ALL = RAW_PROGRAMS[0]!.program;

/** A broken design: `base` with its transition wrapped; `witness` is the shortest scenario that
 * shows `property` failing (mutation.test.ts: `strata check` must find exactly that length). */
function broken(base: Variant, id: string, wrap: (inner: StepFn) => StepFn, property?: PropertyId, ops?: number): Variant {
  return { ...base, id, wrap, ...(property && ops ? { witness: { property, maxOps: ops } } : {}) };
}

/** The chain with every node's programs replaced by ALLOW_ALL, same ids and revs (memoised). */
function allowAllCopy(node: FilterNode | null, memo: Map<FilterNode, FilterNode>): FilterNode | null {
  if (!node) return null;
  const hit = memo.get(node);
  if (hit) return hit;
  const out: FilterNode = { ...node, prev: allowAllCopy(node.prev, memo), programs: [ALLOW_ALL], memo: null };
  memo.set(node, out);
  return out;
}

/** `t` whose filter chain is allowAllCopy'd (the same chain for a whole group). */
function loosenGroup(w: World, tgid: number): World {
  const memo = new Map<FilterNode, FilterNode>();
  return setTasks(w, (t) => (t.tgid === tgid ? { ...t, filter: allowAllCopy(t.filter, memo) } : t));
}

function setTasks(w: World, f: (t: Task) => Task): World {
  return { ...w, tasks: w.tasks.mapAll(f) };
}

function allAny(node: FilterNode | null, memo: Map<FilterNode, FilterNode>): FilterNode | null {
  if (!node) return null;
  const hit = memo.get(node);
  if (hit) return hit;
  const out: FilterNode = { ...node, prev: allAny(node.prev, memo), mutability: 'any' };
  memo.set(node, out);
  return out;
}

/** The task without seccomp filters. */
function unfiltered(t: Task): Task {
  return { ...t, filter: null, filterCount: 0, seccompMode: 0 };
}

/** A failed modify that rewrites some other task's top layer anyway (and reports success). */
const reachOut = (inner: StepFn): StepFn => (w, op) => {
  const out = inner(w, op);
  if (op.op !== 'modify' || out.result.kind !== 'err' || !op.program) return out;
  const victim = w.tasks.find((t) => t.tid !== out.tid && t.filter);
  return victim ? { world: replaceFilterLayer(w, victim.filter!.id, [op.program]), result: { kind: 'ok', ret: 0 }, tid: out.tid } : out;
};

export const BROKEN = {
  /** I12: a failed op that changes the world. */
  leakyErrors: broken(LINUX, 'leaky-errors', (inner) => (w, op) => {
    const out = inner(w, op);
    return out.result.kind === 'err' ? { ...out, world: { ...out.world, nextTid: out.world.nextTid + 7 } } : out;
  }, 'I12', 1),
  /** I9, I12: a failed TSYNC that still strips the thread it failed on. */
  tsyncHalf: broken(LINUX, 'tsync-half', (inner) => (w, op) => {
    const out = inner(w, op);
    if (out.result.kind !== 'tsync_fail') return out;
    return { ...out, world: setTasks(out.world, (t) => (t.tid === (out.result as { tid: number }).tid ? unfiltered(t) : t)) };
  }, 'I9', 3),
  /** I10: fork that does not pass the filters on. */
  forkDrops: broken(LINUX, 'fork-drops', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'fork' || out.result.kind !== 'ok') return out;
    const child = out.result.ret;
    return { ...out, world: setTasks(out.world, (t) => (t.tid === child ? unfiltered(t) : t)) };
  }, 'I10', 2),
  /** I4, I1, non-interference: an add that also lands in another process. */
  addLeaks: broken(LINUX, 'add-leaks', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'seccomp_filter' || out.result.kind !== 'ok') return out;
    const me = out.world.tasks.find((t) => t.tid === out.tid)!;
    const top = me.filter!;
    return {
      ...out,
      world: setTasks(out.world, (t) => (t.tgid !== me.tgid ? { ...t, filter: { ...top, prev: t.filter, depth: (t.filter?.depth ?? 0) + 1 }, seccompMode: 2 } : t)),
    };
  }, 'I4', 2),
  /** I3, I4: an add that replaces the caller's stack instead of pushing. */
  addReplaces: broken(LINUX, 'add-replaces', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'seccomp_filter' || out.result.kind !== 'ok') return out;
    return { ...out, world: setTasks(out.world, (t) => (t.tid === out.tid ? { ...t, filter: { ...t.filter!, prev: null, depth: 1 } } : t)) };
  }, 'I3', 2),
  /** I5: a modify that also pushes a layer. */
  modifyPushes: broken(ANDY, 'modify-pushes', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'modify' || out.result.kind !== 'ok') return out;
    const again = inner(out.world, { op: 'seccomp_filter', task: 0, tid: out.tid, flags: 0, program: ALLOW_ALL });
    return { ...out, world: again.world };
  }, 'I5', 2),
  /** I7 (and I3): a modify that loosens a STRICTER layer. */
  stricterIgnored: broken(ANDY, 'stricter-ignored', (inner) => (w, op) => {
    if (op.op !== 'modify') return inner(w, op);
    const memo = new Map<FilterNode, FilterNode>();
    return inner(setTasks(w, (t) => ({ ...t, filter: allAny(t.filter, memo) })), op);
  }, 'I7', 2),
  /** I8: a modify of a layer outside the caller's stack without a handle. */
  modifyAnywhere: broken(ANDY, 'modify-anywhere', reachOut, 'I8', 3),
  /** I1, I6, I8, children-never-weakened: the same reaching an IMMUTABLE layer of a child. */
  modifyAnything: broken(ANDY, 'modify-anything', reachOut, 'children-never-weakened', 3),

  // Further designs, each giving some step check violations on steps of a kind the ones above
  // do not reach (step-filter.test.ts needs them there to hold the filters).

  /** Every property about other tasks, and I12: a failed op that strips every task's filters. */
  failedStrips: broken(LINUX, 'failed-strips', (inner) => (w, op) => {
    const out = inner(w, op);
    return out.result.kind === 'err' ? { ...out, world: setTasks(out.world, unfiltered) } : out;
  }, 'I2', 3),
  /** I4, I10: a successful seccomp_filter, fork or thread that returns the world it was given. */
  forgets: broken(LINUX, 'forgets', (inner) => (w, op) => {
    const out = inner(w, op);
    const forgot = op.op === 'seccomp_filter' || op.op === 'fork' || op.op === 'thread';
    return forgot && out.result.kind === 'ok' ? { ...out, world: w } : out;
  }, 'I10', 1),
  /** I10: a thread that does not get its creator's filters. */
  threadDrops: broken(LINUX, 'thread-drops', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'thread' || out.result.kind !== 'ok') return out;
    const child = out.result.ret;
    return { ...out, world: setTasks(out.world, (t) => (t.tid === child ? unfiltered(t) : t)) };
  }, 'I10', 2),
  /** I4: a restrict_self that replaces the caller's domain instead of pushing on it. */
  restrictReplaces: broken(LINUX, 'restrict-replaces', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'restrict_self' || op.ruleset === null || out.result.kind !== 'ok') return out;
    return { ...out, world: setTasks(out.world, (t) => (t.tid === out.tid && t.domain ? { ...t, domain: { ...t.domain, prev: null, depth: 1 } } : t)) };
  }, 'I4', 3),
  /** I5: a modify that forks the caller instead (no stack changes, a task more). */
  modifyForks: broken(ANDY, 'modify-forks', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'modify' || out.result.kind !== 'ok') return out;
    return { ...out, world: inner(w, { op: 'fork', task: 0, tid: out.tid }).world };
  }, 'I5', 2),
  /** I11 (and I3): ruleset and fd calls that strip the caller's filters. */
  snapshotStrips: broken(SUPERVISED, 'snapshot-strips', (inner) => (w, op) => {
    const out = inner(w, op);
    const snapshot = op.op === 'ruleset_create' || op.op === 'ruleset_add_rule' || op.op === 'ruleset_supervisee' || op.op === 'send_fd' || op.op === 'close_fd';
    return snapshot && out.result.kind === 'ok' ? { ...out, world: setTasks(out.world, (t) => (t.tid === out.tid ? unfiltered(t) : t)) } : out;
  }, 'I11', 2),

  // One design per class of weakening the properties once assumed away (issue "Sight"): each
  // changes no layer id or rev, so only a comparison of decisions can see it.

  /** An add that loosens: the new filter is pushed, and the caller's older filters (same ids
   * and revs) now allow everything. I3 (its own call), 2 ops: deny; deny. */
  addLoosensOlder: broken(LINUX, 'add-loosens-older', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'seccomp_filter' || out.result.kind !== 'ok') return out;
    const me = out.world.tasks.find((t) => t.tid === out.tid)!;
    const top = me.filter!;
    const memo = new Map<FilterNode, FilterNode>();
    const loosened: FilterNode = { ...top, prev: allowAllCopy(top.prev, memo), memo: null };
    return { ...out, world: setTasks(out.world, (t) => (t.tid === me.tid ? { ...t, filter: loosened } : t)) };
  }, 'I3', 2),
  /** A non-stack step that loosens: a successful close_fd rewrites the caller's group's filters
   * to allow everything, keeping ids and revs. I3, 2 ops: deny with NEW_LISTENER (the filter's
   * listener is the descriptor); close_fd (strata explore's minimum; deny; ruleset_create;
   * close_fd is a 3-op route). */
  closeLoosens: broken(LINUX, 'close-loosens', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'close_fd' || out.result.kind !== 'ok') return out;
    const me = out.world.tasks.find((t) => t.tid === out.tid)!;
    return { ...out, world: loosenGroup(out.world, me.tgid) };
  }, 'I3', 2),
  /** An evaluation change: a successful exec switches the world to "the newest filter decides".
   * I3, 3 ops: deny; allow-all; exec. */
  execFlipsEvaluation: broken(LINUX, 'exec-flips-evaluation', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'exec' || out.result.kind !== 'ok') return out;
    return { ...out, world: { ...out.world, semantics: { ...out.world.semantics, seccompCombine: 'newest' } } };
  }, 'I3', 3),
  /** A task-relative change: a successful set_nnp moves the caller into its parent's thread
   * group, whose members may signal one another without any scope check (no layer changes).
   * I3, 4 ops (strata explore's minimum): fork; ruleset_create (C); restrict_self (C); set_nnp
   * (C) — C joins its parent P's thread group, so its ptrace of P, which its Landlock layer
   * denied, meets only the kernel's own-group refusal, which no layer decides
   * (properties/decisions.ts kernelOwn). (fork; thread; set_nnp, where C leaves T's group, changes
   * only that own-group refusal, and so is no weakening.) */
  nnpJoinsParent: broken(LINUX, 'nnp-joins-parent', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'set_nnp' || out.result.kind !== 'ok') return out;
    const me = out.world.tasks.find((t) => t.tid === out.tid)!;
    const parent = out.world.tasks.find((t) => t.tid === me.ppid);
    if (!parent || parent.tgid === me.tgid) return out;
    return { ...out, world: setTasks(out.world, (t) => (t.tid === me.tid ? { ...t, tgid: parent.tgid } : t)) };
  }, 'I3', 4),
  /** tracer-bounded: a traced call that a tracer rewrote runs without the re-check (the pre-4.8
   * kernel, as a wrapped design: the built-in no-trace-recheck is the same switch). 5 ops: a
   * filter denying D and TRACE'ing X; fork (the helper); the helper's rewrite to D; seize with
   * TRACESECCOMP; X. */
  traceUnchecked: { ...broken(LINUX, 'trace-unchecked', (inner) => inner, 'tracer-bounded', 5), semantics: { ...LINUX.semantics, seccompTraceRecheck: false } },
  /** signal-scope: kill() past the sender's signal scope (hook_task_kill's refusal dropped). 4
   * ops: ruleset_create (scoped signal); fork; restrict_self (the child); the child's kill of
   * its parent. No layer or decision table changes (the tables are the model's deciders). */
  killUnscoped: broken(LINUX, 'kill-unscoped', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'probe' || op.request.kind !== 'signal' || out.result.kind !== 'probe') return out;
    const o = out.result.probe.outcome;
    return o.kind === 'errno' && o.by === 'landlock' ? { ...out, result: { kind: 'probe', probe: { ...out.result.probe, outcome: { kind: 'allow' } } } } : out;
  }, 'signal-scope', 4),
  /** signal-scope: F_SETOWN records no domain whatever the owner (hook_file_set_fowner
   * missing), so a SIGURG reaches an owner outside the setter's scope. 6 ops: socketpair; fork;
   * ruleset_create (scoped signal); restrict_self (the parent); F_SETOWN naming the child; send. */
  fownUnrecorded: broken(LINUX, 'fown-unrecorded', (inner) => (w, op) => {
    const out = inner(w, op);
    if (op.op !== 'fown_set' || out.result.kind !== 'ok') return out;
    return { ...out, world: { ...out.world, sockets: out.world.sockets.map((f) => (f.fownSubject === null ? f : { ...f, fownSubject: null })) } };
  }, 'signal-scope', 6),
} as const;
