// Decision tables for properties: a task's outcome for every request of the universe
// (model/decide.ts:taskDecisions) and, towards another task, for each task-relative request
// (model/decide.ts:relationDecisions), memoised for one trace.
//
// The memo key is everything a decision reads (decisions.test.ts holds memoised tables equal
// to fresh evaluations over random worlds of every built-in variant): the evaluation
// (model/evaluation.ts), the fs tree, the task's filter node, domain node and seccomp mode,
// and the two pieces of world state seccomp/eval.ts:seccompOutcome reads — whether the task is
// its group's last live thread (KILL_THREAD kills the process then) and which listeners of its
// filter chain are open (USER_NOTIF gives ENOSYS once its listener is closed) — and, of the task
// itself, whether a RET_TRAP kills it (SIGSYS ignored, at SIG_DFL or blocked: task/sigsys.ts).
//
// Comparisons (permissiveness, sameDecision) count those two world-dependent pairs as one
// decision: kill_thread ~ kill_process, and USER_NOTIF's notify ~ seccomp's ENOSYS (a
// delegated outcome; RET_TRACE without a tracer gives ENOSYS too). So tables of the same
// (evaluation, tree, filter, domain, mode) compare alike in any two worlds — the fact
// `comparesAlike` states and decisions.test.ts checks.
import type { World, Task } from '../model/state.js';
import type { Universe } from '../model/universe.js';
import type { Outcome } from '../model/outcome.js';
import { outcomeRank, outcomeEquals, formatOutcome } from '../model/outcome.js';
import { taskDecisions, relationDecisions, TASK_RELATIVE_KINDS } from '../model/decide.js';
import type { FilterNode } from '../model/seccomp/stack.js';
import type { DomainNode } from '../model/landlock/domain.js';
import type { Request } from '../model/request.js';
import { AUDIT_ARCH_X86_64 } from '../model/request.js';
import { ERRNO } from '../model/errno.js';
import { evaluationOf, LINUX_SECCOMP_PRECEDENCE } from '../model/evaluation.js';
import { onlyLiveThread } from '../model/seccomp/strict.js';
import { listenerOpen } from '../model/seccomp/eval.js';
import { trapKills } from '../model/task/sigsys.js';
import { PROC_PATH } from '../model/landlock/procfs.js';

type Table = readonly Outcome[];

const NONE = {};

export class Decisions {
  /** filter node → domain node → "mode|evaluation|tree|last thread|open listeners" → table. */
  private readonly byFilter = new WeakMap<object, WeakMap<object, Map<string, Table>>>();
  /** comparable's memo: filter node → domain node → by mode, the first table with its evaluation and tree. */
  private readonly byNodes = new WeakMap<object, WeakMap<object, ({ evaluation: object; fs: object; table: Table } | undefined)[]>>();
  /** Small ids for the evaluation and tree values met (part of the string key). */
  private readonly ids = new Map<object, number>();
  /** Tables computed (for benchmarks and tests). */
  computed = 0;

  constructor(readonly universe: Universe) {}

  /** The task's decision table in `world` (memoised on everything it reads; see the header). */
  of(world: World, task: Task): Table {
    const fk: object = task.filter ?? NONE;
    const dk: object = task.domain ?? NONE;
    let inner = this.byFilter.get(fk);
    if (!inner) {
      inner = new WeakMap();
      this.byFilter.set(fk, inner);
    }
    let byKey = inner.get(dk);
    if (!byKey) {
      byKey = new Map();
      inner.set(dk, byKey);
    }
    const key = this.contextKey(world, task);
    let t = byKey.get(key);
    if (!t) {
      t = taskDecisions(world, task, this.universe);
      byKey.set(key, t);
      this.computed++;
    }
    return t;
  }

  /**
   * A table that compares alike with `of(world, task)` in every world of the same evaluation
   * and tree (permissiveness and sameDecision: the header's fact, decisions.test.ts): the first
   * one computed per (filter node, domain node, mode). What properties compare.
   */
  comparable(world: World, task: Task): Table {
    const fk: object = task.filter ?? NONE;
    const dk: object = task.domain ?? NONE;
    let inner = this.byNodes.get(fk);
    if (!inner) {
      inner = new WeakMap();
      this.byNodes.set(fk, inner);
    }
    let byMode = inner.get(dk);
    if (!byMode) {
      byMode = [];
      inner.set(dk, byMode);
    }
    const hit = byMode[task.seccompMode];
    const e = evaluationOf(world.semantics);
    if (hit !== undefined && hit.evaluation === e && hit.fs === world.fs) return hit.table;
    const table = this.of(world, task);
    if (hit === undefined) byMode[task.seccompMode] = { evaluation: e, fs: world.fs, table };
    return table;
  }

