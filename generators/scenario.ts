// Scenario scripts for a variant: a plain array of ops, wrapped as a versioned `Scenario`
// document (scenario/types.ts). Generation picks segments (one op, or an attack burst) and
// flattens them; shrinking works on the flat list (generators/shrink.ts), so any single op can
// go, a burst's compromise included.
import fc from 'fast-check';
import type { Op } from '../model/ops.js';
import type { Scenario, ScenarioWorld } from '../scenario/types.js';
import { SCENARIO_VERSION } from '../scenario/types.js';
import type { Variant } from '../variants/variant.js';
import { defaultScenarioWorld, initialWorldFor } from '../properties/trace.js';
import { stepFor } from '../variants/step-for.js';
import type { GeneratorOptions, GeneratorOptionsInput } from './options.js';
import { resolveOptions } from './options.js';
import type { OpContext } from './ops.js';
import { opArbitrary } from './ops.js';
import { attackArbitrary } from './attack.js';
import { OpListArbitrary } from './shrink.js';
import { Retargeter } from './retarget.js';

/** The scenario world generated scripts run in: the variant's defaults, then the options'. */
export function generatedWorld(variant: Variant, options: GeneratorOptions): ScenarioWorld {
  return { ...defaultScenarioWorld(variant), ...options.world };
}

function single(op: Op): Op[] {
  return [op];
}

function flatten(segments: readonly (readonly Op[])[]): Op[] {
  const out: Op[] = [];
  for (const s of segments) for (const o of s) out.push(o);
  return out;
}

class Truncate {
  constructor(readonly max: number) {}
  apply = (ops: Op[]): Op[] => (ops.length > this.max ? ops.slice(0, this.max) : ops);
}

/** Op sequences for a variant: only ops its API accepts, minOps..maxOps long. */
export function opsArbitrary(variant: Variant, input: GeneratorOptionsInput = {}): fc.Arbitrary<Op[]> {
  const options = resolveOptions(input);
  const world = generatedWorld(variant, options);
  const ctx: OpContext = { variant, options, abi: world.abi, fs: world.fs };
  const segments: fc.WeightedArbitrary<Op[]>[] = [{ arbitrary: opArbitrary(ctx).map(single), weight: 100 }];
  const attack = (options.weights.attack ?? 0) > 0 ? attackArbitrary(ctx) : null;
  if (attack) {
    const total = Object.entries(options.weights).reduce((s, [k, w]) => (k === 'attack' ? s : s + (w ?? 0)), 0);
    segments.push({ arbitrary: attack, weight: Math.max(1, Math.round((100 * (options.weights.attack ?? 0)) / Math.max(1, total))) });
  }
  const seg = segments.length === 1 ? segments[0]!.arbitrary : fc.oneof(...segments);
  const trunc = new Truncate(options.maxOps);
  const source = fc.array(seg, { minLength: options.minOps, maxLength: options.maxOps, size: 'max' }).map(flatten).map(trunc.apply);
  const retarget = new Retargeter(stepFor(variant), initialWorldFor(variant, world, options.universe));
  return new OpListArbitrary(source, options.minOps, retarget);
}

/** Generated `Scenario` scripts for a variant. */
export function scenarioArbitrary(variant: Variant, input: GeneratorOptionsInput = {}): fc.Arbitrary<Scenario> {
  const options = resolveOptions(input);
  const world = generatedWorld(variant, options);
  const head = {
    strata: 'scenario' as const,
    version: SCENARIO_VERSION as typeof SCENARIO_VERSION,
    kind: 'script' as const,
    variant: { id: variant.id },
    world,
    universe: options.universe,
  };
  return opsArbitrary(variant, input).map((ops) => ({ ...head, ops }));
}
