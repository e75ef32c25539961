// Which seccomp_data fields of a call the model gives exactly, and whether a task's filters
// decide that call by the others. The model evaluates a probe's or an op's syscall with zeros
// where it cannot know the value (model/request-syscall.ts: a Landlock-mediated call's pointers,
// descriptors and real pids; model/seccomp/op-gate.ts: the ops' pointer arguments; the
// instruction pointer everywhere). The executor makes the calls with real values
// (conformance/native/task.c, probe.c), so a filter that decides by them may decide otherwise
// on the kernel. This file finds out, precisely, whether that can be the case for one call.
import type { Op } from '../model/ops.js';
import type { Task, World } from '../model/state.js';
import type { SyscallRequest } from '../model/request.js';
import type { Outcome, SeccompVerdict } from '../model/outcome.js';
import { requestSyscall } from '../model/request-syscall.js';
import { opSyscall } from '../model/seccomp/op-gate.js';
import { stackVerdict, seccompOutcome } from '../model/seccomp/eval.js';
import { evaluationOf } from '../model/evaluation.js';

/**
 * The seccomp_data arguments the executor passes exactly as the model has them, per op (the
 * rest are pointers, sizes the model leaves at 0, or registers a call with fewer arguments
 * does not set): fork is clone(SIGCHLD, 0, 0, 0, 0); thread clone(flags, stack, NULL, NULL, 0);
 * exit(0); prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); seccomp(STRICT, 0, NULL);
 * seccomp(FILTER, flags, prog); landlock_add_rule(fd, type, attr, 0); landlock_restrict_self(fd,
 * flags); close(fd); landlock_create_ruleset(attr, 24, 0); umount2(path, 0);
 * rt_sigaction(SIGSYS, act, NULL, 8); rt_sigprocmask(how, set, NULL, 8). execve, capset and
 * sendmsg: none.
 */
const KNOWN_OP_ARGS: Readonly<Partial<Record<Op['op'], readonly number[]>>> = {
  fork: [0, 1, 2, 3, 4],
  thread: [0, 2, 3, 4],
  exit: [0],
  set_nnp: [0, 1, 2, 3, 4],
  seccomp_strict: [0, 1, 2],
  seccomp_filter: [0, 1],
  ruleset_add_rule: [0, 1, 3],
  restrict_self: [0, 1],
  close_fd: [0],
  ruleset_create: [1, 2],
  keyctl: [0, 1, 2, 3, 4, 5],
  // socketpair(AF_UNIX, SOCK_STREAM, 0, sv): the array is a pointer; fcntl(fd, F_SETOWN, pid): the pid is a real one
  socketpair: [0, 1, 2],
  fown_set: [0, 1],
  // bind(fd, addr, len): the address is a pointer, its length the executor's name's
  unix_listen: [0],
  // umount2(path, 0): the path is a pointer, the flags 0
  umount: [1],
  // rt_sigaction(SIGSYS, act, NULL, 8) / rt_sigprocmask(SIG_BLOCK | SIG_UNBLOCK, set, NULL, 8): the
  // signal or `how`, and the NULL old action or set; act and set are pointers, the size 8
  sigsys: [0, 2],
  // setpgid(pid, pgid): real pids, or 0 where the op leaves one out (the model passes 0 for both)
  setpgid: [],
};

/** Values tried for an unknown argument or instruction pointer (u64 as safe integers). */
const TRIAL_VALUES: readonly number[] = [1, 2, 3, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 2 ** 32 + 1, 2 ** 52 + 1];

/** The call an op or a probe is made with, and the indices of its exactly known arguments. */
export function callOf(task: Task, op: Op): { readonly req: SyscallRequest; readonly known: readonly number[] } | null {
  if (op.op === 'probe') {
    const r = op.request;
    // a raw syscall probe is made with exactly its arguments; only the instruction pointer differs
    return r.kind === 'syscall' ? { req: r, known: [0, 1, 2, 3, 4, 5] } : { req: requestSyscall(r), known: [] };
  }
  const req = opSyscall(task, op);
  return req ? { req, known: KNOWN_OP_ARGS[op.op] ?? [] } : null;
}

function sameVerdict(a: SeccompVerdict, b: SeccompVerdict): boolean {
  return a.ret === b.ret;
}

/**
 * The outcomes the task's filters give `req` when the fields the model does not know take other
 * values (each unknown argument and the instruction pointer in turn, over TRIAL_VALUES), other
 * than the model's own; empty when the verdict does not depend on them.
 */
export function otherOutcomes(world: World, task: Task, req: SyscallRequest, known: readonly number[]): Outcome[] {
  if (task.seccompMode !== 2 || task.filter === null) return [];
  const e = evaluationOf(world.semantics);
  const base = stackVerdict(task.filter, req, e);
  const out: Outcome[] = [];
  const consider = (r: SyscallRequest): void => {
    const v = stackVerdict(task.filter, r, e);
    if (!sameVerdict(v, base)) out.push(seccompOutcome(world, task, v));
  };
  for (const value of TRIAL_VALUES) {
    for (let i = 0; i < 6; i++) {
      if (known.includes(i)) continue;
      const args = req.args.slice() as unknown as [number, number, number, number, number, number];
      args[i] = value;
      consider({ ...req, args });
    }
    consider({ ...req, ip: value });
  }
  return out;
}
