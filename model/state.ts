// The world: live tasks, rulesets and counters. Immutable values with structural sharing:
// layer stacks are shared linked nodes (seccomp/stack.ts, landlock/domain.ts), fd tables are
// shared by the threads of a group, and every transition returns a new World or the same one.
import type { FilterNode } from './seccomp/stack.js';
import type { DomainNode } from './landlock/domain.js';
import type { Ruleset } from './landlock/ruleset.js';
import type { FsTree } from './landlock/fstree.js';
import type { Semantics } from './semantics.js';
import { LINUX_SEMANTICS } from './semantics.js';
import { LANDLOCK_ABI_MAX } from './limits.js';
import { defaultFsTree } from './landlock/fstree.js';
import type { Universe } from './universe.js';
import type { BpfMap } from './maps/map.js';
import type { SocketFile } from './task/socket.js';
import { TaskList } from './task/list.js';
import type { PtraceState } from './ptrace/state.js';
import { NO_PTRACE } from './ptrace/state.js';
import type { Notifications } from './seccomp/notify-state.js';

export { TaskList };
import { defaultUniverse } from './universe.js';

/** What an fd refers to. */
export type FdObject =
  | { readonly kind: 'listener'; readonly id: number }
  | { readonly kind: 'ruleset'; readonly id: number }
  | { readonly kind: 'layer_handle'; readonly layer: number }
  /** An eBPF map (variants with H1 maps only: model/maps/). */
  | { readonly kind: 'map'; readonly id: number }
  /** One end of a unix stream socket pair (model/task/socket.ts), by its index in World.sockets. */
  | { readonly kind: 'socket'; readonly id: number }
  /** A listening abstract unix stream socket (model/task/socket.ts), with the domain of the
   * credentials that created its file (file->f_cred: what sock_is_scoped reads). */
  | { readonly kind: 'unix_listener'; readonly id: number; readonly creator: DomainNode | null };

export interface FdEntry {
  readonly fd: number;
  readonly cloexec: boolean;
  readonly obj: FdObject;
}

/** A task's descriptor table, sorted by fd number; threads of a group share one value. */
export type FdTable = readonly FdEntry[];

export type SeccompMode = 0 | 1 | 2;

export type SigsysAction = 'handled' | 'ignored' | 'default';

export interface Task {
  readonly tid: number;
  /** Thread-group id: threads are tasks sharing a tgid (the leader has tid === tgid). */
  readonly tgid: number;
  readonly ppid: number;
  readonly nnp: boolean;
  /** CAP_SYS_ADMIN in the effective set (ns_capable(current_user_ns(), CAP_SYS_ADMIN)). */
  readonly capSysAdmin: boolean;
  /**
   * CAP_SYS_ADMIN in the permitted set. Tasks are root: `drop_cap` (and a world started without
   * the capability) clear only the effective set, so execve gives it back
   * (security/commoncap.c:cap_bprm_creds_from_file: root's new effective set = permitted).
   */
  readonly capPermitted: boolean;
  readonly seccompMode: SeccompMode;
  /** Newest filter of the task's seccomp stack (task->seccomp.filter). */
  readonly filter: FilterNode | null;
  /** task->seccomp.filter_count, shown as Seccomp_filters in /proc. */
  readonly filterCount: number;
  /** Landlock domain (landlock_cred(cred)->domain): its newest layer. */
  readonly domain: DomainNode | null;
  /** LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF recorded on the cred (audit only). */
  readonly llLogSubdomainsOff: boolean;
  /** The session keyring on the task's cred, by number (model/task/keyctl.ts): 0 is the one the
   * first task inherits from outside the scenario, k the k-th the scenario joined. */
  readonly sessionKeyring: number;
  /** The working directory (fs_struct's pwd) as a path of the model tree; the threads of a
   * group share one (CLONE_FS), a fork copies it (model/task/cwd.ts). */
  readonly cwd: string;
  /** SIGSYS's action, shared by the process's threads (sighand; model/task/sigsys.ts):
   * `handled` by the executor's trap handler (every task starts so), `ignored`, or `default`. */
  readonly sigsys: SigsysAction;
  /** SIGSYS in this thread's blocked mask (a fork or a new thread copies the caller's). */
  readonly sigsysBlocked: boolean;
  /** The process group's id, shared by the process's threads (signal->pids[PIDTYPE_PGID];
   * model/task/pgrp.ts): a tgid, or OUTSIDE_PGID, the group the first task starts in, whose
   * leader is outside the scenario (the executor's coordinator). */
  readonly pgid: number;
  /** When the process last joined its group (attach_pid / change_pid put it at the head of the
   * group's task list), as a world-wide count: the group's head is its member with the largest
   * (model/task/pgrp.ts:groupHead). */
  readonly pgSince: number;
  /** PF_FORKNOEXEC: set on a forked task, cleared by its exec; setpgid(2) of a child that
   * exec'd is EACCES. */
  readonly forkNoExec: boolean;
  readonly fds: FdTable;
  /** Set by `compromise`: from then on the generator issues attacker-chosen calls as this task. */
  readonly compromised: boolean;
}

