// A semantics variant: one design of layered sandboxes, as data (cf. SibylFS's platform
// records). The shared state machine (model/step.ts) reads `semantics`; `wrap` is optional
// middleware over the transition for designs the switches do not cover; `opKinds` is the API
// the design offers (generators emit only these); `expectations` is the variant's row of the
// expectation matrix (layering-designs §6).
import type { Op, OpName } from '../model/ops.js';
import type { World } from '../model/state.js';
import type { StepOut } from '../model/result.js';
import type { Semantics } from '../model/semantics.js';
import type { PropertyId } from '../properties/ids.js';
import { PROPERTY_IDS } from '../properties/ids.js';

/** The transition function (model/step.ts:step) or a wrapped one. */
export type StepFn = (world: World, op: Op) => StepOut;

/**
 * Features of an op that only some designs accept. `seccomp_filter.tsync`: the TSYNC and
 * TSYNC_ESRCH flags; `seccomp_filter.listener`: NEW_LISTENER; `restrict_self.tsync`: Landlock
 * TSYNC (ABI 8); `restrict_self.log`: the LOG_* flags (ABI 7); `mutability`: the mutability
 * field of seccomp_filter / restrict_self (§3b); `export`: the export flag giving a layer-handle
 * fd (§3b, b2); `ruleset_create.supervisor` and `ruleset_add_rule.commit`: the mutable-domains
 * RFC (§3f); `seccomp_filter.map`: a filter whose rule reads an eBPF map (§3a, H1).
 */
export const OP_FEATURES = [
  'seccomp_filter.tsync', 'seccomp_filter.listener', 'seccomp_filter.log',
  'restrict_self.tsync', 'restrict_self.log', 'mutability', 'export',
  'ruleset_create.supervisor', 'ruleset_add_rule.commit', 'seccomp_filter.map',
] as const;
export type OpFeature = (typeof OP_FEATURES)[number];

/** An op kind (model/ops.ts OpName) or an op feature. */
export type OpKind = OpName | OpFeature;

export type Expectation = 'holds' | 'violates';

/** The known minimal witness of a variant's headline violation (§6), for tests and reports. */
export interface Witness {
  readonly property: PropertyId;
  /** Length of the shortest violating scenario (ops, setup in `world`). */
  readonly maxOps: number;
}

/** Scenario world settings a variant needs (merged over the defaults). */
export interface VariantWorld {
  readonly nnp?: boolean;
  readonly capSysAdmin?: boolean;
}

export interface Variant {
  readonly id: string;
  readonly title: string;
  /** Citation: where the design comes from. */
  readonly source: string;
  readonly semantics: Semantics;
  /** Landlock ABI the model runs at (default: the scenario's, else model/state.ts's). */
  readonly abi?: number;
  readonly world?: VariantWorld;
  /** Middleware over the transition; called once per variant, the result is reused. */
  readonly wrap?: (step: StepFn) => StepFn;
  readonly opKinds: readonly OpKind[];
  /** Every property id → what the check must find. */
  readonly expectations: Readonly<Record<PropertyId, Expectation>>;
  readonly witness?: Witness;
}

/** Expectation matrix row: every property holds except those listed. */
export function expectViolations(violates: readonly PropertyId[]): Readonly<Record<PropertyId, Expectation>> {
  const out = {} as Record<PropertyId, Expectation>;
  for (const id of PROPERTY_IDS) out[id] = violates.includes(id) ? 'violates' : 'holds';
  return out;
}

/** The variant's expectation for one property (a missing entry means 'holds'). */
export function expectationOf(variant: Variant, property: PropertyId): Expectation {
  return variant.expectations[property] ?? 'holds';
}

/** Whether the variant's API accepts an op kind or feature. */
export function accepts(variant: Pick<Variant, 'opKinds'>, kind: OpKind): boolean {
  return variant.opKinds.includes(kind);
}
