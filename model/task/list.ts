// The live tasks of a world, in creation order: a persistent list, so that a step costs what it
// changes, not the number of tasks. A balanced tree of leaves of at most FANOUT tasks (inner
// nodes of at most FANOUT children, all leaves at one depth) with path copying: fork and thread
// append on the rightmost path, a change to one task copies one path, every other node is shared
// with the world before the step (as the kernel's task structs are, one per task, not one list
// per state). Each task also carries a slot, its creation rank, which orders the list and lets
// two versions of it be compared subtree by subtree (changesBetween). A list of at most FANOUT
// tasks is one leaf: its operations are array copies, as a plain array's would be.
//
// Lookups by tid and by thread group (tgid) descend only into subtrees whose tid / tgid range
// holds the value: new tasks get growing tids, so ranges stay narrow (exec of a non-leader
// thread renames it to the leader's tid, fs/exec.c:de_thread, which widens one leaf's range).
import type { Task } from '../state.js';

/** Most tasks in a leaf, most children of an inner node. */
export const FANOUT = 32;

class Leaf {
  readonly height = 0;
  readonly size: number;
  readonly lo: number;
  readonly hi: number;
  // The tid and tgid ranges, computed when first read: a list of one leaf never reads them.
  private minTid_ = NaN;
  private maxTid_ = NaN;
  private minTgid_ = NaN;
  private maxTgid_ = NaN;
  /** `ranges`: a leaf whose tid and tgid ranges these tasks have (a replacement that kept
   * every tid and tgid). */
  constructor(readonly slots: readonly number[], readonly tasks: readonly Task[], ranges?: Leaf) {
    this.size = tasks.length;
    this.lo = slots[0]!;
    this.hi = slots[slots.length - 1]!;
    if (ranges !== undefined && ranges.minTid_ === ranges.minTid_) {
      this.minTid_ = ranges.minTid_;
      this.maxTid_ = ranges.maxTid_;
      this.minTgid_ = ranges.minTgid_;
      this.maxTgid_ = ranges.maxTgid_;
    }
  }
  get minTid(): number { if (this.minTid_ !== this.minTid_) this.ranges(); return this.minTid_; }
  get maxTid(): number { if (this.minTid_ !== this.minTid_) this.ranges(); return this.maxTid_; }
  get minTgid(): number { if (this.minTid_ !== this.minTid_) this.ranges(); return this.minTgid_; }
  get maxTgid(): number { if (this.minTid_ !== this.minTid_) this.ranges(); return this.maxTgid_; }
  private ranges(): void {
    let minTid = Infinity, maxTid = -Infinity, minTgid = Infinity, maxTgid = -Infinity;
    const tasks = this.tasks;
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i]!;
      if (t.tid < minTid) minTid = t.tid;
      if (t.tid > maxTid) maxTid = t.tid;
      if (t.tgid < minTgid) minTgid = t.tgid;
      if (t.tgid > maxTgid) maxTgid = t.tgid;
    }
    this.minTid_ = minTid;
    this.maxTid_ = maxTid;
    this.minTgid_ = minTgid;
    this.maxTgid_ = maxTgid;
  }
}

class Inner {
  readonly height: number;
  readonly size: number;
  readonly lo: number;
  readonly hi: number;
  readonly minTid: number;
  readonly maxTid: number;
  readonly minTgid: number;
  readonly maxTgid: number;
  constructor(readonly kids: readonly Node[]) {
    this.height = kids[0]!.height + 1;
    this.lo = kids[0]!.lo;
    this.hi = kids[kids.length - 1]!.hi;
    let size = 0, minTid = Infinity, maxTid = -Infinity, minTgid = Infinity, maxTgid = -Infinity;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      size += k.size;
      if (k.minTid < minTid) minTid = k.minTid;
      if (k.maxTid > maxTid) maxTid = k.maxTid;
      if (k.minTgid < minTgid) minTgid = k.minTgid;
      if (k.maxTgid > maxTgid) maxTgid = k.maxTgid;
    }
    this.size = size;
    this.minTid = minTid;
    this.maxTid = maxTid;
    this.minTgid = minTgid;
    this.maxTgid = maxTgid;
  }
}

