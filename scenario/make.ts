// Building scenario documents from model values: the default world, a script, and the trace of
// a script from the model's step outputs.
import type { Op } from '../model/ops.js';
import type { Universe } from '../model/universe.js';
import type { WorldOptions } from '../model/state.js';
import { initialWorld } from '../model/state.js';
import { defaultUniverse } from '../model/universe.js';
import type { Scenario, ScenarioVariant, ScenarioWorld, TraceStep, Finding, KernelRecord, Discrepancy } from './types.js';
import { SCENARIO_VERSION } from './types.js';

/** The scenario world of `initialWorld(opts)` (the model's defaults when opts is empty). */
export function scenarioWorld(opts: Omit<WorldOptions, 'semantics'> = {}): ScenarioWorld {
  const w = initialWorld(opts);
  const first = w.tasks.at(0)!;
  return { abi: w.abi, nnp: first.nnp, capSysAdmin: first.capSysAdmin, fs: w.fs };
}

/** The WorldOptions that recreate a scenario's initial world (semantics come from the variant). */
export function worldOptionsOf(s: Scenario): Omit<WorldOptions, 'semantics'> {
  return { abi: s.world.abi, nnp: s.world.nnp, capSysAdmin: s.world.capSysAdmin, fs: s.world.fs };
}

export interface ScenarioParts {
  readonly variant: ScenarioVariant;
  readonly ops: readonly Op[];
  readonly world?: ScenarioWorld;
  readonly universe?: Universe;
  /** Present: the document is a trace with these steps (one per op). */
  readonly results?: readonly TraceStep[];
  readonly target?: 'model' | 'kernel';
  readonly finding?: Finding;
  readonly kernel?: KernelRecord;
  readonly discrepancy?: Discrepancy;
  readonly description?: string;
}

/** A scenario document from its parts; world and universe default to the model's defaults. */
export function scenarioOf(p: ScenarioParts): Scenario {
  const s: Scenario = {
    strata: 'scenario',
    version: SCENARIO_VERSION,
    kind: p.results ? 'trace' : 'script',
    ...(p.description !== undefined ? { description: p.description } : {}),
    variant: p.variant,
    world: p.world ?? scenarioWorld(),
    universe: p.universe ?? defaultUniverse(),
    ops: p.ops,
    ...(p.results ? { results: p.results.map((r) => ({ tid: r.tid, result: r.result })) } : {}),
    ...(p.target ? { target: p.target } : {}),
    ...(p.finding ? { finding: p.finding } : {}),
    ...(p.kernel ? { kernel: p.kernel } : {}),
    ...(p.discrepancy ? { discrepancy: p.discrepancy } : {}),
  };
  return s;
}
