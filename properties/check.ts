// The check engine: for every variant, generated scenarios are run on the model and checked
// against every property; violations are shrunk per property and returned as data (fc.check,
// never fc.assert). Library code: progress goes to the `onProgress` sink, nothing to the console.
//
// Per variant, one fast-check run checks all still-unviolated properties on each scenario
// (one model run per scenario). On the first failing scenario (run k, `endOnFailure`), every
// property it violates is shrunk on its own by replaying path "k" with that property alone;
// the run then resumes at k+1 (path "k+1") with the remaining properties. So each property
// sees the same scenario stream, and a finding replays with fc.check(seed, path) as well as
// from its scenario file.
//
// A time budget is shared between the variants: each variant, when it starts, gets an equal
// share of what is left (left ÷ variants not yet run), so time one variant does not use goes
// to the ones after it. An expected violation not found within the budget — its variant's share
// of the time ran out, or all `runs` scenarios were checked — is reported as not searched enough
// (`unsearched`, with the `budget` that ran out), not as a mismatch: the caller decides (--strict).
//
// Before generating, the scenarios of a regression corpus (`corpus`, corpus-replay.ts) are run:
// a property one of them violates is decided by it and not searched again, as Hypothesis replays
// its example database first.
import fc from 'fast-check';
import type { Scenario } from '../scenario/types.js';
import type { Variant, Expectation } from '../variants/variant.js';
import { expectationOf } from '../variants/variant.js';
import type { GeneratorOptionsInput } from '../generators/options.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import type { Property } from './property.js';
import type { PropertyId } from './ids.js';
import { ALL_PROPERTIES } from './all.js';
import { traceScenario, traceToScenario } from './trace.js';
import { ShrinkTarget, VariantRun } from './check-run.js';
import type { CorpusEntry, CorpusChange } from './corpus-replay.js';
import { replayCorpus } from './corpus-replay.js';
import type { Coverage } from '../coverage/report.js';
import type { TraceObserver } from './check-run.js';