type Node = Leaf | Inner;

/** A task with a new value (or null: the task leaves), keyed by tid or tgid. */
const BY_TID = 0;
const BY_TGID = 1;
const ALL = 2;
type Key = typeof BY_TID | typeof BY_TGID | typeof ALL;

/**
 * What a rewrite does to the tasks whose key (tid or tgid) equals `value`. A class rather than a
 * closure per call (model steps are the hot loop).
 */
abstract class Rewrite {
  constructor(readonly key: Key, readonly value: number) {}
  /** The task's new value, itself to keep it, null to remove it. */
  abstract apply(t: Task): Task | null;
}

class Replace extends Rewrite {
  constructor(tid: number, readonly next: Task) { super(BY_TID, tid); }
  apply(): Task { return this.next; }
}

class Remove extends Rewrite {
  apply(): null { return null; }
}

class MapAll extends Rewrite {
  constructor(readonly f: (t: Task) => Task) { super(ALL, 0); }
  apply(t: Task): Task { return this.f(t); }
}

class MapGroup extends Rewrite {
  constructor(tgid: number, readonly f: (t: Task) => Task) { super(BY_TGID, tgid); }
  apply(t: Task): Task { return this.f(t); }
}

/** fs/exec.c:de_thread: the group's other threads go, the exec'ing one becomes `next`. */
class ExecGroup extends Rewrite {
  constructor(tgid: number, readonly tid: number, readonly next: Task) { super(BY_TGID, tgid); }
  apply(t: Task): Task | null { return t.tid === this.tid ? this.next : null; }
}

function mayHold(n: Node, r: Rewrite): boolean {
  if (r.key === ALL) return true;
  return r.key === BY_TID
    ? r.value >= n.minTid && r.value <= n.maxTid
    : r.value >= n.minTgid && r.value <= n.maxTgid;
}

/** `n` rewritten (the same node when nothing changed, null when no task is left). */
function rewrite(n: Node, r: Rewrite): Node | null {
  if (!mayHold(n, r)) return n;
  if (n instanceof Leaf) return rewriteLeaf(n, r);
  let kids: Node[] | undefined;
  const src = n.kids;
  for (let i = 0; i < src.length; i++) {
    const k = src[i]!;
    const next = rewrite(k, r);
    if (next !== k && kids === undefined) kids = src.slice(0, i);
    if (kids !== undefined && next !== null) kids.push(next);
  }
  if (kids === undefined) return n;
  return kids.length === 0 ? null : new Inner(kids);
}

/** A leaf rewritten: the slots array is shared when no task left, the tid and tgid ranges
 * when no task's ids changed (the common replacements: a task's filter, domain, fds, flags). */
function rewriteLeaf(n: Leaf, r: Rewrite): Leaf | null {
  let tasks: Task[] | undefined;
  let slots: number[] | undefined; // made at the first removal
  let renamed = false;
  const src = n.tasks;
  for (let i = 0; i < src.length; i++) {
    const t = src[i]!;
    const hit = r.key === ALL || (r.key === BY_TID ? t.tid === r.value : t.tgid === r.value);
    const next = hit ? r.apply(t) : t;
    if (next !== t && tasks === undefined) tasks = src.slice(0, i);
    if (next === null) {
      if (slots === undefined) slots = n.slots.slice(0, i);
      continue;
    }
    if (tasks !== undefined) tasks.push(next);
    if (slots !== undefined) slots.push(n.slots[i]!);
    if (next !== t && (next.tid !== t.tid || next.tgid !== t.tgid)) renamed = true;
  }
  if (tasks === undefined) return n;
  if (tasks.length === 0) return null;
  return new Leaf(slots ?? n.slots, tasks, slots === undefined && !renamed ? n : undefined);
}

