// Landlock op arbitraries: rulesets whose handled sets mostly share read/write of files (so that
// rules are usually valid and layers differ by their rules), rules on the model tree's paths
// and the universe's port, and restrict_self with the flags the ABI and the variant accept.
import fc from 'fast-check';
import type { LandlockRule } from '../model/ops.js';
import { LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import type { FsTree } from '../model/landlock/fstree.js';
import { FS, NET, SCOPE, ACCESS_FILE } from '../model/landlock/access.js';
import { abiMasks } from '../model/landlock/abi.js';
import type { Universe } from '../model/universe.js';

/** Non-empty subsets of `bits` (as masks), smaller first when shrinking. */
function subsetOf(bits: readonly number[], minLength: number): fc.Arbitrary<number> {
  return fc.subarray([...bits], { minLength: Math.min(minLength, bits.length) }).map(orAll);
}

function orAll(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) m |= x;
  return m;
}

/** The fs rights generators use, filtered to the ABI: those the default universe probes. */
function fsPool(abi: number): number[] {
  const m = abiMasks(abi).fs;
  return [FS.READ_FILE, FS.WRITE_FILE, FS.READ_DIR, FS.MAKE_REG, FS.TRUNCATE, FS.REFER, FS.EXECUTE].filter((b) => (b & m) !== 0);
}

export interface RulesetBody {
  readonly fs: number;
  readonly net: number;
  readonly scoped: number;
}

/** Handled sets of a new ruleset at `abi`. */
export function rulesetBodyArbitrary(abi: number): fc.Arbitrary<RulesetBody> {
  const m = abiMasks(abi);
  const pool = fsPool(abi);
  const extras = pool.filter((b) => b !== FS.READ_FILE && b !== FS.WRITE_FILE);
  const common = subsetOf(extras, 0).map((x) => x | FS.READ_FILE | FS.WRITE_FILE);
  const fs = fc.oneof({ arbitrary: common, weight: 3 }, { arbitrary: subsetOf(pool, 1), weight: 1 });
  const net = m.net ? fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: subsetOf([NET.BIND_TCP, NET.CONNECT_TCP], 1), weight: 1 }) : fc.constant(0);
  const scoped = m.scope ? fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: subsetOf([SCOPE.ABSTRACT_UNIX_SOCKET, SCOPE.SIGNAL], 1), weight: 1 }) : fc.constant(0);
  return fc.record({ fs, net, scoped });
}

/** A rule: path_beneath on a tree path (dir rights only on dirs), or net_port from ABI 4. */
export function ruleArbitrary(abi: number, tree: FsTree, universe: Universe): fc.Arbitrary<LandlockRule> {
  const pool = fsPool(abi);
  const filePool = pool.filter((b) => (b & ACCESS_FILE) !== 0);
  const dirs = tree.entries.filter((e) => e.type === 'dir').map((e) => e.path);
  const files = tree.entries.filter((e) => e.type !== 'dir').map((e) => e.path);
  const onDir = fc.record({ type: fc.constant('path_beneath' as const), path: fc.constantFrom(...dirs), access: subsetOf(pool, 1) });
  const onFile = fc.record({ type: fc.constant('path_beneath' as const), path: fc.constantFrom(...files), access: subsetOf(filePool, 1) });
  const arbs: fc.WeightedArbitrary<LandlockRule>[] = [];
  if (dirs.length) arbs.push({ arbitrary: onDir, weight: 3 });
  if (files.length && filePool.length) arbs.push({ arbitrary: onFile, weight: 2 });
  if (abiMasks(abi).netRules) {
    const ports = [...new Set(universe.landlock.flatMap((r) => (r.kind === 'net' ? [r.port] : [])))];
    if (ports.length) {
      arbs.push({
        arbitrary: fc.record({ type: fc.constant('net_port' as const), port: fc.constantFrom(...ports), access: subsetOf([NET.BIND_TCP, NET.CONNECT_TCP], 1) }),
        weight: 1,
      });
    }
  }
  return fc.oneof(...arbs);
}

/** A broad rule, as an attacker would add to loosen a shared ruleset. */
export function broadRuleArbitrary(abi: number, tree: FsTree): fc.Arbitrary<LandlockRule> {
  const pool = fsPool(abi);
  const dirs = tree.entries.filter((e) => e.type === 'dir' && e.path.split('/').length === 2).map((e) => e.path);
  return fc.record({ type: fc.constant('path_beneath' as const), path: fc.constantFrom(...(dirs.length ? dirs : ['/a'])), access: fc.constant(orAll(pool)) });
}

export interface RestrictBody {
  readonly ruleset: number | null;
  readonly flags: number;
}

/** restrict_self's ruleset index and flags: LOG_* with `log`, TSYNC with `tsync`. */
export function restrictBodyArbitrary(maxFdRef: number, log: boolean, tsync: boolean): fc.Arbitrary<RestrictBody> {
  const { LOG_SAME_EXEC_OFF, LOG_NEW_EXEC_ON, LOG_SUBDOMAINS_OFF, TSYNC } = LANDLOCK_RESTRICT_SELF;
  const logFlags = log ? fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: subsetOf([LOG_SAME_EXEC_OFF, LOG_NEW_EXEC_ON, LOG_SUBDOMAINS_OFF], 1), weight: 1 }) : fc.constant(0);
  const tsyncFlag = tsync ? fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.constant(TSYNC), weight: 1 }) : fc.constant(0);
  const withFd = fc.record({ ruleset: fc.nat(maxFdRef) as fc.Arbitrary<number | null>, flags: fc.tuple(logFlags, tsyncFlag).map(([a, b]) => a | b) });
  if (!log) return withFd;
  // fd −1 is valid only with exactly LOG_SUBDOMAINS_OFF (optionally | TSYNC).
  const noFd = fc.record({ ruleset: fc.constant(null), flags: tsyncFlag.map((t) => t | LOG_SUBDOMAINS_OFF) });
  return fc.oneof({ arbitrary: withFd, weight: 9 }, { arbitrary: noFd, weight: 1 });
}
