// seccomp corners (../shared/spec/seccomp.md, delegation.md): precedence of every ordered pair
// of actions between an older and a newer filter, the tie rule, each verdict, the path-length
// limit, TSYNC's three outcomes, the listener's life, strict mode, and an op's own syscall
// stopped by a filter.
import type { Insn } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as F } from '../model/ops.js';
import type { SeccompActionKind } from '../model/outcome.js';
import type { Task, World } from '../model/state.js';
import type { FilterNode } from '../model/seccomp/stack.js';
import { chainHasListener } from '../model/seccomp/stack.js';
import { actionKind, actionOnly } from '../model/seccomp/action.js';
import { seccompData } from '../model/seccomp/data.js';
import { uprobeException } from '../model/seccomp/eval.js';
import { opSyscall } from '../model/seccomp/op-gate.js';
import { requestSyscall } from '../model/request-syscall.js';
import type { SyscallRequest } from '../model/request.js';
import { compile } from '../model/bpf/interp.js';
import { run } from '../model/bpf/jit.js';
import { ERRNO } from '../model/errno.js';
import { MAX_INSNS_PER_PATH } from '../model/limits.js';
import { LINUX_SECCOMP_PRECEDENCE } from '../model/evaluation.js';
import type { TraceStep } from '../properties/trace.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { CornerDecl, Hits } from './corner.js';
import type { TraceContext } from './context.js';
import { actorBefore, actorAfter, hasSiblingThread } from './context.js';

/** The action kinds in seccomp.md §3's order, least permissive first. */
export const ACTION_KINDS: readonly SeccompActionKind[] = LINUX_SECCOMP_PRECEDENCE;

/** A path this full counts as near the limit: within 10% of MAX_INSNS_PER_PATH. */
export const NEAR_PATH = Math.ceil(MAX_INSNS_PER_PATH * 0.9);

const filters = (v: Variant): boolean => accepts(v, 'seccomp_filter');
/** Every filter of a stack runs on each call (not a design where the newest decides alone). */
const allRun = (v: Variant): boolean => filters(v) && v.semantics.seccompCombine !== 'newest';

function pairCorners(): CornerDecl[] {
  const out: CornerDecl[] = [];
  for (const older of ACTION_KINDS) {
    for (const newer of ACTION_KINDS) {
      out.push({
        id: `seccomp.order.${older}.${newer}`,
        title: `an older ${older.toUpperCase()} filter and a newer ${newer.toUpperCase()} one in one evaluation`,
        spec: 'seccomp.md §3 Evaluation (order)',
        group: 'seccomp precedence',
        applies: allRun,
      });
    }
  }
  return out;
}