export interface CheckOptions {
  readonly variants: readonly Variant[];
  /** Default: every property (properties/all.ts). */
  readonly properties?: readonly Property[];
  /** Generated scenarios per variant. */
  readonly runs: number;
  readonly seed: number;
  /** Longest generated scenario (ops). Default 20. */
  readonly maxOps?: number;
  /** Wall-clock budget for the whole check, shared between the variants (budgetShare); a
   * variant's runs stop (reported as interrupted) when its share is spent. */
  readonly timeBudgetMs?: number;
  /** The clock (milliseconds) for the budget and for progress ticks; default Date.now. */
  readonly clock?: () => number;
  /** A `tick` progress event at most this often while a variant runs (default 1000 ms). */
  readonly tickMs?: number;
  /** Further generator options (weights, sizes). */
  readonly generator?: GeneratorOptionsInput;
  /** Module path of user variants by id, recorded in counterexample scenarios. */
  readonly variantModules?: Readonly<Record<string, string>>;
  /** Scenarios kept on purpose (a regression corpus, properties/corpus-replay.ts): each one of a
   * checked variant is run before anything is generated; a property it violates is decided by it
   * (the pair's counterexample is the corpus file) and not searched again. */
  readonly corpus?: readonly CorpusEntry[];
  /** Replay one fast-check path (`strata check --path`): with exactly one variant and one
   * property, the scenario at `path` of the seed's stream is checked for that property alone,
   * without generating or shrinking anything else. */
  readonly path?: string;
  /** Count which corners of the spec each variant's scenarios reach: a counter per variant
   * (coverage/counter.ts: `(v) => new CoverageCounter(v)`), fed the main scenario stream's model
   * runs (not corpus replays, not shrinking); its report is the VariantSummary's `coverage`.
   * Injected, so that the engine (and every command that loads it) does not load coverage/. */
  readonly coverage?: (variant: Variant) => CoverageObserver;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** What counts a variant's coverage (coverage/counter.ts:CoverageCounter). */
export interface CoverageObserver extends TraceObserver {
  report(): Coverage;
}

export type ProgressEvent =
  | { readonly type: 'variant-start'; readonly variant: string; readonly index: number; readonly total: number }
  | { readonly type: 'violation'; readonly variant: string; readonly property: PropertyId; readonly run: number; readonly expected: Expectation }
  /** A violation shrunk to its counterexample (a trace scenario with its finding): the caller can
   * write it to disk at once, before anything else can fail. */
  | { readonly type: 'shrunk'; readonly variant: string; readonly property: PropertyId; readonly ops: number; readonly shrinks: number; readonly counterexample?: Scenario }
  | { readonly type: 'crash'; readonly variant: string; readonly message: string }
  /** Still running: scenarios generated so far for this variant, and whether it is shrinking. */
  | { readonly type: 'tick'; readonly variant: string; readonly index: number; readonly total: number; readonly scenarios: number; readonly shrinking: boolean }
  | { readonly type: 'variant-done'; readonly variant: string; readonly scenarios: number; readonly ops: number; readonly elapsedMs: number; readonly interrupted: boolean };

export interface PairResult {
  readonly variant: string;
  readonly property: PropertyId;
  readonly expected: Expectation;
  readonly outcome: 'holds' | 'violated';
  /** outcome agrees with the expectation matrix. */
  readonly matches: boolean;
  /** An expected violation not found within the budget (not searched enough): the time budget
   * stopped the variant's runs early, or all --runs scenarios were checked without finding it.
   * Not counted as a mismatch (the caller fails it under --strict). */
  readonly unsearched?: boolean;
  /** Which budget ran out for an unsearched pair. */
  readonly budget?: 'runs' | 'time';
  /** The corpus file whose replay decided this pair (no scenario was generated for it). */
  readonly corpusFile?: string;
  /** Scenarios checked for this property: up to and including the first violating one. */
  readonly runs: number;
  /** The shrunk counterexample: a "trace" scenario with results and a finding. */
  readonly counterexample?: Scenario;
  readonly shrinks?: number;
}

export interface VariantSummary {
  readonly id: string;
  readonly title: string;
  readonly scenarios: number;
  readonly ops: number;
  readonly elapsedMs: number;
  readonly interrupted: boolean;
  /** The model threw: message and the shrunk scenario that makes it throw. */
  readonly crash?: { readonly message: string; readonly scenario: Scenario; readonly corpusFile?: string };
  /** Corpus files of this variant replayed before generating, and those whose recorded
   * finding did not reproduce. */
  readonly corpusReplayed?: number;
  readonly corpusChanged?: readonly CorpusChange[];
  /** With CheckOptions.coverage: the corners the variant's scenarios reached (plain data). */
  readonly coverage?: Coverage;
}

export interface CheckReport {
  readonly seed: number;
  readonly runs: number;
  readonly maxOps: number;
  readonly variants: readonly VariantSummary[];
  readonly results: readonly PairResult[];
  /** Pairs whose outcome disagrees with the expectation matrix, not counting unsearched ones. */
  readonly mismatches: number;
  /** Expected violations not found because the time budget ran out (not searched enough). */
  readonly unsearched: number;
  readonly interrupted: boolean;
  /** No mismatch and no crash (unsearched pairs do not count: the caller decides). */
  readonly ok: boolean;
  readonly elapsedMs: number;
}

export const DEFAULT_MAX_OPS = 20;
/** Shrinking may overrun the budget by this much, so a found violation is still minimised. */
const SHRINK_GRACE_MS = 2000;

const DEFAULT_TICK_MS = 1000;
/** The clock is read every this many predicate calls, for progress ticks. */
const TICK_EVERY_RUNS = 16;

export function timeParams(deadline: number, grace: number, clock: () => number): Partial<fc.Parameters<[Scenario]>> {
  if (!Number.isFinite(deadline)) return {};
  const left = Math.max(1, deadline - clock()) + grace;
  return { plugins: [fc.interruptAfterTimeLimit(left)] };
}

/** The deadline of the next variant: an equal share of the time left among the `remaining`
 * variants (this one included). Infinity without a budget. */
export function budgetShare(now: number, deadline: number, remaining: number): number {
  if (!Number.isFinite(deadline)) return Infinity;
  return now + Math.max(0, deadline - now) / Math.max(1, remaining);
}

/** Emits `tick` events from inside fast-check's loop: counts predicate calls and reads the clock
 * every TICK_EVERY_RUNS of them. */
class Ticker {
  private calls = 0;
  private last: number;
  shrinking = false;
  constructor(
    private readonly opts: CheckOptions,
    private readonly clock: () => number,
    private readonly variant: string,
    private readonly index: number,
    private readonly run: VariantRun,
  ) {
    this.last = clock();
  }

