// Process groups (kernel/sys.c:setpgid; kernel/pid.c): the group a process belongs to decides
// which processes an F_SETOWN naming a group sends SIGURG to (model/landlock/fown.ts).
//   - A process is in one group, its threads with it; a fork puts the child in its parent's group
//     (copy_process: attach_pid(p, PIDTYPE_PGID)), exec keeps it. The first task starts in a group
//     whose leader is outside the scenario (the executor's coordinator, OUTSIDE_PGID), in that
//     leader's session: every scenario process shares one session, which no op leaves.
//   - A group's task list holds its processes' leaders, the newest attached first (attach_pid and
//     change_pid add at the head): `groupHead` is pid_task(pgrp, PIDTYPE_PGID).
//   - setpgid(pid, pgid), in the kernel's order: pid 0 is the caller's process, pgid 0 the pid;
//     ESRCH for no such task; EINVAL for a thread that is no leader; for a child of the caller's
//     process EACCES once it exec'd (PF_FORKNOEXEC cleared); any other process but the caller's
//     own ESRCH; a session leader EPERM (none in a scenario); a pgid other than the pid must name
//     a group of the session (one named by a live task always does). Moving to another group makes
//     the process its head; naming its current group changes nothing. Landlock has no
//     task_setpgid hook: a sandboxed task moves its unsandboxed child as freely.
// A caller whose process leader has exited would move the zombie leader, which the model does not
// keep: that call is `invalid`, and the executor does not make it.
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail, invalid } from '../result.js';
import { mapGroup, taskWith } from '../state.js';
import { ERRNO } from '../errno.js';
import { nextPgSince } from './tree.js';

/** A process's leader: the task, 'gone' when no task of it lives, 'leaderless' when only
 * non-leader threads do (the model keeps no exited leader). */
export function processLeader(world: World, tgid: number): Task | 'gone' | 'leaderless' {
  const leader = world.tasks.byTid(tgid);
  if (leader !== undefined) return leader;
  for (let i = 0; i < world.tasks.length; i++) if (world.tasks.at(i)!.tgid === tgid) return 'leaderless';
  return 'gone';
}

/** pid_task(pgrp, PIDTYPE_PGID): the group's most recently attached process (its leader), or
 * undefined when no live leader is in it. A leaderless process still heads the list in the kernel
 * (its zombie leader stays attached): the model then answers by its threads' join, which the
 * executor never has to match (the call is `invalid` there, model/landlock/fown.ts). */
export function groupHead(world: World, pgid: number): Task | undefined {
  let head: Task | undefined;
  for (let i = 0; i < world.tasks.length; i++) {
    const t = world.tasks.at(i)!;
    if (t.pgid === pgid && (head === undefined || t.pgSince > head.pgSince)) head = t;
  }
  return head;
}

/** A setpgid the model does not follow (its caller's leader has exited), or null. */
export function setpgidOutsideModel(world: World, task: Task, op: Extract<Op, { op: 'setpgid' }>): StepOut | null {
  if (op.pid !== undefined || processLeader(world, task.tgid) !== 'leaderless') return null;
  return fail(world, task.tid, invalid('setpgid: the caller\'s process leader has exited; the model keeps no exited task'));
}

/** kernel/sys.c:setpgid. `target` is the task `pid` names (the caller's leader for 0), `group`
 * the task whose group `pgid` names (undefined for 0). */
export function setpgid(world: World, task: Task, target: Task, group: Task | undefined): StepOut {
  // thread_group_leader(p)
  if (target.tid !== target.tgid) return fail(world, task.tid, err(ERRNO.EINVAL));
  if (target.ppid === task.tgid) {
    // same_thread_group(p->real_parent, group_leader): one session, so only PF_FORKNOEXEC
    if (!target.forkNoExec) return fail(world, task.tid, err(ERRNO.EACCES));
  } else if (target.tgid !== task.tgid) {
    return fail(world, task.tid, err(ERRNO.ESRCH));
  }
  const pgid = group === undefined ? target.tgid : group.pgid;
  // task_pgrp(p) != pgrp → change_pid: the process moves to the head of its new group's list
  if (target.pgid === pgid) return { world, result: ok(0), tid: task.tid };
  const pgSince = nextPgSince(world);
  return { world: mapGroup(world, target.tgid, (t) => taskWith(t, { pgid, pgSince })), result: ok(0), tid: task.tid };
}
