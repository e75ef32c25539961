// A Landlock ruleset: mutable in the kernel (struct landlock_ruleset), an immutable value
// replaced on every change here. security/landlock/ruleset.c
//
// Rule maps are never mutated after construction (copy on add), so a layer may share them:
// sharing an immutable map *is* a snapshot.
import type { LandlockLayer } from './domain.js';

export interface Ruleset {
  readonly id: number;
  readonly handledFs: number;
  readonly handledNet: number;
  readonly scoped: number;
  /** path → allowed fs mask (one inode per path in the model); a second rule ORs. */
  readonly fsRules: ReadonlyMap<string, number>;
  /** TCP port → allowed net mask. */
  readonly netRules: ReadonlyMap<number, number>;
  /**
   * Mutable-domains RFC (layering-designs §3f), absent on Linux: a 'supervisor' ruleset stages
   * rules and publishes them with a commit; a 'supervisee' ruleset (from the supervisor's
   * ioctl) is what a supervised task restricts itself with.
   */
  readonly role?: 'supervisor' | 'supervisee';
  /** Supervisee: id of its supervisor ruleset. */
  readonly supervisorId?: number;
  /** Supervisor: the rules published by the last commit (what bound layers see). */
  readonly committedFs?: ReadonlyMap<string, number>;
  readonly committedNet?: ReadonlyMap<number, number>;
  /**
   * layerOfRuleset's memo (not content). A spread copy carries its source's memo, whose `of` is
   * then not the copy, so it is trusted only when `of` is this value.
   */
  layerMemo?: { readonly of: Ruleset; readonly layer: LandlockLayer };
}

const EMPTY_FS: ReadonlyMap<string, number> = new Map();
const EMPTY_NET: ReadonlyMap<number, number> = new Map();

/** security/landlock/ruleset.c:landlock_create_ruleset (arguments already checked). */
export function newRuleset(id: number, handledFs: number, handledNet: number, scoped: number): Ruleset {
  return { id, handledFs, handledNet, scoped, fsRules: EMPTY_FS, netRules: EMPTY_NET };
}

/** ruleset.c:insert_rule, level-0 case: a rule for a known key ORs its access into it. */
function orInto<K>(rules: ReadonlyMap<K, number>, key: K, access: number): ReadonlyMap<K, number> {
  const old = rules.get(key) ?? 0;
  if ((old | access) === old && rules.has(key)) return rules;
  const next = new Map(rules);
  next.set(key, old | access);
  return next;
}

/** fs.c:landlock_append_fs_rule (checks done by the caller). */
export function withFsRule(rs: Ruleset, path: string, access: number): Ruleset {
  const fsRules = orInto(rs.fsRules, path, access);
  return fsRules === rs.fsRules ? rs : { ...rs, fsRules };
}

/** net.c:landlock_append_net_rule (checks done by the caller). */
export function withNetRule(rs: Ruleset, port: number, access: number): Ruleset {
  const netRules = orInto(rs.netRules, port, access);
  return netRules === rs.netRules ? rs : { ...rs, netRules };
}

/** Supervisor commit: publish the staged rules. */
export function committed(rs: Ruleset): Ruleset {
  return { ...rs, committedFs: rs.fsRules, committedNet: rs.netRules };
}

/** Union of two rule maps (per key OR). */
export function unionRules<K>(a: ReadonlyMap<K, number>, b: ReadonlyMap<K, number>): ReadonlyMap<K, number> {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) | v);
  return out;
}


/**
 * The layer content a ruleset value stands for (the snapshot landlock_merge_ruleset takes);
 * one layer object per ruleset value, so layers of the same snapshot share derived caches.
 */
export function layerOfRuleset(rs: Ruleset): LandlockLayer {
  const m = rs.layerMemo;
  if (m !== undefined && m.of === rs) return m.layer;
  const layer: LandlockLayer = { handledFs: rs.handledFs, handledNet: rs.handledNet, scoped: rs.scoped, fsRules: rs.fsRules, netRules: rs.netRules };
  rs.layerMemo = { of: rs, layer };
  return layer;
}

/** A supervised layer: the supervisee's part ∪ the supervisor's committed rules (§3f). */
export function supervisedLayer(base: LandlockLayer, supervisor: Ruleset): LandlockLayer {
  return {
    handledFs: base.handledFs,
    handledNet: base.handledNet,
    scoped: base.scoped,
    fsRules: unionRules(base.fsRules, supervisor.committedFs ?? EMPTY_FS),
    netRules: unionRules(base.netRules, supervisor.committedNet ?? EMPTY_NET),
  };
}