export interface World {
  readonly semantics: Semantics;
  /** Landlock ABI the model runs at (1..LANDLOCK_ABI_MAX). */
  readonly abi: number;
  readonly fs: FsTree;
  /** Live tasks in creation order. Task references in ops index this list. A persistent list
   * (task/list.ts): read with at(i), never brackets. */
  readonly tasks: TaskList;
  /** Rulesets by id (ids are dense); a ruleset lives while an fd refers to it. */
  readonly rulesets: readonly Ruleset[];
  /** eBPF maps by id (ids are dense; variants with H1 maps only, model/maps/map.ts). */
  readonly maps: readonly BpfMap[];
  /** Socket files by id (ids are dense; a pair's ends are 2k and 2k+1: model/task/socket.ts). */
  readonly sockets: readonly SocketFile[];
  /**
   * The finite request universe. Only the modify call of variants with STRICTER layers reads it:
   * "the new content is no more permissive" is decided over these requests (a model decision:
   * inclusion of arbitrary BPF programs is undecidable).
   */
  readonly universe: Universe;
  readonly nextTid: number;
  readonly nextLayerId: number;
  readonly nextListenerId: number;
  /** The number the next joined session keyring gets (model/task/keyctl.ts). */
  readonly nextKeyring: number;
  /** Tracer links and tracers' declared seccomp-stop responses (model/ptrace/state.ts). */
  readonly ptrace: PtraceState;
  /**
   * User notifications left to the scenario's own supervisor (model/seccomp/notify.ts): null
   * (every scenario before a `notif_supervise` step) means a notified call is answered at once
   * by the harness, as the conformance executor does; otherwise the pending notifications.
   */
  readonly notifs: Notifications | null;
}

export interface WorldOptions {
  readonly semantics?: Semantics;
  readonly abi?: number;
  readonly fs?: FsTree;
  readonly universe?: Universe;
  /** The first task: root with CAP_SYS_ADMIN (effective) and no no_new_privs by default;
   * `capSysAdmin: false` clears the effective bit only, as the conformance executor does. */
  readonly nnp?: boolean;
  readonly capSysAdmin?: boolean;
}

/** First pid handed out; the initial task. */
export const INIT_TID = 100;
/** The process group the first task starts in: its leader (the executor's coordinator) is
 * outside the scenario, as the first task's parent is (ppid 1). */
export const OUTSIDE_PGID = 1;

export function initialWorld(opts: WorldOptions = {}): World {
  const first: Task = {
    tid: INIT_TID,
    tgid: INIT_TID,
    ppid: 1,
    nnp: opts.nnp ?? false,
    capSysAdmin: opts.capSysAdmin ?? true,
    capPermitted: true,
    seccompMode: 0,
    filter: null,
    filterCount: 0,
    domain: null,
    llLogSubdomainsOff: false,
    sessionKeyring: 0,
    cwd: '/',
    sigsys: 'handled',
    sigsysBlocked: false,
    pgid: OUTSIDE_PGID,
    pgSince: 0,
    forkNoExec: true,
    fds: [],
    compromised: false,
  };
  return {
    semantics: opts.semantics ?? LINUX_SEMANTICS,
    abi: opts.abi ?? LANDLOCK_ABI_MAX - 1,
    fs: opts.fs ?? defaultFsTree(),
    tasks: TaskList.of([first]),
    rulesets: [],
    maps: [],
    sockets: [],
    universe: opts.universe ?? defaultUniverse(),
    nextTid: INIT_TID + 1,
    nextLayerId: 1,
    nextListenerId: 1,
    nextKeyring: 1,
    ptrace: NO_PTRACE,
    notifs: null,
  };
}

export function taskByTid(world: World, tid: number): Task | undefined {
  return world.tasks.byTid(tid);
}

/**
 * `world` with another task list (and, for fork and clone, the next tid). Every field written
 * out, in World's order: world copies are the model's most frequent allocation, one per step
 * that changes a task, and this literal is measurably cheaper than worldWith's patch object
 * (with withTasks and childTask through worldWith/taskWith, a 30-op model run took ~10% longer).
 */
export function withTasks(world: World, tasks: TaskList, nextTid: number = world.nextTid): World {
  return {
    semantics: world.semantics,
    abi: world.abi,
    fs: world.fs,
    tasks,
    rulesets: world.rulesets,
    maps: world.maps,
    sockets: world.sockets,
    universe: world.universe,
    nextTid,
    nextLayerId: world.nextLayerId,
    nextListenerId: world.nextListenerId,
    nextKeyring: world.nextKeyring,
    ptrace: world.ptrace,
    notifs: world.notifs,
  };
}

/** What a world copy may change (semantics, ABI and universe are fixed for a run; the tree
 * changes only by a umount of one of its mounts, model/landlock/umount.ts). */
