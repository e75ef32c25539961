// strata explore's engine: every built-in variant's expected violations found, each at its
// least depth (checked against a search without de-duplication one depth shorter), their
// counterexamples failing at their last step when re-run as scenarios; linux holding every
// property to its depth; the search stopping at the time budget, on request, at a model error,
// and when the scope has no new world.
import { describe, expect, it } from 'vitest';
import type { Op } from '../model/ops.js';
import type { World } from '../model/state.js';
import type { Variant } from '../variants/variant.js';
import { expectationOf } from '../variants/variant.js';
import { BUILTIN_VARIANTS, builtinVariant } from '../variants/registry.js';
import { stepFor } from '../variants/step-for.js';
import { ALL_PROPERTIES, propertyById } from '../properties/all.js';
import { replayScenario, runTrace } from '../properties/trace.js';
import { runExplore } from './engine.js';
import type { ExploreEvent } from './engine.js';
import type { Scope } from './scope.js';
import { scopeByName, SCOPES } from './scope.js';
import { Alphabet } from './alphabet.js';
import { OUTSIDE_SCOPES, TRACER_PROPERTIES } from '../test/routes.js';

const SMALL = scopeByName('small')!;

/** Every op sequence of the scope up to `depth`, without de-duplication. */
function* allSequences(variant: Variant, scope: Scope, depth: number): IterableIterator<Op[]> {
  const alphabet = new Alphabet(scope, variant);
  const step = stepFor(variant);
  const initial = runTrace(variant, []).initial;
  function* from(world: World, path: Op[]): IterableIterator<Op[]> {
    if (path.length === depth) return;
    for (const op of alphabet.opsAt(world)) {
      const next = [...path, op];
      yield next;
      yield* from(step(world, op).world, next);
    }
  }
  yield* from(initial, []);
}

const expectedInScope = (v: (typeof BUILTIN_VARIANTS)[number], id: string): boolean => expectationOf(v, id as never) === 'violates' && !TRACER_PROPERTIES.includes(id) && !(OUTSIDE_SCOPES[v.id] ?? []).includes(id);
const UNSAFE = BUILTIN_VARIANTS.filter((v) => ALL_PROPERTIES.some((p) => expectedInScope(v, p.id)));

describe('strata explore finds every expected violation of the built-in variants at its least depth', () => {
  for (const variant of UNSAFE) {
    it(variant.id, async () => {
      const found: ExploreEvent[] = [];
      // The expected violations only: the search ends when the last is found.
      const properties = ALL_PROPERTIES.filter((p) => expectedInScope(variant, p.id));
      const r = await runExplore({ variants: [variant], properties, scope: SMALL, depth: 5, onProgress: (e) => void (e.type === 'found' && found.push(e)) });
      expect(r.variants[0]!.allViolated).toBe(true);
      expect(r.ok, r.results.filter((x) => !x.matches).map((x) => `${x.property} ${x.outcome}`).join(', ')).toBe(true);
      expect(r.mismatches).toBe(0);
      const violated = r.results.filter((x) => x.outcome === 'violated');
      expect(violated.map((x) => x.property).sort()).toEqual(properties.map((p) => p.id).sort());
      expect(found).toHaveLength(violated.length);
      for (const res of violated) {
        const c = res.counterexample!;
        expect(c.ops).toHaveLength(res.depth);
        expect(c.finding).toMatchObject({ property: res.property, explore: { scope: 'small', depth: res.depth }, atStep: res.depth - 1 });
        const again = propertyById(res.property)!.check(replayScenario(c, variant));
        expect(again?.atStep, `${res.property} fails at the last step on replay`).toBe(res.depth - 1);
      }
      // The least depth, without trusting de-duplication: no sequence one op shorter violates the
      // property that fails first (up to depth 3: beyond that the plain search is too slow here).
      const least = Math.min(...violated.map((x) => x.depth));
      if (least - 1 <= 3) {
        const props = violated.filter((x) => x.depth === least).map((x) => propertyById(x.property)!);
        let tried = 0;
        for (const ops of allSequences(variant, SMALL, least - 1)) {
          tried++;
          const t = runTrace(variant, ops);
          for (const p of props) expect(p.check(t), `${p.id} on ${ops.map((o) => o.op).join(', ')}`).toBeNull();
        }
        expect(tried).toBeGreaterThan(0);
      }
    }, 120_000);
  }
});

