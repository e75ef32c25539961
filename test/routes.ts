// The known routes to a design's violation of a property, by their witnesses' lengths: the
// design's documented witness (variants/*.ts, properties/broken-designs.ts) and every §6 row
// (properties/section6.ts) that violates the property when replayed under the design — the rows
// of other designs with the same rule too (trace-unchecked has no-trace-recheck's two-layer
// row). The shrinker is a local search: it ends on the route the generator met first, so a
// found counterexample may be any of these lengths (the tracer's one layer in 5 ops, or two
// layers in 6: it cannot merge two layers into one).
import type { Variant } from '../variants/variant.js';
import type { Op } from '../model/ops.js';
import type { Property } from '../properties/property.js';
import { SECTION6 } from '../properties/section6.js';
import { runTrace } from '../properties/trace.js';

/**
 * Routes besides a design's documented witness and §6, each a script replayed to prove it (a
 * route a seed's shrinking may end on, which the shrinker cannot turn into the shorter one).
 */
export const EXTRA_ROUTES: readonly { readonly variant: string; readonly property: string; readonly why: string; readonly ops: readonly Op[] }[] = [
  {
    variant: 'fown-unrecorded',
    property: 'signal-scope',
    why: 'a thread sandboxes itself and forks: the child, in the thread\'s domain, names the unsandboxed first process as the owner (7 ops; the witness sandboxes the child itself, 6)',
    ops: [
      { op: 'ruleset_create', task: 0, fs: 0, net: 0, scoped: 2 }, { op: 'thread', task: 0 }, { op: 'restrict_self', task: 1, ruleset: 0, flags: 0 },
      { op: 'socketpair', task: 0 }, { op: 'fork', task: 1 }, { op: 'fown_set', task: 2, fd: 1, target: 0 }, { op: 'probe', task: 0, request: { kind: 'sigurg', fd: 0 } },
    ],
  },
];

export function knownRoutes(v: Variant, p: Property): number[] {
  const lengths = SECTION6.filter((r) => (r.variant === v.id && r.violates[p.id as keyof typeof r.violates] !== undefined) || p.check(runTrace(v, r.ops)) !== null).map((r) => r.ops.length);
  for (const r of EXTRA_ROUTES) if (r.variant === v.id && r.property === p.id && p.check(runTrace(v, [...r.ops])) !== null) lengths.push(r.ops.length);
  if (v.witness?.property === p.id) lengths.push(v.witness.maxOps);
  return lengths;
}

/**
 * Expected violations of the built-in variants whose witnesses need ops no explore scope has: the
 * user-notification supervisor protocol (notif_* ops, a USER_NOTIF program) — linux's I6 (the
 * self-escape, 7 ops) and notif-overrides' I3, I6 and I2-thread (properties/section6.ts holds
 * their witnesses) — keyctl's session keyrings (keyring-drops-domain), and socket pairs with
 * their F_SETOWN owners (fown-group-head's signal-scope, and the broken design
 * fown-unrecorded's, 6 ops each). Tracers' property,
 * tracer-bounded, is outside every scope too (TRACER_PROPERTIES). No independent minimum exists:
 * the known witnesses bound the shrinker, and strata explore leaves them to strata check.
 */
export const OUTSIDE_SCOPES: Readonly<Record<string, readonly string[]>> = {
  linux: ['I6'],
  'notif-overrides': ['I3', 'I6', 'I2-thread'],
  'keyring-drops-domain': ['I1', 'I2', 'I6', 'children-never-weakened', 'non-interference'],
  'fown-group-head': ['signal-scope'],
  'fown-unrecorded': ['signal-scope'],
};

/** Properties whose every violation needs tracers (model/ptrace/), which no explore scope has. */
export const TRACER_PROPERTIES: readonly string[] = ['tracer-bounded'];

