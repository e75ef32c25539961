/* A probe made by a disposable child of the task, for the full-table observes (table.c): the
 * child is a copy of the task as far as every decision goes (kernel/fork.c:copy_seccomp copies
 * the filter stack, copy_creds the cred and with it the Landlock domain), so a verdict that
 * kills kills the child only and the task lives on unchanged. The child is made with the layer
 * oracle's clone(CLONE_VM|CLONE_VFORK|SIGCHLD) (generated conformance filters leave that call
 * alone): it shares the task's memory, so it writes its answer where the task reads it, and the
 * task waits until it is gone. Tasks ignore SIGCHLD, so the kernel reaps it and leaves no exit
 * status: a child that did not answer died during its probe. */
#define _GNU_SOURCE
#include "task.h"
#include "sys.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>

static char g_disp_stack[64 * 1024] __attribute__((aligned(16)));
static const struct tcmd *volatile g_disp_cmd;
static volatile long g_disp_done;
static struct trep g_disp_rep;

static long disposable_child(long unused)
{
	(void)unused;
	struct trep r;
	memset(&r, 0, sizeof r);
	g_trap.hit = 0;
	task_probe(g_disp_cmd, &r);
	/* the trap record now, before this child's own exit(2), which a filter may trap too */
	if (g_trap.hit) {
		r.trapped = 1;
		r.trap_data = g_trap.si_errno;
		r.trap_nr = g_trap.nr;
		r.trap_arch = g_trap.arch;
	}
	memcpy(&g_disp_rep, &r, sizeof r);
	__atomic_store_n(&g_disp_done, 1, __ATOMIC_SEQ_CST);
	/* exit_group(2), which generated conformance filters leave alone, rather than the exit(2)
	 * clone_on_stack would make, which they may decide (a notification there is not the entry's) */
	sc1(SYS_exit_group, 0);
	return 0;
}

void task_probe_disposable(const struct tcmd *c, struct trep *r)
{
	g_disp_cmd = c;
	g_disp_done = 0;
	long pid = clone_on_stack(CLONE_VM | CLONE_VFORK | SIGCHLD, g_disp_stack + sizeof g_disp_stack, NULL, disposable_child, 0);
	g_trap.hit = 0; /* the child's exit(2) may have been trapped: its record is in the reply */
	if (pid <= 0) {
		static const char skipped[] = "disposable probe: the child's clone was skipped (RET_ERRNO 0)";
		static const char failed[] = "disposable probe: clone of the child";
		const char *m = pid == 0 ? skipped : failed;
		size_t n = pid == 0 ? sizeof skipped : sizeof failed;
		r->status = TR_PLUMBING;
		r->ret = pid == 0 ? -EPERM : pid;
		memcpy(r->msg, m, n < sizeof r->msg ? n : sizeof r->msg - 1);
		return;
	}
	if (!__atomic_load_n(&g_disp_done, __ATOMIC_SEQ_CST)) {
		r->x[0] = DISPOSABLE_DIED;
		return;
	}
	memcpy(r, &g_disp_rep, sizeof *r);
}
