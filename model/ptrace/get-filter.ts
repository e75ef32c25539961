// PTRACE_SECCOMP_GET_FILTER and PTRACE_SECCOMP_GET_METADATA (kernel/seccomp.c:seccomp_get_filter,
// seccomp_get_metadata, get_nth_filter), reached through sys_ptrace's ptrace_check_attach.
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail, invalid } from '../result.js';
import { ERRNO } from '../errno.js';
import type { FilterNode } from '../seccomp/stack.js';
import { SECCOMP_FILTER_FLAG } from '../ops.js';
import { linkOfTracee } from './state.js';
import { resolveTarget } from '../landlock/decide.js';

/**
 * get_nth_filter: a tracee not in filter mode → EINVAL; index ≥ the number of filters of its
 * chain → ENOENT; index 0 is the *oldest* filter (count − index steps down from the newest; F1:
 * ptrace(2) says the newest).
 */
export function nthFilter(task: Task, index: number): FilterNode | number {
  if (task.seccompMode !== 2) return ERRNO.EINVAL;
  let count = 0;
  for (let f = task.filter; f; f = f.prev) count++;
  if (!Number.isInteger(index) || index < 0 || index >= count) return ERRNO.ENOENT;
  let k = count - index;
  let f = task.filter;
  while (f && k > 1) {
    f = f.prev;
    k--;
  }
  return f!;
}

/**
 * ptrace_check_attach (not the caller's tracee → ESRCH; the executor stops its tracee for the
 * call), then seccomp_get_filter / seccomp_get_metadata: !capable(CAP_SYS_ADMIN) or a caller in
 * seccomp mode ≠ 0 → EACCES (F4); get_nth_filter's EINVAL / ENOENT. GET_FILTER returns the
 * program's length in instructions as installed (F2); GET_METADATA (size 16) reports, of the
 * filter's flags, only SECCOMP_FILTER_FLAG_LOG (F3): the op's result is that `flags` field.
 */
export function ptraceGetFilter(world: World, task: Task, op: { readonly target: number; readonly index: number; readonly metadata: boolean }): StepOut {
  const target = resolveTarget(world, op.target);
  if (!target) return fail(world, task.tid, invalid('ptrace_get_filter: no live target task'));
  const link = linkOfTracee(world, target.tid);
  if (!link || link.tracer !== task.tid) return fail(world, task.tid, err(ERRNO.ESRCH));
  if (!task.capSysAdmin || task.seccompMode !== 0) return fail(world, task.tid, err(ERRNO.EACCES));
  const f = nthFilter(target, op.index);
  if (typeof f === 'number') return fail(world, task.tid, err(f));
  if (op.metadata) return { world, result: ok(f.log ? SECCOMP_FILTER_FLAG.LOG : 0), tid: task.tid };
  return { world, result: ok(f.programs[0]!.length), tid: task.tid };
}
