// The known routes to a design's violation of a property, by their witnesses' lengths: the
// design's documented witness (variants/*.ts, properties/broken-designs.ts) and every §6 row
// (properties/section6.ts) that violates the property when replayed under the design — the rows
// of other designs with the same rule too (trace-unchecked has no-trace-recheck's two-layer
// row). The shrinker is a local search: it ends on the route the generator met first, so a
// found counterexample may be any of these lengths (the tracer's one layer in 5 ops, or two
// layers in 6: it cannot merge two layers into one).
import type { Variant } from '../variants/variant.js';
import type { Property } from '../properties/property.js';
import { SECTION6 } from '../properties/section6.js';
import { runTrace } from '../properties/trace.js';

export function knownRoutes(v: Variant, p: Property): number[] {
  const lengths = SECTION6.filter((r) => (r.variant === v.id && r.violates[p.id as keyof typeof r.violates] !== undefined) || p.check(runTrace(v, r.ops)) !== null).map((r) => r.ops.length);
  if (v.witness?.property === p.id) lengths.push(v.witness.maxOps);
  return lengths;
}
