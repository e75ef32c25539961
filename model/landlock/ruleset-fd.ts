// The descriptor a Landlock call names (security/landlock/syscalls.c:get_ruleset_from_fd).
import type { World, Task, FdEntry } from '../state.js';
import { ERRNO } from '../errno.js';
import { resolveFd } from '../task/fds.js';
import type { Ruleset } from './ruleset.js';

export function isRulesetFd(e: FdEntry): boolean {
  return e.obj.kind === 'ruleset';
}

/**
 * The descriptor a Landlock call is given: the task's `index`-th ruleset fd, or with `anyFd` its
 * `index`-th descriptor of any kind. get_ruleset_from_fd: no descriptor → EBADF, one that is not
 * a ruleset (a listener, a map, a layer handle) → EBADFD.
 */
export function rulesetArgument(world: World, task: Task, index: number, anyFd: boolean | undefined): Ruleset | typeof ERRNO.EBADF | typeof ERRNO.EBADFD {
  const e = anyFd ? resolveFd(task, index) : resolveFd(task, index, isRulesetFd);
  if (!e) return ERRNO.EBADF;
  if (e.obj.kind !== 'ruleset') return ERRNO.EBADFD;
  return world.rulesets[e.obj.id]!;
}

