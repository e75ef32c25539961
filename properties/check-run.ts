// The predicates fast-check runs for the check engine, as classes with bound methods (created
// once per variant, not per call): one that checks every still-active property on a scenario
// with a single model run, and one that targets a single property (or a model error) while
// shrinking.
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../variants/variant.js';
import type { Property } from './property.js';
import { viewOf } from './step-view.js';
import { StepPlan } from './step-filter.js';
import type { ModelTrace } from './trace.js';
import { traceScenario } from './trace.js';

/** Something that looks at every model run of the main scenario stream (coverage/counter.ts). */
export interface TraceObserver {
  count(trace: ModelTrace): void;
}

export class VariantRun {
  active: Property[];
  /** The active per-step checks (run in one pass over the steps, each on the steps its filter
   * admits) and the other properties. */
  private plan: StepPlan = new StepPlan([]);
  private traceChecks: Property[] = [];
  scenarios = 0;
  ops = 0;
  constructor(readonly variant: Variant, properties: readonly Property[], private readonly observer?: TraceObserver) {
    this.active = [...properties];
    this.partition();
  }

  private partition(): void {
    this.plan = new StepPlan(this.active.filter((p) => p.stepCheck));
    this.traceChecks = this.active.filter((p) => !p.stepCheck);
  }

  /** true iff every active property holds (a model error counts as a failure). */
  readonly predicate = (scenario: Scenario): boolean => {
    this.scenarios++;
    this.ops += scenario.ops.length;
    let trace;
    try {
      trace = traceScenario(scenario, this.variant);
    } catch {
      return false;
    }
    this.observer?.count(trace);
    return this.holds(trace);
  };

  /** true iff every active property holds on the trace. */
  holds(trace: ModelTrace): boolean {
    const steps = trace.steps;
    const plan = this.plan;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const sc = plan.checksFor(step);
      if (sc.length === 0) continue;
      const view = viewOf(step);
      for (let j = 0; j < sc.length; j++) if (sc[j]!(view, trace) !== null) return false;
    }
    const tc = this.traceChecks;
    for (let j = 0; j < tc.length; j++) if (tc[j]!.check(trace) !== null) return false;
    return true;
  }

  /** The active properties the scenario violates, or 'crash' if the model throws on it. */
  failingOn(scenario: Scenario): Property[] | 'crash' {
    let trace;
    try {
      trace = traceScenario(scenario, this.variant);
    } catch {
      return 'crash';
    }
    return this.active.filter((p) => p.check(trace) !== null);
  }

  retire(done: readonly Property[]): void {
    this.active = this.active.filter((p) => !done.includes(p));
    this.partition();
  }
}

/** Fails on scenarios that violate `property` (or, with null, make the model throw). */
export class ShrinkTarget {
  lastError: string | undefined;
  constructor(readonly variant: Variant, readonly property: Property | null) {}

  readonly predicate = (scenario: Scenario): boolean => {
    try {
      const trace = traceScenario(scenario, this.variant);
      return this.property === null || this.property.check(trace) === null;
    } catch (e) {
      if (this.property !== null) return true;
      this.lastError = e instanceof Error ? e.message : String(e);
      return false;
    }
  };
}
