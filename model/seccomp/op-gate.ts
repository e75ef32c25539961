// Every op is a syscall, and seccomp sees it first (kernel/seccomp.c:__secure_computing at
// syscall entry). This gate evaluates the acting task's filters (or strict mode) on the op's
// own syscall before the op runs. Arguments that are constants of the call are modelled
// (clone flags, prctl option, seccomp operation and flags, fds, Landlock flags); pointer
// arguments are unknowable across runs and are zero here, so filters that should decide ops
// must match on the syscall number or on those constant arguments (a documented model decision).
import type { Op } from '../ops.js';
import type { Task, World } from '../state.js';
import type { StepOut } from '../result.js';
import type { SyscallRequest } from '../request.js';
import { syscall } from '../request.js';
import { seccompVerdict, seccompOutcome } from './eval.js';
import { killGroup, killThread } from '../task/tree.js';
import { resolveFd } from '../task/fds.js';

/** clone(2) flags the executor uses: fork = SIGCHLD; thread = VM|FS|FILES|SIGHAND|THREAD|SYSVSEM. */
export const CLONE_FORK_FLAGS = 17;
export const CLONE_THREAD_FLAGS = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000;

const PR_SET_NO_NEW_PRIVS = 38;

/** Every syscall number an op (not a probe) is made with. */
export const OP_SYSCALL_NRS: readonly number[] = [56, 59, 60, 157, 126, 317, 444, 445, 446, 46, 3];

/** The syscall an op is made with, or null for ops that make none (compromise, observe, and
 * the variant-only calls that have no Linux syscall). */
export function opSyscall(task: Task, op: Op): SyscallRequest | null {
  switch (op.op) {
    case 'fork': return syscall(56, [CLONE_FORK_FLAGS]);
    case 'thread': return syscall(56, [CLONE_THREAD_FLAGS]);
    case 'exec': return syscall(59);
    case 'exit': return syscall(60);
    case 'set_nnp': return syscall(157, [PR_SET_NO_NEW_PRIVS, 1]);
    case 'drop_cap': return syscall(126);
    case 'seccomp_strict': return syscall(317, [0, 0]);
    case 'seccomp_filter': return syscall(317, [1, op.flags >>> 0]);
    case 'ruleset_create': return syscall(444, [0, 0, 0]);
    case 'ruleset_add_rule': return syscall(445, [fdNumber(task, op.ruleset), op.rule.type === 'path_beneath' ? 1 : 2]);
    case 'restrict_self': return syscall(446, [op.ruleset === null ? 2 ** 32 - 1 : fdNumber(task, op.ruleset), op.flags >>> 0]);
    case 'send_fd': return syscall(46);
    case 'close_fd': return syscall(3, [fdNumber(task, op.fd)]);
    case 'ruleset_supervisee':
    case 'modify':
    case 'compromise':
    case 'observe':
    case 'probe':
      return null;
  }
}

function fdNumber(task: Task, index: number): number {
  return resolveFd(task, index)?.fd ?? 0;
}

/**
 * If the task's seccomp state stops the op's syscall, the step that results; null to let the op
 * run. Strict mode kills on anything but read/write/exit/rt_sigreturn (SIGKILL, `killed`).
 */
export function seccompOpGate(world: World, task: Task, op: Op): StepOut | null {
  if (task.seccompMode === 0) return null;
  const req = opSyscall(task, op);
  if (!req) return null;
  const verdict = seccompVerdict(task, req);
  if (!verdict) return null;
  const outcome = seccompOutcome(world, task, verdict);
  switch (outcome.kind) {
    case 'allow':
      return null;
    case 'kill_process':
    case 'kill_thread': {
      const next = outcome.kind === 'kill_process' ? killGroup(world, task.tgid) : killThread(world, task.tid);
      if (task.seccompMode === 1) {
        return { world: next, result: { kind: 'killed', scope: outcome.kind === 'kill_process' ? 'process' : 'thread', signal: 'SIGKILL' }, tid: task.tid };
      }
      return { world: next, result: { kind: 'stopped', outcome }, tid: task.tid };
    }
    default:
      return { world, result: { kind: 'stopped', outcome }, tid: task.tid };
  }
}
