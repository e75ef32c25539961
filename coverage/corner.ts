// A corner: one named situation of the specification that a generated run may or may not
// reach (a Landlock domain 16 layers deep, an ENOMEM seccomp install, an older KILL_THREAD
// filter under a newer ALLOW one, …), with the spec section it comes from. Corners are
// declared by topic (coverage/seccomp.ts, landlock.ts, tasks.ts, op-results.ts, designs.ts),
// each with the designs it applies to, decided from the variant's API and semantics switches —
// so a user's variant module gets the corners its own API and switches call for.
import type { Variant } from '../variants/variant.js';

export interface Corner {
  /** Stable id, dotted: `landlock.depth.16`, `op.restrict_self.E2BIG`. */
  readonly id: string;
  /** What is reached, in a few words. */
  readonly title: string;
  /** Where the rule comes from: a spec section (`landlock.md §1 Layers`) or a design's. */
  readonly spec: string;
  /** The corner's group, for the report (`landlock depth`, `seccomp precedence`, …). */
  readonly group: string;
}

export interface CornerDecl extends Corner {
  /** The designs this corner exists in (default: every design). */
  readonly applies?: (variant: Variant) => boolean;
  /** A corner only a tree with mounts of its own has (model/landlock/fstree.ts): counted for
   * runs on such a tree (`strata check --tree mounts`), not on the default tree. */
  readonly mounts?: true;
}

/** What the counted runs' world has, beyond the design. */
export interface CornerWorld {
  /** The tree has mounts of its own directories. */
  readonly mounts: boolean;
}

/** Where a detector records what a step reached: one call per corner id it reached. */
export interface Hits {
  hit(id: string): void;
}
