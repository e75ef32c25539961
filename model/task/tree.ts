// Task-tree operations: fork, thread, exec, exit, and the credential bits they carry.
import type { Task, World, FdTable } from '../state.js';
import { mapGroup, setGroupFds, withTasks, taskWith } from '../state.js';
import type { StepOut } from '../result.js';
import { ok } from '../result.js';

/**
 * A new task copied from `parent` (kernel/fork.c:copy_process; not compromised: the generator's
 * attacker acts only as tasks it compromised). Every field written out, in Task's order, rather
 * than spread or taskWith: the copy is the hottest allocation of a model run (see withTasks).
 */
function childTask(parent: Task, tid: number, tgid: number, ppid: number, pgSince: number): Task {
  return {
    tid,
    tgid,
    ppid,
    nnp: parent.nnp,
    capSysAdmin: parent.capSysAdmin,
    capPermitted: parent.capPermitted,
    seccompMode: parent.seccompMode,
    filter: parent.filter,
    filterCount: parent.filterCount,
    domain: parent.domain,
    llLogSubdomainsOff: parent.llLogSubdomainsOff,
    sessionKeyring: parent.sessionKeyring,
    cwd: parent.cwd,
    sigsys: parent.sigsys,
    sigsysBlocked: parent.sigsysBlocked,
    pgid: parent.pgid,
    pgSince: pgSince,
    forkNoExec: true,
    fds: parent.fds,
    compromised: false,
  };
}

/** kernel/fork.c:copy_process — copy_seccomp copies mode, count, filter pointer and NNP; the
 * cred (and so the Landlock domain) is shared; the fd table is copied (dup_fd). */
export function forkTask(world: World, parent: Task): StepOut {
  const tid = world.nextTid;
  // copy_process: a new process is attached to its parent's process group, at the head of the
  // group's task list (attach_pid's hlist_add_head_rcu); a thread is not attached (only leaders)
  const child = childTask(parent, tid, tid, parent.tgid, nextPgSince(world));
  return { world: withTasks(world, world.tasks.append(child), tid + 1), result: ok(tid), tid: parent.tid };
}

/** A join newer than every live process's (model/task/pgrp.ts:groupHead orders by it). */
export function nextPgSince(world: World): number {
  let max = 0;
  for (let i = 0; i < world.tasks.length; i++) {
    const s = world.tasks.at(i)!.pgSince;
    if (s > max) max = s;
  }
  return max + 1;
}

/** clone(CLONE_THREAD|CLONE_FILES): same as fork for seccomp and cred, shares the fd table. */
export function threadTask(world: World, parent: Task): StepOut {
  const tid = world.nextTid;
  const child = childTask(parent, tid, parent.tgid, parent.ppid, parent.pgSince);
  return { world: withTasks(world, world.tasks.append(child), tid + 1), result: ok(tid), tid: parent.tid };
}

/**
 * fs/exec.c:begin_new_exec — de_thread kills the other threads of the group (the exec'ing
 * thread takes over the leader's pid); close-on-exec fds are closed; seccomp state, NNP and the
 * Landlock domain are kept (they belong to the exec'ing thread, so a thread with a shorter
 * stack carries its own into the new image). Root regains CAP_SYS_ADMIN from its permitted set
 * (security/commoncap.c:cap_bprm_creds_from_file). `execResetsLayers` models e3.
 */
export function execTask(world: World, task: Task): StepOut {
  const fds: FdTable = task.fds.filter((e) => !e.cloexec);
  const reset = world.semantics.execResetsLayers;
  // cap_bprm_creds_from_file: root's effective set becomes its permitted set again.
  // flush_signal_handlers: a handled SIGSYS goes back to SIG_DFL, an ignored one stays; the new
  // image (the executor's, as a program would) installs its trap handler again (task/sigsys.ts)
  const sigsys = task.sigsys === 'ignored' ? 'ignored' : 'handled';
  const next = reset
    ? taskWith(task, { tid: task.tgid, fds, capSysAdmin: task.capPermitted, filter: null, filterCount: 0, seccompMode: 0, domain: null, sigsys, forkNoExec: false })
    : taskWith(task, { tid: task.tgid, fds, capSysAdmin: task.capPermitted, sigsys, forkNoExec: false });
  return { world: withTasks(world, world.tasks.execGroup(task.tgid, task.tid, next)), result: ok(0), tid: task.tid };
}

/** kernel/exit.c:do_exit — the task leaves; its references are dropped. The fd table goes with
 * the last thread of the group. */
export function exitTask(world: World, task: Task): StepOut {
  return { world: withTasks(world, world.tasks.remove(task.tid)), result: ok(0), tid: task.tid };
}

/** Kill every task of a thread group (SIGSYS/SIGKILL to the group). */
export function killGroup(world: World, tgid: number): World {
  return withTasks(world, world.tasks.removeGroup(tgid));
}

/** Kill one thread (KILL_THREAD, strict-mode SIGKILL). */
export function killThread(world: World, tid: number): World {
  return withTasks(world, world.tasks.remove(tid));
}

/** prctl(PR_SET_NO_NEW_PRIVS): per thread, one-way. */
export function setNnp(world: World, task: Task): StepOut {
  if (task.nnp) return { world, result: ok(0), tid: task.tid };
  return { world: mapOne(world, task, { nnp: true }), result: ok(0), tid: task.tid };
}

/** capset(2) dropping CAP_SYS_ADMIN from this thread's effective set. */
export function dropCap(world: World, task: Task): StepOut {
  if (!task.capSysAdmin) return { world, result: ok(0), tid: task.tid };
  return { world: mapOne(world, task, { capSysAdmin: false }), result: ok(0), tid: task.tid };
}

export function compromise(world: World, task: Task): StepOut {
  if (task.compromised) return { world, result: ok(0), tid: task.tid };
  return { world: mapOne(world, task, { compromised: true }), result: ok(0), tid: task.tid };
}

export function mapOne(world: World, task: Task, patch: Partial<Task>): World {
  return withTasks(world, world.tasks.replace(taskWith(task, patch)));
}

export { mapGroup, setGroupFds };

/**
 * The task's real parent, as the model knows it: the one live task of its parent's thread group,
 * which must be that group's leader (a child forked by a thread that has since died is reparented
 * to a live thread of the group: kernel/exit.c:forget_original_parent; the model does not record
 * which thread forked, so a parent group of several live threads is not modelled).
 */
export function realParent(world: World, task: Task): Task | 'outside' | 'ambiguous' {
  let found: Task | undefined;
  let n = 0;
  for (const t of world.tasks.group(task.ppid)) {
    n++;
    found = t;
  }
  if (n === 0) return 'outside';
  if (n > 1 || found!.tid !== task.ppid) return 'ambiguous';
  return found!;
}
