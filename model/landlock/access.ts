// Landlock access rights, scopes and rule types as bits (include/uapi/linux/landlock.h), and
// the masks the kernel derives from them (security/landlock/access.h, fs.c:ACCESS_FILE).
import { isU64, u64HasBitsOutside32, type U64 } from '../u64.js';
import type { FsAccess } from '../request.js';

/** LANDLOCK_ACCESS_FS_* (bit n of handled_access_fs / allowed_access). */
export const FS = {
  EXECUTE: 1 << 0,
  WRITE_FILE: 1 << 1,
  READ_FILE: 1 << 2,
  READ_DIR: 1 << 3,
  REMOVE_DIR: 1 << 4,
  REMOVE_FILE: 1 << 5,
  MAKE_CHAR: 1 << 6,
  MAKE_DIR: 1 << 7,
  MAKE_REG: 1 << 8,
  MAKE_SOCK: 1 << 9,
  MAKE_FIFO: 1 << 10,
  MAKE_BLOCK: 1 << 11,
  MAKE_SYM: 1 << 12,
  /** ABI 2. */
  REFER: 1 << 13,
  /** ABI 3. */
  TRUNCATE: 1 << 14,
  /** ABI 5. */
  IOCTL_DEV: 1 << 15,
  /** ABI 9 (Linux 7.1): unknown to this model's syscalls, listed for reference only. */
  RESOLVE_UNIX: 1 << 16,
} as const;

/** LANDLOCK_ACCESS_NET_* (ABI 4). */
export const NET = {
  BIND_TCP: 1 << 0,
  CONNECT_TCP: 1 << 1,
} as const;

/** LANDLOCK_SCOPE_* (ABI 6). */
export const SCOPE = {
  ABSTRACT_UNIX_SOCKET: 1 << 0,
  SIGNAL: 1 << 1,
} as const;

/** enum landlock_rule_type. */
export const RULE_TYPE = {
  PATH_BENEATH: 1,
  /** ABI 4. */
  NET_PORT: 2,
} as const;

/** landlock_create_ruleset(2) flags. */
export const CREATE_RULESET = {
  VERSION: 1 << 0,
  ERRATA: 1 << 1,
} as const;

/** All fs rights the model knows (ABI ≤ 8: bits 0..15). */
export const FS_ALL = (FS.IOCTL_DEV << 1) - 1;
/** All net rights the model knows. */
export const NET_ALL = (NET.CONNECT_TCP << 1) - 1;

/**
 * Rights that make sense on a non-directory (fs.c:ACCESS_FILE, 6.10+): a rule on a file may
 * carry only these (landlock_append_fs_rule), and no_more_access() compares only these for a
 * file being reparented. RESOLVE_UNIX joins at ABI 9.
 */
export const ACCESS_FILE = FS.EXECUTE | FS.WRITE_FILE | FS.READ_FILE | FS.TRUNCATE | FS.IOCTL_DEV;

/**
 * Rights denied whether handled or not (access.h:_LANDLOCK_ACCESS_FS_INITIALLY_DENIED):
 * ruleset.h:landlock_get_fs_access_mask ORs them into *every* layer's fs mask, so once a domain
 * has an fs-handling layer, every layer (even a net-only one) counts as handling REFER.
 */
export const FS_INITIALLY_DENIED = FS.REFER;

/** All MAKE_* rights. */
export const FS_MAKE_ANY =
  FS.MAKE_CHAR | FS.MAKE_DIR | FS.MAKE_REG | FS.MAKE_SOCK | FS.MAKE_FIFO | FS.MAKE_BLOCK | FS.MAKE_SYM;

/** Request name (request.ts:FsAccess) → right bit. */
export const FS_BY_NAME: Readonly<Record<FsAccess, number>> = {
  execute: FS.EXECUTE,
  write_file: FS.WRITE_FILE,
  read_file: FS.READ_FILE,
  read_dir: FS.READ_DIR,
  remove_dir: FS.REMOVE_DIR,
  remove_file: FS.REMOVE_FILE,
  make_char: FS.MAKE_CHAR,
  make_dir: FS.MAKE_DIR,
  make_reg: FS.MAKE_REG,
  make_sock: FS.MAKE_SOCK,
  make_fifo: FS.MAKE_FIFO,
  make_block: FS.MAKE_BLOCK,
  make_sym: FS.MAKE_SYM,
  refer: FS.REFER,
  truncate: FS.TRUNCATE,
  ioctl_dev: FS.IOCTL_DEV,
};

const FS_NAMES = Object.keys(FS_BY_NAME) as FsAccess[];

/** Names of the fs rights in `mask`, lowest bit first (for reports and test names). */
export function fsRightNames(mask: number): FsAccess[] {
  return FS_NAMES.filter((n) => (mask & FS_BY_NAME[n]) !== 0);
}

/**
 * Whether `value` (a u64 from user space: model/u64.ts) has a bit outside `mask`, a mask below
 * 2^32 (the kernel's `(value | MASK) != MASK`). Non-integers and negatives count as having one.
 */
export function hasBitsOutside(value: U64, mask: number): boolean {
  if (!isU64(value)) return true;
  return u64HasBitsOutside32(value, mask);
}

export { isU64 };
