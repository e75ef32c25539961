// Reference-preserving edits for the shrinker. Ops name tasks by index into the live tasks,
// descriptors by index into the acting task's table (among the entries of the kind the op
// takes), and modify names a layer by index into the task's own stack; so removing an op that
// creates or ends a task (fork, thread, exec, exit), creates or closes a descriptor
// (ruleset_create, the supervisee ioctl, send_fd, close_fd, a listener or an exported handle,
// exec's close-on-exec) or pushes a layer shifts what every later index names, and a shrink
// that should only drop a helper instead changes who does what to which object.
//
// Here the scenario is run once to learn what each op named: the tid of each task reference,
// the descriptor (an FdEntry value: tables share entries across fork and exec, and an entry is
// new exactly when a call installs it) and the layer (its id). The edited list is then re-run
// op by op, each index rewritten to name the corresponding object of the new run: tasks, entries
// and layers created by an op are paired with what the same op creates in the new run, in
// order. A reference whose object does not exist in the new run keeps its index.
import type { Op } from '../model/ops.js';
import type { World, Task, FdEntry } from '../model/state.js';
import { resolveTask } from '../model/step.js';
import { chainOf } from '../model/seccomp/stack.js';
import { layersOf } from '../model/landlock/domain.js';
import type { StepFn } from '../variants/variant.js';

const SHIFTS_TASKS: ReadonlySet<string> = new Set(['fork', 'thread', 'exec', 'exit']);

/** Whether removing this op can change what later task indices name. */
export function shiftsTasks(op: Op): boolean {
  return SHIFTS_TASKS.has(op.op);
}

/** Whether removing this op can change what later task, descriptor or layer indices name. */
export function shiftsReferences(op: Op): boolean {
  switch (op.op) {
    case 'fork':
    case 'thread':
    case 'exec':
    case 'exit':
    case 'ruleset_create':
    case 'ruleset_supervisee':
    case 'socketpair':
    case 'unix_listen':
    case 'send_fd':
    case 'close_fd':
    case 'seccomp_filter':
    case 'restrict_self':
      return true;
    default:
      return false;
  }
}

/** Which entries of a table a descriptor reference counts (model/task/fds.ts:resolveFd). */
type FdKind = 'any' | 'ruleset' | 'layer_handle' | 'socket' | 'unix_listener';

/** What one op's references named in a run. */
interface Named {
  readonly task: number;
  readonly to?: number;
  readonly target?: number;
  /** setpgid: the tid of the task whose group `pgid` names. */
  readonly group?: number;
  /** The descriptor of `fd` (send_fd, close_fd) or `ruleset` (rulesets ops, restrict_self). */
  readonly fd?: FdEntry;
  /** modify: the handle's descriptor, the content's ruleset descriptor, the own layer's id. */
  readonly handle?: FdEntry;
  readonly contentFd?: FdEntry;
  readonly layer?: number;
}

/** What one run named and created, op by op. */
interface Run {
  readonly names: readonly Named[];
  /** The tid each fork/thread created. */
  readonly tasks: readonly (number | undefined)[];
  /** The descriptors each op installed, in table order. */
  readonly fds: readonly FdEntry[][];
  /** The layer ids each op allocated. */
  readonly layers: readonly number[][];
}

/** The object maps from the original run to the new one. */
interface Maps {
  readonly tids: Map<number, number>;
  readonly fds: Map<FdEntry, FdEntry>;
  readonly layers: Map<number, number>;
}

export class Retargeter {
  /** The last list analysed (shrinking asks for many edits of one list). */
  private last: { readonly ops: readonly Op[]; readonly run: Run } | undefined;

  constructor(private readonly step: StepFn, private readonly initial: World) {}

  /**
   * `ops` without op `removed`, every later reference rewritten to name the same object. If the
   * model throws (a broken variant), the plain removal: the shrinker must not crash the check.
   */
  without(ops: readonly Op[], removed: number): Op[] {
    return this.edit(ops, [...ops.slice(0, removed), ...ops.slice(removed + 1)], without(ops.length, removed));
  }

  /**
   * `ops` with op `from` moved to position `to` (in the list without it), references kept on
   * the same objects where they still exist.
   */
  moved(ops: readonly Op[], from: number, to: number): Op[] {
    const rest = [...ops.slice(0, from), ...ops.slice(from + 1)];
    const out = [...rest.slice(0, to), ops[from]!, ...rest.slice(to)];
    const origin: number[] = [];
    for (let j = 0; j < ops.length; j++) if (j !== from) origin.push(j);
    origin.splice(to, 0, from);
    return this.edit(ops, out, origin);
  }

