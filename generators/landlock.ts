// Landlock op bodies: rulesets whose handled sets mostly share read/write of files (so that
// rules are usually valid and layers differ by their rules), now and then one more right of
// the ABI's (so that every right is handled somewhere); rules on the model tree's paths and the
// universe's ports, drawn within a known ruleset's handled sets when the generator knows which
// ruleset the call names (generators/population.ts); restrict_self with the flags the ABI and
// the variant accept; the requests a probe can make of Landlock — every right on a path where
// it means something, rename and link within and across directories, mount, TCP bind and
// connect — and the documented misuses of each call (landlock.md §5), each failing with its
// errno.
import { u64, type U64 } from '../model/u64.js';
import type { LandlockRule } from '../model/ops.js';
import { LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import type { FsTree } from '../model/landlock/fstree.js';
import type { FsIndex } from '../model/landlock/fstree.js';
import { fsIndex } from '../model/landlock/fstree.js';
import { FS, NET, SCOPE, ACCESS_FILE, FS_BY_NAME } from '../model/landlock/access.js';
import { abiMasks } from '../model/landlock/abi.js';
import { fsCheckIndex, fsRequiredAccess, resolveReparent } from '../model/landlock/fs.js';
import { MOUNT_CALLS, mountHooked } from '../model/landlock/mount.js';
import type { FsAccess, LandlockRequest, MountCall, ProcFile, TargetedRequest } from '../model/request.js';
import { PROC_FILES } from '../model/landlock/procfs.js';
import { detachedRootReason } from '../model/landlock/detached-root.js';
import { ERRNO } from '../model/errno.js';
import type { Universe } from '../model/universe.js';
import type { Rng } from './pick.js';
import { chance, pick, subset } from './pick.js';

const NET_RIGHTS: readonly number[] = [NET.BIND_TCP, NET.CONNECT_TCP];
const SCOPES: readonly number[] = [SCOPE.ABSTRACT_UNIX_SOCKET, SCOPE.SIGNAL];
const { LOG_SAME_EXEC_OFF, LOG_NEW_EXEC_ON, LOG_SUBDOMAINS_OFF, TSYNC } = LANDLOCK_RESTRICT_SELF;
const LOG_FLAGS: readonly number[] = [LOG_SAME_EXEC_OFF, LOG_NEW_EXEC_ON, LOG_SUBDOMAINS_OFF];

export interface RulesetBody {
  readonly fs: number;
  readonly net: number;
  readonly scoped: number;
}

/** One bit of a __u64 no Landlock ABI has: 32–63, half the time 53–63 (where a JSON number is
 * no longer exact: model/u64.ts). */
function highBit(rng: Rng): bigint {
  return 1n << BigInt(chance(rng, 1, 2) ? rng.nextInt(53, 63) : rng.nextInt(32, 52));
}

export interface RestrictBody {
  readonly ruleset: number | null;
  readonly flags: number;
}

/** What Landlock generation draws from at one ABI, on one tree and universe (built once). */
export class LandlockPools {
  /** fs rights the default universe probes, known at the ABI. */
  readonly fs: readonly number[];
  readonly fsExtras: readonly number[];
  readonly fileRights: readonly number[];
  readonly all: number;
  readonly net: boolean;
  readonly scoped: boolean;
  readonly dirs: readonly string[];
  readonly files: readonly string[];
  readonly topDirs: readonly string[];
  readonly ports: readonly number[];
  /** Every fs right the ABI knows, and those a rule on a non-directory may carry. */
  readonly allFs: readonly number[];
  readonly allFileRights: readonly number[];
  /** Every meaningful Landlock request on the tree (probes beyond the universe), by kind. */
  readonly requests: MeaningfulRequests;
  /** The exchanges within one directory (request() draws them as often as those across). */
  private readonly sameDirExchanges: LandlockRequest[] = [];
  private readonly aliases = new Map<string, readonly string[]>();
  /** The points of the tree's mounts (a umount's paths: a detached one's is EINVAL). */
  readonly mountPoints: readonly string[];
  /** Requests that need a right (fs bit, or net bit shifted by NET_SHIFT), by right. */
  private readonly byRight = new Map<number, LandlockRequest[]>();
  /** A path the tree does not have (add_rule's ENOENT). */
  readonly missingPath: string;
  /** Every right a sandbox can be about: each fs right of the ABI (REFER included), and each
   * TCP right (as NET_SHIFTed bits) where the ABI has them. */
  readonly focusRights: readonly number[];
  /** Per focus right, the directories where a rule granting it reaches some request needing it. */
  private readonly grantDirs = new Map<number, readonly string[]>();
  private readonly ix: FsIndex;

  constructor(abi: number, private readonly tree: FsTree, universe: Universe) {
    const m = abiMasks(abi);
    this.fs = [FS.READ_FILE, FS.WRITE_FILE, FS.READ_DIR, FS.MAKE_REG, FS.TRUNCATE, FS.REFER, FS.EXECUTE].filter((b) => (b & m.fs) !== 0);
    this.fsExtras = this.fs.filter((b) => b !== FS.READ_FILE && b !== FS.WRITE_FILE);
    this.fileRights = this.fs.filter((b) => (b & ACCESS_FILE) !== 0);
    this.all = this.fs.reduce((a, b) => a | b, 0);
    this.net = m.netRules;
    this.scoped = m.scope !== 0;
    // the tree's entries, then the paths its mounts show (a rule through a mount is on the
    // source's inode; a probe through one walks up the mount)
    const ixv = fsIndex(tree);
    const entryPaths = new Set(tree.entries.map((e) => e.path));
    const shown = ixv.paths.filter((p) => p !== '/' && !entryPaths.has(p));
    this.dirs = [...tree.entries.filter((e) => e.type === 'dir').map((e) => e.path), ...shown.filter((p) => ixv.typeOf(p) === 'dir')];
    this.files = [...tree.entries.filter((e) => e.type !== 'dir').map((e) => e.path), ...shown.filter((p) => ixv.typeOf(p) !== 'dir')];
    this.topDirs = this.dirs.filter((d) => d.split('/').length === 2);
    this.ports = [...new Set(universe.landlock.flatMap((r) => (r.kind === 'net' ? [r.port] : [])))];
    this.allFs = bitsOf(m.fs);
    this.allFileRights = this.allFs.filter((b) => (b & ACCESS_FILE) !== 0);
    this.requests = meaningfulRequests(tree, m.fs, this.net ? this.ports : null);
    const { fs, reparent, net } = this.requests;
    const ix = fsIndex(tree);
    this.ix = ix;
    this.mountPoints = (tree.mounts ?? []).map((m) => m.at);
    // the other visible paths of each path's inode (a tree with mounts)
    if (ix.hasMounts) {
      for (const p of ix.paths) {
        const others = ix.paths.filter((q) => q !== p && ix.canonOf(q) === ix.canonOf(p));
        if (others.length) this.aliases.set(p, others);
      }
    }
    for (const r of [...fs, ...reparent, ...net]) for (const b of rightsOf(r, ix)) (this.byRight.get(b) ?? this.byRight.set(b, []).get(b)!).push(r);
    // Exchanges are quadratic in the tree: under the MAKE_*/REMOVE_* rights they need they would
    // crowd out the plain requests, so only those across directories join, under REFER.
    for (const r of this.requests.exchange) {
      if (rightsOf(r, ix)[0] === FS.REFER) this.byRight.get(FS.REFER)?.push(r);
      else this.sameDirExchanges.push(r);
    }
    for (const [right, rs] of this.byRight) {
      if (right >= 1 << NET_SHIFT) continue;
      const dirs = this.dirs.filter((d) => rs.some((r) => this.beneath(r, { type: 'path_beneath', path: d, access: 0 })));
      if (dirs.length) this.grantDirs.set(right, dirs);
    }
    this.focusRights = [...this.allFs, ...(this.net && this.ports.length ? [NET.BIND_TCP << NET_SHIFT, NET.CONNECT_TCP << NET_SHIFT] : [])];
    const known = new Set(tree.entries.map((e) => e.path));
    let missing = '/nonexistent';
    while (known.has(missing)) missing += '_';
    this.missingPath = missing;
  }

  /** Handled sets: 3 in 4 handle read+write of files plus extras, else any non-empty subset. */
  rulesetBody(rng: Rng): RulesetBody {
    const fs = this.rulesetFs(rng);
    const net = this.rulesetNet(rng);
    const scoped = this.rulesetScoped(rng);
    return { fs, net, scoped };
  }

  /** rulesetBody's parts, drawn in its order (fs, net, scoped), for callers that write the op out. */
  rulesetFs(rng: Rng): number {
    const fs = chance(rng, 3, 4) ? FS.READ_FILE | FS.WRITE_FILE | subset(rng, this.fsExtras, 0) : subset(rng, this.fs, 1);
    return chance(rng, 1, 4) ? fs | pick(rng, this.allFs) : fs;
  }

  rulesetNet(rng: Rng): number {
    return this.net && chance(rng, 1, 2) ? subset(rng, NET_RIGHTS, 1) : 0;
  }

  rulesetScoped(rng: Rng): number {
    return this.scoped && chance(rng, 1, 5) ? subset(rng, SCOPES, 1) : 0;
  }

  /** A rule: path_beneath on a directory (any right) or a file (file rights), or a net port;
   * 1 in 4 fs rules also carries one more right of the ABI's. */
  rule(rng: Rng): LandlockRule {
    const r = rng.nextInt(0, 5);
    if (r === 5 && this.net && this.ports.length) return { type: 'net_port', port: pick(rng, this.ports), access: subset(rng, NET_RIGHTS, 1) };
    const extra = chance(rng, 1, 4);
    if (r >= 3 && this.files.length && this.fileRights.length) {
      const access = subset(rng, this.fileRights, 1) | (extra ? pick(rng, this.allFileRights) : 0);
      return { type: 'path_beneath', path: pick(rng, this.files), access };
    }
    return { type: 'path_beneath', path: pick(rng, this.dirs), access: subset(rng, this.fs, 1) | (extra ? pick(rng, this.allFs) : 0) };
  }

  /**
   * A rule the ruleset with handled sets `fs`, `net` accepts: a net port rule (1 in 4, when it
   * handles a net right), else a path rule on a directory or a file whose rights are a non-empty
   * subset of the handled ones (file rights on a file); a ruleset handling nothing a rule can
   * grant (scopes only) gets rule()'s, which it refuses.
   */
  ruleWithin(rng: Rng, fs: number, net: number): LandlockRule {
    const netRights = this.net && this.ports.length ? net & (NET.BIND_TCP | NET.CONNECT_TCP) : 0;
    if (netRights !== 0 && (fs === 0 || chance(rng, 1, 4))) return { type: 'net_port', port: pick(rng, this.ports), access: subset(rng, bitsOf(netRights), 1) };
    const fileRights = fs & ACCESS_FILE;
    if (fileRights !== 0 && this.files.length && chance(rng, 1, 2)) return { type: 'path_beneath', path: pick(rng, this.files), access: subset(rng, bitsOf(fileRights), 1) };
    if (fs !== 0) return { type: 'path_beneath', path: pick(rng, this.dirs), access: subset(rng, bitsOf(fs & this.allMask()), 1) };
    return this.rule(rng);
  }

  private allMask(): number {
    return this.allFs.reduce((a, b) => a | b, 0);
  }

  /** add_rule's documented misuses: a path the tree lacks (ENOENT), no rights (ENOMSG), a port
   * past 65535 (EINVAL; landlock.md §5), a right in the high bits of the __u64 access (EINVAL:
   * bits 32–63, 53–63 written exactly as hex, scenario version 2), a port in them (EINVAL). */
  misusedRule(rng: Rng): LandlockRule {
    const r = rng.nextInt(0, this.net ? 4 : 2);
    if (r === 0) return { type: 'path_beneath', path: this.missingPath, access: FS.READ_FILE };
    if (r === 1) return { type: 'path_beneath', path: pick(rng, this.dirs), access: 0 };
    if (r === 2) return { type: 'path_beneath', path: pick(rng, this.dirs), access: u64(BigInt(FS.READ_FILE) | highBit(rng)) };
    if (r === 3) return { type: 'net_port', port: chance(rng, 1, 2) ? 65536 : u64(highBit(rng) | 80n), access: NET.BIND_TCP };
    return { type: 'net_port', port: pick(rng, this.ports.length ? this.ports : [80]), access: u64(BigInt(NET.BIND_TCP) | highBit(rng)) };
  }

  /** landlock_create_ruleset's documented misuses: a right this model's ABIs do not know
   * (RESOLVE_UNIX, ABI 9: EINVAL), a bit of the __u64 handled sets no ABI has (bits 32–63:
   * EINVAL), or nothing handled at all (ENOMSG; landlock.md §5). */
  misusedRuleset(rng: Rng): { readonly fs: U64; readonly net: U64; readonly scoped: U64 } {
    const r = rng.nextInt(0, 3);
    if (r === 0) return { fs: FS.RESOLVE_UNIX, net: 0, scoped: 0 };
    if (r === 1) return { fs: 0, net: 0, scoped: 0 };
    const high = u64(BigInt(FS.READ_FILE) | highBit(rng));
    if (r === 2 || (!this.net && !this.scoped)) return { fs: high, net: 0, scoped: 0 };
    return this.net && chance(rng, 1, 2) ? { fs: FS.READ_FILE, net: u64(BigInt(NET.BIND_TCP) | highBit(rng)), scoped: 0 } : { fs: FS.READ_FILE, net: 0, scoped: this.scoped ? u64(1n | highBit(rng)) : 0 };
  }

  /**
   * A sandbox's ruleset, handling `focus` (a focusRights entry): an fs right over rulesetFs's
   * draw; a TCP right, on its own half the time; with the scopes drawn as rulesetScoped does.
   * `focus` 0: scopes only, or TCP and scopes (a domain with no fs-handling layer).
   */
  focusedRuleset(rng: Rng, focus: number): RulesetBody {
    if (focus === 0) {
      const scoped = this.scoped ? subset(rng, SCOPES, 1) : 0;
      const net = this.net && (scoped === 0 || chance(rng, 1, 2)) ? subset(rng, NET_RIGHTS, 1) : 0;
      return net === 0 && scoped === 0 ? { fs: this.rulesetFs(rng), net: 0, scoped: 0 } : { fs: 0, net, scoped };
    }
    if (focus >= 1 << NET_SHIFT) {
      const fs = chance(rng, 1, 2) ? 0 : this.rulesetFs(rng);
      return { fs, net: this.rulesetNet(rng) | (focus >>> NET_SHIFT), scoped: this.rulesetScoped(rng) };
    }
    return { fs: this.rulesetFs(rng) | focus, net: this.rulesetNet(rng), scoped: this.rulesetScoped(rng) };
  }

  /**
   * A rule granting `focus` within the handled sets: for a TCP right, a port rule for it; for
   * an fs right, a rule on a directory (which may carry any right, granted to what lies beneath)
   * where it reaches a request that needs it, with `focus` and half the other handled rights —
   * all of them for REFER, whose moves also need MAKE_* and REMOVE_* where they are handled.
   */
  ruleGranting(rng: Rng, focus: number, body: RulesetBody): LandlockRule {
    if (focus >= 1 << NET_SHIFT) return { type: 'net_port', port: pick(rng, this.ports), access: (focus >>> NET_SHIFT) | (chance(rng, 1, 2) ? body.net & (NET.BIND_TCP | NET.CONNECT_TCP) : 0) };
    const others = focus === FS.REFER ? body.fs : subset(rng, bitsOf(body.fs), 0);
    return { type: 'path_beneath', path: pick(rng, this.grantDirs.get(focus) ?? this.dirs), access: focus | (others & this.allMask()) };
  }

  /** A request needing `focus`: 3 in 4 times at or beneath `rule`'s path (on its port), so that
   * the rule may grant it; else any that needs it; any request when none does. */
  requestNeeding(rng: Rng, focus: number, rule: LandlockRule | null): LandlockRequest {
    const all = this.byRight.get(focus);
    if (all === undefined) return this.request(rng);
    if (rule !== null && chance(rng, 3, 4)) {
      const near = this.near(focus, rule, all);
      if (near.length) return this.vary(rng, pick(rng, near));
    }
    return this.vary(rng, pick(rng, all));
  }

  /** A drawn request as made: a TCP one may become its IPv6 or UDP twin (netVariant); on a tree
   * with mounts, an fs one names its inode through another path half the time (the rule that
   * granted it was placed by the path drawn: through a mount the walk differs). */
  private vary(rng: Rng, r: LandlockRequest): LandlockRequest {
    if (r.kind === 'fs' && this.aliases.size > 0) {
      const others = this.aliases.get(r.path);
      if (others === undefined || !chance(rng, 1, 2)) return r;
      // the same inode by another path — unless that path is a detached mount's root, which a
      // removal cannot name (model/landlock/detached-root.ts) and has no parent to check
      const a: LandlockRequest = { kind: 'fs', access: r.access, path: pick(rng, others) };
      return fsCheckIndex(this.ix, a) >= 0 && detachedRootReason(this.tree, a) === null ? a : r;
    }
    return netVariant(rng, r);
  }

  /** Requests needing `focus` that `rule` reaches, memoised by right and path (port). */
  private readonly nearMemo = new Map<string, readonly LandlockRequest[]>();
  private near(focus: number, rule: LandlockRule, all: readonly LandlockRequest[]): readonly LandlockRequest[] {
    const key = `${focus}:${rule.type === 'net_port' ? rule.port : rule.path}`;
    let near = this.nearMemo.get(key);
    if (near === undefined) this.nearMemo.set(key, (near = all.filter((r) => this.beneath(r, rule))));
    return near;
  }

  /** Does a rule on `rule`'s path (port) reach request `r`: the path whose rights decide it (a
   * removal's parent) at or beneath the rule's, both ends of a move, the port? */
  private beneath(r: LandlockRequest, rule: LandlockRule): boolean {
    if (rule.type === 'net_port') return r.kind === 'net' && r.port === rule.port;
    const ix = this.ix;
    // with mounts: the rule's inode on the walk up from the path (skipping hidden mount points)
    const canon = ix.hasMounts ? ix.canonOf(rule.path) : undefined;
    const under = canon === undefined
      ? (p: string): boolean => p === rule.path || p.startsWith(`${rule.path}/`)
      : (p: string): boolean => {
          for (let i = ix.indexOf(p); i >= 0; i = ix.parent[i]!) if (ix.canon[i] === canon) return true;
          return false;
        };
    if (r.kind === 'fs') {
      const i = fsCheckIndex(ix, r);
      return i >= 0 && under(ix.paths[i]!);
    }
    if (r.kind === 'rename' || r.kind === 'link' || r.kind === 'exchange') return under(r.from) && under(r.to);
    return false;
  }

  /** A right (focusRights' encoding) the ruleset does not handle, or any when it handles them all. */
  unhandledRight(rng: Rng, body: RulesetBody): number {
    const net = body.net << NET_SHIFT;
    const free = this.focusRights.filter((b) => (b < 1 << NET_SHIFT ? (body.fs & b) === 0 : (net & b) === 0));
    return pick(rng, free.length ? free : this.focusRights);
  }

  /** Requests of a domain with no fs-handling layer: mount, a move across directories, a write. */
  unhandledRequest(rng: Rng): LandlockRequest {
    const r = rng.nextInt(0, 2);
    if (r === 0) return mountRequest(rng);
    const list = this.byRight.get(r === 1 ? FS.REFER : FS.WRITE_FILE);
    return list !== undefined ? pick(rng, list) : mountRequest(rng);
  }

  /** A meaningful request: an fs access (4 in 9), a rename or link (2 in 9), an exchange, TCP
   * or mount (1 in 9 each). */
  request(rng: Rng): LandlockRequest {
    const q = this.requests;
    const r = rng.nextInt(0, 8);
    if (r < 4) return pick(rng, q.fs);
    if (r < 6) return q.acrossMounts.length > 0 && chance(rng, 1, 5) ? pick(rng, q.acrossMounts) : pick(rng, q.reparent);
    // an exchange: within one directory or across, alike (the latter are far more numerous)
    if (r === 6 && q.exchange.length) return pick(rng, chance(rng, 1, 2) && this.sameDirExchanges.length ? this.sameDirExchanges : q.exchange);
    if (r === 7 && q.net.length) return netVariant(rng, pick(rng, q.net));
    return mountRequest(rng);
  }

  /** A meaningful request that needs one of the rights in `fs`/`net` (REFER: a rename or link),
   * or any one when none does. */
  requestFor(rng: Rng, fs: number, net: number): LandlockRequest {
    const rights = [...bitsOf(fs), ...bitsOf(net).map((b) => b << NET_SHIFT)].filter((b) => this.byRight.has(b));
    if (rights.length === 0) return this.request(rng);
    return this.vary(rng, pick(rng, this.byRight.get(pick(rng, rights))!));
  }

  /** A broad rule, as an attacker would add to loosen a shared ruleset. */
  broadRule(rng: Rng): LandlockRule {
    return { type: 'path_beneath', path: pick(rng, this.topDirs.length ? this.topDirs : this.dirs), access: this.all };
  }
}

/** Net rights share byRight's keys with fs rights shifted past them. */
const NET_SHIFT = 20;


const BITS = new Map<number, readonly number[]>();

/** The set bits of a mask, lowest first (one shared array per mask). */
function bitsOf(mask: number): readonly number[] {
  let out = BITS.get(mask);
  if (out === undefined) {
    const bits: number[] = [];
    for (let b = 1; b !== 0 && b <= mask; b = (b << 1) >>> 0) if ((mask & b) !== 0) bits.push(b);
    BITS.set(mask, (out = bits));
  }
  return out;
}

/** The rights a request needs (byRight's keys): a rename, link or exchange across directories
 * needs REFER, one within a directory only its MAKE_* and (rename, exchange) REMOVE_* rights. */
function rightsOf(r: LandlockRequest, ix: FsIndex): readonly number[] {
  if (r.kind === 'fs') return bitsOf(fsRequiredAccess(r.access));
  if (r.kind === 'rename' || r.kind === 'link' || r.kind === 'exchange') {
    const rp = resolveReparent(ix, r);
    if (typeof rp === 'number') return [];
    return rp.fromParent === rp.to ? bitsOf(rp.make | rp.otherMake | rp.otherRemove | (rp.rename ? rp.remove : 0)) : [FS.REFER];
  }
  if (r.kind === 'net') return [(r.op === 'bind' ? NET.BIND_TCP : NET.CONNECT_TCP) << NET_SHIFT];
  return [];
}

/** A TCP request over IPv4 as drawn, or its IPv6 twin (decided alike, 1 in 3) or the same call
 * on a UDP socket (which Landlock does not mediate, 1 in 6); other requests as they are. */
function netVariant(rng: Rng, r: LandlockRequest): LandlockRequest {
  if (r.kind !== 'net') return r;
  const k = rng.nextInt(0, 5);
  return k < 2 ? { kind: 'net', op: r.op, port: r.port, family: 6 } : k === 2 ? { kind: 'net', op: r.op, port: r.port, proto: 'udp' } : r;
}

/** A port no generated rule names: a handled TCP right is denied there. */
const UNRULED_PORT = 9090;
/** The mount calls drawn: each once, the two no Landlock hook sees twice (inside an fs domain
 * they are the allowed exception). */
const MOUNT_DRAWS: readonly MountCall[] = [...MOUNT_CALLS, ...MOUNT_CALLS.filter((c) => !mountHooked(c))];

/** A mount-tree request (model/landlock/mount.ts; the plain tmpfs mount written without its
 * `call`). */
function mountRequest(rng: Rng): LandlockRequest {
  const call = pick(rng, MOUNT_DRAWS);
  return call === 'new' ? { kind: 'mount' } : { kind: 'mount', call };
}

export interface MeaningfulRequests {
  readonly fs: readonly LandlockRequest[];
  readonly reparent: readonly LandlockRequest[];
  readonly exchange: readonly LandlockRequest[];
  readonly net: readonly LandlockRequest[];
  /** rename/link/exchange between two mounts of the tree (EXDEV whatever the domain). */
  readonly acrossMounts: readonly LandlockRequest[];
}

/**
 * Every request model/landlock/fs.ts and net.ts call meaningful on the tree at an ABI (what the
 * executor performs for each is documented there): each fs access the ABI knows on each path
 * of the right type, rename and link of each entry into its own and every other directory,
 * the exchange of each entry with each other one (and itself) that neither contains,
 * mount, and TCP bind / connect on the given ports and one no rule names.
 */
function meaningfulRequests(tree: FsTree, abiFs: number, ports: readonly number[] | null): MeaningfulRequests {
  const ix = fsIndex(tree);
  const fs: LandlockRequest[] = [];
  const reparent: LandlockRequest[] = [];
  const exchange: LandlockRequest[] = [];
  const net: LandlockRequest[] = [];
  const acrossMounts: LandlockRequest[] = [];
  const paths = ix.paths;
  for (const access of Object.keys(FS_BY_NAME) as FsAccess[]) {
    const need = fsRequiredAccess(access);
    if (need === 0 || (need & ~abiFs) !== 0) continue;
    for (const path of paths) {
      const req = { kind: 'fs' as const, access, path };
      if (fsCheckIndex(ix, req) >= 0) fs.push(req);
    }
  }
  for (const from of paths) {
    for (const to of paths) {
      for (const kind of ['rename', 'link', 'exchange'] as const) {
        const req = { kind, from, to };
        const rp = resolveReparent(ix, req);
        if (ix.hasMounts && detachedRootReason(tree, req) !== null) continue; // invalid on both sides
        if (typeof rp !== 'number') (kind === 'exchange' ? exchange : reparent).push(req);
        // between two mounts: EXDEV before any hook (kept apart, they would crowd the rest)
        else if (rp === -ERRNO.EXDEV) acrossMounts.push(req);
      }
    }
  }
  if (ports !== null) for (const port of [...ports, UNRULED_PORT]) for (const op of ['bind', 'connect'] as const) net.push({ kind: 'net', op, port });
  return { fs, reparent, exchange, net, acrossMounts };
}

/** restrict_self's ruleset index and flags: LOG_* with `log`, TSYNC with `tsync`. */
export function restrictBody(rng: Rng, maxFdRef: number, log: boolean, tsync: boolean): RestrictBody {
  const t = tsync && chance(rng, 1, 3) ? TSYNC : 0;
  // fd −1 is valid only with exactly LOG_SUBDOMAINS_OFF (optionally | TSYNC).
  if (log && chance(rng, 1, 10)) return { ruleset: null, flags: LOG_SUBDOMAINS_OFF | t };
  const l = log && chance(rng, 1, 5) ? subset(rng, LOG_FLAGS, 1) : 0;
  return { ruleset: rng.nextInt(0, maxFdRef), flags: l | t };
}

/** The files a procfs open names: environ twice, the one whose check Landlock does not see
 * (model/landlock/procfs.ts), which only a domain handling no READ_FILE reaches. */
const PROC_DRAWS: readonly ProcFile[] = [...PROC_FILES, 'environ'];

/** A task-relative request: an abstract_unix one is a datagram sendto 1 in 2 times (scoped
 * alike); a procfs open names one of its files. */
export function taskRequest(rng: Rng, kind: TargetedRequest['kind'], target: number): TargetedRequest {
  if (kind === 'proc') return { kind, target, file: pick(rng, PROC_DRAWS) };
  return kind === 'abstract_unix' && chance(rng, 1, 2) ? { kind, target, type: 'dgram' } : { kind, target };
}
