// Check-engine throughput: generated 30-op scenarios run on the `linux` model and checked
// against every property, beside a bare fast-check baseline that generates the same number of
// commands per run and runs them against a no-op model (fc.modelRun), in the same process; and
// the cost per op for 10-, 100- and 1000-op scenarios (should stay flat). Printable lines
// only, no assertions (bench/main.ts prints them).
import fc from 'fast-check';
import type { Scenario } from '../scenario/types.js';
import { builtinVariant } from '../variants/registry.js';
import type { Variant } from '../variants/variant.js';
import { expectationOf } from '../variants/variant.js';
import type { Property } from '../properties/property.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import { VariantRun } from '../properties/check-run.js';
import { traceScenario } from '../properties/trace.js';

const OPS = 30;
const SEED = 20250221;

interface NoopModel {
  steps: number;
}
interface NoopReal {
  readonly id: number;
}

/** A command of the baseline: a small record, like a scenario op, checked and run for nothing. */
class NoopCommand implements fc.Command<NoopModel, NoopReal> {
  constructor(readonly kind: string, readonly task: number, readonly arg: number) {}
  check(): boolean {
    return true;
  }
  run(m: NoopModel): void {
    m.steps++;
  }
  toString(): string {
    return `${this.kind}(${this.task},${this.arg})`;
  }
}

function noopCommands(n: number): fc.Arbitrary<NoopCommand[]> {
  const kinds = ['fork', 'thread', 'exec', 'add', 'restrict', 'send'];
  const cmd = fc.tuple(fc.constantFrom(...kinds), fc.nat(3), fc.nat(3)).map(([k, t, a]) => new NoopCommand(k, t, a));
  return fc.array(cmd, { minLength: n, maxLength: n });
}

class NoopRunner {
  readonly setup = (): { model: NoopModel; real: NoopReal } => ({ model: { steps: 0 }, real: { id: 0 } });
  readonly predicate = (cmds: NoopCommand[]): boolean => {
    fc.modelRun(this.setup, cmds);
    return true;
  };
}

/** Seconds taken by fc.check over `runs` values (the predicate must hold). */
function timeCheck<T>(arb: fc.Arbitrary<T>, predicate: (t: T) => boolean, runs: number): number {
  const t0 = performance.now();
  const d = fc.check(fc.property(arb, predicate), { seed: SEED, numRuns: runs });
  const s = (performance.now() - t0) / 1000;
  if (d.failed) throw new Error(`bench: the benchmarked property failed (${d.counterexamplePath ?? 'interrupted'})`);
  return s;
}

function alwaysTrue(): boolean {
  return true;
}

class ModelOnly {
  constructor(private readonly variant: Variant) {}
  readonly predicate = (s: Scenario): boolean => {
    traceScenario(s, this.variant);
    return true;
  };
}

/** The properties the variant is expected to hold: those a check keeps testing on every
 * scenario (an expected violation, once found, is no longer checked — and linux's I6 self-escape
 * would end the measured run early). */
function heldBy(v: Variant): readonly Property[] {
  return ALL_PROPERTIES.filter((p) => expectationOf(v, p.id) === 'holds');
}

function checkRun(v: Variant): (s: Scenario) => boolean {
  return new VariantRun(v, heldBy(v)).predicate;
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Best (least) time of `rounds` interleaved measurements of each contender, in seconds. */
function best(contenders: readonly (() => number)[], rounds: number): number[] {
  const out = contenders.map(() => Infinity);
  for (let r = 0; r < rounds; r++) contenders.forEach((c, i) => (out[i] = Math.min(out[i]!, c())));
  return out;
}

export async function benchHarness(): Promise<string[]> {
  const linux = builtinVariant('linux')!;
  const lines: string[] = [];

  // Throughput at 30 ops beside the baseline, and where the time goes: interleaved rounds,
  // the best of each (the first round warms the JIT up).
  const scenarios = scenarioArbitrary(linux, { minOps: OPS, maxOps: OPS });
  const baseline = noopCommands(OPS);
  const noop = new NoopRunner();
  const model = new ModelOnly(linux);
  const runs = 1000;
  const [tOurs, tBase, tGen, tModel] = best([
    () => timeCheck(scenarios, checkRun(linux), runs),
    () => timeCheck(baseline, noop.predicate, runs),
    () => timeCheck(scenarios, alwaysTrue, runs),
    () => timeCheck(scenarios, model.predicate, runs),
  ], 5) as [number, number, number, number];
  const ours = runs / tOurs;
  const base = runs / tBase;
  lines.push(`check (${OPS}-op scenarios on linux, the ${heldBy(linux).length} properties it holds): ${fmt(ours)} scenarios/s, ${fmt(ours * OPS)} ops/s`);
  lines.push(`baseline (bare fast-check, ${OPS} no-op commands through fc.modelRun): ${fmt(base)} runs/s, ${fmt(base * OPS)} commands/s`);
  lines.push(`ratio check/baseline: ${(ours / base).toFixed(2)} (target >= 0.25)`);
  const us = (t: number): string => fmt((t / runs) * 1e6);
  lines.push(`per scenario: generation ${us(tGen)} us, model run ${us(tModel - tGen)} us, properties ${us(tOurs - tModel)} us (baseline: ${us(tBase)} us in all)`);

  // Cost per op by scenario length (same ops per measurement).
  const sizes = [10, 100, 1000] as const;
  const per = best(sizes.map((n) => {
    const arb = scenarioArbitrary(linux, { minOps: n, maxOps: n });
    const r = 15_000 / n;
    return () => timeCheck(arb, checkRun(linux), r) / (r * n);
  }), 3);
  sizes.forEach((n, i) => lines.push(`cost per op at ${n} ops/scenario: ${fmt(per[i]! * 1e6)} us (generation + model + every property)`));
  return lines;
}
