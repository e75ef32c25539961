// The shrinker reaches the minimum (README "Shrinking"): for every expected violation of every
// built-in variant and the witness property of every broken design (properties/
// broken-designs.ts), `strata check` shrinks to exactly the known minimal length, on each of
// five seeds. The minimum is known independently of the shrinker: `strata explore` tries every
// op sequence of a scope breadth first — the default scope for the built-in variants (the
// README's table of least depths), the wide one for the broken designs (their witnesses use
// listeners, STRICTER layers, handles) — so its first violation is as short as any in that
// scope; a shrunk counterexample shorter than it would show the scope misses a route (the test
// asserts equality, so either gap fails it). Where a design documents its witness length
// (variants/*.ts, broken-designs.ts), the documented length is that minimum too.
import { describe, expect, it } from 'vitest';
import type { Variant } from '../variants/variant.js';
import { expectationOf } from '../variants/variant.js';
import { BUILTIN_VARIANTS } from '../variants/registry.js';
import type { Property } from '../properties/property.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import { runCheck } from '../properties/check.js';
import { BROKEN } from '../properties/broken-designs.js';
import { runExplore } from '../explore/engine.js';
import type { Scope } from '../explore/scope.js';
import { scopeByName, DEFAULT_SCOPE } from '../explore/scope.js';
import { SECTION6 } from '../properties/section6.js';
import type { Section6Row } from '../properties/section6.js';
import { runTrace } from '../properties/trace.js';
import { knownRoutes, OUTSIDE_SCOPES, TRACER_PROPERTIES, EXTRA_ROUTES } from '../test/routes.js';

/** A pair whose witnesses need ops no explore scope has (test/routes.ts): bounded by them instead. */
const outsideScopes = (v: Variant, p: Property): boolean => TRACER_PROPERTIES.includes(p.id) || (OUTSIDE_SCOPES[v.id] ?? []).includes(p.id);

/** The lengths of the pair's known witnesses (test/routes.ts), at least one. */
function witnessLengths(v: Variant, p: Property): number[] {
  const lengths = knownRoutes(v, p);
  expect(lengths.length, `a §6 witness or a documented witness of ${v.id} × ${p.id}`).toBeGreaterThan(0);
  return lengths;
}

/** §6 witnesses that need the supervisor protocol's or keyctl's ops, which no explore scope generates. */
const OUTSIDE_WITNESSES: readonly Section6Row[] = SECTION6.filter((r) => r.ops.some((o) => o.op.startsWith('notif_') || o.op === 'keyctl'));

/**
 * The lengths of the routes outside every scope by which `v` violates `p` too: each §6 witness
 * of that kind (of any variant) replayed under `v`. The shrinker is a local search: it lands on
 * the minimum of the route the generator met first, so where such a route exists beside the
 * in-scope one (linux's U39 self-escape, kept by every variant with linux's notification rules),
 * a seed may end on it instead — never longer than its witness.
 */
function outsideRoutes(v: Variant, p: Property): number[] {
  return OUTSIDE_WITNESSES.filter((r) => p.check(runTrace(v, r.ops)) !== null).map((r) => r.ops.length);
}

const SEEDS = [1, 2, 3, 4, 5];
/** Generated scenarios per seed at most: the check stops at the first violation (some seeds need
 * a few thousand more than the default 5000 to meet linux-abi8's 5-op reach). */
const RUNS = 50_000;

interface Pair {
  readonly variant: Variant;
  readonly property: Property;
  readonly scope: Scope;
}

const PAIRS: readonly Pair[] = [
  ...BUILTIN_VARIANTS.flatMap((v) => ALL_PROPERTIES.filter((p) => expectationOf(v, p.id) === 'violates').map((property) => ({ variant: v, property, scope: scopeByName(DEFAULT_SCOPE)! }))),
  ...Object.values(BROKEN).map((v) => ({ variant: v as Variant, property: ALL_PROPERTIES.find((p) => p.id === v.witness!.property)!, scope: scopeByName('wide')! })),
];