  /**
   * Re-run `edited` (whose op k is a copy, possibly changed, of op origin[k] of `ops`, or new
   * when origin[k] is -1), rewriting each op's references to name what the original op named.
   */
  edit(ops: readonly Op[], edited: readonly Op[], origin: readonly number[]): Op[] {
    try {
      return this.retargeted(ops, edited, origin);
    } catch {
      return edited.slice();
    }
  }

  private analysed(ops: readonly Op[]): Run {
    if (this.last?.ops !== ops) this.last = { ops, run: this.record(ops) };
    return this.last.run;
  }

  /** Run `ops`, recording what each op named and created. */
  private record(ops: readonly Op[]): Run {
    const names: Named[] = [];
    const tasks: (number | undefined)[] = [];
    const fds: FdEntry[][] = [];
    const layers: number[][] = [];
    let w = this.initial;
    for (const op of ops) {
      names.push(nameRefs(w, op));
      const out = this.step(w, op);
      tasks.push(createdTask(op, out.result));
      fds.push(createdFds(w, out.world));
      layers.push(createdLayers(w, out.world));
      w = out.world;
    }
    return { names, tasks, fds, layers };
  }

  private retargeted(ops: readonly Op[], edited: readonly Op[], origin: readonly number[]): Op[] {
    const orig = this.analysed(ops);
    const maps: Maps = { tids: new Map(), fds: new Map(), layers: new Map() };
    for (const t of this.initial.tasks) maps.tids.set(t.tid, t.tid);
    const out: Op[] = [];
    let w = this.initial;
    // an op of `ops` left out that made a task (fork, thread): later references to that task
    // name its maker instead, as if the maker had done what the task did
    const kept = new Set(origin);
    let next = 0;
    for (let k = 0; k < edited.length; k++) {
      const j = origin[k]!;
      for (; j >= 0 && next < j; next++) {
        const made = orig.tasks[next];
        if (kept.has(next) || made === undefined) continue;
        const maker = orig.names[next]!.task;
        maps.tids.set(made, maps.tids.get(maker) ?? maker);
      }
      if (j >= next) next = j + 1;
      const op = j < 0 ? edited[k]! : retargetOp(w, edited[k]!, orig.names[j]!, maps);
      out.push(op);
      const r = this.step(w, op);
      if (j >= 0) {
        const tid = createdTask(op, r.result);
        const was = orig.tasks[j];
        if (tid !== undefined && was !== undefined) maps.tids.set(was, tid);
        pair(orig.fds[j]!, createdFds(w, r.world), maps.fds);
        pair(orig.layers[j]!, createdLayers(w, r.world), maps.layers);
      }
      w = r.world;
    }
    return out;
  }
}

/** The original index of each op left after removing op `removed` of n. */
function without(n: number, removed: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < n; j++) if (j !== removed) out.push(j);
  return out;
}

function pair<T>(a: readonly T[], b: readonly T[], into: Map<T, T>): void {
  for (let i = 0; i < Math.min(a.length, b.length); i++) into.set(a[i]!, b[i]!);
}

function createdTask(op: Op, result: { kind: string; ret?: number }): number | undefined {
  return (op.op === 'fork' || op.op === 'thread') && result.kind === 'ok' ? result.ret : undefined;
}

/** Entries in `after`'s tables that no table of `before` holds, in task and table order. */
function createdFds(before: World, after: World): FdEntry[] {
  if (after === before) return [];
  const known = new Set<FdEntry>();
  const seen = new Set<readonly FdEntry[]>();
  for (const t of before.tasks) {
    if (seen.has(t.fds)) continue;
    seen.add(t.fds);
    for (const e of t.fds) known.add(e);
  }
  const out: FdEntry[] = [];
  const done = new Set<readonly FdEntry[]>();
  for (const t of after.tasks) {
    if (seen.has(t.fds) || done.has(t.fds)) continue;
    done.add(t.fds);
    for (const e of t.fds) if (!known.has(e)) out.push(e);
  }
  return out;
}

/** Layer ids allocated by the step (model/state.ts: nextLayerId only grows). */
function createdLayers(before: World, after: World): number[] {
  const out: number[] = [];
  for (let id = before.nextLayerId; id < after.nextLayerId; id++) out.push(id);
  return out;
}