export const SECCOMP_CORNERS: readonly CornerDecl[] = [
  ...pairCorners(),
  { id: 'seccomp.tie.data', title: 'two filters tie on the winning action with different data: the newer one\'s data', spec: 'seccomp.md §3 Data on ties', group: 'seccomp precedence', applies: allRun },
  ...ACTION_KINDS.map((k): CornerDecl => ({
    id: `seccomp.verdict.${k}`,
    title: `a probe decided by a filter returning ${k.toUpperCase()}`,
    spec: 'seccomp.md §3 What each verdict does',
    group: 'seccomp verdicts',
    applies: filters,
  })),
  { id: 'seccomp.trap.kills', title: 'a RET_TRAP on a task whose SIGSYS is ignored, at SIG_DFL or blocked: the process dies by SIGSYS', spec: 'seccomp.md §3 (force_sig_seccomp)', group: 'seccomp verdicts', applies: (v) => filters(v) && accepts(v, 'sigsys') },
  { id: 'seccomp.gate.stopped', title: 'an op\'s own syscall stopped by a filter before it ran', spec: 'seccomp.md §3 (model/seccomp/op-gate.ts)', group: 'seccomp verdicts', applies: filters },
  { id: 'seccomp.path.near', title: `a filter stack within 10% of the path limit (≥ ${NEAR_PATH} of ${MAX_INSNS_PER_PATH} insns)`, spec: 'seccomp.md §4 Limits', group: 'seccomp limits', applies: filters },
  { id: 'seccomp.path.over', title: 'ENOMEM: the new filter would take the path past 32768 insns', spec: 'seccomp.md §4 Limits', group: 'seccomp limits', applies: filters },
  { id: 'seccomp.tsync.ok', title: 'TSYNC succeeds with sibling threads to synchronise', spec: 'seccomp.md §5 TSYNC (success)', group: 'seccomp TSYNC', applies: (v) => accepts(v, 'seccomp_filter.tsync') },
  { id: 'seccomp.tsync.fail', title: 'TSYNC fails naming the diverged thread', spec: 'seccomp.md §5 TSYNC (failure)', group: 'seccomp TSYNC', applies: (v) => accepts(v, 'seccomp_filter.tsync') && v.semantics.seccompTsyncAncestorCheck },
  { id: 'seccomp.tsync.esrch', title: 'TSYNC with TSYNC_ESRCH fails with ESRCH', spec: 'seccomp.md §5 TSYNC (failure)', group: 'seccomp TSYNC', applies: (v) => accepts(v, 'seccomp_filter.tsync') && v.semantics.seccompTsyncAncestorCheck },
  { id: 'seccomp.listener.created', title: 'NEW_LISTENER: a listener fd', spec: 'delegation.md §1 U1', group: 'seccomp listener', applies: (v) => accepts(v, 'seccomp_filter.listener') },
  { id: 'seccomp.listener.ebusy', title: 'a second live listener on the chain: EBUSY', spec: 'delegation.md §1 U4; seccomp.md §2 (7)', group: 'seccomp listener', applies: (v) => accepts(v, 'seccomp_filter.listener') },
  { id: 'seccomp.listener.closed', title: 'a listener\'s last fd closed (close, exec or exit)', spec: 'delegation.md §1 U5', group: 'seccomp listener', applies: (v) => accepts(v, 'seccomp_filter.listener') },
  { id: 'seccomp.listener.after-close', title: 'a new listener on a chain whose earlier listener was closed', spec: 'delegation.md §1 U5; seccomp.md corrections', group: 'seccomp listener', applies: (v) => accepts(v, 'seccomp_filter.listener') },
  { id: 'seccomp.listener.notify', title: 'a USER_NOTIF verdict reaches an open listener', spec: 'seccomp.md §6 User notification', group: 'seccomp listener', applies: (v) => accepts(v, 'seccomp_filter.listener') },
  { id: 'seccomp.listener.enosys', title: 'USER_NOTIF with no listener or a closed one: ENOSYS', spec: 'delegation.md §1 U9; seccomp.md §3', group: 'seccomp listener', applies: filters },
  { id: 'seccomp.strict.entered', title: 'strict mode entered (mode 0 → 1)', spec: 'seccomp.md §2 Strict mode', group: 'seccomp strict', applies: (v) => accepts(v, 'seccomp_strict') },
  { id: 'seccomp.strict.kill', title: 'strict mode kills a call outside read/write/exit/rt_sigreturn', spec: 'seccomp.md §2 Strict mode', group: 'seccomp strict', applies: (v) => accepts(v, 'seccomp_strict') },
];

// ---- detection ----

/** seccomp_data of the call being decided, reused (the programs only read it). */
const DATA = new Uint32Array(16);
/** The stack's programs oldest first, and their returns for the call in DATA (scratch). */
const RETS: number[] = [];

/**
 * Every program of the stack, oldest first, run on `req`: an in-place append (v5) keeps several
 * programs in one layer, each a filter to its user. Returns how many (RETS holds the values).
 */
function programReturns(top: FilterNode, req: SyscallRequest): number {
  seccompData(req, DATA);
  let n = 0;
  const stack: FilterNode[] = [];
  for (let f: FilterNode | null = top; f; f = f.prev) stack.push(f);
  for (let i = stack.length - 1; i >= 0; i--) {
    const progs: readonly (readonly Insn[])[] = stack[i]!.programs;
    for (const p of progs) RETS[n++] = run(compile(p), DATA);
  }
  return n;
}

const KIND_INDEX: ReadonlyMap<SeccompActionKind, number> = new Map(ACTION_KINDS.map((k, i) => [k, i]));
/** Pairs seen in the current evaluation (older × 8 + newer), counted once each. */
const SEEN = new Uint8Array(64);

