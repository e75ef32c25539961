// The op-list arbitrary: generation and shrinking side by side (cf. fast-check's arbitraries).
// A length is drawn uniformly in minOps..maxOps, then segments (an op, a compromise burst, a
// workflow fitted to the ops left) are drawn until it is reached; shrinking is generators/shrink.ts on the flat list, so values
// need no context and any op list (a replayed scenario's) can be shrunk.
import fc from 'fast-check';
import type { Op } from '../model/ops.js';
import type { OpGenerator } from './ops.js';
import { shrinkOps } from './shrink.js';
import { Population } from './population.js';
import { intDraws } from './int-draws.js';
import type { ShrinkContext } from './shrink.js';

function toValue(ops: Op[]): fc.Value<Op[]> {
  return new fc.Value(ops, undefined);
}

export class OpListArbitrary extends fc.Arbitrary<Op[]> {
  constructor(
    private readonly ops: OpGenerator,
    private readonly minOps: number,
    private readonly maxOps: number,
    private readonly shrinking: ShrinkContext = {},
  ) {
    super();
  }

  generate(mrng: fc.Random): fc.Value<Op[]> {
    const rng = intDraws(mrng);
    const n = rng.nextInt(this.minOps, this.maxOps);
    const out: Op[] = [];
    const pop = new Population();
    while (out.length < n) this.ops.segment(rng, out, pop, n - out.length);
    if (out.length > n) out.length = n;
    return toValue(out);
  }

  canShrinkWithoutContext(value: unknown): value is Op[] {
    return Array.isArray(value);
  }

  shrink(value: Op[]): fc.Stream<fc.Value<Op[]>> {
    return fc.stream(shrinkOps(value, this.minOps, this.shrinking)).map(toValue);
  }
}
