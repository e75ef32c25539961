// The modify call of variants that have one (layering-designs §3b). STUB — being implemented.
import type { Op } from './ops.js';
import type { World, Task } from './state.js';
import type { StepOut } from './result.js';
import { fail, invalid } from './result.js';

export function modifyLayer(world: World, task: Task, _op: Extract<Op, { op: 'modify' }>): StepOut {
  if (world.semantics.modify === 'none') return fail(world, task.tid, invalid('modify: this variant has no modify call'));
  return fail(world, task.tid, invalid('modify: not implemented yet'));
}
