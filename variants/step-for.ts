// The transition function of a variant: model/step.ts:step, through the variant's middleware
// if it has one. Wrapped once per variant object and reused (no closure per call).
import type { StepFn, Variant } from './variant.js';
import { step } from '../model/step.js';

const WRAPPED = new WeakMap<Variant, StepFn>();

export function stepFor(variant: Variant): StepFn {
  if (!variant.wrap) return step;
  let s = WRAPPED.get(variant);
  if (!s) {
    s = variant.wrap(step);
    WRAPPED.set(variant, s);
  }
  return s;
}
