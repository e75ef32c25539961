// The operations of a scenario (the "script" half of a trace). Every task reference is an
// index into the tasks alive at that point, taken modulo their number, so that any shrunk
// sequence stays meaningful; fd references are indices into the acting task's table.
import type { Request } from './request.js';
import type { TraceResponse } from './ptrace/state.js';
import type { U64 } from './u64.js';

/** One classic BPF instruction (struct sock_filter): [code, jt, jf, k]. */
export type Insn = readonly [code: number, jt: number, jf: number, k: number];

/** Mutability chosen when a layer is created (Lutomirski 2017; layering-designs §3b). */
export type Mutability = 'immutable' | 'stricter' | 'any';

/** seccomp(2) SECCOMP_FILTER_FLAG_* bits (include/uapi/linux/seccomp.h). */
export const SECCOMP_FILTER_FLAG = {
  TSYNC: 1 << 0,
  LOG: 1 << 1,
  SPEC_ALLOW: 1 << 2,
  NEW_LISTENER: 1 << 3,
  TSYNC_ESRCH: 1 << 4,
  WAIT_KILLABLE_RECV: 1 << 5,
} as const;

/** landlock_restrict_self(2) flags (include/uapi/linux/landlock.h). */
export const LANDLOCK_RESTRICT_SELF = {
  LOG_SAME_EXEC_OFF: 1 << 0,
  LOG_NEW_EXEC_ON: 1 << 1,
  LOG_SUBDOMAINS_OFF: 1 << 2,
  TSYNC: 1 << 3,
} as const;

/** A rule's `access` (and a port) are __u64 in the uapi: exact (model/u64.ts). */
export type LandlockRule =
  | { readonly type: 'path_beneath'; readonly path: string; readonly access: U64 }
  | { readonly type: 'net_port'; readonly port: U64; readonly access: U64 };

interface OnTask {
  readonly task: number;
  /** Optional absolute pin: if present the op acts as the live task with this tid (invalid if
   * none). Used for replays of traces and for counterfactual runs (non-interference). */
  readonly tid?: number;
}

