// Scenario scripts for a variant: a plain array of ops (generators/op-list.ts), wrapped as a
// versioned `Scenario` document (scenario/types.ts).
import type fc from 'fast-check';
import type { Op } from '../model/ops.js';
import type { Scenario, ScenarioWorld } from '../scenario/types.js';
import { SCENARIO_VERSION } from '../scenario/types.js';
import type { Variant } from '../variants/variant.js';
import { stepFor } from '../variants/step-for.js';
import { defaultScenarioWorld, initialWorldFor } from '../properties/trace.js';
import type { GeneratorOptions, GeneratorOptionsInput } from './options.js';
import { resolveOptions } from './options.js';
import { OpGenerator } from './ops.js';
import { OpListArbitrary } from './op-list.js';
import { Retargeter } from './retarget.js';
import { ShorterRoutes } from '../explore/shorter.js';

/** The scenario world generated scripts run in: the variant's defaults, then the options'. */
export function generatedWorld(variant: Variant, options: GeneratorOptions): ScenarioWorld {
  return { ...defaultScenarioWorld(variant), ...options.world };
}

/** Op sequences for a variant: only ops its API accepts, minOps..maxOps long. */
export function opsArbitrary(variant: Variant, input: GeneratorOptionsInput = {}): fc.Arbitrary<Op[]> {
  const options = resolveOptions(input);
  const world = generatedWorld(variant, options);
  const gen = new OpGenerator({ variant, options, abi: world.abi, fs: world.fs });
  const step = stepFor(variant);
  const initial = initialWorldFor(variant, world, options.universe);
  const shrinking = { retarget: new Retargeter(step, initial), routes: new ShorterRoutes(variant, step, initial) };
  return new OpListArbitrary(gen, options.minOps, options.maxOps, shrinking);
}

/** Wraps an op list in the scenario head; the fields are written out (a spread with an added
 * field is several times slower), in the head's key order, so the JSON is the same. */
class ToScenario {
  constructor(private readonly head: Omit<Scenario, 'ops'>) {}
  readonly apply = (ops: Op[]): Scenario => {
    const h = this.head;
    return { strata: h.strata, version: h.version, kind: h.kind, variant: h.variant, world: h.world, universe: h.universe, ops };
  };
}

/** Generated `Scenario` scripts for a variant. */
export function scenarioArbitrary(variant: Variant, input: GeneratorOptionsInput = {}): fc.Arbitrary<Scenario> {
  const options = resolveOptions(input);
  const head: Omit<Scenario, 'ops'> = {
    strata: 'scenario',
    version: SCENARIO_VERSION,
    kind: 'script',
    variant: { id: variant.id },
    world: generatedWorld(variant, options),
    universe: options.universe,
  };
  return opsArbitrary(variant, input).map(new ToScenario(head).apply);
}
