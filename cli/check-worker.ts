// The worker-thread side of strata check (cli/check-in-worker.ts): resolves the variants and
// properties it is given by name, runs the check engine one variant at a time, and posts every
// progress event and each variant's report to the main thread, which stays free to answer
// signals. Library-style: it prints nothing.
import { parentPort, workerData } from 'node:worker_threads';
import { runCheck, budgetShare } from '../properties/check.js';
import { CoverageCounter } from '../coverage/counter.js';
import type { Variant } from '../variants/variant.js';
import type { CheckWorkerInput, CheckWorkerMessage } from './check-in-worker.js';
import { resolveVariants, resolveProperties } from './resolve.js';
import { treeGenerator } from './trees.js';

const input = workerData as CheckWorkerInput;
const post = (m: CheckWorkerMessage): void => parentPort!.postMessage(m);

try {
  const variants = await resolveVariants(input.variants, input.cwd);
  const properties = resolveProperties(input.properties);
  variants.forEach(({ variant }, index) => {
    // each variant's share of what is left, as runCheck shares a budget (properties/check.ts)
    const left = input.deadline === null ? undefined : Math.max(0, budgetShare(Date.now(), input.deadline, variants.length - index) - Date.now());
    const report = runCheck({
      variants: [variant],
      properties,
      runs: input.runs,
      seed: input.seed,
      maxOps: input.maxOps,
      ...(left !== undefined ? { timeBudgetMs: left } : {}),
      variantModules: input.variantModules,
      corpus: input.corpus,
      ...(input.path !== undefined ? { path: input.path } : {}),
      ...(input.coverage ? { coverage: (v: Variant) => new CoverageCounter(v, { mounts: input.tree === 'mounts' }) } : {}),
      generator: treeGenerator(input.tree),
      onProgress: (e) => post({ type: 'progress', event: e.type === 'variant-start' ? { ...e, index, total: variants.length } : e }),
    });
    post({ type: 'variant', report });
  });
  post({ type: 'done' });
} catch (e) {
  post({ type: 'error', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });
}
