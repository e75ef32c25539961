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
  /** Only steps after which some survivor may decide differently (view.redecided is not
   * empty); implies `changed`. */
  readonly redecided?: boolean;
  /** Only steps that changed some survivor's stacks (view.restacked is not empty); implies
   * `redecided`. */
  readonly restacked?: boolean;
}

/** What a step changed, in the order the filters narrow it: nothing, the world, some survivor's
 * decision inputs, a stack. */
const UNCHANGED = 0;
const CHANGED = 1;
const REDECIDED = 2;
const RESTACKED = 3;
const LEVELS = 4;

/** The filter admits the step: the check it guards may be non-null there. */
export function admits(filter: StepFilter | undefined, view: StepView): boolean {
  if (filter === undefined) return true;
  const { step } = view;
  if (filter.ops !== undefined && !filter.ops.includes(step.op.op)) return false;
  if (filter.ok !== undefined && filter.ok !== view.ok) return false;
  if (filter.changed === true && step.after === step.before) return false;
  if (filter.redecided === true && view.redecided.length === 0) return false;
  if (filter.restacked === true && view.restacked.length === 0) return false;
  return true;
}

/**
 * Whether some surviving task's decision inputs (filter, seccomp mode, domain, thread group)
 * or the evaluation or tree may differ across the step — read without a view: when false,
 * view.redecided is empty (tasks keep their tids except at exec, which answers true). */
function inputsMayDiffer(step: TraceStep): boolean {
  const { before, after } = step;
  if (before.fs !== after.fs || before.semantics !== after.semantics) return true;
  if (after.tasks === before.tasks) return false;
  const b = before.tasks.toArray();
  const a = after.tasks.toArray();
  if (step.op.op === 'exec') return true;
  let j = 0;
  for (let i = 0; i < b.length && j < a.length; i++) {
    const bt = b[i]!;
    const at = a[j]!;
    if (at.tid !== bt.tid) continue;
    j++;
    if (at !== bt && (at.filter !== bt.filter || at.domain !== bt.domain || at.seccompMode !== bt.seccompMode || at.tgid !== bt.tgid)) return true;
  }
  return false;
}

function admitsAt(filter: StepFilter | undefined, op: Op['op'], ok: boolean, level: number): boolean {
  if (filter === undefined) return true;
  if (filter.ops !== undefined && !filter.ops.includes(op)) return false;
  if (filter.ok !== undefined && filter.ok !== ok) return false;
  if (filter.changed === true && level < CHANGED) return false;
  if (filter.redecided === true && level < REDECIDED) return false;
  if (filter.restacked === true && level < RESTACKED) return false;
  return true;
}

/**
 * The step checks of some properties, sorted per op kind, success and level of change (built
 * per op kind on first sight), in the properties' order. A step's view is built only when a
 * check may run on it.
 */
export class StepPlan {
  /** Per op kind: eight lists, at index (ok ? LEVELS : 0) + level. */
  private readonly byOp: Record<string, (readonly StepCheck[])[] | undefined> = Object.create(null);

  constructor(readonly properties: readonly Property[]) {}

  private listsFor(op: Op['op']): (readonly StepCheck[])[] {
    let lists = this.byOp[op];
    if (lists === undefined) {
      lists = [];
      for (let k = 0; k < 2 * LEVELS; k++) {
        const ok = k >= LEVELS;
        const level = k % LEVELS;
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
    const base = step.out.result.kind === 'ok' ? LEVELS : 0;
    if (step.after === step.before) return lists[base + UNCHANGED]!;
    const restacked = lists[base + RESTACKED]!;
    const changed = lists[base + CHANGED]!;
    if (restacked.length === changed.length) return restacked;
    // A step that changed no survivor's decision inputs changed no stack either.
    if (!inputsMayDiffer(step)) return changed;
    const view = viewOf(step);
    if (view.restacked.length > 0) return restacked;
    return view.redecided.length > 0 ? lists[base + REDECIDED]! : changed;
  }
}
