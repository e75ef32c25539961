// A worker thread of strata check's pool (cli/check-pool.ts): resolves the variants (user
// modules load here too) and properties once, then runs the jobs it is sent, one at a time
// (cli/check-jobs.ts), and answers each. Prints nothing.
import { parentPort, workerData } from 'node:worker_threads';
import type { PoolAnswer, PoolInput, PoolJob } from './check-pool.js';
import { JobRunner } from './check-jobs.js';
import { resolveVariants, resolveProperties } from './resolve.js';

const input = workerData as PoolInput;
const post = (m: PoolAnswer): void => parentPort!.postMessage(m);
const failure = (e: unknown): PoolAnswer => ({ type: 'error', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });

try {
  const variants = (await resolveVariants(input.variants, input.cwd)).map((r) => r.variant);
  const runner = new JobRunner(input, variants, resolveProperties(input.properties));
  parentPort!.on('message', (job: PoolJob) => {
    try {
      post(runner.run(job));
    } catch (e) {
      post(failure(e));
    }
  });
  post({ type: 'ready' });
} catch (e) {
  post(failure(e));
}
