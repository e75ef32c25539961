// A Landlock domain: an immutable stack of layers shared by reference between the tasks whose
// credentials point at it (security/landlock/ruleset.c:landlock_merge_ruleset). A node is one
// layer plus its landlock_hierarchy identity (`id`); `prev` is the parent domain.
import type { Mutability } from '../ops.js';

/** One layer: a snapshot of a ruleset at restrict time. */
export interface LandlockLayer {
  readonly handledFs: number;
  readonly handledNet: number;
  readonly scoped: number;
  readonly fsRules: ReadonlyMap<string, number>;
  readonly netRules: ReadonlyMap<number, number>;
}

export interface DomainNode {
  /** Layer id (the landlock_hierarchy identity), unique in the world. */
  readonly id: number;
  /** Content revision: bumped only when a variant changes the layer's content in place. */
  readonly rev: number;
  readonly prev: DomainNode | null;
  /** Number of layers including this one. */
  readonly depth: number;
  readonly layer: LandlockLayer;
  readonly mutability: Mutability;
  /** Provenance: id of the ruleset restricted with (live-ruleset variant e1 follows it). */
  readonly ruleset?: number;
  /** Mutable-domains variant: id of the supervisor ruleset whose commits reach this layer. */
  readonly supervisor?: number;
  /** Mutable-domains variant: the supervisee snapshot, i.e. the layer minus committed rules. */
  readonly base?: LandlockLayer;
}

/** landlock_merge_ruleset: a new domain one layer deeper than `parent`. */
export function pushLayer(
  parent: DomainNode | null,
  id: number,
  layer: LandlockLayer,
  mutability: Mutability,
  extra: { readonly ruleset?: number; readonly supervisor?: number; readonly base?: LandlockLayer } = {},
): DomainNode {
  return { id, rev: 0, prev: parent, depth: parent ? parent.depth + 1 : 1, layer, mutability, ...extra };
}

/** Layers from the oldest (index 0, the kernel's level 1) to the newest. */
export function layersOf(node: DomainNode | null): DomainNode[] {
  const out: DomainNode[] = [];
  for (let n = node; n !== null; n = n.prev) out.push(n);
  return out.reverse();
}

/**
 * task.c:domain_scope_le — `anc` is `node` or one of its parent domains, compared by hierarchy
 * identity (layer id). A null `anc` (no domain) is an ancestor of everything.
 */
export function isAncestorOrSelfDomain(anc: DomainNode | null, node: DomainNode | null): boolean {
  if (anc === null) return true;
  for (let n = node; n !== null; n = n.prev) {
    if (n.depth < anc.depth) return false;
    if (n.id === anc.id) return true;
  }
  return false;
}

/** Whether some layer of the domain handles an fs right (fs.c: any_fs applicable subject). */
export function handlesFs(node: DomainNode | null): boolean {
  for (let n = node; n !== null; n = n.prev) if (n.layer.handledFs !== 0) return true;
  return false;
}

/** Layer ids from the newest down: a compact identity of a domain for reports. */
export function domainIds(node: DomainNode | null): number[] {
  const out: number[] = [];
  for (let n = node; n !== null; n = n.prev) out.push(n.id);
  return out;
}
