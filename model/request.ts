// Requests a task can make: the inputs of a probe and the points of a request universe.
// Syscall requests go through seccomp (kernel/seccomp.c:__secure_computing); the others
// are Landlock-mediated operations, each of which is also a syscall that seccomp sees first.
import type { U64 } from './u64.js';

/** AUDIT_ARCH_X86_64 — the native arch of the modelled machine. */
export const AUDIT_ARCH_X86_64 = 0xc000003e;
/** AUDIT_ARCH_I386 — compat arch, useful to exercise arch checks in filters. */
export const AUDIT_ARCH_I386 = 0x40000003;

/**
 * A syscall as seccomp sees it (struct seccomp_data). The u64 values (ip, args) are exact
 * (model/u64.ts: numbers below 2^53, canonical hex strings above); seccomp_data splits them into
 * 32-bit words.
 */
export interface SyscallRequest {
  readonly kind: 'syscall';
  readonly nr: number;
  readonly arch: number;
  readonly ip: U64;
  readonly args: readonly [U64, U64, U64, U64, U64, U64];
}

/** Landlock file-system access rights by name (LANDLOCK_ACCESS_FS_*), lower-case. */
export type FsAccess =
  | 'execute' | 'write_file' | 'read_file' | 'read_dir' | 'remove_dir' | 'remove_file'
  | 'make_char' | 'make_dir' | 'make_reg' | 'make_sock' | 'make_fifo' | 'make_block'
  | 'make_sym' | 'refer' | 'truncate' | 'ioctl_dev';

/** An access to `path` in the model file system (open, mknod, unlink, truncate, ioctl…). */
export interface FsRequest {
  readonly kind: 'fs';
  readonly access: FsAccess;
  readonly path: string;
}

/**
 * rename(2) / link(2) of `from` into the directory `to`, or renameat2(RENAME_EXCHANGE) of the
 * entries `from` and `to` (security/landlock/fs.c:current_check_refer_path).
 */
export interface ReparentRequest {
  readonly kind: 'rename' | 'link' | 'exchange';
  readonly from: string;
  readonly to: string;
}

/**
 * A change of the mount tree, or a call near one (security/landlock/fs.c): `new` (the default)
 * mounts a tmpfs, `bind` bind-mounts a directory, `remount` makes a mount read-only,
 * `propagation` makes it shared, `move` moves it (MS_MOVE) — all mount(2), hook_sb_mount;
 * `umount` (umount2, hook_sb_umount); `pivot_root` (hook_sb_pivotroot); `move_mount`
 * (move_mount(2), hook_move_mount); `open_tree` (a detached clone, OPEN_TREE_CLONE) and
 * `mount_setattr` (read-only), which no Landlock hook sees. All on directories outside the
 * scenario's tree (model/landlock/mount.ts).
 */
export interface MountRequest {
  readonly kind: 'mount';
  readonly call?: MountCall;
}

export type MountCall = 'new' | 'bind' | 'remount' | 'propagation' | 'move' | 'umount' | 'pivot_root' | 'move_mount' | 'open_tree' | 'mount_setattr';

/**
 * bind/connect on a loopback port (security/landlock/net.c): TCP by default, or UDP; over IPv4
 * (127.0.0.1, the default) or IPv6 (::1).
 */
export interface NetRequest {
  readonly kind: 'net';
  readonly op: 'bind' | 'connect';
  readonly port: number;
  readonly family?: 4 | 6;
  readonly proto?: 'tcp' | 'udp';
}

/** Task-to-task requests; `target` is a task reference resolved like an op's `task`. */
export interface TaskRequest {
  readonly kind: 'signal' | 'abstract_unix' | 'ptrace';
  readonly target: number;
  /** abstract_unix only: a stream socket's connect (the default) or a datagram's sendto. */
  readonly type?: 'stream' | 'dgram';
  /**
   * abstract_unix (stream) only: connect to the target's `listener`-th listening socket (made
   * earlier by `unix_listen`, perhaps by another task, and passed on), whose file's creator
   * decides (model/task/socket.ts); absent, the target makes a listener at the request.
   */
  readonly listener?: number;
}

/**
 * send(2) of one out-of-band byte (MSG_OOB) on the unix stream socket end at the task's `fd`-th
 * socket descriptor: the other end's owner (F_SETOWN, op `fown_set`) is sent SIGURG, which
 * Landlock's signal scope may silently drop (hook_file_send_sigiotask: by the domain recorded at
 * F_SETOWN time, model/task/socket.ts). The outcome is the delivery's: allowed, or EPERM when
 * the hook drops it; the send itself succeeds either way.
 */
export interface SigurgRequest {
  readonly kind: 'sigurg';
  readonly fd: number;
  /**
   * The task whose delivery is the outcome (model/landlock/fown.ts): its process for a process
   * or group owner, the task itself for a thread owner. ESRCH when the send does not address it
   * (not the owner, not in the owner group, or no owner); absent, the owner itself (a group
   * owner needs one: `invalid` without).
   */
  readonly to?: number;
}

/**
 * open(2) O_RDONLY of a file of procfs, outside the scenario's tree: `/proc/<target's tid>/<file>`
 * (`ns` is `ns/mnt`). Which checks meet it depends on the file (model/landlock/procfs.ts): the
 * Landlock fs check of the opened path (hook_file_open; no rule is ever on procfs), the ptrace
 * check of the target (Landlock's hook_ptrace_access_check through ptrace_may_access), both, or
 * neither.
 */
export interface ProcRequest {
  readonly kind: 'proc';
  readonly target: number;
  readonly file: ProcFile;
}

export type ProcFile = 'status' | 'environ' | 'mem' | 'ns';

export type LandlockRequest = FsRequest | ReparentRequest | MountRequest | NetRequest | TaskRequest | SigurgRequest | ProcRequest;

/** A request made towards another task, named by a task reference (`target`). */
export type TargetedRequest = TaskRequest | ProcRequest;

export function isTargeted(r: Request): r is TargetedRequest {
  return r.kind === 'signal' || r.kind === 'abstract_unix' || r.kind === 'ptrace' || r.kind === 'proc';
}
export type Request = SyscallRequest | LandlockRequest;

export function syscall(nr: number, args: readonly U64[] = [], arch = AUDIT_ARCH_X86_64, ip: U64 = 0): SyscallRequest {
  const a = [0, 0, 0, 0, 0, 0].map((z, i): U64 => args[i] ?? z) as unknown as SyscallRequest['args'];
  return { kind: 'syscall', nr, arch, ip, args: a };
}
