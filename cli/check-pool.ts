// strata check on every core: N worker threads, started once, fed small jobs from one queue so
// that no core idles — a variant's corpus replay, run ranges of its scenario stream
// (properties/check-range.ts), and the shrinking of each first violation as soon as it is
// certain. The main thread only dispatches and tallies (VariantTally), so it stays free to answer
// an interrupt: stop() terminates every worker, and what was reported until then (each finished
// variant, every counterexample already shrunk) is the partial result. The result is the serial
// engine's, exactly: the same firsts, counterexamples, counts (check-range.ts says why).
//
// Queue order: shrink jobs first (long, and the variant waits for them), then the next variant's
// corpus replay, then run ranges of the earliest variant that has any left. Ranges are handed out
// in stream order, so a range never checks a property already violated before it.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { CheckReport, ProgressEvent, PairResult, VariantSummary } from '../properties/check.js';
import { budgetShare } from '../properties/check.js';
import type { CorpusReplay } from '../properties/corpus-replay.js';
import type { PropertyId } from '../properties/ids.js';
import type { RangeResult, Shrunk, VariantWork } from '../properties/check-range.js';
import { VariantTally, chunkRanges, streamRanges, variantResults } from '../properties/check-range.js';
import type { Variant } from '../variants/variant.js';
export type { VariantWork } from '../properties/check-range.js';
import { expectationOf } from '../variants/variant.js';
import type { Property } from '../properties/property.js';
import { UsageError } from './errors.js';
import { JobRunner } from './check-jobs.js';
import { bundledWorker } from './worker-bundle.js';
import type { CheckWorkerInput } from './check-in-worker.js';

/** What every worker is started with: the one-worker engine's input (cli/check-in-worker.ts)
 * less --path and --coverage, which run on one worker only. */
export type PoolInput = Omit<CheckWorkerInput, 'path' | 'coverage'>;

/** What the workers run; `id` pairs a job with its answer. */
export type PoolJob =
  | { readonly id: number; readonly type: 'corpus'; readonly variant: number }
  | { readonly id: number; readonly type: 'range'; readonly variant: number; readonly from: number; readonly to: number; readonly properties: readonly PropertyId[]; readonly deadline: number | null }
  | { readonly id: number; readonly type: 'shrink'; readonly variant: number; readonly property: PropertyId; readonly index: number; readonly deadline: number | null }
  | { readonly id: number; readonly type: 'crash'; readonly variant: number; readonly index: number; readonly deadline: number | null };

export type PoolAnswer =
  | { readonly type: 'ready' }
  | { readonly type: 'corpus'; readonly id: number; readonly corpus: CorpusReplay | null }
  | { readonly type: 'range'; readonly id: number; readonly range: RangeResult }
  | { readonly type: 'shrink'; readonly id: number; readonly shrunk: Shrunk }
  | { readonly type: 'crash'; readonly id: number; readonly crash: NonNullable<VariantSummary['crash']> }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

export interface PoolOutcome {
  /** One report per finished variant, in variant order (stops at the first unfinished one). */
  readonly parts: readonly CheckReport[];
  readonly work: readonly VariantWork[];
  readonly complete: boolean;
}

/** Jobs posted to a worker at once. */
const IN_FLIGHT = 2;

/** The default --workers: the cores Node may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

class VariantState {
  tally: VariantTally;
  corpus: CorpusReplay | null = null;
  corpusDone = false;
  corpusAsked = false;
  nextRange = 0;
  readonly shrunk = new Map<PropertyId, Shrunk>();
  crash: { index: number; crash: NonNullable<VariantSummary['crash']> } | null = null;
  busy = 0;
  /** Of `busy`, the run ranges. */
  busyRanges = 0;
  started = false;
  finished = false;
  t0 = 0;
  elapsedMs = 0;
  /** With a time budget: this variant's share, fixed when its first range is handed out. */
  deadline: number | null = null;
  constructor(readonly index: number, readonly variant: Variant, readonly ranges: readonly (readonly [number, number])[], properties: readonly PropertyId[]) {
    this.tally = new VariantTally(variant.id, properties, ranges);
  }
}

/** Where jobs run: a worker thread, or this thread (an in-process run). */
interface Lane {
  post(job: PoolJob): void;
  terminate(): Promise<unknown>;
}

export class CheckPool {
  private workers: Lane[] = [];
  private stopped = false;

