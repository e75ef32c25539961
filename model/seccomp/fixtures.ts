// Test support for the seccomp model: small builders over step() (not used by transitions).
import type { Insn, Op } from '../ops.js';
import type { World, Task, WorldOptions } from '../state.js';
import { initialWorld } from '../state.js';
import type { StepOut } from '../result.js';
import { step } from '../step.js';
import { ret, ldNr, jeq } from '../bpf/asm.js';
import { OP_SYSCALL_NRS } from './op-gate.js';
import { SECCOMP_RET_ALLOW } from './action.js';
import type { SyscallRequest } from '../request.js';
import { syscall } from '../request.js';
import type { Outcome, SeccompVerdict } from '../outcome.js';
import { seccompVerdict, seccompOutcome } from './eval.js';
import { evaluationOf } from '../evaluation.js';

/** A world whose first task has NNP (so installs need no capability). */
export const nnpWorld = (opts: WorldOptions = {}): World => initialWorld({ nnp: true, ...opts });

export function install(world: World, task: number, program: readonly Insn[], flags = 0, extra: Partial<Extract<Op, { op: 'seccomp_filter' }>> = {}): StepOut {
  return step(world, { op: 'seccomp_filter', task, flags, program, ...extra });
}

/** The world after a step that must succeed. */
export function must(out: StepOut): World {
  if (out.result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(out.result)}`);
  return out.world;
}

/** A one-instruction program returning `v` for everything (the ops' own syscalls too). */
export const everything = (v: number): Insn[] => [ret(v >>> 0)];

/**
 * A program returning `v` for every syscall except those the model's ops are made with
 * (seccomp/op-gate.ts), which it allows — so a test can keep forking and installing on top,
 * as the kernel probes did with filters aimed at the probed syscalls.
 */
export function always(v: number): Insn[] {
  const n = OP_SYSCALL_NRS.length;
  const prog: Insn[] = [ldNr()];
  OP_SYSCALL_NRS.forEach((nr, i) => prog.push(jeq(nr, n - i, 0)));
  prog.push(ret(v >>> 0), ret(SECCOMP_RET_ALLOW));
  return prog;
}

export const taskAt = (w: World, i: number): Task => w.tasks.at(i)!;
export const byTid = (w: World, tid: number): Task => {
  const t = w.tasks.find((x) => x.tid === tid);
  if (!t) throw new Error(`no task ${tid}`);
  return t;
};

export function verdictOfTask(w: World, i: number, req: SyscallRequest | number): SeccompVerdict | null {
  return seccompVerdict(taskAt(w, i), typeof req === 'number' ? syscall(req) : req, evaluationOf(w.semantics));
}

/** The outcome of a request made by task index i (allow when unfiltered). */
export function outcomeOfTask(w: World, i: number, req: SyscallRequest | number): Outcome {
  const v = verdictOfTask(w, i, req);
  return v ? seccompOutcome(w, taskAt(w, i), v) : { kind: 'allow' };
}
