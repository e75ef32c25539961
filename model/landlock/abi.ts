// Landlock ABI versions as data: what each ABI adds, and the masks the syscalls check against
// at the modelled ABI (`world.abi`). Masks are derived from the last flag of each kind, as the
// kernel does (limits.h: LANDLOCK_MASK_ACCESS_FS = (LANDLOCK_LAST_ACCESS_FS << 1) - 1).
//
// The ABI selects which bits, fields, rule types and flags the syscalls accept; the decision
// logic is that of Linux 6.18+ at every ABI (the 5.13–5.18 behaviours of ABI 1 — per-rule
// instead of per-right unions, EXDEV before EACCES — are not modelled; the layer limit is 16
// everywhere, as backported to stable).
import { FS, NET, SCOPE } from './access.js';
import { LANDLOCK_RESTRICT_SELF } from '../ops.js';
import { LANDLOCK_ABI_MAX } from '../limits.js';

export interface LandlockAbi {
  readonly abi: number;
  /** First mainline release with this ABI. */
  readonly linux: string;
  readonly adds: string;
  /** Last (highest) bit of each kind, 0 if the ABI has none. */
  readonly lastFs: number;
  readonly lastNet: number;
  readonly lastScope: number;
  readonly lastRestrictFlag: number;
  /** sizeof(struct landlock_ruleset_attr) the kernel knows (8: fs only, 16: +net, 24: +scoped). */
  readonly attrSize: 8 | 16 | 24;
}

/** ABI 1..8, the ABIs this model implements (index = abi - 1). */
export const LANDLOCK_ABIS: readonly LandlockAbi[] = [
  { abi: 1, linux: '5.13', adds: 'fs EXECUTE..MAKE_SYM; the three syscalls', lastFs: FS.MAKE_SYM, lastNet: 0, lastScope: 0, lastRestrictFlag: 0, attrSize: 8 },
  { abi: 2, linux: '5.19', adds: 'fs REFER', lastFs: FS.REFER, lastNet: 0, lastScope: 0, lastRestrictFlag: 0, attrSize: 8 },
  { abi: 3, linux: '6.2', adds: 'fs TRUNCATE', lastFs: FS.TRUNCATE, lastNet: 0, lastScope: 0, lastRestrictFlag: 0, attrSize: 8 },
  { abi: 4, linux: '6.7', adds: 'handled_access_net, RULE_NET_PORT, NET_BIND_TCP, NET_CONNECT_TCP', lastFs: FS.TRUNCATE, lastNet: NET.CONNECT_TCP, lastScope: 0, lastRestrictFlag: 0, attrSize: 16 },
  { abi: 5, linux: '6.10', adds: 'fs IOCTL_DEV', lastFs: FS.IOCTL_DEV, lastNet: NET.CONNECT_TCP, lastScope: 0, lastRestrictFlag: 0, attrSize: 16 },
  { abi: 6, linux: '6.12', adds: 'scoped: ABSTRACT_UNIX_SOCKET, SIGNAL', lastFs: FS.IOCTL_DEV, lastNet: NET.CONNECT_TCP, lastScope: SCOPE.SIGNAL, lastRestrictFlag: 0, attrSize: 24 },
  { abi: 7, linux: '6.15', adds: 'restrict_self LOG_SAME_EXEC_OFF, LOG_NEW_EXEC_ON, LOG_SUBDOMAINS_OFF', lastFs: FS.IOCTL_DEV, lastNet: NET.CONNECT_TCP, lastScope: SCOPE.SIGNAL, lastRestrictFlag: LANDLOCK_RESTRICT_SELF.LOG_SUBDOMAINS_OFF, attrSize: 24 },
  { abi: 8, linux: '7.0', adds: 'restrict_self TSYNC', lastFs: FS.IOCTL_DEV, lastNet: NET.CONNECT_TCP, lastScope: SCOPE.SIGNAL, lastRestrictFlag: LANDLOCK_RESTRICT_SELF.TSYNC, attrSize: 24 },
];

/** Later ABIs, known to exist but not implemented by this model (their bits are unknown here). */
export const LANDLOCK_ABIS_UNKNOWN_TO_MODEL: readonly { readonly abi: number; readonly linux: string; readonly adds: string }[] = [
  { abi: 9, linux: '7.1', adds: 'fs RESOLVE_UNIX (bit 16): pathname UNIX connect/sendmsg' },
  { abi: 10, linux: '7.2 (unverified)', adds: 'net BIND_UDP, CONNECT_SEND_UDP (bits 2-3), ADD_RULE_QUIET, quiet_* attr fields' },
];

const maskOf = (last: number): number => (last === 0 ? 0 : last * 2 - 1);

/** Masks of everything the kernel accepts at one ABI. */
export interface AbiMasks {
  readonly abi: number;
  readonly fs: number;
  readonly net: number;
  readonly scope: number;
  readonly restrictFlags: number;
  readonly attrSize: 8 | 16 | 24;
  /** LANDLOCK_RULE_NET_PORT is known. */
  readonly netRules: boolean;
}

const MASKS: readonly AbiMasks[] = LANDLOCK_ABIS.map((a) => ({
  abi: a.abi,
  fs: maskOf(a.lastFs),
  net: maskOf(a.lastNet),
  scope: maskOf(a.lastScope),
  restrictFlags: maskOf(a.lastRestrictFlag),
  attrSize: a.attrSize,
  netRules: a.lastNet !== 0,
}));

/** The masks at `abi`, clamped to 1..LANDLOCK_ABI_MAX. */
export function abiMasks(abi: number): AbiMasks {
  const n = Number.isInteger(abi) ? Math.min(Math.max(abi, 1), LANDLOCK_ABI_MAX) : LANDLOCK_ABI_MAX;
  return MASKS[n - 1]!;
}

/** One erratum (security/landlock/errata/abi-<N>.h): bit id-1 of the ERRATA query. */
export interface Erratum {
  readonly id: number;
  /** The ABI whose errata file declares it. */
  readonly abi: number;
  readonly fix: string;
  /** Whether the model implements the fixed behaviour. */
  readonly modelled: boolean;
}

export const LANDLOCK_ERRATA: readonly Erratum[] = [
  { id: 1, abi: 4, fix: 'TCP rights apply only to real TCP sockets (MPTCP, SMC, SCTP were restricted)', modelled: false },
  { id: 2, abi: 6, fix: 'SCOPE_SIGNAL no longer blocks signals between threads of one process', modelled: true },
  { id: 3, abi: 1, fix: 'disconnected directories: the walk also covers the mount hierarchy (REFER widening)', modelled: false },
];

/** landlock_create_ruleset(NULL, 0, ERRATA) on the reference machine (Linux 6.18): all fixed. */
export const LANDLOCK_ERRATA_FIXED = LANDLOCK_ERRATA.reduce((m, e) => m | (1 << (e.id - 1)), 0);
