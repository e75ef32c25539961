// The scenario: strata's one plain, versioned JSON document. Two kinds (cf. SibylFS): a
// `script` (the operations) and a `trace` (operations + the observed result of each).
// Generators produce scripts; the model and the kernel executor turn scripts into traces;
// properties and reports read traces. The JSON Schema is scenario/scenario.schema.json.
import type { Op } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import type { FsTree } from '../model/landlock/fstree.js';
import type { Universe } from '../model/universe.js';

export const SCENARIO_VERSION = 1;

export interface ScenarioWorld {
  /** Landlock ABI the model runs at. */
  readonly abi: number;
  /** The first task's credentials. */
  readonly nnp: boolean;
  readonly capSysAdmin: boolean;
  readonly fs: FsTree;
}

export interface ScenarioVariant {
  /** Built-in variant id (e.g. "linux") or the id declared by a user variant module. */
  readonly id: string;
  /** Path of a user variant module, when not built in. */
  readonly module?: string;
}

/** One step of a trace: the tid the op resolved to and its result. */
export interface TraceStep {
  readonly tid: number;
  readonly result: OpResult;
}

/** What a failing run found, so a reader can reproduce it by either route. */
export interface Finding {
  readonly property: string;
  readonly statement: string;
  /** fast-check seed and counterexample path (fc.assert's replay parameters). */
  readonly seed: number;
  readonly path: string;
  /** Index of the step at which the property failed (-1: in the initial world), and why. */
  readonly atStep: number;
  readonly message: string;
}

export interface Scenario {
  readonly strata: 'scenario';
  readonly version: typeof SCENARIO_VERSION;
  readonly kind: 'script' | 'trace';
  /** Free text for human readers: why this scenario exists (corpus, rationale traces). */
  readonly description?: string;
  readonly variant: ScenarioVariant;
  readonly world: ScenarioWorld;
  readonly universe: Universe;
  readonly ops: readonly Op[];
  /** kind "trace": one entry per op, in order. */
  readonly results?: readonly TraceStep[];
  /** Where the trace came from. */
  readonly target?: 'model' | 'kernel';
  readonly finding?: Finding;
}
