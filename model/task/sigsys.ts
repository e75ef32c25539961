// SIGSYS's action and mask, and so how a RET_TRAP ends (kernel/signal.c:force_sig_seccomp →
// force_sig_info_to_task with HANDLER_CURRENT): when the signal is ignored, at SIG_DFL or
// blocked in the trapping thread, the kernel sets the action to SIG_DFL and unblocks it, and
// SIGSYS's default action kills the whole process with a core dump — the same end as
// RET_KILL_PROCESS. Only with a handler and the signal unblocked is the trap a trap. A task
// cannot make a trap filter let a call through by ignoring the signal: it dies instead.
//
// The action is the process's (threads share sighand; a fork copies it), the mask the thread's
// (a fork or a new thread copies the caller's). exec keeps an ignored action and the mask, and
// resets a handler to SIG_DFL (flush_signal_handlers); the new image — the executor's, as any
// program's start-up would — installs its trap handler again, so after exec `default` and
// `handled` are `handled` (model/task/tree.ts:execTask).
import type { Op } from '../ops.js';
import type { World, Task, SigsysAction } from '../state.js';
import type { StepOut } from '../result.js';
import { invalid, fail, ok } from '../result.js';
import { mapGroup, replaceTask, taskWith } from '../state.js';

const ACTIONS: Readonly<Record<string, SigsysAction>> = { ignore: 'ignored', default: 'default', handle: 'handled' };

/** Whether a RET_TRAP verdict kills `task`'s process instead of delivering the trap. */
export function trapKills(task: Task): boolean {
  return task.sigsys !== 'handled' || task.sigsysBlocked;
}

/** rt_sigaction(SIGSYS, …) for ignore / default / handle; rt_sigprocmask(SIG_BLOCK or
 * SIG_UNBLOCK, {SIGSYS}) for block / unblock. */
export function sigsys(world: World, task: Task, op: Extract<Op, { op: 'sigsys' }>): StepOut {
  const action = ACTIONS[op.action];
  if (action !== undefined) {
    if (task.sigsys === action) return { world, result: ok(0), tid: task.tid };
    return { world: mapGroup(world, task.tgid, (t) => taskWith(t, { sigsys: action })), result: ok(0), tid: task.tid };
  }
  if (op.action !== 'block' && op.action !== 'unblock') return fail(world, task.tid, invalid(`sigsys: unknown action ${JSON.stringify(op.action)}`));
  const blocked = op.action === 'block';
  if (task.sigsysBlocked === blocked) return { world, result: ok(0), tid: task.tid };
  return { world: replaceTask(world, taskWith(task, { sigsysBlocked: blocked })), result: ok(0), tid: task.tid };
}

/** The syscall the op makes and its known first argument (model/seccomp/op-gate.ts). */
export function sigsysCall(action: string): { readonly nr: number; readonly a0: number } {
  // rt_sigaction(SIGSYS = 31, act, oldact, 8); rt_sigprocmask(SIG_BLOCK 0 | SIG_UNBLOCK 1, set, old, 8)
  return action === 'block' || action === 'unblock' ? { nr: 14, a0: action === 'block' ? 0 : 1 } : { nr: 13, a0: 31 };
}