describe('strata explore on linux', () => {
  it('holds every property through depth 4 of the small scope, and counts what it did', async () => {
    const depths: number[] = [];
    const r = await runExplore({ variants: [builtinVariant('linux')!], scope: SMALL, depth: 4, onProgress: (e) => void (e.type === 'depth-done' && depths.push(e.depth)) });
    expect(r.ok).toBe(true);
    expect(r.results.every((x) => x.outcome === 'holds' && x.depth === 4)).toBe(true);
    const s = r.variants[0]!;
    expect(s).toMatchObject({ depthCompleted: 4, interrupted: false, exhausted: false, allViolated: false });
    expect(depths).toEqual([1, 2, 3, 4]);
    expect(s.worlds).toBeGreaterThan(1000);
    // every distinct world but the first was reached by a transition
    expect(s.transitions).toBeGreaterThanOrEqual(s.worlds - 1);
  }, 60_000);

  it('de-duplication matters: fewer worlds than sequences', async () => {
    const tiny = scopeByName('tiny')!;
    const r = await runExplore({ variants: [builtinVariant('linux')!], scope: tiny, depth: 3 });
    let sequences = 0;
    for (const _ of allSequences(builtinVariant('linux')!, tiny, 3)) sequences++;
    expect(r.variants[0]!.worlds).toBeLessThan(sequences);
    expect(r.variants[0]!.transitions).toBeLessThan(sequences);
  });
});

describe('strata explore stops', () => {
  it('at the time budget: depths completed stand, expected violations not found are not searched enough', async () => {
    let t = 0;
    const r = await runExplore({ variants: [builtinVariant('tsync-overwrite')!], properties: [propertyById('I9')!], scope: SMALL, depth: 5, timeBudgetMs: 1, clock: () => (t += 1000) });
    expect(r.variants[0]).toMatchObject({ interrupted: true, stoppedBy: 'time-budget', depthCompleted: 0 });
    expect(r.results[0]).toMatchObject({ outcome: 'holds', unsearched: true, matches: false });
    expect(r.mismatches).toBe(0);
    expect(r.unsearched).toBe(1);
  });

  it('when asked to (a signal), with the variants after it not started', async () => {
    const r = await runExplore({ variants: [builtinVariant('linux')!, builtinVariant('tsync-overwrite')!], scope: SMALL, depth: 8, yieldMs: 0, stopped: () => true });
    expect(r.stopped).toBe(true);
    expect(r.variants).toHaveLength(1);
    expect(r.variants[0]).toMatchObject({ stoppedBy: 'signal' });
  });

  it('at a model error, with the shortest sequence that makes the model throw', async () => {
    const base = builtinVariant('linux')!;
    const crashing: Variant = {
      ...base,
      id: 'crashing',
      wrap: (inner) => (w, op) => {
        if (op.op === 'exec' && w.tasks.length > 1) throw new Error('boom');
        return inner(w, op);
      },
    };
    const r = await runExplore({ variants: [crashing], scope: SMALL, depth: 4 });
    const s = r.variants[0]!;
    expect(s.crash?.message).toBe('boom');
    expect(s.crash!.scenario.ops.map((o) => o.op)).toEqual([expect.stringMatching(/^(fork|thread)$/), 'exec']);
    expect(r.ok).toBe(false);
  });

  it('when the scope has no new world: exhausted', async () => {
    const forks: Scope = { ...SMALL, name: 'forks', plain: ['fork'], programs: [], rulesets: [], fds: false, probes: [], modify: false, maxTasks: 3 };
    // the properties linux is expected to hold (its I6 lies outside every scope: an exhausted
    // scope that never violates an expected violation is a disagreement, tested elsewhere)
    const properties = ALL_PROPERTIES.filter((p) => expectationOf(builtinVariant('linux')!, p.id) === 'holds');
    const r = await runExplore({ variants: [builtinVariant('linux')!], properties, scope: forks, depth: 6 });
    // one task; two; three (a fork from either of two tasks gives the same world, up to names)
    expect(r.variants[0]).toMatchObject({ exhausted: true, depthCompleted: 3, worlds: 4 });
    expect(r.ok).toBe(true);
  });

  it('refuses a depth below 1', async () => {
    await expect(runExplore({ variants: [builtinVariant('linux')!], scope: SMALL, depth: 0 })).rejects.toThrow(/depth must be a positive integer/);
  });
});

describe('the scopes', () => {
  it('are named, small is within wide, and each offers only ops the variant accepts', () => {
    expect(SCOPES.map((s) => s.name)).toEqual(['tiny', 'small', 'wide']);
    const wide = scopeByName('wide')!;
    for (const k of SMALL.plain) expect(wide.plain).toContain(k);
    for (const p of SMALL.programs) expect(wide.programs).toContain(p);
    for (const r of SMALL.rules) expect(wide.rules).toContain(r);
    const v5 = builtinVariant('v5-2017')!;
    const world = runTrace(v5, []).initial;
    for (const op of new Alphabet(wide, v5).opsAt(world)) expect(v5.opKinds, op.op).toContain(op.op);
  });
});
