// A Landlock domain: an immutable stack of layers shared by reference between the tasks whose
// credentials point at it (security/landlock/ruleset.c:landlock_merge_ruleset).
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
}