  /**
   * `task`'s outcomes towards `target` for the task-relative requests (TASK_RELATIVE_KINDS),
   * evaluated afresh: they read both tasks' domains and thread groups, besides the task's own
   * seccomp state.
   */
  relation(world: World, task: Task, target: Task): Table {
    return relationDecisions(world, task, target);
  }

  /** The content of one layer alone, C(L): a task whose only layer is `node`. */
  ofLayer(world: World, template: Task, kind: 'seccomp' | 'landlock', node: FilterNode | DomainNode): Table {
    const alone = { ...node, prev: null, depth: 1 };
    const task: Task = kind === 'seccomp'
      ? { ...template, filter: alone as FilterNode, domain: null, seccompMode: 2 }
      : { ...template, filter: null, domain: alone as DomainNode, seccompMode: 0 };
    return taskDecisions(world, task, this.universe);
  }

  /** The universe's i-th request (syscalls first, then Landlock requests). */
  request(i: number): Request {
    const n = this.universe.syscalls.length;
    return i < n ? this.universe.syscalls[i]! : this.universe.landlock[i - n]!;
  }

  /** Everything besides the two nodes that a task's table reads, as one string. */
  private contextKey(world: World, task: Task): string {
    let key = `${task.seccompMode}|${this.idOf(evaluationOf(world.semantics))}|${this.idOf(world.fs)}`;
    if (task.seccompMode === 0) return key;
    key += onlyLiveThread(world, task) ? '|1' : '|0';
    if (task.seccompMode === 2) {
      for (let f = task.filter; f; f = f.prev) if (f.listener !== null) key += listenerOpen(world, f.listener) ? `|${f.listener}` : `|!${f.listener}`;
      // a RET_TRAP kills where SIGSYS is ignored, at SIG_DFL or blocked (model/task/sigsys.ts)
      if (trapKills(task)) key += '|k';
    }
    return key;
  }

  private idOf(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.ids.size));
    return id;
  }
}

/**
 * Tables of `a` in `wa` and of `b` in `wb` compare alike (permissiveness and sameDecision)
 * when these agree: the evaluation, the tree, both nodes and the mode (see the header).
 */
export function comparesAlike(wa: World, a: Task, wb: World, b: Task): boolean {
  return a.filter === b.filter && a.domain === b.domain && a.seccompMode === b.seccompMode && trapKills(a) === trapKills(b) &&
    wa.fs === wb.fs && (wa.semantics === wb.semantics || evaluationOf(wa.semantics) === evaluationOf(wb.semantics));
}

/**
 * `b` (in `wb`) is `a` (in `wa`) with layers pushed on its very own stacks — each new top's
 * parent is the old top object — under an evaluation whose combination cannot loosen by a push:
 * seccomp's least-permissive fold (kernel/seccomp.c:seccomp_run_filters) under a precedence
 * that ranks the actions as permissiveness does (Linux's order: a precedence that lets, say,
 * USER_NOTIF beat ERRNO makes a pushed layer *win* with a more permissive verdict — found with
 * the notif-overrides variant, whose witness this shortcut hid) and
 * Landlock's intersection (ruleset.c:landlock_unmask_layers); same tree, same mode or mode 0 →
 * filter mode. Then no tabled decision of `b` is more permissive than `a`'s: each verdict is the
 * old one or a stricter one (seccomp/table.ts folds own over parent; landlock/table.ts combines
 * a new layer's denials into the parent's). decisions.test.ts checks it on random traces of
 * every variant; weakening.ts uses it to skip a table build. Task-relative decisions are
 * compared apart.
 */
/** The precedence ranks the action kinds in Linux's order, which is permissiveness's. */
function precedenceAsPermissiveness(e: ReturnType<typeof evaluationOf>): boolean {
  const p = e.seccompPrecedence;
  return p === 'linux' || p.every((k, i) => k === LINUX_SECCOMP_PRECEDENCE[i]);
}

export function pushedOnly(wa: World, a: Task, wb: World, b: Task): boolean {
  if (wa.fs !== wb.fs || trapKills(a) !== trapKills(b)) return false;
  const e = evaluationOf(wa.semantics);
  if (evaluationOf(wb.semantics) !== e) return false;
  if (a.filter !== b.filter) {
    if (b.filter === null || b.filter.prev !== a.filter || e.seccompCombine !== 'least-permissive' || !precedenceAsPermissiveness(e)) return false;
  }
  if (a.seccompMode !== b.seccompMode && !(a.seccompMode === 0 && b.seccompMode === 2)) return false;
  if (a.domain !== b.domain) {
    if (b.domain === null || b.domain.prev !== a.domain || e.landlockCombine !== 'intersect') return false;
  }
  return true;
}

/** The i-th task-relative request towards `target`, for messages. */
export function relationRequest(i: number, target: number): string {
  return `${TASK_RELATIVE_KINDS[i]} -> task ${target}`;
}

