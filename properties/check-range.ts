// The check engine split into pieces that can run anywhere and be put back together exactly:
// a *run range* [from, to) of one variant's scenario stream, checked for a set of properties
// (checkRange), and the in-order tally of range results that gives what one serial runCheck of
// the variant gives (VariantTally): the same first violation of each property, the same model
// error, the same scenario and op counts. `strata check --workers N` runs ranges on worker
// threads; `--shard i/n` runs a slice of them and `strata merge` tallies the slices.
//
// Why it is exact. Scenario k of a variant's stream depends only on the seed, k and --max-ops
// (fast-check path "k": the stream's random generator is jumped k times, and the bias is k's),
// never on the scenarios before it, so a range sees the scenarios a serial run sees there. A
// serial run checks each property on every scenario until its first violation (then retires
// it) and stops at the first model error, or when no property is left. So, over the ranges in
// order: a property's first violation is the first range's local first; a model error at c
// counts iff some property is still unviolated at c; the run's scenarios end after the last
// property's first violation, the counted model error, or the end. A range checks every
// property not already found *before* it (ranges are handed out in order), so it checks at
// least what the serial run checks there, and the tally ignores what it saw beyond that.
// Shrinking depends only on (variant, property, seed, index, max-ops): `shrinkFor` on the first
// index gives the serial run's counterexample, whoever runs it.
import fc from 'fast-check';
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../variants/variant.js';
import { expectationOf } from '../variants/variant.js';
import type { Property } from './property.js';
import type { PropertyId } from './ids.js';
import { VariantRun } from './check-run.js';
import type { CorpusReplay } from './corpus-replay.js';
import type { PairResult, VariantSummary } from './check.js';
import { timeParams } from './check.js';

/** A property's first violation within a range: the scenario's index in the stream, and the ops
 * of the range's scenarios up to and including it. */
export interface RangeFirst {
  readonly property: PropertyId;
  readonly index: number;
  readonly opsThrough: number;
}

export interface RangeResult {
  readonly variant: string;
  /** The range asked for: scenarios [from, to) of the variant's stream. */
  readonly from: number;
  readonly to: number;
  /** Scanned [from, end): `to`, or less when it stopped early (see `stop`). */
  readonly end: number;
  /** Ops of the scenarios scanned. */
  readonly ops: number;
  readonly firsts: readonly RangeFirst[];
  /** The model threw on scenario `index` (the range stops there). */
  readonly crash: { readonly index: number; readonly opsThrough: number } | null;
  /** end: every scenario scanned; retired: every property it checked was violated; crash; time:
   * the deadline passed. */
  readonly stop: 'end' | 'retired' | 'crash' | 'time';
  readonly elapsedMs: number;
}

/** Check scenarios [from, to) of the variant's stream (`arb` with `seed`) for `properties`. */
export function checkRange(variant: Variant, properties: readonly Property[], arb: fc.Arbitrary<Scenario>, seed: number, from: number, to: number, deadline: number, clock: () => number = Date.now): RangeResult {
  const t0 = clock();
  const run = new VariantRun(variant, properties);
  const firsts: RangeFirst[] = [];
  let crash: RangeResult['crash'] = null;
  let stop: RangeResult['stop'] = 'end';
  let offset = from;
  while (offset < to) {
    if (run.active.length === 0) {
      stop = 'retired';
      break;
    }
    if (clock() >= deadline) {
      stop = 'time';
      break;
    }
    const d = fc.check(fc.property(arb, run.predicate), {
      seed,
      numRuns: to - offset,
      endOnFailure: true,
      ...(offset > 0 ? { path: String(offset) } : {}),
      ...timeParams(deadline, 0, clock),
    });
    if (!d.failed || d.counterexample === null || d.counterexamplePath === null) {
      if (d.interrupted) stop = 'time';
      break;
    }
    const k = Number(d.counterexamplePath);
    const failing = run.failingOn(d.counterexample[0]);
    if (failing === 'crash') {
      crash = { index: k, opsThrough: run.ops };
      stop = 'crash';
      break;
    }
    for (const p of failing) firsts.push({ property: p.id, index: k, opsThrough: run.ops });
    run.retire(failing);
    offset = k + 1;
  }
  if (stop === 'end' && run.active.length === 0 && from + run.scenarios < to) stop = 'retired';
  return { variant: variant.id, from, to, end: from + run.scenarios, ops: run.ops, firsts, crash, stop, elapsedMs: clock() - t0 };
}

