// Landlock syscalls (security/landlock/syscalls.c). STUB — being implemented.
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { fail, invalid } from '../result.js';

export function rulesetCreate(world: World, task: Task, _op: Extract<Op, { op: 'ruleset_create' }>): StepOut {
  return fail(world, task.tid, invalid('ruleset_create: not implemented yet'));
}
export function rulesetSupervisee(world: World, task: Task, _op: Extract<Op, { op: 'ruleset_supervisee' }>): StepOut {
  return fail(world, task.tid, invalid('ruleset_supervisee: not implemented yet'));
}
export function rulesetAddRule(world: World, task: Task, _op: Extract<Op, { op: 'ruleset_add_rule' }>): StepOut {
  return fail(world, task.tid, invalid('ruleset_add_rule: not implemented yet'));
}
export function restrictSelf(world: World, task: Task, _op: Extract<Op, { op: 'restrict_self' }>): StepOut {
  return fail(world, task.tid, invalid('restrict_self: not implemented yet'));
}