/** `n` with a task appended: the node, or the node and a new right sibling of its height. */
function append(n: Node, slot: number, t: Task): [Node] | [Node, Node] {
  if (n instanceof Leaf) {
    if (n.size < FANOUT) {
      const slots = n.slots.slice();
      slots.push(slot);
      const tasks = n.tasks.slice();
      tasks.push(t);
      return [new Leaf(slots, tasks)];
    }
    return [n, new Leaf([slot], [t])];
  }
  const last = n.kids[n.kids.length - 1]!;
  const r = append(last, slot, t);
  const kids = n.kids.slice(0, -1);
  kids.push(r[0]);
  if (r.length === 1) return [new Inner(kids)];
  if (kids.length < FANOUT) {
    kids.push(r[1]);
    return [new Inner(kids)];
  }
  return [new Inner(kids), new Inner([r[1]])];
}

/** The root after removals: an inner node with one child gives way to it. */
function collapse(n: Node | null): Node | null {
  while (n instanceof Inner && n.kids.length === 1) n = n.kids[0]!;
  return n;
}

function findTid(n: Node, tid: number): Task | undefined {
  if (tid < n.minTid || tid > n.maxTid) return undefined;
  if (n instanceof Leaf) {
    for (const t of n.tasks) if (t.tid === tid) return t;
    return undefined;
  }
  for (const k of n.kids) {
    const t = findTid(k, tid);
    if (t) return t;
  }
  return undefined;
}

/** Position of the task `tid` in `n` (-1 if absent). */
function indexOfTid(n: Node, tid: number): number {
  if (tid < n.minTid || tid > n.maxTid) return -1;
  if (n instanceof Leaf) {
    const tasks = n.tasks;
    for (let i = 0; i < tasks.length; i++) if (tasks[i]!.tid === tid) return i;
    return -1;
  }
  let before = 0;
  for (const k of n.kids) {
    const i = indexOfTid(k, tid);
    if (i >= 0) return before + i;
    before += k.size;
  }
  return -1;
}

function groupOf(n: Node, tgid: number, out: Task[]): void {
  if (tgid < n.minTgid || tgid > n.maxTgid) return;
  if (n instanceof Leaf) {
    for (const t of n.tasks) if (t.tgid === tgid) out.push(t);
    return;
  }
  for (const k of n.kids) groupOf(k, tgid, out);
}

function flatten(n: Node, out: Task[]): void {
  if (n instanceof Leaf) {
    for (const t of n.tasks) out.push(t);
    return;
  }
  for (const k of n.kids) flatten(k, out);
}

/** Iterates the leaves' tasks in order (an explicit stack: no generator, no closure). */

class TaskIterator implements Iterator<Task> {
  private readonly stack: { node: Inner; next: number }[] = [];
  private leaf: readonly Task[] = [];
  private at = 0;
  constructor(root: Node) {
    this.descend(root);
  }
  private descend(n: Node): void {
    while (n instanceof Inner) {
      this.stack.push({ node: n, next: 1 });
      n = n.kids[0]!;
    }
    this.leaf = n.tasks;
    this.at = 0;
  }
  next(): IteratorResult<Task> {
    while (this.at >= this.leaf.length) {
      const top = this.stack[this.stack.length - 1];
      if (!top) return { done: true, value: undefined };
      if (top.next >= top.node.kids.length) {
        this.stack.pop();
        continue;
      }
      this.descend(top.node.kids[top.next++]!);
    }
    return { done: false, value: this.leaf[this.at++]! };
  }
  [Symbol.iterator](): Iterator<Task> { return this; }
}

