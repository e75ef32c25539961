// A property: one invariant checked over a model run trace. Results are data: null (holds on
// this trace) or the first violation, with the step index, a one-line message and details
// (plain JSON) for reports.
import type { PropertyId } from './ids.js';
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
