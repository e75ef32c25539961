// seccomp(SECCOMP_GET_ACTION_AVAIL, flags, &action): whether this kernel knows a filter action
// (kernel/seccomp.c:do_seccomp, seccomp_get_action_avail; seccomp.md §6, delegation.md M5).
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail } from '../result.js';
import { ERRNO } from '../errno.js';
import { KNOWN_ACTIONS } from './action.js';

/** SECCOMP_GET_ACTION_AVAIL, seccomp(2)'s operation 2. */
export const SECCOMP_GET_ACTION_AVAIL = 2;

export function seccompActionAvail(world: World, task: Task, op: Extract<Op, { op: 'seccomp_action_avail' }>): StepOut {
  // do_seccomp: `case SECCOMP_GET_ACTION_AVAIL: if (flags != 0) return -EINVAL;` before the copy
  if (op.flags !== 0) return fail(world, task.tid, err(ERRNO.EINVAL));
  // seccomp_get_action_avail: a switch on the whole u32 (the data bits must be 0), else EOPNOTSUPP
  return fail(world, task.tid, KNOWN_ACTIONS.includes(op.action >>> 0) ? ok(0) : err(ERRNO.EOPNOTSUPP));
}