/** The least length of a violating sequence of the pair's scope (explore's first violation). */
async function knownMinimum({ variant, property, scope }: Pair): Promise<number> {
  const r = await runExplore({ variants: [variant], properties: [property], scope, depth: 6 });
  const res = r.results[0]!;
  expect(res.outcome, `strata explore finds ${variant.id} × ${property.id} in scope ${scope.name}`).toBe('violated');
  expect(res.counterexample!.ops).toHaveLength(res.depth);
  return res.depth;
}

describe('the shrinker reaches the minimum', () => {
  it('every extra route replays to its violation (test/routes.ts)', () => {
    const designs: readonly Variant[] = [...BUILTIN_VARIANTS, ...(Object.values(BROKEN) as Variant[])];
    for (const r of EXTRA_ROUTES) {
      const v = designs.find((d) => d.id === r.variant)!;
      const p = ALL_PROPERTIES.find((x) => x.id === r.property)!;
      expect(p.check(runTrace(v, [...r.ops]))?.atStep, `${r.variant} × ${r.property}: ${r.why}`).toBe(r.ops.length - 1);
    }
  });

  it('covers every built-in variant with expected violations and every broken design', () => {
    const ids = new Set(PAIRS.map((p) => p.variant.id));
    for (const v of BUILTIN_VARIANTS) if (ALL_PROPERTIES.some((p) => expectationOf(v, p.id) === 'violates')) expect(ids.has(v.id), v.id).toBe(true);
    expect(PAIRS.length).toBe(Object.keys(BROKEN).length + BUILTIN_VARIANTS.reduce((n, v) => n + ALL_PROPERTIES.filter((p) => expectationOf(v, p.id) === 'violates').length, 0));
  });

  for (const pair of PAIRS) {
    const { variant: v, property: p } = pair;
    if (outsideScopes(v, p)) {
      it(`${v.id} × ${p.id}: shrunk within its known witnesses' lengths on seeds ${SEEDS.join(', ')}, the shortest reached`, () => {
        const known = witnessLengths(v, p);
        const lengths = SEEDS.map((seed) => runCheck({ variants: [v], properties: [p], runs: RUNS, seed, maxOps: 20 }).results[0]!.counterexample?.ops.length ?? 0);
        const why = `${v.id} × ${p.id}: shrunk lengths ${lengths.join(', ')} (0: not found) vs the known witnesses' ${known.join(', ')}`;
        for (const n of lengths) {
          expect(n, why).toBeGreaterThan(0);
          expect(n, why).toBeLessThanOrEqual(Math.max(...known));
        }
        expect(Math.min(...lengths), why).toBeLessThanOrEqual(Math.min(...known));
      }, 300_000);
      continue;
    }
    it(`${v.id} × ${p.id}: shrunk to the known minimum on seeds ${SEEDS.join(', ')}`, async () => {
      const min = await knownMinimum(pair);
      if (v.witness?.property === p.id) expect(v.witness.maxOps, `${v.id}'s documented witness length`).toBe(min);
      const lengths = SEEDS.map((seed) => {
        const r = runCheck({ variants: [v], properties: [p], runs: RUNS, seed, maxOps: 20 });
        return r.results[0]!.counterexample?.ops.length ?? 0;
      });
      const routes = outsideRoutes(v, p);
      if (routes.length === 0) {
        expect(lengths, `${v.id} × ${p.id}: shrunk lengths (0: not found) vs the minimum ${min}`).toEqual(SEEDS.map(() => min));
        return;
      }
      // Two routes: each seed ends at the in-scope minimum or on an outside route, within its
      // witness's length; and neither is shorter than explore's minimum unless the outside one is.
      const bound = Math.max(...routes);
      const floor = Math.min(min, ...routes);
      for (const n of lengths) {
        const msg = `${v.id} × ${p.id}: shrunk lengths ${lengths.join(', ')} vs the in-scope minimum ${min} and the outside routes' ${routes.join(', ')}`;
        expect(n === min || (n >= floor && n <= bound), msg).toBe(true);
      }
    }, 300_000);
  }
});