function tidAt(w: World, ref: number): number {
  return resolveTask(w, ref)?.tid ?? 0;
}

function actor(w: World, op: Op): Task | undefined {
  return op.tid !== undefined ? w.tasks.find((t) => t.tid === op.tid) : resolveTask(w, op.task);
}

function matches(kind: FdKind, e: FdEntry): boolean {
  return kind === 'any' || e.obj.kind === kind;
}

/** The entry an fd index names among the task's entries of `kind` (resolveFd's rule). */
function fdAt(t: Task | undefined, index: number, kind: FdKind): FdEntry | undefined {
  if (!t || !Number.isInteger(index)) return undefined;
  const list = t.fds.filter((e) => matches(kind, e));
  if (list.length === 0) return undefined;
  return list[((index % list.length) + list.length) % list.length];
}

/** The index of `e` among the task's entries of `kind`, or undefined. */
function fdIndex(t: Task | undefined, e: FdEntry | undefined, kind: FdKind): number | undefined {
  if (!t || !e) return undefined;
  const list = t.fds.filter((x) => matches(kind, x));
  const i = list.indexOf(e);
  return i < 0 ? undefined : i;
}

/** The layer ids of a task's own stack in modify's order (model/modify.ts:ownLayer). */
function ownLayerIds(t: Task): number[] {
  return [...chainOf(t.filter).map((n) => n.id), ...layersOf(t.domain).map((n) => n.id)];
}

function nameRefs(w: World, op: Op): Named {
  const task = op.tid ?? tidAt(w, op.task);
  const a = actor(w, op);
  switch (op.op) {
    case 'send_fd':
      return { task, to: tidAt(w, op.to), ...opt('fd', fdAt(a, op.fd, 'any')) };
    case 'close_fd':
      return { task, ...opt('fd', fdAt(a, op.fd, 'any')) };
    case 'ruleset_add_rule':
    case 'ruleset_supervisee':
      return { task, ...opt('fd', fdAt(a, op.ruleset, 'ruleset')) };
    case 'restrict_self':
      return op.ruleset === null ? { task } : { task, ...opt('fd', fdAt(a, op.ruleset, 'ruleset')) };
    case 'modify': {
      const ids = a ? ownLayerIds(a) : [];
      const layer = ids.length > 0 && Number.isInteger(op.layer) ? ids[((op.layer % ids.length) + ids.length) % ids.length] : undefined;
      return {
        task,
        ...opt('layer', layer),
        ...(op.handle !== undefined ? opt('handle', fdAt(a, op.handle, 'layer_handle')) : {}),
        ...(op.ruleset !== undefined ? opt('contentFd', fdAt(a, op.ruleset, 'ruleset')) : {}),
      };
    }
    case 'probe':
      if (op.request.kind === 'sigurg') return { task, ...opt('fd', fdAt(a, op.request.fd, 'socket')), ...(op.request.to !== undefined ? opt('to', tidAt(w, op.request.to)) : {}) };
      // a listener the target holds: an index into the target's table
      if (op.request.kind === 'abstract_unix' && op.request.listener !== undefined) {
        return { task, target: tidAt(w, op.request.target), ...opt('fd', fdAt(resolveTask(w, op.request.target), op.request.listener, 'unix_listener')) };
      }
      return 'target' in op.request ? { task, target: tidAt(w, op.request.target) } : { task };
    case 'fown_set':
      return { task, target: tidAt(w, op.target), ...opt('fd', fdAt(a, op.fd, 'socket')) };
    case 'setpgid':
      return { task, ...(op.pid !== undefined ? opt('target', tidAt(w, op.pid)) : {}), ...(op.pgid !== undefined ? opt('group', tidAt(w, op.pgid)) : {}) };
    case 'ptrace_attach':
    case 'ptrace_setoptions':
    case 'ptrace_get_filter':
      return { task, target: tidAt(w, op.target) };
    default:
      return { task };
  }
}

function opt<K extends string, V>(key: K, v: V | undefined): { [k in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [k in K]?: V };
}

/** Index of the live task that `origTid` maps to, or `fallback` if it does not exist here. */
function taskIndex(w: World, origTid: number | undefined, tids: ReadonlyMap<number, number>, fallback: number): number {
  if (origTid === undefined) return fallback;
  const tid = tids.get(origTid);
  if (tid === undefined) return fallback;
  const i = w.tasks.findIndex((t) => t.tid === tid);
  return i < 0 ? fallback : i;
}

