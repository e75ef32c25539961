// The generator's own view of the task list and of each process's descriptor table: what its
// fork, thread, exec and exit ops do to the live tasks (model/task/tree.ts), resolving task
// indices modulo the count as model/step.ts does, and which descriptors its ruleset_create,
// listener, handle, send_fd and close_fd ops leave in each table (model/task/fds.ts: lowest free
// number, close-on-exec, threads share one table, fork copies it). Kills (filters, probes, strict
// mode) and ops that fail are not modelled, so it is an approximation, good enough to draw
// references among live tasks, to bound the population, to avoid exiting the last task, and to
// aim Landlock calls at tasks that hold a ruleset, and at that ruleset's handled rights.
import type { Op } from '../model/ops.js';
import { FIRST_FD } from '../model/limits.js';

/** What the generator believes one descriptor is. */
export interface FdGuess {
  readonly fd: number;
  readonly cloexec: boolean;
  /** A ruleset's handled sets, or null for a listener, a layer handle or a socket. */
  readonly ruleset: { readonly fs: number; readonly net: number; readonly scoped: number } | null;
  /** A unix socket: a pair's end or a listener (socketpair, unix_listen). */
  readonly socket?: 'pair' | 'listener';
}

type Table = readonly FdGuess[];
const EMPTY: Table = [];

export class Population {
  /** Thread-group ids of the live tasks, in creation order. */
  private readonly tgids: number[] = [0];
  /** Per live task: whether it called restrict_self with a ruleset (its domain is not empty). */
  private readonly restricted: boolean[] = [false];
  /** Per live task: whether it leads its thread group (fork's child, the initial task, an exec'ing thread). */
  private readonly leaders: boolean[] = [true];
  /** Descriptor table by thread-group id, sorted by fd number (shared values: copied on change). */
  private readonly tables: Table[] = [EMPTY];
  /** The thread group each group was forked from, by group id (−1: the initial task's, outside). */
  private readonly parentGroups: number[] = [-1];
  /** The working directory by thread-group id (chdir; a fork copies it: model/task/cwd.ts). */
  private readonly cwds: string[] = ['/'];
  private nextGroup = 1;
  /** The index, in its table, of the descriptor installed last. */
  lastInstalled = 0;
  /** Some socket may have a process group as its F_SETOWN owner: a SIGURG then names the task
   * it is observed at (`to`), which a group owner needs (model/landlock/fown.ts). */
  groupOwner = false;

  get size(): number {
    return this.tgids.length;
  }

  private index(ref: number): number {
    const n = this.tgids.length;
    return ref >= 0 && ref < n ? ref : ((ref % n) + n) % n;
  }

  /** The working directory the generator believes `task`'s group has (a model path). */
  cwd(task: number): string {
    return this.tgids.length === 0 ? '/' : this.cwds[this.tgids[this.index(task)]!] ?? '/';
  }

  /** A chdir into the directory `dir` (absolute) by `task`: its whole group moves. */
  chdir(task: number, dir: string): void {
    if (this.tgids.length !== 0) this.cwds[this.tgids[this.index(task)]!] = dir;
  }

  /** Account for one op (appended to the scenario). */
  apply(op: Op): void {
    switch (op.op) {
      case 'fork':
        this.fork(op.task);
        return;
      case 'thread':
        this.thread(op.task);
        return;
      case 'exit':
        this.exit(op.task);
        return;
      case 'exec':
        this.exec(op.task);
        return;
      default:
        return;
    }
  }

  // The ops that change the task list, for a caller that knows which op it appended.

  /** fork: a new process with a copy of the parent's table. */
  fork(task: number): void {
    if (this.tgids.length === 0) return;
    const g = this.nextGroup++;
    const i = this.index(task);
    this.tables[g] = this.tables[this.tgids[i]!] ?? EMPTY;
    this.cwds[g] = this.cwds[this.tgids[i]!] ?? '/';
    this.parentGroups[g] = this.tgids[i]!;
    this.tgids.push(g);
    this.restricted.push(this.restricted[i]!);
    this.leaders.push(true);
  }

  thread(task: number): void {
    if (this.tgids.length === 0) return;
    const i = this.index(task);
    this.tgids.push(this.tgids[i]!);
    this.restricted.push(this.restricted[i]!);
    this.leaders.push(false);
  }

  exit(task: number): void {
    if (this.tgids.length === 0) return;
    const i = this.index(task);
    this.tgids.splice(i, 1);
    this.restricted.splice(i, 1);
    this.leaders.splice(i, 1);
  }

  /** The index of a live task that leads no thread group (a thread), or -1. */
  nonLeader(rng: { nextInt(min: number, max: number): number }): number {
    const n = this.leaders.length;
    if (n === 0) return -1;
    const start = rng.nextInt(0, n - 1);
    for (let k = 0; k < n; k++) if (!this.leaders[(start + k) % n]) return (start + k) % n;
    return -1;
  }

  /** The task is its group's leader and the group's only live task (a child it forks then has
   * the model's real parent: model/ptrace/attach.ts realParent). */
  soleLeader(task: number): boolean {
    if (this.tgids.length === 0) return false;
    const i = this.index(task);
    const g = this.tgids[i]!;
    return this.leaders[i]! && this.tgids.every((x, j) => x !== g || j === i);
  }

