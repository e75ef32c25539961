// The check engine's cost per 30-op `linux` scenario, split into generation, model run and
// properties, measured on the sources of another checkout of this repository (a `git worktree`
// of an older commit, with node_modules linked): to see when the engine got slower.
//
//   git worktree add /tmp/wt/<commit> <commit> && ln -s "$PWD/node_modules" /tmp/wt/<commit>/
//   npx tsx bench/at-checkout.ts /tmp/wt/<commit>
//
// Uses only what every commit since the check engine has exported (scenarioArbitrary,
// traceScenario, VariantRun, expectationOf, ALL_PROPERTIES), and fast-check from this checkout.
// Best of four rounds of 1 500 scenarios each; prints one line.
import fc from 'fast-check';
import { resolve } from 'node:path';

const arg = process.argv[2];
if (!arg) {
  console.error('usage: npx tsx bench/at-checkout.ts <checkout dir>');
  process.exit(2);
}
const root = resolve(arg);
const load = async <T>(path: string): Promise<T> => {
  try {
    return (await import(`${root}/${path}`)) as T;
  } catch (e) {
    console.error(`bench/at-checkout.ts: ${root}/${path}: ${(e as Error).message.split('\n')[0]}`);
    process.exit(2);
  }
};

const { builtinVariant } = await load<{ builtinVariant(id: string): unknown }>('variants/registry.ts');
const { expectationOf } = await load<{ expectationOf(v: unknown, id: string): string }>('variants/variant.ts');
const { scenarioArbitrary } = await load<{ scenarioArbitrary(v: unknown, o: object): fc.Arbitrary<unknown> }>('generators/scenario.ts');
const { ALL_PROPERTIES } = await load<{ ALL_PROPERTIES: readonly { id: string }[] }>('properties/all.ts');
const { VariantRun } = await load<{ VariantRun: new (v: unknown, p: readonly unknown[]) => { predicate(s: unknown): boolean } }>('properties/check-run.ts');
const { traceScenario } = await load<{ traceScenario(s: unknown, v: unknown): unknown }>('properties/trace.ts');

const RUNS = 1500;
const linux = builtinVariant('linux');
const arb = scenarioArbitrary(linux, { minOps: 30, maxOps: 30 });
const held = ALL_PROPERTIES.filter((p) => expectationOf(linux, p.id) === 'holds');
const run = new VariantRun(linux, held);

class Predicates {
  gen(): boolean {
    return true;
  }
  model(s: unknown): boolean {
    traceScenario(s, linux);
    return true;
  }
  check(s: unknown): boolean {
    run.predicate(s);
    return true;
  }
}
const p = new Predicates();
const kinds = [['gen', () => p.gen()], ['model', (s: unknown) => p.model(s)], ['check', (s: unknown) => p.check(s)]] as const;
const best = new Map<string, number>();
for (let round = 0; round < 4; round++) {
  for (const [k, pred] of kinds) {
    const t0 = performance.now();
    fc.check(fc.property(arb, pred), { seed: 20250221, numRuns: RUNS });
    const us = ((performance.now() - t0) / RUNS) * 1000;
    best.set(k, Math.min(best.get(k) ?? Infinity, us));
  }
}
const gen = best.get('gen')!, model = best.get('model')!, check = best.get('check')!;
console.log(`${root}: generation ${gen.toFixed(1)} + model ${(model - gen).toFixed(1)} + properties ${(check - model).toFixed(1)} = ${check.toFixed(1)} us per 30-op scenario (${held.length} properties linux holds)`);
