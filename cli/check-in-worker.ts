// strata check's engine on a worker thread, so that the main thread stays free to answer an
// interrupt while the (synchronous) engine runs: stop() terminates the worker at once, and what
// it reported until then — progress events, each finished variant's report — is the partial
// result. One variant at a time, each with its share of the time budget left (budgetShare, as
// runCheck shares it): the same runs, seeds and paths as one runCheck over all variants.
import type { TreeName } from './trees.js';
import { Worker } from 'node:worker_threads';
import type { CheckReport, ProgressEvent } from '../properties/check.js';
import type { CorpusEntry } from '../properties/corpus-replay.js';
import { UsageError } from './errors.js';
import { bundledWorker } from './worker-bundle.js';

async function entry(): Promise<URL> {
  if (!import.meta.url.endsWith('.ts')) return new URL('./check-worker.js', import.meta.url);
  return (await bundledWorker(new URL('./check-worker.ts', import.meta.url))) ?? new URL('./check-worker.mjs', import.meta.url);
}

export interface CheckWorkerInput {
  /** Variant ids or module paths, and property ids, as resolve.ts takes them. */
  readonly variants: readonly string[];
  readonly properties: readonly string[];
  readonly cwd: string;
  readonly runs: number;
  readonly seed: number;
  readonly maxOps: number;
  /** Epoch ms when the time budget is spent, or null. */
  readonly deadline: number | null;
  readonly variantModules: Readonly<Record<string, string>>;
  /** The regression corpus, loaded by the main thread (plain JSON, cloned). */
  readonly corpus: readonly CorpusEntry[];
  /** --path: replay this fast-check path only. */
  readonly path?: string;
  /** Count the corners each variant reaches (CheckOptions.coverage). */
  readonly coverage?: boolean;
  /** --tree: the scenarios' file tree (cli/trees.ts; default: the model's default tree). */
  readonly tree?: TreeName;
}

export type CheckWorkerMessage =
  | { readonly type: 'progress'; readonly event: ProgressEvent }
  | { readonly type: 'variant'; readonly report: CheckReport }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

export interface CheckOutcome {
  /** One report per finished variant, in order. */
  readonly parts: readonly CheckReport[];
  /** Every variant finished (false: stopped). */
  readonly complete: boolean;
}

export class CheckInWorker {
  private worker: Worker | null = null;
  private stopped = false;
  private readonly parts: CheckReport[] = [];

  /** Run the check; `onProgress` gets every engine event, in order. */
  run(input: CheckWorkerInput, onProgress: (e: ProgressEvent) => void): Promise<CheckOutcome> {
    return new Promise((resolve, reject) => {
      // in the package (dist/) the compiled module; in a checkout the bundled worker
      // (cli/worker-bundle.ts), else tsx's loader shim
      void entry().then((url) => this.start(url, input, onProgress, resolve, reject), reject);
    });
  }

  private start(url: URL, input: CheckWorkerInput, onProgress: (e: ProgressEvent) => void, resolve: (o: CheckOutcome) => void, reject: (e: unknown) => void): void {
    {
      if (this.stopped) return resolve({ parts: this.parts, complete: false });
      const worker = new Worker(url, { workerData: input });
      this.worker = worker;
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        f();
      };
      // messages are handled after stop() too: a counterexample posted before the worker ended
      // is still written
      worker.on('message', (m: CheckWorkerMessage) => {
        try {
          if (m.type === 'progress') onProgress(m.event);
          else if (m.type === 'variant') this.parts.push(m.report);
          else if (m.type === 'done') settle(() => resolve({ parts: this.parts, complete: true }));
          else settle(() => reject(m.name === 'UsageError' ? new UsageError(m.message) : Object.assign(new Error(m.message), { name: m.name })));
        } catch (e) {
          // a failure of the main side (writing a counterexample): stop the engine, report it
          this.stopped = true;
          void worker.terminate();
          settle(() => reject(e));
        }
      });
      worker.on('error', (e) => settle(() => reject(e)));
      worker.on('exit', () => settle(() => resolve({ parts: this.parts, complete: false })));
    }
  }

  /** Terminate the engine now; run() resolves with the variants finished so far. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.worker?.terminate();
  }
}

/** One report from the finished variants' reports (as runCheck over all of them gives). */
export function mergeReports(parts: readonly CheckReport[], base: { seed: number; runs: number; maxOps: number; elapsedMs: number }): CheckReport {
  const results = parts.flatMap((p) => p.results);
  const variants = parts.flatMap((p) => p.variants);
  const mismatches = results.filter((r) => !r.matches && r.unsearched !== true).length;
  return {
    ...base,
    variants,
    results,
    mismatches,
    unsearched: results.filter((r) => r.unsearched === true).length,
    interrupted: parts.some((p) => p.interrupted),
    ok: mismatches === 0 && variants.every((v) => !v.crash),
  };
}
