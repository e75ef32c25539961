// When a per-step check can fail. A property declares the steps outside which its stepCheck
// returns null by its own early returns (the op kind, success, whether the world or a stack
// changed), and the check engine calls it only on the steps its filter admits: most checks are
// about a few op kinds, and most steps change no stack. properties/step-filter.test.ts holds
// every declared filter to the checks' results.
import type { Op } from '../model/ops.js';
import type { Property, StepCheck } from './property.js';
import type { TraceStep } from './trace.js';
import type { StepView } from './step-view.js';
import { viewOf } from './step-view.js';

export interface StepFilter {
  /** Only steps of these op kinds. */
  readonly ops?: readonly Op['op'][];
  /** true: only successful steps (result 'ok'); false: only the others. */
  readonly ok?: boolean;
  /** Only steps that changed the world (after !== before). */
  readonly changed?: boolean;
  /** Only steps that changed some survivor's stacks (view.restacked is not empty); implies `changed`. */
  readonly restacked?: boolean;
}

/** What a step changed, in the order the filters narrow it: nothing, the world, a stack. */
const UNCHANGED = 0;
const CHANGED = 1;
const RESTACKED = 2;

/** The filter admits the step: the check it guards may be non-null there. */
export function admits(filter: StepFilter | undefined, view: StepView): boolean {
  if (filter === undefined) return true;
  const { step } = view;
  if (filter.ops !== undefined && !filter.ops.includes(step.op.op)) return false;
  if (filter.ok !== undefined && filter.ok !== view.ok) return false;
  if (filter.changed === true && step.after === step.before) return false;
  if (filter.restacked === true && view.restacked.length === 0) return false;
  return true;
}

function admitsAt(filter: StepFilter | undefined, op: Op['op'], ok: boolean, level: number): boolean {
  if (filter === undefined) return true;
  if (filter.ops !== undefined && !filter.ops.includes(op)) return false;
  if (filter.ok !== undefined && filter.ok !== ok) return false;
  if (filter.changed === true && level < CHANGED) return false;
  if (filter.restacked === true && level < RESTACKED) return false;
  return true;
}

/**
 * The step checks of some properties, sorted per op kind, success and level of change (built
 * per op kind on first sight), in the properties' order. A step's view is built only when a
 * check may run on it.
 */
export class StepPlan {
  /** Per op kind: six lists, at index (ok ? 3 : 0) + level. */
  private readonly byOp: Record<string, (readonly StepCheck[])[] | undefined> = Object.create(null);

  constructor(readonly properties: readonly Property[]) {}

  private listsFor(op: Op['op']): (readonly StepCheck[])[] {
    let lists = this.byOp[op];
    if (lists === undefined) {
      lists = [];
      for (let k = 0; k < 6; k++) {
        const ok = k >= 3;
        const level = k % 3;
        const checks: StepCheck[] = [];
        for (const p of this.properties) if (p.stepCheck && admitsAt(p.on, op, ok, level)) checks.push(p.stepCheck);
        lists.push(checks);
      }
      this.byOp[op] = lists;
    }
    return lists;
  }

  /** The checks whose filters admit `step` (its view is built only if the answer depends on it). */
  checksFor(step: TraceStep): readonly StepCheck[] {
    const lists = this.listsFor(step.op.op);
    const base = step.out.result.kind === 'ok' ? 3 : 0;
    if (step.after === step.before) return lists[base + UNCHANGED]!;
    const restacked = lists[base + RESTACKED]!;
    if (restacked.length === lists[base + CHANGED]!.length) return restacked;
    return viewOf(step).restacked.length > 0 ? restacked : lists[base + CHANGED]!;
  }
}