  /** `predicate`, counting its calls. */
  wrap(predicate: (s: Scenario) => boolean): (s: Scenario) => boolean {
    return (s: Scenario): boolean => {
      if (++this.calls % TICK_EVERY_RUNS === 0) this.poll();
      return predicate(s);
    };
  }

  private poll(): void {
    const onProgress = this.opts.onProgress;
    if (!onProgress) return;
    const now = this.clock();
    if (now - this.last < (this.opts.tickMs ?? DEFAULT_TICK_MS)) return;
    this.last = now;
    onProgress({ type: 'tick', variant: this.variant, index: this.index, total: this.opts.variants.length, scenarios: this.run.scenarios, shrinking: this.shrinking });
  }
}

/** Run the check. Deterministic for a seed (unless the time budget cuts it short). */
export function runCheck(opts: CheckOptions): CheckReport {
  const clock = opts.clock ?? Date.now;
  const t0 = clock();
  const properties = opts.properties ?? ALL_PROPERTIES;
  const maxOps = opts.maxOps ?? DEFAULT_MAX_OPS;
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new RangeError(`runCheck: runs must be a positive integer (got ${String(opts.runs)})`);
  if (!Number.isInteger(opts.seed)) throw new RangeError(`runCheck: seed must be an integer (got ${String(opts.seed)})`);
  const deadline = opts.timeBudgetMs !== undefined ? t0 + opts.timeBudgetMs : Infinity;
  const results: PairResult[] = [];
  const variants: VariantSummary[] = [];
  let interrupted = false;
  opts.variants.forEach((variant, index) => {
    opts.onProgress?.({ type: 'variant-start', variant: variant.id, index, total: opts.variants.length });
    const share = budgetShare(clock(), deadline, opts.variants.length - index);
    const r = checkVariant(variant, index, properties, opts, maxOps, share, clock);
    results.push(...r.results);
    variants.push(r.summary);
    interrupted ||= r.summary.interrupted;
    opts.onProgress?.({ type: 'variant-done', variant: variant.id, scenarios: r.summary.scenarios, ops: r.summary.ops, elapsedMs: r.summary.elapsedMs, interrupted: r.summary.interrupted });
  });
  const mismatches = results.filter((r) => !r.matches && r.unsearched !== true).length;
  return {
    seed: opts.seed,
    runs: opts.runs,
    maxOps,
    variants,
    results,
    mismatches,
    unsearched: results.filter((r) => r.unsearched === true).length,
    interrupted,
    ok: mismatches === 0 && variants.every((v) => !v.crash),
    elapsedMs: clock() - t0,
  };
}

function checkVariant(variant: Variant, index: number, properties: readonly Property[], opts: CheckOptions, maxOps: number, deadline: number, clock: () => number): { results: PairResult[]; summary: VariantSummary } {
  const t0 = clock();
  const arb = scenarioArbitrary(variant, { ...opts.generator, maxOps });
  const counter = opts.coverage ? opts.coverage(variant) : undefined;
  const run = new VariantRun(variant, properties, counter);
  const ticker = new Ticker(opts, clock, variant.id, index, run);
  const predicate = ticker.wrap(run.predicate);
  const found = new Map<PropertyId, PairResult>();
  const module = opts.variantModules?.[variant.id];
  let offset = 0;
  let interrupted = false;
  let crash: VariantSummary['crash'];
  const corpus = opts.corpus && opts.path === undefined ? replayCorpus(variant, properties, opts.corpus) : null;
  if (corpus) {
    for (const hit of corpus.found) {
      const expected = expectationOf(variant, hit.property);
      found.set(hit.property, { variant: variant.id, property: hit.property, expected, outcome: 'violated', matches: expected === 'violates', runs: 0, counterexample: hit.scenario, corpusFile: hit.file });
    }
    run.retire(properties.filter((p) => found.has(p.id)));
    if (corpus.crash) {
      crash = corpus.crash;
      opts.onProgress?.({ type: 'crash', variant: variant.id, message: crash.message });
    }
  }
  if (opts.path !== undefined && !crash) {
    offset = opts.runs;
    for (const p of run.active) {
      const expected = expectationOf(variant, p.id);
      const res = replayPath(variant, p, arb, opts.seed, opts.path, module);
      if (res.counterexample) opts.onProgress?.({ type: 'shrunk', variant: variant.id, property: p.id, ops: res.counterexample.ops.length, shrinks: 0, counterexample: res.counterexample });
      found.set(p.id, { ...res, expected, matches: (expected === 'violates') === (res.outcome === 'violated') });
    }
    run.retire([...run.active]);
  }
  while (!crash && run.active.length > 0 && offset < opts.runs) {
    if (clock() >= deadline) {
      interrupted = true;
      break;
    }
    const d = fc.check(fc.property(arb, predicate), {
      seed: opts.seed,
      numRuns: opts.runs - offset,
      endOnFailure: true,
      ...(offset > 0 ? { path: String(offset) } : {}),
      ...timeParams(deadline, 0, clock),
    });
    if (!d.failed || d.counterexample === null || d.counterexamplePath === null) {
      interrupted ||= d.interrupted;
      if (!d.interrupted) offset = opts.runs;
      break;
    }
    const k = Number(d.counterexamplePath);
    const failing = run.failingOn(d.counterexample[0]);
    if (failing === 'crash') {
      ticker.shrinking = true;
      crash = shrinkCrash(variant, arb, opts.seed, k, deadline, module, d.counterexample[0], ticker, clock);
      ticker.shrinking = false;
      opts.onProgress?.({ type: 'crash', variant: variant.id, message: crash.message });
      break;
    }
    for (const p of failing) {
      const expected = expectationOf(variant, p.id);
      opts.onProgress?.({ type: 'violation', variant: variant.id, property: p.id, run: k, expected });
      ticker.shrinking = true;
      const res = shrinkFor(variant, p, arb, opts.seed, k, deadline, module, ticker, clock);
      ticker.shrinking = false;
      opts.onProgress?.({ type: 'shrunk', variant: variant.id, property: p.id, ops: res.counterexample?.ops.length ?? 0, shrinks: res.shrinks ?? 0, ...(res.counterexample ? { counterexample: res.counterexample } : {}) });
      found.set(p.id, { ...res, expected, matches: expected === 'violates' });
    }
    run.retire(failing);
    offset = k + 1;
  }
  const results: PairResult[] = properties.map((p) => {
    const hit = found.get(p.id);
    if (hit) return hit;
    const expected = expectationOf(variant, p.id);
    // an expected violation the budget left unfound: not searched enough, whichever budget ran out
    const unsearched = expected === 'violates' && !crash && opts.path === undefined;
    return { variant: variant.id, property: p.id, expected, outcome: 'holds', matches: expected === 'holds', runs: run.scenarios, ...(unsearched ? { unsearched, budget: interrupted ? 'time' as const : 'runs' as const } : {}) };
  });
  return {
    results,
    summary: {
      id: variant.id, title: variant.title, scenarios: run.scenarios, ops: run.ops, elapsedMs: clock() - t0, interrupted, ...(crash ? { crash } : {}),
      ...(corpus ? { corpusReplayed: corpus.replayed, corpusChanged: corpus.changed } : {}),
      ...(counter ? { coverage: counter.report() } : {}),
    },
  };
}

/** Shrink scenario k for property `p` alone; the result as a "trace" scenario with its finding. */
export function shrinkFor(variant: Variant, p: Property, arb: fc.Arbitrary<Scenario>, seed: number, k: number, deadline: number, module: string | undefined, ticker: { wrap(predicate: (s: Scenario) => boolean): (s: Scenario) => boolean }, clock: () => number): Omit<PairResult, 'expected' | 'matches'> {
  const target = new ShrinkTarget(variant, p);
  const d = fc.check(fc.property(arb, ticker.wrap(target.predicate)), { seed, path: String(k), numRuns: 1, ...timeParams(deadline, SHRINK_GRACE_MS, clock) });
  const scenario = d.counterexample ? d.counterexample[0] : null;
  if (!d.failed || !scenario || d.counterexamplePath === null) {
    // Cannot happen for a deterministic model; keep the run honest if it does.
    return { variant: variant.id, property: p.id, outcome: 'violated', runs: k + 1 };
  }
  const trace = traceScenario(scenario, variant);
  const v = p.check(trace);
  const counterexample = traceToScenario(trace, {
    ...(module ? { module } : {}),
    finding: { property: p.id, statement: p.statement, seed, path: d.counterexamplePath, atStep: v?.atStep ?? -1, message: v?.message ?? '(no longer violated on replay)' },
  });
  return { variant: variant.id, property: p.id, outcome: 'violated', runs: k + 1, counterexample, shrinks: d.numShrinks };
}

/** The scenario at fast-check `path` of the seed's stream, checked for property `p` alone (no
 * further shrinking: endOnFailure): what `strata check --path` reproduces. */
function replayPath(variant: Variant, p: Property, arb: fc.Arbitrary<Scenario>, seed: number, path: string, module: string | undefined): Omit<PairResult, 'expected' | 'matches'> {
  const target = new ShrinkTarget(variant, p);
  const d = fc.check(fc.property(arb, target.predicate), { seed, path, numRuns: 1, endOnFailure: true });
  const scenario = d.counterexample ? d.counterexample[0] : null;
  if (!d.failed || !scenario) return { variant: variant.id, property: p.id, outcome: 'holds', runs: 1 };
  const trace = traceScenario(scenario, variant);
  const v = p.check(trace);
  const counterexample = traceToScenario(trace, {
    ...(module ? { module } : {}),
    finding: { property: p.id, statement: p.statement, seed, path, atStep: v?.atStep ?? -1, message: v?.message ?? '(no longer violated on replay)' },
  });
  return { variant: variant.id, property: p.id, outcome: 'violated', runs: 1, counterexample, shrinks: 0 };
}

export function shrinkCrash(variant: Variant, arb: fc.Arbitrary<Scenario>, seed: number, k: number, deadline: number, module: string | undefined, original: Scenario, ticker: { wrap(predicate: (s: Scenario) => boolean): (s: Scenario) => boolean }, clock: () => number): NonNullable<VariantSummary['crash']> {
  const target = new ShrinkTarget(variant, null);
  const d = fc.check(fc.property(arb, ticker.wrap(target.predicate)), { seed, path: String(k), numRuns: 1, ...timeParams(deadline, SHRINK_GRACE_MS, clock) });
  const scenario = d.counterexample ? d.counterexample[0] : null;
  const message = target.lastError ?? 'model threw';
  const base: Scenario = scenario ?? original;
  return { message, scenario: { ...base, variant: { id: variant.id, ...(module ? { module } : {}) }, description: `model error: ${message}` } };
}