/**
 * The live tasks in creation order (World.tasks). Immutable: every update returns a new list
 * (the same list when nothing changed) sharing all it did not touch. Reads have the names and
 * meaning of ReadonlyArray's, except that there is no bracket indexing: use `at(i)`.
 *
 * Up to FANOUT tasks the list is its arrays (`small`, `slots`): the worlds of generated scenarios
 * hold a handful of tasks, and one object per step is all they pay. Past FANOUT it is a tree.
 */
export class TaskList implements Iterable<Task> {
  /** The whole list as an array: the small list itself, or a tree's, built once when read. */
  private flat: readonly Task[] | undefined;
  private constructor(
    private readonly small: readonly Task[] | undefined,
    private readonly slots: readonly number[] | undefined,
    private readonly tree: Inner | undefined,
    private readonly nextSlot: number,
  ) {
    this.flat = small;
  }

  private static readonly EMPTY = new TaskList([], [], undefined, 0);

  /** A list of these tasks, in this order. */
  static of(tasks: readonly Task[]): TaskList {
    let list = TaskList.EMPTY;
    for (const t of tasks) list = list.append(t);
    return list;
  }

  /** The empty list. */
  static empty(): TaskList { return TaskList.EMPTY; }

  /** A list whose tree is `root` (after removals: one leaf is a small list again). */
  private static ofNode(root: Node | null, nextSlot: number): TaskList {
    root = collapse(root);
    if (root === null) return new TaskList([], [], undefined, nextSlot);
    if (root instanceof Leaf) return new TaskList(root.tasks, root.slots, undefined, nextSlot);
    return new TaskList(undefined, undefined, root, nextSlot);
  }

  get length(): number { return this.small !== undefined ? this.small.length : this.tree!.size; }

  /** The task at position `i` (negative counts from the end, as Array#at). */
  at(i: number): Task | undefined {
    if (this.small !== undefined) return this.small.at(i);
    const n = this.tree!.size;
    if (!Number.isInteger(i)) i = Math.trunc(i);
    if (i < 0) i += n;
    if (i < 0 || i >= n) return undefined;
    let node: Node = this.tree!;
    while (node instanceof Inner) {
      for (const k of node.kids) {
        if (i < k.size) {
          node = k;
          break;
        }
        i -= k.size;
      }
    }
    return node.tasks[i];
  }

  /** The live task with this tid. */
  byTid(tid: number): Task | undefined {
    const small = this.small;
    if (small === undefined) return findTid(this.tree!, tid);
    for (let i = 0; i < small.length; i++) if (small[i]!.tid === tid) return small[i];
    return undefined;
  }

  /** Position of the live task with this tid, -1 if none. */
  indexOfTid(tid: number): number {
    const small = this.small;
    if (small === undefined) return indexOfTid(this.tree!, tid);
    for (let i = 0; i < small.length; i++) if (small[i]!.tid === tid) return i;
    return -1;
  }

  /** The tasks of thread group `tgid`, in creation order. */
  group(tgid: number): Task[] {
    const out: Task[] = [];
    if (this.small === undefined) groupOf(this.tree!, tgid, out);
    else for (const t of this.small) if (t.tgid === tgid) out.push(t);
    return out;
  }

  /** All tasks as an array (a small list's own array; a tree's, built once). */
  toArray(): readonly Task[] {
    if (this.flat === undefined) {
      const out: Task[] = [];
      flatten(this.tree!, out);
      this.flat = out;
    }
    return this.flat;
  }

  [Symbol.iterator](): Iterator<Task> {
    return this.flat !== undefined ? this.flat[Symbol.iterator]() : new TaskIterator(this.tree!);
  }