  /**
   * Run `variants` (resolved here too, for expectations and titles) on `workers` threads over the
   * run slice [from, to) of every variant's stream.
   */
  run(input: PoolInput, variants: readonly Variant[], properties: readonly Property[], opts: { readonly workers: number; readonly slice?: readonly [number, number]; readonly chunk?: number; readonly now?: () => number; readonly inProcess?: boolean }, onProgress: (e: ProgressEvent) => void): Promise<PoolOutcome> {
    const now = opts.now ?? Date.now;
    const [from, to] = opts.slice ?? [0, input.runs];
    const n = Math.max(1, Math.min(opts.workers, 64));
    const ids = properties.map((p) => p.id);
    const states = variants.map((v, i) => new VariantState(i, v, opts.chunk !== undefined ? chunkRanges(from, to, opts.chunk) : streamRanges(from, to, n), ids));
    const parts: CheckReport[] = [];
    const work: VariantWork[] = [];
    const shrinkQueue: PoolJob[] = [];
    const inflight = new Map<number, { job: PoolJob; worker: Lane }>();
    let nextId = 1;
    let reported = 0;
    let lastTick = now();
    const deadline = input.deadline;
    return new Promise<PoolOutcome>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        for (const w of this.workers) void w.terminate();
        f();
      };
      const fail = (e: unknown): void => settle(() => reject(e));
      const idle: Lane[] = [];

      const nextJob = (): PoolJob | null => {
        const s = shrinkQueue.shift();
        if (s) return s;
        for (const st of states) {
          if (!st.corpusAsked) {
            st.corpusAsked = true;
            start(st);
            return { id: nextId++, type: 'corpus', variant: st.index };
          }
          if (!st.corpusDone) {
            // with a time budget the variants take their shares one after another
            if (deadline !== null) return null;
            continue;
          }
          if (st.tally.wanted() && st.nextRange < st.ranges.length) {
            // each variant's share of the budget left when it starts (as runCheck shares it)
            if (deadline !== null && st.deadline === null) st.deadline = budgetShare(Date.now(), deadline, states.length - st.index);
            const [a, b] = st.ranges[st.nextRange++]!;
            if (st.deadline !== null && Date.now() >= st.deadline) {
              // the time budget is spent: the variant's stream ends here (not searched enough)
              const cut: RangeResult = { variant: st.variant.id, from: a, to: b, end: a, ops: 0, firsts: [], crash: null, stop: 'time', elapsedMs: 0 };
              st.tally.add(cut);
              st.nextRange = st.ranges.length;
              afterTally(st);
              continue;
            }
            return { id: nextId++, type: 'range', variant: st.index, from: a, to: b, properties: st.tally.toCheck(ids), deadline: st.deadline };
          }
          if (deadline !== null && st.tally.wanted()) return null;
        }
        return null;
      };
      const start = (st: VariantState): void => {
        if (st.started) return;
        st.started = true;
        st.t0 = now();
        onProgress({ type: 'variant-start', variant: st.variant.id, index: st.index, total: states.length });
      };
      const pump = (): void => {
        while (idle.length > 0 && !this.stopped) {
          const job = nextJob();
          if (!job) break;
          const w = idle.pop()!;
          inflight.set(job.id, { job, worker: w });
          states[job.variant]!.busy++;
          if (job.type === 'range') states[job.variant]!.busyRanges++;
          w.post(job);
        }
        finishVariants();
        if (reported === states.length) settle(() => resolve({ parts, work, complete: true }));
      };
      const finishVariants = (): void => {
        // in variant order, so that the parts (and the report) keep the serial order
        while (reported < states.length) {
          const st = states[reported]!;
          // ranges still running after the variant is decided cannot change it: not waited for
          const waiting = st.busy - (st.tally.done ? st.busyRanges : 0);
          if (!st.corpusDone || waiting > 0 || shrinkQueue.some((j) => j.variant === st.index)) break;
          if (!st.tally.done) break;
          if (!st.finished) {
            st.finished = true;
            st.elapsedMs = now() - st.t0;
          }
          const variant = st.variant;
          const crashed = st.corpus?.crash !== undefined;
          const r = variantResults(variant, properties, crashed ? null : st.tally, st.corpus, st.shrunk, st.crash?.crash, { elapsedMs: st.elapsedMs });
          const mismatches = r.results.filter((x) => !x.matches && x.unsearched !== true).length;
          parts.push({
            seed: input.seed, runs: input.runs, maxOps: input.maxOps, variants: [r.summary], results: r.results, mismatches,
            unsearched: r.results.filter((x) => x.unsearched === true).length, interrupted: r.summary.interrupted,
            ok: mismatches === 0 && !r.summary.crash, elapsedMs: st.elapsedMs,
          });
          work.push({ id: variant.id, corpus: st.corpus, ranges: st.tally.taken(), shrunk: [...st.shrunk.values()], crash: st.crash });
          onProgress({ type: 'variant-done', variant: variant.id, scenarios: r.summary.scenarios, ops: r.summary.ops, elapsedMs: st.elapsedMs, interrupted: r.summary.interrupted });
          reported++;
        }
      };
      const afterTally = (st: VariantState): void => {
        for (const f of st.tally.final()) {
          if ('crash' in f) {
            shrinkQueue.push({ id: nextId++, type: 'crash', variant: st.index, index: f.crash, deadline: st.deadline });
          } else {
            onProgress({ type: 'violation', variant: st.variant.id, property: f.property, run: f.index, expected: expectationOf(st.variant, f.property) });
            shrinkQueue.push({ id: nextId++, type: 'shrink', variant: st.index, property: f.property, index: f.index, deadline: st.deadline });
          }
        }
      };
      const onAnswer = (w: Lane, m: PoolAnswer): void => {
        if (m.type === 'ready') {
          // two jobs in flight per worker: the next one is already queued in the worker when it
          // finishes one, so it never waits for this thread (a busy machine may be slow to run it)
          for (let i = 0; i < IN_FLIGHT; i++) idle.push(w);
          return pump();
        }
        if (m.type === 'error') return fail(m.name === 'UsageError' ? new UsageError(m.message) : Object.assign(new Error(m.message), { name: m.name }));
        const entry = inflight.get(m.id);
        if (!entry) return;
        inflight.delete(m.id);
        const st = states[entry.job.variant]!;
        st.busy--;
        if (entry.job.type === 'range') st.busyRanges--;
        if (m.type === 'corpus') {
          st.corpus = m.corpus;
          st.corpusDone = true;
          if (m.corpus) {
            const decided = new Set(m.corpus.found.map((f) => f.property));
            st.tally = new VariantTally(st.variant.id, ids.filter((p) => !decided.has(p)), st.ranges);
            if (m.corpus.crash) {
              st.tally.stopBeforeStream();
              onProgress({ type: 'crash', variant: st.variant.id, message: m.corpus.crash.message });
            }
          }
        } else if (m.type === 'range') {
          st.tally.add(m.range);
          afterTally(st);
          const t = now();
          if (t - lastTick >= 1000) {
            lastTick = t;
            onProgress({ type: 'tick', variant: st.variant.id, index: st.index, total: states.length, scenarios: st.tally.scenarios, shrinking: shrinkQueue.length > 0 });
          }
        } else if (m.type === 'shrink') {
          st.shrunk.set(m.shrunk.property, m.shrunk);
          onProgress({ type: 'shrunk', variant: st.variant.id, property: m.shrunk.property, ops: m.shrunk.counterexample?.ops.length ?? 0, shrinks: m.shrunk.shrinks ?? 0, ...(m.shrunk.counterexample ? { counterexample: m.shrunk.counterexample } : {}) });
        } else {
          st.crash = { index: (entry.job as { index: number }).index, crash: m.crash };
          onProgress({ type: 'crash', variant: st.variant.id, message: m.crash.message });
        }
        idle.push(w);
        pump();
      };

