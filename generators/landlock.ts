// Landlock op bodies: rulesets whose handled sets mostly share read/write of files (so that
// rules are usually valid and layers differ by their rules), rules on the model tree's paths
// and the universe's ports, and restrict_self with the flags the ABI and the variant accept.
import type { LandlockRule } from '../model/ops.js';
import { LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import type { FsTree } from '../model/landlock/fstree.js';
import { FS, NET, SCOPE, ACCESS_FILE } from '../model/landlock/access.js';
import { abiMasks } from '../model/landlock/abi.js';
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

  constructor(abi: number, tree: FsTree, universe: Universe) {
    const m = abiMasks(abi);
    this.fs = [FS.READ_FILE, FS.WRITE_FILE, FS.READ_DIR, FS.MAKE_REG, FS.TRUNCATE, FS.REFER, FS.EXECUTE].filter((b) => (b & m.fs) !== 0);
    this.fsExtras = this.fs.filter((b) => b !== FS.READ_FILE && b !== FS.WRITE_FILE);
    this.fileRights = this.fs.filter((b) => (b & ACCESS_FILE) !== 0);
    this.all = this.fs.reduce((a, b) => a | b, 0);
    this.net = m.netRules;
    this.scoped = m.scope !== 0;
    this.dirs = tree.entries.filter((e) => e.type === 'dir').map((e) => e.path);
    this.files = tree.entries.filter((e) => e.type !== 'dir').map((e) => e.path);
    this.topDirs = this.dirs.filter((d) => d.split('/').length === 2);
    this.ports = [...new Set(universe.landlock.flatMap((r) => (r.kind === 'net' ? [r.port] : [])))];
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
    return chance(rng, 3, 4) ? FS.READ_FILE | FS.WRITE_FILE | subset(rng, this.fsExtras, 0) : subset(rng, this.fs, 1);
  }

  rulesetNet(rng: Rng): number {
    return this.net && chance(rng, 1, 2) ? subset(rng, NET_RIGHTS, 1) : 0;
  }

  rulesetScoped(rng: Rng): number {
    return this.scoped && chance(rng, 1, 5) ? subset(rng, SCOPES, 1) : 0;
  }

  /** A rule: path_beneath on a directory (any right) or a file (file rights), or a net port. */
  rule(rng: Rng): LandlockRule {
    const r = rng.nextInt(0, 5);
    if (r === 5 && this.net && this.ports.length) return { type: 'net_port', port: pick(rng, this.ports), access: subset(rng, NET_RIGHTS, 1) };
    if (r >= 3 && this.files.length && this.fileRights.length) return { type: 'path_beneath', path: pick(rng, this.files), access: subset(rng, this.fileRights, 1) };
    return { type: 'path_beneath', path: pick(rng, this.dirs), access: subset(rng, this.fs, 1) };
  }

  /** A broad rule, as an attacker would add to loosen a shared ruleset. */
  broadRule(rng: Rng): LandlockRule {
    return { type: 'path_beneath', path: pick(rng, this.topDirs.length ? this.topDirs : this.dirs), access: this.all };
  }
}

/** restrict_self's ruleset index and flags: LOG_* with `log`, TSYNC with `tsync`. */
export function restrictBody(rng: Rng, maxFdRef: number, log: boolean, tsync: boolean): RestrictBody {
  const t = tsync && chance(rng, 1, 3) ? TSYNC : 0;
  // fd −1 is valid only with exactly LOG_SUBDOMAINS_OFF (optionally | TSYNC).
  if (log && chance(rng, 1, 10)) return { ruleset: null, flags: LOG_SUBDOMAINS_OFF | t };
  const l = log && chance(rng, 1, 5) ? subset(rng, LOG_FLAGS, 1) : 0;
  return { ruleset: rng.nextInt(0, maxFdRef), flags: l | t };
}
