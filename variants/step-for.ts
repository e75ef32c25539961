// The transition function of a variant: model/step.ts:step, through the variant's middleware
// if it has one. Wrapped once per variant object and reused (no closure per call).
import type { StepFn, Variant } from './variant.js';
import type { World } from '../model/state.js';
import type { Op } from '../model/ops.js';
import type { StepOut } from '../model/result.js';
import { step } from '../model/step.js';
import { TaskList } from '../model/task/list.js';

const WRAPPED = new WeakMap<Variant, StepFn>();

export function stepFor(variant: Variant): StepFn {
  if (!variant.wrap) return step;
  let s = WRAPPED.get(variant);
  if (!s) {
    s = checkedStep(variant.id, variant.wrap(step));
    WRAPPED.set(variant, s);
  }
  return s;
}

/** A wrapped step whose worlds are checked for the one mistake a variant written against plain
 * arrays makes: a task list that is not a TaskList (the model's worlds share it between steps). */
function checkedStep(id: string, wrapped: StepFn): StepFn {
  return function variantStep(world: World, op: Op): StepOut {
    const out = wrapped(world, op);
    if (!(out.world.tasks instanceof TaskList)) {
      throw new TypeError(`variant ${id}: its step returned a world whose tasks is not a TaskList (model/task/list.ts: build it with world.tasks.replace, mapAll, mapGroup, append or remove, not an array)`);
    }
    return out;
  };
}