      const guarded = (w: Lane, m: PoolAnswer): void => {
        try {
          onAnswer(w, m);
        } catch (e) {
          // a failure of the main side (writing a counterexample): stop, report it
          this.stopped = true;
          fail(e);
        }
      };
      if (opts.inProcess) {
        // one lane on this thread: each job in its own macrotask, so that signals are still seen
        const runner = new JobRunner(input, variants, properties);
        let dead = false;
        const lane: Lane = {
          post: (job) => void setImmediate(() => {
            if (dead) return;
            let answer: PoolAnswer;
            try {
              answer = runner.run(job);
            } catch (e) {
              answer = { type: 'error', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
            }
            if (!dead) guarded(lane, answer);
          }),
          terminate: () => {
            dead = true;
            if (this.stopped) setImmediate(() => settle(() => resolve({ parts, work, complete: false })));
            return Promise.resolve();
          },
        };
        this.workers.push(lane);
        setImmediate(() => guarded(lane, { type: 'ready' }));
        return;
      }
      const workerData = { ...input };
      void workerEntry().then((entry) => {
       if (this.stopped) settle(() => resolve({ parts, work, complete: false }));
       if (settled) return;
       for (let i = 0; i < n; i++) {
        const w = new Worker(entry, { workerData });
        const lane: Lane = { post: (job) => w.postMessage(job), terminate: () => w.terminate() };
        this.workers.push(lane);
        w.on('message', (m: PoolAnswer) => guarded(lane, m));
        w.on('error', (e) => fail(e));
        w.on('exit', () => {
          if (this.stopped) settle(() => resolve({ parts, work, complete: false }));
          else if (!settled) fail(new Error('a check worker thread exited unexpectedly'));
        });
       }
      }, fail);
    });
  }

  /** Terminate every worker now; run() resolves with the variants finished so far. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The worker's entry: the compiled module next to this one (the package), or in a checkout the
 * worker's module graph bundled once (cli/worker-bundle.ts), else tsx's loader shim. */
async function workerEntry(): Promise<URL> {
  if (!import.meta.url.endsWith('.ts')) return new URL('./check-pool-worker.js', import.meta.url);
  return (await bundledWorker(new URL('./check-pool-worker.ts', import.meta.url))) ?? new URL('./check-pool-worker.mjs', import.meta.url);
}

/** The pairs a finished report of `parts` holds, for callers that want the flat list. */
export function pairsOf(parts: readonly CheckReport[]): PairResult[] {
  return parts.flatMap((p) => p.results);
}
