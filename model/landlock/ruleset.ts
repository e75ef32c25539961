// A Landlock ruleset: mutable in the kernel (struct landlock_ruleset), an immutable value
// replaced on every change here. security/landlock/ruleset.c
export interface Ruleset {
  readonly id: number;
  readonly handledFs: number;
  readonly handledNet: number;
  readonly scoped: number;
  /** path → allowed fs mask (one inode per path in the model); a second rule ORs. */
  readonly fsRules: ReadonlyMap<string, number>;
  /** TCP port → allowed net mask. */
  readonly netRules: ReadonlyMap<number, number>;
}