/** The ordered pairs (older, newer) of one evaluation by `task`'s stack, and the tie rule. */
function evaluation(task: Task, req: SyscallRequest, verdict: SeccompActionKind | null, hits: Hits): void {
  if (task.seccompMode !== 2 || task.filter === null || uprobeException(req.nr, req.arch)) return;
  const n = programReturns(task.filter, req);
  if (n < 2) return;
  SEEN.fill(0);
  for (let i = 0; i < n; i++) {
    const a = KIND_INDEX.get(actionKind(RETS[i]!))!;
    for (let j = i + 1; j < n; j++) {
      const b = KIND_INDEX.get(actionKind(RETS[j]!))!;
      const k = a * 8 + b;
      if (SEEN[k] === 0) {
        SEEN[k] = 1;
        hits.hit(`seccomp.order.${ACTION_KINDS[a]}.${ACTION_KINDS[b]}`);
      }
    }
  }
  if (verdict === null) return;
  // the tie rule decided: two programs returned the winning action with different data
  let first = -1;
  for (let i = 0; i < n; i++) {
    if (actionKind(RETS[i]!) !== verdict) continue;
    if (first < 0) first = i;
    else if (actionOnly(RETS[i]!) === actionOnly(RETS[first]!) && (RETS[i]! >>> 0) !== (RETS[first]! >>> 0)) {
      hits.hit('seccomp.tie.data');
      return;
    }
  }
}

/** Ids of the listeners some live task of `world` holds an fd for. */
function openListeners(world: World): Set<number> {
  const out = new Set<number>();
  for (const t of world.tasks) for (const e of t.fds) if (e.obj.kind === 'listener') out.add(e.obj.id);
  return out;
}

export function detectSeccomp(step: TraceStep, ctx: TraceContext, hits: Hits): void {
  const task = actorBefore(step);
  if (task === undefined) return;
  const op = step.op;
  const r = step.out.result;
  if (r.kind === 'killed') hits.hit('seccomp.strict.kill');
  if (r.kind === 'stopped') hits.hit('seccomp.gate.stopped');
  if (op.op === 'probe') {
    if (r.kind !== 'probe') return;
    const v = r.probe.seccomp;
    if (task.seccompMode === 1 && (r.probe.outcome.kind === 'kill_thread' || r.probe.outcome.kind === 'kill_process')) hits.hit('seccomp.strict.kill');
    if (task.seccompMode === 2 && v !== null) {
      hits.hit(`seccomp.verdict.${v.action}`);
      if (v.action === 'trap' && r.probe.outcome.kind === 'kill_process') hits.hit('seccomp.trap.kills');
      if (v.action === 'user_notif') hits.hit(r.probe.outcome.kind === 'notify' ? 'seccomp.listener.notify' : 'seccomp.listener.enosys');
    }
    if (ctx.evaluation.seccompCombine !== 'newest') evaluation(task, requestSyscall(op.request), v?.action ?? null, hits);
    if (r.probe.outcome.kind === 'kill_thread' || r.probe.outcome.kind === 'kill_process') listenersClosed(step, hits);
    return;
  }
  // the op's own syscall, decided by the whole stack before the op ran (op-gate.ts)
  if (task.seccompMode === 2 && ctx.evaluation.seccompCombine !== 'newest') {
    const req = opSyscall(task, op);
    if (req !== null) evaluation(task, req, null, hits);
  }
  switch (op.op) {
    case 'seccomp_strict':
      if (r.kind === 'ok') hits.hit('seccomp.strict.entered');
      break;
    case 'seccomp_filter': {
      const tsync = (op.flags & F.TSYNC) !== 0;
      const listen = (op.flags & F.NEW_LISTENER) !== 0;
      if (r.kind === 'ok') {
        const after = actorAfter(step, task);
        if (after?.filter && after.filter.pathLen >= NEAR_PATH) hits.hit('seccomp.path.near');
        if (tsync && hasSiblingThread(step.before, task)) hits.hit('seccomp.tsync.ok');
        if (listen) {
          hits.hit('seccomp.listener.created');
          if (chainHasListener(task.filter)) hits.hit('seccomp.listener.after-close');
        }
      } else if (r.kind === 'tsync_fail') {
        hits.hit('seccomp.tsync.fail');
      } else if (r.kind === 'err') {
        if (r.errno === ERRNO.ENOMEM) hits.hit('seccomp.path.over');
        if (r.errno === ERRNO.ESRCH && tsync) hits.hit('seccomp.tsync.esrch');
        if (r.errno === ERRNO.EBUSY && listen) hits.hit('seccomp.listener.ebusy');
      }
      break;
    }
    default:
      break;
  }
  if (op.op === 'close_fd' || op.op === 'exec' || op.op === 'exit' || r.kind === 'stopped' || r.kind === 'killed') listenersClosed(step, hits);
}

/** A listener's last descriptor went away in this step: closed, close-on-exec, or its holders ended. */
function listenersClosed(step: TraceStep, hits: Hits): void {
  if (step.before.nextListenerId === 1 || step.after === step.before) return;
  const after = openListeners(step.after);
  for (const id of openListeners(step.before)) {
    if (!after.has(id)) {
      hits.hit('seccomp.listener.closed');
      return;
    }
  }
}
