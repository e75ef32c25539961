// seccomp(2) entry points (kernel/seccomp.c:do_seccomp). STUB — being implemented.
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { fail, invalid } from '../result.js';

export function seccompFilter(world: World, task: Task, _op: Extract<Op, { op: 'seccomp_filter' }>): StepOut {
  return fail(world, task.tid, invalid('seccomp_filter: not implemented yet'));
}

export function seccompStrict(world: World, task: Task): StepOut {
  return fail(world, task.tid, invalid('seccomp_strict: not implemented yet'));
}