/** The run ranges of a slice [from, to) in chunks of `chunk` scenarios. */
export function chunkRanges(from: number, to: number, chunk: number): [number, number][] {
  const out: [number, number][] = [];
  const size = Math.max(1, Math.floor(chunk));
  for (let a = from; a < to; a += size) out.push([a, Math.min(to, a + size)]);
  return out;
}

/**
 * The run ranges of a slice [from, to) for `workers` workers. A range starting at k first walks
 * fast-check's generator k jumps forward (its path "k": ~1.5 µs a jump, where a scenario takes
 * ~180 µs to check), so equal ranges would cost O(runs²) in jumps; these grow with their start
 * (at least k/2 long: the walk costs under ~2% of the range's work), are at least `least` long
 * (small runs: ~8 per worker), and shrink again towards the end so that the workers finish
 * together. Deterministic in (from, to, workers): a shard's ranges do not depend on timing.
 */
export function streamRanges(from: number, to: number, workers: number): [number, number][] {
  const w = Math.max(1, workers);
  const least = Math.max(1, Math.min(250, Math.ceil((to - from) / (w * 8))));
  const out: [number, number][] = [];
  for (let a = from; a < to; ) {
    const size = Math.max(least, Math.min(Math.ceil(a / 2), Math.ceil((to - a) / w)));
    const b = Math.min(to, a + size);
    out.push([a, b]);
    a = b;
  }
  return out;
}

/** Shard i of n (1-based) of a variant's stream of `runs` scenarios: a contiguous slice, the
 * same for every variant, so the slices of 1..n cover [0, runs) exactly once. */
export function shardSlice(runs: number, index: number, count: number): [number, number] {
  return [Math.floor(((index - 1) * runs) / count), Math.floor((index * runs) / count)];
}

/** Everything one variant's work produced: what a shard's result document carries so that
 * `strata merge` can tally the shards' ranges as if one run had made them. */
export interface VariantWork {
  readonly id: string;
  readonly corpus: CorpusReplay | null;
  /** The run ranges checked, in stream order. */
  readonly ranges: readonly RangeResult[];
  /** Each first violation's counterexample (shrinkFor at its index). */
  readonly shrunk: readonly Shrunk[];
  /** The model error and the stream index it was found at. */
  readonly crash: { readonly index: number; readonly crash: NonNullable<VariantSummary['crash']> } | null;
}

/** A counterexample as the shrinker gave it (check.ts shrinkFor). */
export type Shrunk = Omit<PairResult, 'expected' | 'matches'>;

/**
 * The ranges of one variant, put back together in order. Ranges may arrive in any order; they are
 * taken in the order of `ranges` (the slice's chunks: contiguous for a whole run, a shard's slice
 * for a shard, every shard's chunks for a merge). `final()` lists what has become certain: each
 * first violation (to shrink) and the model error, once every range before it is in.
 */
export class VariantTally {
  private readonly got = new Map<number, RangeResult>();
  private next = 0;
  private readonly active: Set<PropertyId>;
  /** The first violation of each property so far (final: every range before it is in). */
  readonly firsts = new Map<PropertyId, number>();
  crash: number | null = null;
  scenarios = 0;
  ops = 0;
  elapsedMs = 0;
  interrupted = false;
  done = false;
  /** Found in some range received so far (its first is at most that range's index). */
  private readonly seen = new Set<PropertyId>();
  private readonly pending: ({ readonly property: PropertyId; readonly index: number } | { readonly crash: number })[] = [];

  constructor(readonly variant: string, active: readonly PropertyId[], private readonly ranges: readonly (readonly [number, number])[]) {
    this.active = new Set(active);
    if (this.active.size === 0 || ranges.length === 0) this.done = true;
  }

  /** The properties a range starting at `from` must still check: none found before it. */
  toCheck(all: readonly PropertyId[]): PropertyId[] {
    return all.filter((p) => this.active.has(p) && !this.seen.has(p));
  }

  /** The corpus (or anything before the stream) ended the variant: a model error there. */
  stopBeforeStream(): void {
    this.done = true;
  }

  add(r: RangeResult): void {
    this.got.set(r.from, r);
    for (const f of r.firsts) this.seen.add(f.property);
    while (!this.done && this.next < this.ranges.length) {
      const [from] = this.ranges[this.next]!;
      const hit = this.got.get(from);
      if (!hit) break;
      this.next++;
      this.take(hit);
    }
    if (this.next >= this.ranges.length) this.done = true;
  }