export interface WorldPatch {
  readonly fs?: FsTree;
  readonly tasks?: TaskList;
  readonly rulesets?: readonly Ruleset[];
  readonly maps?: readonly BpfMap[];
  readonly sockets?: readonly SocketFile[];
  readonly nextTid?: number;
  readonly nextLayerId?: number;
  readonly nextListenerId?: number;
  readonly nextKeyring?: number;
  readonly ptrace?: PtraceState;
  readonly notifs?: Notifications | null;
}

/** `world` with the fields of `p` replaced: every field written out in World's order (one object
 * shape for every world; a spread with overrides costs several times more). */
export function worldWith(world: World, p: WorldPatch): World {
  return {
    semantics: world.semantics,
    abi: world.abi,
    fs: p.fs !== undefined ? p.fs : world.fs,
    tasks: p.tasks !== undefined ? p.tasks : world.tasks,
    rulesets: p.rulesets !== undefined ? p.rulesets : world.rulesets,
    maps: p.maps !== undefined ? p.maps : world.maps,
    sockets: p.sockets !== undefined ? p.sockets : world.sockets,
    universe: world.universe,
    nextTid: p.nextTid !== undefined ? p.nextTid : world.nextTid,
    nextLayerId: p.nextLayerId !== undefined ? p.nextLayerId : world.nextLayerId,
    nextListenerId: p.nextListenerId !== undefined ? p.nextListenerId : world.nextListenerId,
    nextKeyring: p.nextKeyring !== undefined ? p.nextKeyring : world.nextKeyring,
    ptrace: p.ptrace !== undefined ? p.ptrace : world.ptrace,
    notifs: p.notifs !== undefined ? p.notifs : world.notifs,
  };
}

/** `t` with the fields of `p` replaced, every field written out in Task's order (as worldWith). */
export function taskWith(t: Task, p: Partial<Task>): Task {
  return {
    tid: p.tid !== undefined ? p.tid : t.tid,
    tgid: p.tgid !== undefined ? p.tgid : t.tgid,
    ppid: p.ppid !== undefined ? p.ppid : t.ppid,
    nnp: p.nnp !== undefined ? p.nnp : t.nnp,
    capSysAdmin: p.capSysAdmin !== undefined ? p.capSysAdmin : t.capSysAdmin,
    capPermitted: p.capPermitted !== undefined ? p.capPermitted : t.capPermitted,
    seccompMode: p.seccompMode !== undefined ? p.seccompMode : t.seccompMode,
    filter: p.filter !== undefined ? p.filter : t.filter,
    filterCount: p.filterCount !== undefined ? p.filterCount : t.filterCount,
    domain: p.domain !== undefined ? p.domain : t.domain,
    llLogSubdomainsOff: p.llLogSubdomainsOff !== undefined ? p.llLogSubdomainsOff : t.llLogSubdomainsOff,
    sessionKeyring: p.sessionKeyring !== undefined ? p.sessionKeyring : t.sessionKeyring,
    cwd: p.cwd !== undefined ? p.cwd : t.cwd,
    sigsys: p.sigsys !== undefined ? p.sigsys : t.sigsys,
    sigsysBlocked: p.sigsysBlocked !== undefined ? p.sigsysBlocked : t.sigsysBlocked,
    pgid: p.pgid !== undefined ? p.pgid : t.pgid,
    pgSince: p.pgSince !== undefined ? p.pgSince : t.pgSince,
    forkNoExec: p.forkNoExec !== undefined ? p.forkNoExec : t.forkNoExec,
    fds: p.fds !== undefined ? p.fds : t.fds,
    compromised: p.compromised !== undefined ? p.compromised : t.compromised,
  };
}

/** Replace one task (by tid) with `next`. */
export function replaceTask(world: World, next: Task): World {
  return withTasks(world, world.tasks.replace(next));
}

/** Apply `f` to every task of thread group `tgid`. */
export function mapGroup(world: World, tgid: number, f: (t: Task) => Task): World {
  return withTasks(world, world.tasks.mapGroup(tgid, f));
}

/** Set the shared fd table of a thread group (CLONE_FILES); `rulesets`, if given, in the same copy. */
export function setGroupFds(world: World, tgid: number, fds: FdTable, rulesets?: readonly Ruleset[]): World {
  const tasks = world.tasks.mapGroup(tgid, (t) => taskWith(t, { fds }));
  return worldWith(world, { tasks, rulesets });
}

/** Lowest free fd number at or above FIRST_FD (fs/file.c:alloc_fd). */
export function lowestFreeFd(fds: FdTable, first: number): number {
  let n = first;
  for (const e of fds) {
    if (e.fd === n) n++;
    else if (e.fd > n) break;
  }
  return n;
}

/** Insert an entry keeping the table sorted (replacing an entry with the same number). */
export function addFd(fds: FdTable, entry: FdEntry): FdTable {
  const out: FdEntry[] = [];
  let placed = false;
  for (let i = 0; i < fds.length; i++) {
    const e = fds[i]!;
    if (!placed && e.fd >= entry.fd) {
      out.push(entry);
      placed = true;
    }
    if (e.fd !== entry.fd) out.push(e);
  }
  if (!placed) out.push(entry);
  return out;
}
