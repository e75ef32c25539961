// A model run trace: a scenario's ops run on a variant with model/step.ts, recording the world
// before and after each op. Cheap: worlds are immutable and share everything that did not
// change, so a trace holds n+1 world values but only the changed parts of each.
import type { Op } from '../model/ops.js';
import type { World } from '../model/state.js';
import { initialWorld } from '../model/state.js';
import type { StepOut } from '../model/result.js';
import type { Universe } from '../model/universe.js';
import { defaultUniverse } from '../model/universe.js';
import { defaultFsTree } from '../model/landlock/fstree.js';
import type { Scenario, ScenarioWorld, TraceStep as ScenarioTraceStep } from '../scenario/types.js';
import { SCENARIO_VERSION } from '../scenario/types.js';
import type { StepFn, Variant } from '../variants/variant.js';
import { stepFor } from '../variants/step-for.js';
import { REFERENCE_ABI } from '../variants/linux.js';
import { builtinVariant } from '../variants/registry.js';
import { Decisions } from './decisions.js';
import type { StepView } from './step-view.js';

export interface TraceStep {
  readonly index: number;
  readonly op: Op;
  readonly before: World;
  readonly after: World;
  /** The step's result and the tid the op resolved to (0: none). */
  readonly out: StepOut;
  /** What properties ask of the step, computed on first use (properties/step-view.ts). */
  view?: StepView;
}

export interface ModelTrace {
  readonly variant: Variant;
  readonly world: ScenarioWorld;
  readonly universe: Universe;
  readonly initial: World;
  readonly steps: readonly TraceStep[];
  /** The variant's transition (for counterfactual runs). */
  readonly step: StepFn;
  /** Decision tables of this trace's tasks, memoised (properties/decisions.ts). */
  readonly decisions: Decisions;
}

/** The scenario world a variant runs in by default: its ABI and settings over the model's defaults. */
export function defaultScenarioWorld(variant: Variant): ScenarioWorld {
  return {
    abi: variant.abi ?? REFERENCE_ABI,
    nnp: variant.world?.nnp ?? false,
    capSysAdmin: variant.world?.capSysAdmin ?? true,
    fs: defaultFsTree(),
  };
}

/** The model's initial world for a variant, a scenario world and the scenario's universe. */
export function initialWorldFor(variant: Variant, world: ScenarioWorld, universe: Universe): World {
  return initialWorld({ semantics: variant.semantics, abi: world.abi, fs: world.fs, nnp: world.nnp, capSysAdmin: world.capSysAdmin, universe });
}

export interface RunOptions {
  readonly world?: ScenarioWorld;
  readonly universe?: Universe;
}

/** Run `ops` on `variant` from the scenario world, recording every step. Never throws on bad ops. */
export function runTrace(variant: Variant, ops: readonly Op[], opts: RunOptions = {}): ModelTrace {
  const world = opts.world ?? defaultScenarioWorld(variant);
  const universe = opts.universe ?? defaultUniverse();
  const step = stepFor(variant);
  const initial = initialWorldFor(variant, world, universe);
  const steps: TraceStep[] = new Array<TraceStep>(ops.length);
  let w = initial;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const out = step(w, op);
    steps[i] = { index: i, op, before: w, after: out.world, out, view: undefined };
    w = out.world;
  }
  return { variant, world, universe, initial, steps, step, decisions: new Decisions(universe) };
}

/** Run a scenario's ops on `variant` (its own world and universe). */
export function traceScenario(scenario: Scenario, variant: Variant): ModelTrace {
  return runTrace(variant, scenario.ops, { world: scenario.world, universe: scenario.universe });
}

/**
 * The model re-run of a scenario: `variant` if given, else the built-in named by
 * scenario.variant.id (a user module must be loaded first with variants/registry.ts:loadVariant).
 */
export function replayScenario(scenario: Scenario, variant?: Variant): ModelTrace {
  const v = variant ?? builtinVariant(scenario.variant.id);
  if (!v) {
    const hint = scenario.variant.module ? ` (load ${scenario.variant.module} with loadVariant and pass it)` : '';
    throw new Error(`replayScenario: variant "${scenario.variant.id}" is not built in${hint}`);
  }
  if (variant && variant.id !== scenario.variant.id) {
    throw new Error(`replayScenario: scenario is for variant "${scenario.variant.id}", not "${variant.id}"`);
  }
  return traceScenario(scenario, v);
}

/** A trace as a scenario document of kind "trace" (ops + the model's results). */
export function traceToScenario(trace: ModelTrace, extra: Partial<Pick<Scenario, 'finding' | 'description'>> & { module?: string } = {}): Scenario {
  const results: ScenarioTraceStep[] = trace.steps.map((s) => ({ tid: s.out.tid, result: s.out.result }));
  return {
    strata: 'scenario',
    version: SCENARIO_VERSION,
    kind: 'trace',
    ...(extra.description ? { description: extra.description } : {}),
    variant: { id: trace.variant.id, ...(extra.module ? { module: extra.module } : {}) },
    world: trace.world,
    universe: trace.universe,
    ops: trace.steps.map((s) => s.op),
    results,
    target: 'model',
    ...(extra.finding ? { finding: extra.finding } : {}),
  };
}
