// seccomp(2) entry points (kernel/seccomp.c:do_seccomp, prctl_set_seccomp).
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { setModeFilter } from './filter.js';
import { setModeStrict } from './strict.js';

/** SECCOMP_SET_MODE_FILTER (also prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER) with flags 0). */
export function seccompFilter(world: World, task: Task, op: Extract<Op, { op: 'seccomp_filter' }>): StepOut {
  return setModeFilter(world, task, op);
}

/** SECCOMP_SET_MODE_STRICT (also prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)). */
export function seccompStrict(world: World, task: Task): StepOut {
  return setModeStrict(world, task);
}