export type Op =
  /** fork(2): a new process sharing nothing but inherited state (kernel/fork.c:copy_process). */
  | ({ readonly op: 'fork' } & OnTask)
  /** clone(CLONE_THREAD|CLONE_VM|CLONE_FILES|…): a new task in the caller's thread group. */
  | ({ readonly op: 'thread' } & OnTask)
  /** execve(2) of the helper binary (fs/exec.c: de_thread, close-on-exec). */
  | ({ readonly op: 'exec' } & OnTask)
  /** exit(2) of this one task. */
  | ({ readonly op: 'exit' } & OnTask)
  /** prctl(PR_SET_NO_NEW_PRIVS, 1). */
  | ({ readonly op: 'set_nnp' } & OnTask)
  /** capset(2) dropping CAP_SYS_ADMIN from the effective set. */
  | ({ readonly op: 'drop_cap' } & OnTask)
  /** From here on the task is attacker-controlled. Changes no kernel state. */
  | ({ readonly op: 'compromise' } & OnTask)
  /** seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL). */
  | ({ readonly op: 'seccomp_strict' } & OnTask)
  /** seccomp(SECCOMP_SET_MODE_FILTER, flags, prog). `mutability`/`export` exist only in variants that have them. */
  | ({
      readonly op: 'seccomp_filter';
      readonly flags: number;
      readonly program: readonly Insn[];
      readonly mutability?: Mutability;
      readonly export?: boolean;
      /**
       * H1 maps (layering-designs §3a; variants with `seccompMaps` only, EINVAL elsewhere): the
       * task's `map`-th fd names an eBPF map the program's rule reads — "deny (EPERM) unless the
       * call's number is in the map" (model/maps/rule.ts).
       */
      readonly map?: number;
      /** Human-readable source of the program (policy text); not interpreted. */
      readonly source?: string;
    } & OnTask)
  /** landlock_create_ruleset(2). `supervisor` only in the mutable-domains variant. */
  | ({
      readonly op: 'ruleset_create';
      /** struct landlock_ruleset_attr's __u64 handled_access_fs, handled_access_net, scoped. */
      readonly fs: U64;
      readonly net: U64;
      readonly scoped: U64;
      /**
       * The call's flags (LANDLOCK_CREATE_RULESET_VERSION 1, _ERRATA 2). With flags the attr is
       * NULL and its size 0 when fs, net and scoped are all 0, else the struct is passed.
       */
      readonly flags?: number;
      readonly supervisor?: boolean;
    } & OnTask)
  /** The mutable-domains RFC's ioctl: a supervisee ruleset fd from a supervisor ruleset fd. */
  | ({ readonly op: 'ruleset_supervisee'; readonly ruleset: number } & OnTask)
  /**
   * landlock_add_rule(2) on the task's `ruleset`-th ruleset fd (EBADF if it has none). `anyFd`:
   * `ruleset` indexes the task's whole descriptor table instead, so a descriptor that is not a
   * ruleset (a listener, a map, a layer handle) can be passed: EBADFD.
   */
  | ({ readonly op: 'ruleset_add_rule'; readonly ruleset: number; readonly anyFd?: boolean; readonly rule: LandlockRule; readonly commit?: boolean } & OnTask)
  /** landlock_restrict_self(2); `ruleset` null means fd −1; `anyFd` as ruleset_add_rule's. */
  | ({
      readonly op: 'restrict_self';
      readonly ruleset: number | null;
      readonly anyFd?: boolean;
      readonly flags: number;
      readonly mutability?: Mutability;
      readonly export?: boolean;
    } & OnTask)
  /** SCM_RIGHTS: a copy of the task's `fd`-th descriptor appears in `to`'s table. */
  | ({ readonly op: 'send_fd'; readonly fd: number; readonly to: number } & OnTask)
  /** close(2) of the task's `fd`-th descriptor. */
  | ({ readonly op: 'close_fd'; readonly fd: number } & OnTask)
  /**
   * Replace the content of an existing layer (variants with a modify call only).
   * `layer` indexes the task's own stack (0 = newest) unless `handle` names an fd index
   * holding an explicitly granted layer handle. The new content is a seccomp program or a
   * snapshot of a ruleset fd, according to the layer's kind.
   */
  | ({
      readonly op: 'modify';
      readonly layer: number;
      readonly handle?: number;
      readonly program?: readonly Insn[];
      readonly ruleset?: number;
    } & OnTask)
  /** bpf(BPF_MAP_CREATE): a new eBPF map of syscall numbers and an O_CLOEXEC fd on it (H1 maps only). */
  | ({ readonly op: 'map_create' } & OnTask)
  /** bpf(BPF_MAP_UPDATE_ELEM): put syscall number `key` in the map behind the task's `map`-th fd (H1 maps only). */
  | ({ readonly op: 'map_put'; readonly map: number; readonly key: number } & OnTask)
  /** Make `request` as the task and observe the outcome. May kill (KILL_*, strict mode). */
  | ({ readonly op: 'probe'; readonly request: Request } & OnTask)
  /** Read the task's state as user space can see it (/proc status, Landlock layer count). */
  | ({ readonly op: 'observe' } & OnTask)
  /**
   * PTRACE_ATTACH (`seize` false; the tracer waits for the attach stop and continues the tracee)
   * or PTRACE_SEIZE with `options` (PTRACE_O_*) of task `target` (model/ptrace/attach.ts).
   */
  | ({ readonly op: 'ptrace_attach'; readonly target: number; readonly seize: boolean; readonly options: number } & OnTask)
  /** PTRACE_TRACEME: the task's real parent becomes its tracer (model/ptrace/attach.ts). */
  | ({ readonly op: 'ptrace_traceme' } & OnTask)
  /** PTRACE_SETOPTIONS on the task's tracee `target` (stopped for it, then continued). */
  | ({ readonly op: 'ptrace_setoptions'; readonly target: number; readonly options: number } & OnTask)
  /** The tracer's declared behaviour at its tracees' seccomp stops from now on. No syscall. */
  | ({ readonly op: 'ptrace_response'; readonly response: TraceResponse } & OnTask)
  /**
   * PTRACE_SECCOMP_GET_FILTER (`metadata` false: the result is the program's length) or
   * PTRACE_SECCOMP_GET_METADATA (size 16: the result is the `flags` field) of filter `index`
   * (0 = oldest) of the task's tracee `target`, stopped for it (model/ptrace/get-filter.ts).
   */
  | ({ readonly op: 'ptrace_get_filter'; readonly target: number; readonly index: number; readonly metadata: boolean } & OnTask)
  // The seccomp user-notification supervisor protocol (model/seccomp/notify.ts; delegation.md
  // U1–U39). `fd` indexes the acting task's table; `target` is a task reference naming the
  // notification by the thread blocked in it (the id the supervisor learnt by RECV).
  /** From here on notifications wait for the scenario's supervisor (no kernel effect). */
  | ({ readonly op: 'notif_supervise' } & OnTask)
  /** ioctl(SECCOMP_IOCTL_NOTIF_RECV): the oldest queued notification; returns its pid. */
  | ({ readonly op: 'notif_recv'; readonly fd: number } & OnTask)
  /** ioctl(SECCOMP_IOCTL_NOTIF_SEND): {id, val, error, flags} (flags 1 = FLAG_CONTINUE). */
  | ({ readonly op: 'notif_send'; readonly fd: number; readonly target: number; readonly val: number; readonly error: number; readonly flags: number } & OnTask)
  /** ioctl(SECCOMP_IOCTL_NOTIF_ID_VALID). */
  | ({ readonly op: 'notif_id_valid'; readonly fd: number; readonly target: number } & OnTask)
  /** ioctl(SECCOMP_IOCTL_NOTIF_ADDFD): the task's `src`-th descriptor into the target;
   * `flags` 1 = SETFD (not generated), 2 = SEND; `cloexec` is newfd_flags O_CLOEXEC. */
  | ({ readonly op: 'notif_addfd'; readonly fd: number; readonly target: number; readonly src: number; readonly flags: number; readonly cloexec: boolean } & OnTask)
  /** ioctl(SECCOMP_IOCTL_NOTIF_SET_FLAGS), the flag by value (1 = SYNC_WAKE_UP). */
  | ({ readonly op: 'notif_set_flags'; readonly fd: number; readonly flags: number } & OnTask)
  /** seccomp(SECCOMP_GET_NOTIF_SIZES): returns notif·10⁶ + resp·10³ + data. */
  | ({ readonly op: 'notif_sizes' } & OnTask)
  /** poll(2) on the descriptor for POLLIN|POLLOUT: returns revents. */
  | ({ readonly op: 'notif_poll'; readonly fd: number } & OnTask)
  /** The task's notified call has returned: what it returned (no syscall of its own). */
  | ({ readonly op: 'notif_return' } & OnTask)
  /** seccomp(SECCOMP_GET_ACTION_AVAIL, flags, &action): 0 if this kernel knows the action
   * (model/seccomp/action-avail.ts). Both are u32s. */
  | ({ readonly op: 'seccomp_action_avail'; readonly action: number; readonly flags: number } & OnTask)
  /** read(2) / write(2) of one byte, lseek(2) (SEEK_CUR), ioctl(FIONREAD) or open(2) of
   * /proc/self/fd/<fd> on the task's `fd`-th descriptor (model/task/fd-call.ts: what a ruleset's
   * or a listener's file answers, M2). */
  | ({ readonly op: 'fd_call'; readonly fd: number; readonly call: 'read' | 'write' | 'lseek' | 'fionread' | 'reopen' } & OnTask)
  /** keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL) or keyctl(KEYCTL_SESSION_TO_PARENT)
   * (model/task/keyctl.ts: a new session keyring; the caller's onto its real parent). */
  | ({ readonly op: 'keyctl'; readonly call: 'join_session' | 'session_to_parent' } & OnTask)
  /** socketpair(AF_UNIX, SOCK_STREAM, 0): two connected ends at the lowest free numbers
   * (model/task/socket.ts); returns the first. */
  | ({ readonly op: 'socketpair' } & OnTask)
  /** fcntl(F_SETOWN) on the task's `fd`-th socket descriptor, naming as the owner that SIGURG
   * goes to the `target` task's process (`owner` absent or `process`: F_SETOWN with its pid),
   * the target thread itself (`thread`: F_SETOWN_EX with F_OWNER_TID) or the target's process
   * group (`group`: F_SETOWN with minus its pgid) (model/task/socket.ts: hook_file_set_fowner
   * records the caller's Landlock domain with it). */
  | ({ readonly op: 'fown_set'; readonly fd: number; readonly target: number; readonly owner?: FownType } & OnTask)
  /** setpgid(pid, pgid) (model/task/pgrp.ts): `pid` absent is 0 (the caller's process), else the
   * tid of that task (a thread that is no leader: EINVAL); `pgid` absent is 0 (the pid's own
   * value: a new group), else the process group id of that task's process. */
  | ({ readonly op: 'setpgid'; readonly pid?: number; readonly pgid?: number } & OnTask)
  /** socket(AF_UNIX, SOCK_STREAM), bind(2) to an abstract name, listen(2): a listener at the
   * lowest free number whose file keeps the caller's domain (model/task/socket.ts). */
  | ({ readonly op: 'unix_listen' } & OnTask)
  /** chdir(2) to `path`, absolute in the model tree or relative to the task's working directory
   * (model/task/cwd.ts); the threads of the group share it. */
  | ({ readonly op: 'chdir'; readonly path: string } & OnTask)
  /** umount2(path, 0) of a mount of the scenario's tree (model/landlock/umount.ts). */
  | ({ readonly op: 'umount'; readonly path: string } & OnTask)
  /** SIGSYS's action (ignore, default, handle: the process's) or mask (block, unblock: the
   * thread's), which decide whether a RET_TRAP traps or kills (model/task/sigsys.ts). */
  | ({ readonly op: 'sigsys'; readonly action: SigsysOpAction } & OnTask);

