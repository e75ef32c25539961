// The syscall a request is made with, as seccomp sees it before any Landlock hook runs
// (kernel/entry/common.c: syscall entry → __secure_computing, then the syscall body and its LSM
// hooks). Pointer arguments are unknowable across runs, so a Landlock request's syscall is
// modelled with zero arguments: filters that should decide Landlock-mediated calls match on the
// syscall number (and arch) only. This is a documented model decision.
import type { Request, SyscallRequest, LandlockRequest, FsAccess } from './request.js';
import { syscall } from './request.js';
import { MOUNT_CALL_NR, mountCall } from './landlock/mount.js';

/** x86_64 syscall numbers the conformance executor uses for each fs access (see landlock/fs.ts). */
const FS_SYSCALL: Readonly<Record<FsAccess, number>> = {
  execute: 59, // execve
  write_file: 257, // openat
  read_file: 257,
  read_dir: 257,
  truncate: 76, // truncate
  ioctl_dev: 257, // openat, then ioctl(16)
  make_dir: 258, // mkdirat
  make_reg: 259, // mknodat
  make_char: 259,
  make_block: 259,
  make_fifo: 259,
  make_sock: 259,
  make_sym: 266, // symlinkat
  remove_file: 263, // unlinkat
  remove_dir: 263,
  refer: 257,
};

/** The syscall request seccomp evaluates for `req`. */
export function requestSyscall(req: Request): SyscallRequest {
  if (req.kind === 'syscall') return req;
  return syscall(landlockSyscallNr(req));
}

export function landlockSyscallNr(req: LandlockRequest): number {
  switch (req.kind) {
    case 'fs': return FS_SYSCALL[req.access] ?? 257;
    case 'rename': return 316; // renameat2
    case 'exchange': return 316; // renameat2(RENAME_EXCHANGE)
    case 'link': return 265; // linkat
    case 'mount': return MOUNT_CALL_NR[mountCall(req)];
    case 'net': return req.op === 'bind' ? 49 : 42; // bind / connect
    case 'signal': return 62; // kill
    // connect; a datagram is sendto(2) (conformance/native/probe.c; found by strata conform)
    case 'abstract_unix': return req.type === 'dgram' ? 44 : 42;
    case 'ptrace': return 101; // ptrace
    case 'sigurg': return 44; // sendto(MSG_OOB)
    case 'proc': return 257; // openat
  }
}