function retargetOp(w: World, op: Op, n: Named, maps: Maps): Op {
  let out: Op = op;
  if (op.tid === undefined) {
    const task = taskIndex(w, n.task, maps.tids, op.task);
    if (task !== op.task) out = { ...out, task } as Op;
  }
  const a = actor(w, out);
  const fd = (e: FdEntry | undefined, kind: FdKind, fallback: number): number => fdIndex(a, e === undefined ? undefined : maps.fds.get(e), kind) ?? fallback;
  switch (out.op) {
    case 'send_fd': {
      const to = taskIndex(w, n.to, maps.tids, out.to);
      const f = fd(n.fd, 'any', out.fd);
      if (to !== out.to || f !== out.fd) out = { ...out, to, fd: f };
      break;
    }
    case 'close_fd': {
      const f = fd(n.fd, 'any', out.fd);
      if (f !== out.fd) out = { ...out, fd: f };
      break;
    }
    case 'ruleset_add_rule':
    case 'ruleset_supervisee': {
      const r = fd(n.fd, 'ruleset', out.ruleset);
      if (r !== out.ruleset) out = { ...out, ruleset: r };
      break;
    }
    case 'restrict_self': {
      if (out.ruleset === null) break;
      const r = fd(n.fd, 'ruleset', out.ruleset);
      if (r !== out.ruleset) out = { ...out, ruleset: r };
      break;
    }
    case 'modify': {
      let next = out;
      if (n.layer !== undefined && a) {
        const id = maps.layers.get(n.layer) ?? n.layer;
        const i = ownLayerIds(a).indexOf(id);
        if (i >= 0 && i !== next.layer) next = { ...next, layer: i };
      }
      if (next.handle !== undefined) {
        const h = fd(n.handle, 'layer_handle', next.handle);
        if (h !== next.handle) next = { ...next, handle: h };
      }
      if (next.ruleset !== undefined) {
        const r = fd(n.contentFd, 'ruleset', next.ruleset);
        if (r !== next.ruleset) next = { ...next, ruleset: r };
      }
      out = next;
      break;
    }
    case 'fown_set': {
      const target = taskIndex(w, n.target, maps.tids, out.target);
      const f = fd(n.fd, 'socket', out.fd);
      if (target !== out.target || f !== out.fd) out = { ...out, target, fd: f };
      break;
    }
    case 'probe': {
      if (out.request.kind === 'sigurg') {
        const f = fd(n.fd, 'socket', out.request.fd);
        const to = out.request.to === undefined ? undefined : taskIndex(w, n.to, maps.tids, out.request.to);
        if (f !== out.request.fd || to !== out.request.to) out = { ...out, request: to === undefined ? { kind: 'sigurg', fd: f } : { kind: 'sigurg', fd: f, to } };
        break;
      }
      if (!('target' in out.request)) break;
      const target = taskIndex(w, n.target, maps.tids, out.request.target);
      if (target !== out.request.target) out = { ...out, request: { ...out.request, target } };
      if (out.op === 'probe' && out.request.kind === 'abstract_unix' && out.request.listener !== undefined) {
        const t = resolveTask(w, target);
        const l = fdIndex(t, n.fd === undefined ? undefined : maps.fds.get(n.fd), 'unix_listener') ?? out.request.listener;
        if (l !== out.request.listener) out = { ...out, request: { ...out.request, listener: l } };
      }
      break;
    }
    case 'ptrace_attach':
    case 'ptrace_setoptions':
    case 'ptrace_get_filter': {
      const target = taskIndex(w, n.target, maps.tids, out.target);
      if (target !== out.target) out = { ...out, target };
      break;
    }
    case 'setpgid': {
      const pid = out.pid === undefined ? undefined : taskIndex(w, n.target, maps.tids, out.pid);
      const pgid = out.pgid === undefined ? undefined : taskIndex(w, n.group, maps.tids, out.pgid);
      if (pid !== out.pid || pgid !== out.pgid) out = { op: 'setpgid', task: out.task, ...(out.tid !== undefined ? { tid: out.tid } : {}), ...(pid !== undefined ? { pid } : {}), ...(pgid !== undefined ? { pgid } : {}) };
      break;
    }
    default:
      break;
  }
  return out;
}
