// Strict mode for whole operations: every op is a syscall (or several), none of which strict
// mode allows, so the thread is killed with SIGKILL (kernel/seccomp.c:__secure_computing_strict).
// `exit` is allowed (raw exit is in the strict set); `compromise` and `observe` make no syscall
// of the task's own (observe reads /proc from outside); probes are decided by seccomp/eval.
import type { Op } from '../ops.js';
import type { Task, World } from '../state.js';
import type { StepOut } from '../result.js';
import { killThread } from '../task/tree.js';

const STRICT_SAFE_OPS: ReadonlySet<Op['op']> = new Set(['exit', 'compromise', 'observe', 'probe']);

export function strictModeGate(world: World, task: Task, op: Op): StepOut | null {
  if (STRICT_SAFE_OPS.has(op.op)) return null;
  return { world: killThread(world, task.tid), result: { kind: 'killed', scope: 'thread', signal: 'SIGKILL' }, tid: task.tid };
}
