// A worker thread of strata check's pool (cli/check-pool.ts): resolves the variants (user
// modules load here too) and properties once, then runs the jobs it is sent, one at a time, and
// answers each: a corpus replay, a run range, a shrink, a model error's shrink. Prints nothing.
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../variants/variant.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import { shrinkFor, shrinkCrash } from '../properties/check.js';
import { checkRange } from '../properties/check-range.js';
import { replayCorpus } from '../properties/corpus-replay.js';
import { propertyById } from '../properties/all.js';
import type { Property } from '../properties/property.js';
import type { PoolAnswer, PoolInput, PoolJob } from './check-pool.js';
import { resolveVariants, resolveProperties } from './resolve.js';

const input = workerData as PoolInput;
const post = (m: PoolAnswer): void => parentPort!.postMessage(m);
const plain = { wrap: (p: (s: Scenario) => boolean) => p };

try {
  const variants = (await resolveVariants(input.variants, input.cwd)).map((r) => r.variant);
  const properties = resolveProperties(input.properties);
  const arbs = new Map<Variant, fc.Arbitrary<Scenario>>();
  const arbOf = (v: Variant): fc.Arbitrary<Scenario> => {
    let a = arbs.get(v);
    if (!a) arbs.set(v, (a = scenarioArbitrary(v, { maxOps: input.maxOps })));
    return a;
  };
  const deadline = input.deadline ?? Infinity;
  const run = (job: PoolJob): PoolAnswer => {
    const variant = variants[job.variant]!;
    const module = input.variantModules[variant.id];
    switch (job.type) {
      case 'corpus':
        return { type: 'corpus', id: job.id, corpus: replayCorpus(variant, properties, input.corpus) };
      case 'range': {
        const ps = job.properties.map((id) => propertyById(id)).filter((p): p is Property => p !== undefined);
        return { type: 'range', id: job.id, range: checkRange(variant, ps, arbOf(variant), input.seed, job.from, job.to, deadline) };
      }
      case 'shrink': {
        const p = propertyById(job.property)!;
        return { type: 'shrink', id: job.id, shrunk: shrinkFor(variant, p, arbOf(variant), input.seed, job.index, deadline, module, plain, Date.now) };
      }
      case 'crash': {
        const arb = arbOf(variant);
        const d = fc.check(fc.property(arb, () => false), { seed: input.seed, path: String(job.index), numRuns: 1, endOnFailure: true });
        const original = d.counterexample![0] as Scenario;
        return { type: 'crash', id: job.id, crash: shrinkCrash(variant, arb, input.seed, job.index, deadline, module, original, plain, Date.now) };
      }
    }
  };
  parentPort!.on('message', (job: PoolJob) => {
    try {
      post(run(job));
    } catch (e) {
      post({ type: 'error', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });
    }
  });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'error', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });
}
