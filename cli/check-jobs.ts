// The jobs of strata check's pool (cli/check-pool.ts), run where they are sent: on a worker
// thread (cli/check-pool-worker.ts) or, for an in-process run (tests, benchmarks), on this one.
// A corpus replay, a run range, a shrink at a first violation, a model error's shrink.
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
import { treeGenerator } from './trees.js';

const plain = { wrap: (p: (s: Scenario) => boolean): ((s: Scenario) => boolean) => p };

export class JobRunner {
  private readonly arbs = new Map<Variant, fc.Arbitrary<Scenario>>();
  private readonly deadline: number;
  constructor(private readonly input: PoolInput, private readonly variants: readonly Variant[], private readonly properties: readonly Property[]) {
    this.deadline = input.deadline ?? Infinity;
  }

  private arbOf(v: Variant): fc.Arbitrary<Scenario> {
    let a = this.arbs.get(v);
    if (!a) this.arbs.set(v, (a = scenarioArbitrary(v, { ...treeGenerator(this.input.tree), maxOps: this.input.maxOps })));
    return a;
  }

  run(job: PoolJob): PoolAnswer {
    const { input } = this;
    const deadline = job.type !== 'corpus' && job.deadline !== null ? job.deadline : this.deadline;
    const variant = this.variants[job.variant]!;
    const module = input.variantModules[variant.id];
    switch (job.type) {
      case 'corpus':
        return { type: 'corpus', id: job.id, corpus: replayCorpus(variant, this.properties, input.corpus) };
      case 'range': {
        const ps = job.properties.map((id) => propertyById(id)).filter((p): p is Property => p !== undefined);
        return { type: 'range', id: job.id, range: checkRange(variant, ps, this.arbOf(variant), input.seed, job.from, job.to, deadline) };
      }
      case 'shrink':
        return { type: 'shrink', id: job.id, shrunk: shrinkFor(variant, propertyById(job.property)!, this.arbOf(variant), input.seed, job.index, deadline, module, plain, Date.now) };
      case 'crash': {
        const arb = this.arbOf(variant);
        const d = fc.check(fc.property(arb, () => false), { seed: input.seed, path: String(job.index), numRuns: 1, endOnFailure: true });
        const original = d.counterexample![0] as Scenario;
        return { type: 'crash', id: job.id, crash: shrinkCrash(variant, arb, input.seed, job.index, deadline, module, original, plain, Date.now) };
      }
    }
  }
}
