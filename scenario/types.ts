// The scenario: strata's one plain, versioned JSON document. Two kinds (cf. SibylFS): a
// `script` (the operations) and a `trace` (operations + the observed result of each).
// Generators produce scripts; the model and the kernel executor turn scripts into traces;
// properties and reports read traces. The JSON Schema is scenario/scenario.schema.json.
//
// A run on a live kernel is recorded beside the model's results, never instead of them:
// `kernel` holds the kernel's result per op (scenario/kernel-result.ts), and a conformance
// discrepancy (strata conform) is a trace whose `results` are the model's, whose `kernel` is the
// kernel's, and whose `discrepancy` names the differing steps and the fast-check seed and path.
import type { Op } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import type { FsTree } from '../model/landlock/fstree.js';
import type { Universe } from '../model/universe.js';
import type { KernelRunStatus, KernelStep, KernelTableEntry, KernelTableRequest } from './kernel-result.js';

/**
 * The document version a reader refuses when it does not know it. The H1 map ops (`map_create`,
 * `map_put`, seccomp_filter's `map`) came without a bump: they are new op kinds and an optional
 * field, so every earlier document is still valid and means the same, and a reader that predates
 * them refuses a document using them at the schema step, naming the op or field — never reading
 * it as something else.
 */
export const SCENARIO_VERSION = 2;

/**
 * Every version this strata reads. Version 2 holds every 64-bit value exactly: a u64 field
 * (a syscall request's `ip` and `args`, ruleset_create's `fs`/`net`/`scoped`, a rule's `access`
 * and `port`) may be a JSON number below 2^53 or a hex string "0x…" of up to 16 digits
 * (model/u64.ts); read back, a value below 2^53 becomes a number whichever way it was written.
 * Version 1 has numbers only (so values ≥ 2^53 cannot be written) and is otherwise identical:
 * it is read as it always was.
 */
export const SCENARIO_VERSIONS_READ: readonly number[] = [1, 2];

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

/** Where a bounded-exhaustive search found a finding. */
export interface ExploreOrigin {
  readonly scope: string;
  readonly depth: number;
}

/** What a failing run found, so a reader can reproduce it by either route. */
export interface Finding {
  readonly property: string;
  readonly statement: string;
  /** `strata check`: the fast-check seed and counterexample path (fc.assert's replay
   * parameters). Present unless `explore` is. */
  readonly seed?: number;
  readonly path?: string;
  /** `strata explore`: the scope and depth of the bounded-exhaustive search that found it (the
   * shortest violating sequence of the scope). */
  readonly explore?: ExploreOrigin;
  /** Index of the step at which the property failed (-1: in the initial world), and why. */
  readonly atStep: number;
  readonly message: string;
}

/** One run of the scenario's ops on a live kernel (conformance/runner.ts), as recorded. */
export interface KernelRecord {
  /** The kernel's release (uname -r) and Landlock ABI, as the executor detected them. */
  readonly release: string;
  readonly landlockAbi: number;
  /** How the run ended: 'ok' when every op ran (each result says how). */
  readonly status: KernelRunStatus;
  /** One entry per op, in order: the tid the op resolved to and what the kernel did. */
  readonly results: readonly KernelStep[];
  /** Full-table observes (strata conform): every live task's decision for every request of the
   * universe, after observes and at the end. */
  readonly tables?: readonly KernelTableEntry[];
}

/** Where the model (`results`) and the kernel (`kernel.results`) disagree: strata conform. */
export interface Discrepancy {
  /** fast-check seed and counterexample path (fc.check's replay parameters). */
  readonly seed: number;
  readonly path: string;
  /** Indices of the steps whose kernel result differs from the model's, in order. */
  readonly steps: readonly number[];
  /** Full-table entries whose kernel decision differs from the model's (`kernel.tables`). */
  readonly table?: readonly { readonly point: number | 'end'; readonly tid: number; readonly request: KernelTableRequest }[];
  /** Why the first of them differs. */
  readonly message: string;
}

export interface Scenario {
  readonly strata: 'scenario';
  /** The version written is SCENARIO_VERSION; SCENARIO_VERSIONS_READ are read. */
  readonly version: 1 | 2;
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
  /** A run on a live kernel: its result per op, beside the model's `results`. */
  readonly kernel?: KernelRecord;
  /** kind "trace" with `kernel`: the steps where the kernel differs from the model. */
  readonly discrepancy?: Discrepancy;
}