/** Whom fown_set names as the owner (fs/fcntl.c: PIDTYPE_TGID, PIDTYPE_PID, PIDTYPE_PGID). */
export type FownType = 'process' | 'thread' | 'group';
export const FOWN_TYPES: readonly FownType[] = ['process', 'thread', 'group'];

export type SigsysOpAction = 'ignore' | 'default' | 'handle' | 'block' | 'unblock';
export const SIGSYS_ACTIONS: readonly SigsysOpAction[] = ['ignore', 'default', 'handle', 'block', 'unblock'];

export type OpName = Op['op'];

/** The supervisor protocol's ops (model/seccomp/notify.ts). */
export const NOTIF_OP_NAMES = [
  'notif_supervise', 'notif_recv', 'notif_send', 'notif_id_valid', 'notif_addfd', 'notif_set_flags',
  'notif_sizes', 'notif_poll', 'notif_return',
] as const satisfies readonly OpName[];

export const OP_NAMES: readonly OpName[] = [
  'fork', 'thread', 'exec', 'exit', 'set_nnp', 'drop_cap', 'compromise', 'seccomp_strict',
  'seccomp_filter', 'ruleset_create', 'ruleset_supervisee', 'ruleset_add_rule', 'restrict_self',
  'send_fd', 'close_fd', 'modify', 'map_create', 'map_put', 'probe', 'observe',
  'ptrace_attach', 'ptrace_traceme', 'ptrace_setoptions', 'ptrace_response', 'ptrace_get_filter',
  ...NOTIF_OP_NAMES,
  'seccomp_action_avail', 'fd_call', 'keyctl', 'socketpair', 'fown_set', 'unix_listen', 'chdir',
  'umount', 'sigsys', 'setpgid',
];