  // ReadonlyArray's reads, over the tasks in order.
  find(pred: (t: Task, i: number) => unknown): Task | undefined {
    let i = 0;
    for (const t of this) if (pred(t, i++)) return t;
    return undefined;
  }
  findIndex(pred: (t: Task, i: number) => unknown): number {
    let i = 0;
    for (const t of this) {
      if (pred(t, i)) return i;
      i++;
    }
    return -1;
  }
  some(pred: (t: Task, i: number) => unknown): boolean { return this.findIndex(pred) >= 0; }
  every(pred: (t: Task, i: number) => unknown): boolean {
    let i = 0;
    for (const t of this) if (!pred(t, i++)) return false;
    return true;
  }
  map<U>(f: (t: Task, i: number) => U): U[] {
    const out: U[] = [];
    let i = 0;
    for (const t of this) out.push(f(t, i++));
    return out;
  }
  filter(pred: (t: Task, i: number) => unknown): Task[] {
    const out: Task[] = [];
    let i = 0;
    for (const t of this) if (pred(t, i++)) out.push(t);
    return out;
  }
  forEach(f: (t: Task, i: number) => void): void {
    let i = 0;
    for (const t of this) f(t, i++);
  }
  includes(t: Task): boolean { return this.byTid(t.tid) === t; }
  indexOf(t: Task): number {
    const i = this.indexOfTid(t.tid);
    return i >= 0 && this.at(i) === t ? i : -1;
  }
  slice(start?: number, end?: number): Task[] { return this.toArray().slice(start, end); }

  // Updates.

  /** The list with `t` appended (kernel/fork.c:copy_process adds a task). */
  append(t: Task): TaskList {
    const slot = this.nextSlot;
    const small = this.small;
    if (small !== undefined) {
      if (small.length < FANOUT) {
        const tasks = small.slice();
        tasks.push(t);
        const slots = this.slots!.slice();
        slots.push(slot);
        return new TaskList(tasks, slots, undefined, slot + 1);
      }
      return new TaskList(undefined, undefined, new Inner([new Leaf(this.slots!, small), new Leaf([slot], [t])]), slot + 1);
    }
    const r = append(this.tree!, slot, t);
    return new TaskList(undefined, undefined, r.length === 1 ? r[0] as Inner : new Inner(r), slot + 1);
  }

  /** The list with the task `tid` (default next.tid) replaced by `next`, in its place. */
  replace(next: Task, tid: number = next.tid): TaskList {
    const small = this.small;
    if (small === undefined) return this.rewritten(new Replace(tid, next));
    for (let i = 0; i < small.length; i++) {
      if (small[i]!.tid !== tid) continue;
      if (small[i] === next) return this;
      const tasks = small.slice();
      tasks[i] = next;
      return new TaskList(tasks, this.slots, undefined, this.nextSlot);
    }
    return this;
  }

  /** The list without the task `tid` (kernel/exit.c:do_exit). */
  remove(tid: number): TaskList {
    return this.rewritten(new Remove(BY_TID, tid));
  }

  /** The list without thread group `tgid` (a group-wide kill). */
  removeGroup(tgid: number): TaskList {
    return this.rewritten(new Remove(BY_TGID, tgid));
  }

  /** The list with `f` applied to each task of thread group `tgid` (f returns t to keep it). */
  mapGroup(tgid: number, f: (t: Task) => Task): TaskList {
    const small = this.small;
    if (small === undefined) return this.rewritten(new MapGroup(tgid, f));
    let tasks: Task[] | undefined;
    for (let i = 0; i < small.length; i++) {
      const t = small[i]!;
      if (t.tgid !== tgid) continue;
      const next = f(t);
      if (next === t) continue;
      tasks ??= small.slice();
      tasks[i] = next;
    }
    return tasks === undefined ? this : new TaskList(tasks, this.slots, undefined, this.nextSlot);
  }

  /** The list with `f` applied to every task (f returns t to keep it): unchanged subtrees are
   * shared, and the list itself is returned when f changed nothing. */
  mapAll(f: (t: Task) => Task): TaskList {
    return this.rewritten(new MapAll(f));
  }

  /** fs/exec.c:de_thread: thread group `tgid` reduced to the task `tid`, now `next`. */
  execGroup(tgid: number, tid: number, next: Task): TaskList {
    return this.rewritten(new ExecGroup(tgid, tid, next));
  }

