/* The coordinator's side of the setpgid op (model/task/pgrp.ts): the task itself makes
 * setpgid(pid, pgid) (syscall 109, task.c), under its own filters. Each argument is 0 (the
 * reference -1: the caller itself; a new group named after the pid) or a live model task: the
 * pid is that task's thread id (a thread that does not lead its process gives EINVAL,
 * kernel/sys.c:setpgid), the pgid the process group of that task's process, read here with
 * getpgid(2) at the op. Nothing is kept: the kernel's process groups are the truth, read again
 * whenever they matter (a fown_set to a group, a sigurg observed at a member: socket_op.c). The
 * tasks stay in the scenario's session, which the executor kills whole (executor.c). */
#define _GNU_SOURCE
#include "ops.h"
#include "book.h"
#include "call.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int op_setpgid(int i, int ti, const struct op *o)
{
	int mtid = T[ti].model_tid;
	pid_t pid = 0, pgid = 0;
	if (o->n[0] != -1) {
		int pt = resolve_ref(o->n[0]);
		if (pt < 0) { emit(i, mtid, "invalid setpgid: no live task"); return 0; }
		pid = T[pt].tid;
	}
	if (o->n[1] != -1) {
		int gt = resolve_ref(o->n[1]);
		if (gt < 0) { emit(i, mtid, "invalid setpgid: no live task"); return 0; }
		pid_t tgid = G[T[gt].g].tgid;
		pgid = getpgid(tgid);
		if (pgid < 0) { emit(i, mtid, "error setpgid: getpgid(%d) of task %d's process: %s", (int)tgid, T[gt].model_tid, strerror(errno)); return 0; }
	}
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_SETPGID;
	c.u[0] = (uint64_t)(uint32_t)pid;
	c.u[1] = (uint64_t)(uint32_t)pgid;
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	emit_ret(i, mtid, rep.ret);
	return 0;
}
