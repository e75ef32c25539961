// A property: one invariant checked over a model run trace. Results are data: null (holds on
// this trace) or the first violation, with the step index, a one-line message and details
// (plain JSON) for reports.
import type { PropertyId } from './ids.js';
import type { World } from '../model/state.js';
import type { ModelTrace, TraceStep } from './trace.js';
import type { StepView } from './step-view.js';
import type { StepFilter } from './step-filter.js';
import { viewOf } from './step-view.js';

export interface Violation {
  /** Index of the step at which the property failed (-1: in the initial world). */
  readonly atStep: number;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Which tasks a property protects from the acting task x: 'processes' — tasks outside x's
 * thread group; 'threads' — x's sibling threads; 'self' — x itself; 'all' — every task.
 */
export type ThreadScope = 'processes' | 'threads' | 'self' | 'all';

export interface Property {
  readonly id: PropertyId;
  /** One line. */
  readonly statement: string;
  /** Seed invariant id (layering-designs §5) and kernel function(s). */
  readonly source: string;
  /** Which tasks the property protects from the acting task (is the thread group a boundary). */
  readonly threadScope: ThreadScope;
  /** Why, in one sentence. */
  readonly threadNote: string;
  check(trace: ModelTrace): Violation | null;
  /** For per-step properties: the step check `check` runs over every step (the check engine
   * runs all of them in one pass over a trace). */
  readonly stepCheck?: StepCheck;
  /** The steps on which stepCheck can be non-null (properties/step-filter.ts); default: every step. */
  readonly on?: StepFilter;
  /** For properties that carry state along a trace (not a per-step check): a fresh monitor in
   * the initial world; `check` is its run over every step. `strata explore` advances one copy
   * per explored path. */
  readonly monitor?: () => PropertyMonitor;
}

/**
 * A property's state along one run, advanced step by step. `advance` mutates the monitor; a
 * copy's later advances leave the original alone (explore branches a path into many).
 */
export interface PropertyMonitor {
  /** The violation at this step (atStep = step.index), or null; moves the monitor past it. */
  advance(step: TraceStep, trace: ModelTrace): Violation | null;
  copy(): PropertyMonitor;
  /** True only if advancing past `step` would change nothing and find nothing (explore then
   * keeps this monitor instead of a copy). */
  idle(step: TraceStep): boolean;
  /** Everything besides the world that the monitor's future answers depend on, as data
   * (explore's de-duplication keys worlds with it); empty when it carries nothing. */
  state(): readonly Counterfactual[];
}

/**
 * A counterfactual run a monitor carries (non-interference): the real task it watches, and
 * once the runs have parted, the counterfactual world, with the tids its tasks have there
 * (real tid → counterfactual tid) for the tasks whose calls are replayed in it.
 */
export interface Counterfactual {
  readonly watched: number;
  readonly world: World | null;
  readonly pins: ReadonlyMap<number, number> | undefined;
}

/** A per-step check: null or the violation at this step (atStep is filled in). */
export type StepCheck = (view: StepView, trace: ModelTrace) => Omit<Violation, 'atStep'> | null;

/** Run a per-step check over a trace; the first violation wins. */
export function firstStepViolation(trace: ModelTrace, check: StepCheck): Violation | null {
  const steps: readonly TraceStep[] = trace.steps;
  for (let i = 0; i < steps.length; i++) {
    const v = check(viewOf(steps[i]!), trace);
    if (v) return { atStep: i, message: v.message, details: v.details };
  }
  return null;
}

/** "step 3: fork by 100" — the op and its actor, for messages. */
export function describeStep(view: StepView): string {
  return `${view.step.op.op} by ${view.step.out.tid || '(no task)'}`;
}
