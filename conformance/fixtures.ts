// Shorthands for the conformance tests: ops, classic BPF programs and uapi constants, written
// from the kernel's uapi headers (not from the model) so that the tests pin kernel values.
import type { U64 } from '../model/u64.js';
import type { Op, Insn } from '../model/ops.js';
import type { Request } from '../model/request.js';
import { syscall, AUDIT_ARCH_X86_64 } from '../model/request.js';

/** SECCOMP_RET_* (include/uapi/linux/seccomp.h). */
export const RET = {
  KILL_PROCESS: 0x80000000,
  KILL_THREAD: 0x00000000,
  TRAP: 0x00030000,
  ERRNO: 0x00050000,
  USER_NOTIF: 0x7fc00000,
  TRACE: 0x7ff00000,
  LOG: 0x7ffc0000,
  ALLOW: 0x7fff0000,
} as const;

/** x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
export const NR = {
  write: 1, close: 3, rt_sigreturn: 15, pause: 34, getpid: 39, exit: 60, uname: 63, getuid: 102,
  getgid: 104, geteuid: 107, getppid: 110, setsid: 112, getpriority: 140, prctl: 157, exit_group: 231,
  seccomp: 317, rseq: 334, uretprobe: 335, uprobe: 336, read: 0, sendmsg: 46, recvmsg: 47, kill: 62,
} as const;

/** LANDLOCK_ACCESS_FS_*, LANDLOCK_ACCESS_NET_*, LANDLOCK_SCOPE_* (include/uapi/linux/landlock.h). */
export const FS = {
  EXECUTE: 1 << 0, WRITE_FILE: 1 << 1, READ_FILE: 1 << 2, READ_DIR: 1 << 3, REMOVE_DIR: 1 << 4,
  REMOVE_FILE: 1 << 5, MAKE_CHAR: 1 << 6, MAKE_DIR: 1 << 7, MAKE_REG: 1 << 8, MAKE_SOCK: 1 << 9,
  MAKE_FIFO: 1 << 10, MAKE_BLOCK: 1 << 11, MAKE_SYM: 1 << 12, REFER: 1 << 13, TRUNCATE: 1 << 14,
  IOCTL_DEV: 1 << 15,
} as const;
export const NET = { BIND_TCP: 1, CONNECT_TCP: 2 } as const;
export const SCOPE = { ABSTRACT_UNIX: 1, SIGNAL: 2 } as const;

/** errno values (x86_64). */
export const E = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, ENXIO: 6, E2BIG: 7, EBADF: 9, EPIPE: 32, EBADFD: 77, ENOMEM: 12, EACCES: 13, EBUSY: 16,
  EXDEV: 18, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENOTEMPTY: 39, ENOTTY: 25, ESPIPE: 29, ENOSYS: 38, ENOMSG: 42, ENOEXEC: 8, EFAULT: 14, ECONNREFUSED: 111,
  ECANCELED: 125,
} as const;

// ---- classic BPF ----
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const RET_K = 0x06;

export function ret(k: number): Insn[] {
  return [[RET_K, 0, 0, k >>> 0]];
}

/** `action` for syscall `nr`, `otherwise` for the rest. */
export function onNr(nr: number, action: number, otherwise: number = RET.ALLOW): Insn[] {
  return [[LD_W_ABS, 0, 0, 0], [JEQ_K, 0, 1, nr], [RET_K, 0, 0, action >>> 0], [RET_K, 0, 0, otherwise >>> 0]];
}

/** `action` for every call of architecture `arch` (seccomp_data.arch at offset 4). */
export function onArch(arch: number, action: number): Insn[] {
  return [[LD_W_ABS, 0, 0, 4], [JEQ_K, 0, 1, arch >>> 0], [RET_K, 0, 0, action >>> 0], [RET_K, 0, 0, RET.ALLOW]];
}

/** ALLOW for the listed syscalls, `action` for every other. */
export function allowOnly(nrs: readonly number[], action: number): Insn[] {
  const prog: Insn[] = [[LD_W_ABS, 0, 0, 0]];
  nrs.forEach((nr, k) => prog.push([JEQ_K, nrs.length - k, 0, nr]));
  prog.push([RET_K, 0, 0, action >>> 0], [RET_K, 0, 0, RET.ALLOW]);
  return prog;
}

/** The calls a task's command loop makes between ops (conformance/native/task.c): a filter
 * that denies everything else leaves the executor working. */
export const PLUMBING = [NR.read, NR.write, NR.recvmsg, NR.sendmsg, NR.exit, NR.exit_group, NR.rt_sigreturn, NR.close];

// ---- ops ----
export const fork = (task = 0): Op => ({ op: 'fork', task });
export const thread = (task = 0): Op => ({ op: 'thread', task });
export const exec = (task = 0): Op => ({ op: 'exec', task });
export const exit = (task = 0): Op => ({ op: 'exit', task });
export const setNnp = (task = 0): Op => ({ op: 'set_nnp', task });
export const dropCap = (task = 0): Op => ({ op: 'drop_cap', task });
export const strict = (task = 0): Op => ({ op: 'seccomp_strict', task });
export const observe = (task = 0): Op => ({ op: 'observe', task });
export const filter = (task: number, program: readonly Insn[], flags = 0): Op => ({ op: 'seccomp_filter', task, flags, program });
export const ruleset = (task: number, fs: U64, net: U64 = 0, scoped: U64 = 0): Op => ({ op: 'ruleset_create', task, fs, net, scoped });
export const rulePath = (task: number, rs: number, path: string, access: U64): Op => ({
  op: 'ruleset_add_rule', task, ruleset: rs, rule: { type: 'path_beneath', path, access },
});
export const rulePort = (task: number, rs: number, port: U64, access: U64): Op => ({
  op: 'ruleset_add_rule', task, ruleset: rs, rule: { type: 'net_port', port, access },
});
export const restrict = (task: number, rs: number | null = 0, flags = 0): Op => ({ op: 'restrict_self', task, ruleset: rs, flags });
export const sendFd = (task: number, fd: number, to: number): Op => ({ op: 'send_fd', task, fd, to });
export const closeFd = (task: number, fd: number): Op => ({ op: 'close_fd', task, fd });
export const probe = (task: number, request: Request): Op => ({ op: 'probe', task, request });
export const sys = (task: number, nr: number, args: readonly U64[] = [], arch = AUDIT_ARCH_X86_64): Op =>
  probe(task, syscall(nr, args, arch));
/** One MAKE_BLOCK-only layer (handles a right nothing here uses). */
export const layer = (task = 0): Op[] => [ruleset(task, FS.MAKE_BLOCK), restrict(task, -1)];
