// Check-engine throughput: generated 30-op scenarios run on the `linux` model and checked
// against every property, beside a bare fast-check baseline that generates the same number of
// commands per run and runs them against a no-op model (fc.modelRun), in the same process; and
// the cost per op for 10-, 100- and 1000-op scenarios (should stay flat). Printable lines
// only, no assertions (bench/main.ts prints them).
import fc from 'fast-check';
import type { Scenario } from '../scenario/types.js';
import { builtinVariant } from '../variants/registry.js';
import type { Variant } from '../variants/variant.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import { VariantRun } from '../properties/check-run.js';

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

function checkRun(v: Variant): (s: Scenario) => boolean {
  return new VariantRun(v, ALL_PROPERTIES).predicate;
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export async function benchHarness(): Promise<string[]> {
  const linux = builtinVariant('linux')!;
  const lines: string[] = [];

  // Throughput at 30 ops, beside the baseline (warm both up first).
  const scenarios = scenarioArbitrary(linux, { minOps: OPS, maxOps: OPS });
  const baseline = noopCommands(OPS);
  const noop = new NoopRunner();
  timeCheck(scenarios, checkRun(linux), 200);
  timeCheck(baseline, noop.predicate, 200);
  const runs = 1500;
  const tOurs = timeCheck(scenarios, checkRun(linux), runs);
  const tBase = timeCheck(baseline, noop.predicate, runs);
  const ours = runs / tOurs;
  const base = runs / tBase;
  lines.push(`check (${OPS}-op scenarios on linux, ${ALL_PROPERTIES.length} properties): ${fmt(ours)} scenarios/s, ${fmt(ours * OPS)} ops/s`);
  lines.push(`baseline (bare fast-check, ${OPS} no-op commands through fc.modelRun): ${fmt(base)} runs/s, ${fmt(base * OPS)} commands/s`);
  lines.push(`ratio check/baseline: ${(ours / base).toFixed(2)} (target >= 0.25)`);

  // Cost per op by scenario length.
  for (const [n, r] of [[10, 1500], [100, 150], [1000, 15]] as const) {
    const arb = scenarioArbitrary(linux, { minOps: n, maxOps: n });
    timeCheck(arb, checkRun(linux), Math.max(2, Math.floor(r / 5)));
    const t = timeCheck(arb, checkRun(linux), r);
    lines.push(`cost per op at ${n} ops/scenario: ${fmt((t * 1e6) / (r * n))} us (generation + model + every property)`);
  }
  return lines;
}