  /** The task's real parent is a live task of the scenario (a process of the group it was forked
   * from lives: model/task/tree.ts realParent is not 'outside'). */
  modelledParent(task: number): boolean {
    if (this.tgids.length === 0) return false;
    const pg = this.parentGroups[this.tgids[this.index(task)]!] ?? -1;
    return pg >= 0 && this.tgids.includes(pg);
  }

  /** The task indices whose real parent is a scenario task. */
  withModelledParent(out: number[]): number[] {
    out.length = 0;
    for (let i = 0; i < this.tgids.length; i++) if (this.modelledParent(i)) out.push(i);
    return out;
  }

  /** de_thread: the group's other threads die; the exec'ing one keeps its place; close-on-exec. */
  exec(task: number): void {
    if (this.tgids.length === 0) return;
    const t = this.tgids;
    const i = this.index(task);
    const g = t[i]!;
    const r = this.restricted;
    const l = this.leaders;
    l[i] = true;
    let kept = 0;
    for (let j = 0; j < t.length; j++) {
      if (t[j] !== g || j === i) {
        r[kept] = r[j]!;
        l[kept] = l[j]!;
        t[kept++] = t[j]!;
      }
    }
    t.length = kept;
    r.length = kept;
    l.length = kept;
    const table = this.tables[g] ?? EMPTY;
    if (table.some((e) => e.cloexec)) this.tables[g] = table.filter((e) => !e.cloexec);
  }

  /** The task called restrict_self with a ruleset. */
  restrict(task: number): void {
    if (this.tgids.length > 0) this.restricted[this.index(task)] = true;
  }

  /** The task indices that never called restrict_self (nor did the tasks they were forked from). */
  unrestricted(out: number[]): number[] {
    out.length = 0;
    for (let i = 0; i < this.restricted.length; i++) if (!this.restricted[i]) out.push(i);
    return out;
  }

  // Descriptor tables.

  /** The table of task `task`'s process. */
  table(task: number): Table {
    if (this.tgids.length === 0) return EMPTY;
    return this.tables[this.tgids[this.index(task)]!] ?? EMPTY;
  }

  /** A new descriptor at the lowest free number (fs/file.c:alloc_fd); returns its index in the table. */
  install(task: number, cloexec: boolean, ruleset: FdGuess['ruleset'], socket?: FdGuess['socket']): number {
    if (this.tgids.length === 0) return 0;
    const g = this.tgids[this.index(task)]!;
    const table = this.tables[g] ?? EMPTY;
    let fd = FIRST_FD;
    let at = 0;
    for (; at < table.length && table[at]!.fd === fd; at++) fd++;
    const next = table.slice();
    next.splice(at, 0, socket ? { fd, cloexec, ruleset, socket } : { fd, cloexec, ruleset });
    this.tables[g] = next;
    this.lastInstalled = at;
    return at;
  }

  /** close of the `index`-th descriptor (modulo the table, as the model resolves it). */
  close(task: number, index: number): void {
    const table = this.table(task);
    if (table.length === 0) return;
    const i = ((index % table.length) + table.length) % table.length;
    this.tables[this.tgids[this.index(task)]!] = table.filter((_, j) => j !== i);
  }

  /** SCM_RIGHTS: a copy of `from`'s `index`-th descriptor lands in `to`'s table, without close-on-exec. */
  send(from: number, index: number, to: number): void {
    const table = this.table(from);
    if (table.length === 0) return;
    const e = table[((index % table.length) + table.length) % table.length]!;
    this.install(to, false, e.ruleset, e.socket);
  }

  /** The index among the task's listeners (model/task/socket.ts isUnixListenerFd) of its
   * `at`-th descriptor. */
  listenerIndex(task: number, at: number): number {
    let n = 0;
    const table = this.table(task);
    for (let i = 0; i < at && i < table.length; i++) if (table[i]!.socket === 'listener') n++;
    return n;
  }

  /** Whether the task's `index`-th descriptor (modulo the table) is a socket end. */
  isSocket(task: number, index: number): boolean {
    const table = this.table(task);
    return table.length > 0 && table[((index % table.length) + table.length) % table.length]!.socket !== undefined;
  }

  /** The task indices whose process holds a ruleset descriptor. */
  rulesetHolders(out: number[]): number[] {
    out.length = 0;
    for (let i = 0; i < this.tgids.length; i++) {
      const table = this.tables[this.tgids[i]!] ?? EMPTY;
      for (const e of table) {
        if (e.ruleset !== null) {
          out.push(i);
          break;
        }
      }
    }
    return out;
  }

  /** The task's ruleset descriptors, in fd order (an op's `ruleset` index counts these). */
  rulesets(task: number): FdGuess[] {
    return this.table(task).filter((e) => e.ruleset !== null);
  }

  /** How many ruleset descriptors the task's table holds. */
  rulesetCount(task: number): number {
    let n = 0;
    for (const e of this.table(task)) if (e.ruleset !== null) n++;
    return n;
  }

  /** The task's `i`-th ruleset descriptor (0 ≤ i < rulesetCount). */
  rulesetAt(task: number, i: number): FdGuess {
    for (const e of this.table(task)) if (e.ruleset !== null && i-- === 0) return e;
    throw new RangeError(`no ruleset ${i} in task ${task}'s table`);
  }
}