  /** The ranges the tally took, in stream order: those after the decision (still running when
   * it came) are left out, so what a shard keeps does not depend on timing. */
  taken(): RangeResult[] {
    return this.ranges.slice(0, this.next).map(([from]) => this.got.get(from)!);
  }

  /** Ranges still worth running: none once the variant is decided. */
  wanted(): boolean {
    return !this.done;
  }

  /** First violations and the model error that became certain since the last call. */
  final(): ({ readonly property: PropertyId; readonly index: number } | { readonly crash: number })[] {
    return this.pending.splice(0);
  }

  private take(r: RangeResult): void {
    this.elapsedMs += r.elapsedMs;
    const events: { index: number; opsThrough: number; property?: PropertyId }[] = r.firsts.filter((f) => this.active.has(f.property)).map((f) => ({ ...f }));
    if (r.crash) events.push({ index: r.crash.index, opsThrough: r.crash.opsThrough });
    events.sort((a, b) => a.index - b.index || (a.property === undefined ? 1 : 0) - (b.property === undefined ? 1 : 0));
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.property === undefined) {
        // a model error counts only where the serial run still had a property to check
        if (this.active.size === 0) break;
        this.crash = e.index;
        this.pending.push({ crash: e.index });
        this.finish(r, e.index, e.opsThrough);
        return;
      }
      this.active.delete(e.property);
      this.firsts.set(e.property, e.index);
      this.pending.push({ property: e.property, index: e.index });
      const last = i + 1 >= events.length || events[i + 1]!.index !== e.index;
      if (last && this.active.size === 0) {
        this.finish(r, e.index, e.opsThrough);
        return;
      }
    }
    if (r.stop === 'time') {
      this.interrupted = true;
      this.scenarios += r.end - r.from;
      this.ops += r.ops;
      this.done = true;
      return;
    }
    if (r.stop !== 'end') throw new Error(`check range ${r.variant} [${r.from}, ${r.to}) stopped (${r.stop}) with properties still to check: the ranges are inconsistent`);
    this.scenarios += r.to - r.from;
    this.ops += r.ops;
  }

  private finish(r: RangeResult, index: number, opsThrough: number): void {
    this.scenarios += index + 1 - r.from;
    this.ops += opsThrough;
    this.done = true;
  }
}

/**
 * The variant's results and summary from its tally, its corpus replay and its counterexamples,
 * exactly as runCheck's checkVariant builds them (properties/check.ts).
 */
export function variantResults(variant: Variant, properties: readonly Property[], tally: VariantTally | null, corpus: CorpusReplay | null, shrunk: ReadonlyMap<PropertyId, Shrunk>, crash: VariantSummary['crash'] | undefined, opts: { readonly elapsedMs: number }): { results: PairResult[]; summary: VariantSummary } {
  const found = new Map<PropertyId, PairResult>();
  if (corpus) {
    for (const hit of corpus.found) {
      const expected = expectationOf(variant, hit.property);
      found.set(hit.property, { variant: variant.id, property: hit.property, expected, outcome: 'violated', matches: expected === 'violates', runs: 0, counterexample: hit.scenario, corpusFile: hit.file });
    }
  }
  const corpusCrash = corpus?.crash;
  const theCrash = corpusCrash ?? crash;
  if (tally && !corpusCrash) {
    for (const [property, index] of tally.firsts) {
      const expected = expectationOf(variant, property);
      const s = shrunk.get(property) ?? { variant: variant.id, property, outcome: 'violated' as const, runs: index + 1 };
      found.set(property, { ...s, expected, matches: expected === 'violates' });
    }
  }
  const scenarios = tally && !corpusCrash ? tally.scenarios : 0;
  const interrupted = tally !== null && !corpusCrash && tally.interrupted;
  const results: PairResult[] = properties.map((p) => {
    const hit = found.get(p.id);
    if (hit) return hit;
    const expected = expectationOf(variant, p.id);
    const unsearched = expected === 'violates' && !theCrash;
    return { variant: variant.id, property: p.id, expected, outcome: 'holds', matches: expected === 'holds', runs: scenarios, ...(unsearched ? { unsearched, budget: interrupted ? 'time' as const : 'runs' as const } : {}) };
  });
  return {
    results,
    summary: {
      id: variant.id, title: variant.title, scenarios, ops: tally && !corpusCrash ? tally.ops : 0, elapsedMs: opts.elapsedMs, interrupted, ...(theCrash ? { crash: theCrash } : {}),
      ...(corpus ? { corpusReplayed: corpus.replayed, corpusChanged: corpus.changed } : {}),
    },
  };
}
