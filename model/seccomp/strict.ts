// SECCOMP_SET_MODE_STRICT (kernel/seccomp.c:seccomp_set_mode_strict) and strict-mode
// enforcement (__secure_computing_strict: mode1_syscalls, do_exit(SIGKILL) otherwise).
import type { World, Task } from '../state.js';
import { replaceTask, taskWith } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail } from '../result.js';
import type { SyscallRequest } from '../request.js';
import { AUDIT_ARCH_I386 } from '../request.js';
import type { Outcome, SeccompVerdict } from '../outcome.js';
import { ERRNO } from '../errno.js';
import { killThread } from '../task/tree.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_THREAD } from './action.js';

/** mode1_syscalls on x86_64 6.18: read, write, exit, rt_sigreturn, uretprobe, uprobe. */
export const STRICT_NATIVE_SYSCALLS: readonly number[] = [0, 1, 60, 15, 335, 336];
/** mode1_syscalls_32 (compat entry): read, write, exit, sigreturn. */
export const STRICT_I386_SYSCALLS: readonly number[] = [3, 4, 1, 119];
/** x86_64 seccomp(2), the syscall both SET_MODE ops are made with. */
export const NR_SECCOMP = 317;

/** Does strict mode let this call through? A compat (i386) entry uses the 32-bit list. */
export function strictAllows(req: SyscallRequest): boolean {
  const list = req.arch === AUDIT_ARCH_I386 ? STRICT_I386_SYSCALLS : STRICT_NATIVE_SYSCALLS;
  return list.includes(req.nr);
}

/** The verdict strict mode gives (layer null: no filter decided). */
export function strictVerdict(req: SyscallRequest): SeccompVerdict {
  return strictAllows(req)
    ? { action: 'allow', ret: SECCOMP_RET_ALLOW, data: 0, layer: null }
    : { action: 'kill_thread', ret: SECCOMP_RET_KILL_THREAD, data: 0, layer: null };
}

/** Is `task` the only live thread of its group (signal->live == 1)? */
export function onlyLiveThread(world: World, task: Task): boolean {
  for (const t of world.tasks) if (t.tgid === task.tgid && t.tid !== task.tid) return false;
  return true;
}

/** The outcome of killing one thread: a process kill when it is the group's last thread. */
export function threadKillOutcome(world: World, task: Task): Outcome {
  return onlyLiveThread(world, task) ? { kind: 'kill_process' } : { kind: 'kill_thread' };
}

/**
 * A strict-mode task making a call outside mode1_syscalls (here: seccomp() itself):
 * do_exit(SIGKILL) of the calling thread. Same result shape as step's strict-mode gate.
 */
export function strictKill(world: World, task: Task): StepOut {
  return { world: killThread(world, task.tid), result: { kind: 'killed', scope: 'thread', signal: 'SIGKILL' }, tid: task.tid };
}

/**
 * seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL): mode 0 → 1. From mode 2, seccomp_may_assign_mode
 * fails → EINVAL. From mode 1 the seccomp() call itself is not in mode1_syscalls → SIGKILL.
 */
export function setModeStrict(world: World, task: Task): StepOut {
  if (task.seccompMode === 1) return strictKill(world, task);
  if (task.seccompMode === 2) return fail(world, task.tid, err(ERRNO.EINVAL));
  return { world: replaceTask(world, taskWith(task, { seccompMode: 1 })), result: ok(0), tid: task.tid };
}