/** ENOSYS from seccomp is what a USER_NOTIF verdict comes to once its listener is closed. */
function delegated(o: Outcome): boolean {
  return o.kind === 'notify' || (o.kind === 'errno' && o.by === 'seccomp' && o.errno === ERRNO.ENOSYS);
}

/**
 * A refusal by the kernel's own check before any layer decides (ptrace_attach: one's own thread
 * group, a task already traced — model/ptrace/) is no layer's decision: it compares as the
 * call being let through by the layers.
 */
function kernelOwn(o: Outcome): boolean {
  return o.kind === 'errno' && o.by === 'kernel';
}

/** A kernel's own refusal against an allow, logged or not (the layers' let-through it stands on
 * may have been either: the refusal does not say). */
function kernelOwnVsAllow(a: Outcome, b: Outcome): boolean {
  return (kernelOwn(a) && b.kind === 'allow') || (kernelOwn(b) && a.kind === 'allow');
}

/** Equal outcomes, up to the two world-dependent pairs of the header and the kernel's own refusals. */
export function sameDecision(a: Outcome, b: Outcome): boolean {
  return outcomeEquals(a, b) || (delegated(a) && delegated(b)) || (isKill(a) && isKill(b)) || kernelOwnVsAllow(a, b);
}

function isKill(o: Outcome): boolean {
  return o.kind === 'kill_thread' || o.kind === 'kill_process';
}

const KILL_RANK = outcomeRank({ kind: 'kill_thread' });
const NOTIFY_RANK = outcomeRank({ kind: 'notify', listener: 0 });
const ALLOW_RANK = outcomeRank({ kind: 'allow' });

/**
 * outcomeRank with the world-dependent pairs of the header ranked together: the two kills, and
 * seccomp's ENOSYS with USER_NOTIF. The latter also covers RET_TRACE without a tracer (ENOSYS),
 * which a newer USER_NOTIF verdict overrides by the kernel's precedence (USER_NOTIF < TRACE):
 * the call then goes to the listener chosen when that filter was added — the delegated path
 * of layering-designs §3c, not a loosening.
 */
export function permissiveness(o: Outcome): number {
  if (o.kind === 'kill_process') return KILL_RANK;
  if (o.kind === 'errno' && o.by === 'kernel') return ALLOW_RANK;
  if (o.kind === 'errno' && o.by === 'seccomp' && o.errno === ERRNO.ENOSYS) return NOTIFY_RANK;
  return outcomeRank(o);
}

/** Index of the first request `after` allows more of than `before` (higher permissiveness), or -1. */
export function firstWeakening(before: Table, after: Table): number {
  if (before === after) return -1;
  const n = Math.min(before.length, after.length);
  for (let i = 0; i < n; i++) {
    const x = before[i]!;
    const y = after[i]!;
    // Outcomes are mostly shared values (ALLOW, a table's per-verdict outcome, one denial per
    // errno): the same object decides alike, without reading it.
    if (x !== y && permissiveness(y) > permissiveness(x) && !kernelOwnVsAllow(x, y)) return i;
  }
  return -1;
}

/** Index of the first request whose outcome differs (sameDecision), or -1. */
export function firstDifference(a: Table, b: Table): number {
  if (a === b) return -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i] && !sameDecision(a[i]!, b[i]!)) return i;
  return a.length === b.length ? -1 : n;
}

/** A request as one line, for messages. */
export function describeRequest(r: Request): string {
  switch (r.kind) {
    case 'syscall': return `syscall ${r.nr}${r.arch !== AUDIT_ARCH_X86_64 ? ` (arch 0x${r.arch.toString(16)})` : ''}${r.args.some((a) => a !== 0) ? ` args [${r.args.join(',')}]` : ''}`;
    case 'fs': return `${r.access} ${r.path}`;
    case 'rename': case 'link': return `${r.kind} ${r.from} -> ${r.to}`;
    case 'exchange': return `exchange ${r.from} <-> ${r.to}`;
    case 'mount': return r.call !== undefined && r.call !== 'new' ? `mount ${r.call}` : 'mount';
    case 'net': return `${r.op}${r.proto === 'udp' ? ' udp' : ''} ${r.family === 6 ? '[::1]' : ''}:${r.port}`;
    case 'sigurg': return `sigurg on socket #${r.fd}${r.to !== undefined ? ` at task ${r.to}` : ''}`;
    case 'proc': return `open /proc/<task ${r.target}>/${PROC_PATH[r.file]}`;
    default: return `${r.kind}${r.type === 'dgram' ? ' dgram' : ''} -> task ${r.target}${r.listener !== undefined ? ` listener ${r.listener}` : ''}`;
  }
}

export { formatOutcome };