  private rewritten(r: Rewrite): TaskList {
    if (this.small !== undefined) {
      if (this.small.length === 0) return this;
      const leaf = rewriteLeaf(new Leaf(this.slots!, this.small), r);
      if (leaf === null) return new TaskList([], [], undefined, this.nextSlot);
      return leaf.tasks === this.small ? this : new TaskList(leaf.tasks, leaf.slots, undefined, this.nextSlot);
    }
    const root = rewrite(this.tree!, r);
    return root === this.tree ? this : TaskList.ofNode(root, this.nextSlot);
  }

  /** The list's tree, a small list as one leaf (for comparisons). */
  private nodes(): Node[] {
    if (this.tree !== undefined) return [this.tree];
    return this.small!.length === 0 ? [] : [new Leaf(this.slots!, this.small!)];
  }

  /**
   * What `after` changed relative to `before` (two versions of one list, `after` derived from
   * `before` by this class's updates), matched by slot — the task's identity across steps even
   * when exec renames it: the tasks only `before` holds, only `after` holds, and those whose value
   * changed. Work is proportional to the nodes the updates copied, not to the list's length.
   */
  static changesBetween(before: TaskList, after: TaskList, out: ListChanges): void {
    if (before === after) return;
    diffNodes(before.nodes(), after.nodes(), out);
  }
}

/** Receives a list comparison's findings in slot (creation) order. */
export interface ListChanges {
  removed(t: Task): void;
  added(t: Task): void;
  changed(before: Task, after: Task): void;
}


function emitAll(n: Node, f: (t: Task) => void, out: ListChanges): void {
  if (n instanceof Leaf) {
    for (const t of n.tasks) f.call(out, t);
    return;
  }
  for (const k of n.kids) emitAll(k, f, out);
}

/** Compare two sequences of sibling subtrees covering increasing slot ranges. Subtrees that are
 * the same object are skipped; overlapping ones descend until leaves, merged by slot. */
function diffNodes(as: readonly Node[], bs: readonly Node[], out: ListChanges): void {
  const a = as.slice();
  const b = bs.slice();
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === undefined) { emitAll(y!, out.added, out); j++; continue; }
    if (y === undefined) { emitAll(x, out.removed, out); i++; continue; }
    if (x === y) { i++; j++; continue; }
    if (x.hi < y.lo) { emitAll(x, out.removed, out); i++; continue; }
    if (y.hi < x.lo) { emitAll(y, out.added, out); j++; continue; }
    // Overlapping ranges: open the taller (or both inner nodes) until two leaves meet.
    if (x instanceof Inner && x.height >= y.height) {
      a.splice(i, 1, ...x.kids);
      if (y instanceof Inner && y.height === x.height) b.splice(j, 1, ...y.kids);
      continue;
    }
    if (y instanceof Inner) { b.splice(j, 1, ...y.kids); continue; }
    mergeLeaves(x as Leaf, y, out);
    i++;
    j++;
  }
}

/** Two leaves with overlapping slot ranges. A leaf's slots may continue in the other side's next
 * leaf (ranges overlap only partly), so only the shared slot range is settled here: the caller's
 * walk moves on past both, and every slot lies in exactly one leaf of each side. */
function mergeLeaves(x: Leaf, y: Leaf, out: ListChanges): void {
  let i = 0;
  let j = 0;
  while (i < x.size || j < y.size) {
    const sx = i < x.size ? x.slots[i]! : Infinity;
    const sy = j < y.size ? y.slots[j]! : Infinity;
    if (sx === sy) {
      const bt = x.tasks[i++]!;
      const at = y.tasks[j++]!;
      if (bt !== at) out.changed(bt, at);
    } else if (sx < sy) out.removed(x.tasks[i++]!);
    else out.added(y.tasks[j++]!);
  }
}
