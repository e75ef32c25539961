// The request universe: a finite, configurable set of requests over which decision tables are
// computed. Task-relative requests (signal, abstract_unix, ptrace) are probed, not tabled.
import type { SyscallRequest, FsRequest, ReparentRequest, MountRequest, NetRequest } from './request.js';
import { syscall, AUDIT_ARCH_I386 } from './request.js';

export type TabledLandlockRequest = FsRequest | ReparentRequest | MountRequest | NetRequest;

export interface Universe {
  readonly syscalls: readonly SyscallRequest[];
  readonly landlock: readonly TabledLandlockRequest[];
}

/**
 * Syscall numbers of the default universe (x86_64): getpid, getuid, getgid, geteuid, getppid,
 * uname, getpriority, and i386 getpid (20, via int 0x80). Side-effect-free calls that the conformance executor's own command loop
 * never makes, so a filter may decide them freely without breaking the executor.
 */
export const DEFAULT_SYSCALL_NRS = [39, 102, 104, 107, 110, 63, 140] as const;

let DEFAULT: Universe | undefined;

/** The default universe: one shared, frozen value, so per-universe table caches are reused. */
export function defaultUniverse(): Universe {
  return (DEFAULT ??= freezeUniverse(buildDefaultUniverse()));
}

function freezeUniverse(u: Universe): Universe {
  for (const r of u.syscalls) Object.freeze(r.args), Object.freeze(r);
  for (const r of u.landlock) Object.freeze(r);
  Object.freeze(u.syscalls);
  Object.freeze(u.landlock);
  return Object.freeze(u);
}

function buildDefaultUniverse(): Universe {
  const syscalls: SyscallRequest[] = DEFAULT_SYSCALL_NRS.map((nr) => syscall(nr));
  syscalls.push(syscall(20, [], AUDIT_ARCH_I386), syscall(39, [1]), syscall(39, [2]));
  const landlock: TabledLandlockRequest[] = [
    { kind: 'fs', access: 'read_file', path: '/a/f' },
    { kind: 'fs', access: 'write_file', path: '/a/f' },
    { kind: 'fs', access: 'read_file', path: '/b/f' },
    { kind: 'fs', access: 'write_file', path: '/b/f' },
    { kind: 'fs', access: 'read_dir', path: '/a' },
    { kind: 'fs', access: 'read_file', path: '/a/s/g' },
    { kind: 'fs', access: 'make_reg', path: '/c' },
    { kind: 'fs', access: 'truncate', path: '/c/f' },
    { kind: 'rename', from: '/a/f', to: '/b' },
    { kind: 'exchange', from: '/a/f', to: '/b/f' },
    { kind: 'net', op: 'bind', port: 8080 },
    { kind: 'net', op: 'connect', port: 8080 },
  ];
  return { syscalls, landlock };
}

let MOUNTS: Universe | undefined;

/**
 * The universe for the tree with mounts (landlock/fstree.ts:mountsFsTree): the default one, and
 * the same files and directories seen through the bind mount on /c/m and the detached copy of /a
 * named /d, with a rename inside each mount and one between mounts (EXDEV).
 */
export function mountsUniverse(): Universe {
  return (MOUNTS ??= freezeUniverse(buildMountsUniverse()));
}

function buildMountsUniverse(): Universe {
  const base = buildDefaultUniverse();
  const landlock: TabledLandlockRequest[] = [
    ...base.landlock,
    { kind: 'fs', access: 'read_file', path: '/c/m/g' },
    { kind: 'fs', access: 'write_file', path: '/c/m/g' },
    { kind: 'fs', access: 'read_dir', path: '/c/m' },
    { kind: 'fs', access: 'make_reg', path: '/c/m' },
    { kind: 'fs', access: 'read_file', path: '/d/f' },
    { kind: 'fs', access: 'write_file', path: '/d/f' },
    { kind: 'fs', access: 'read_file', path: '/d/s/g' },
    { kind: 'fs', access: 'read_dir', path: '/d' },
    { kind: 'rename', from: '/d/f', to: '/d/s' },
    { kind: 'rename', from: '/c/m/g', to: '/b' },
  ];
  return { syscalls: base.syscalls, landlock };
}
