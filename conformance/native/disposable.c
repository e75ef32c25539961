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

/* A batch: one disposable child makes the probes one after the other and records each answer
 * before the next starts; a child that dies leaves `g_batch_at` on the probe that killed it, and
 * a new child goes on with the next one. A child per probe costs ~0.2 ms here; kills are rare. */
static const struct tcmd *g_batch;
static volatile long g_batch_at, g_batch_n;
static struct trep g_batch_rep[BATCH_MAX];

static long batch_child(long start)
{
	for (long i = start; i < g_batch_n; i++) {
		__atomic_store_n(&g_batch_at, i, __ATOMIC_SEQ_CST);
		struct trep r;
		memset(&r, 0, sizeof r);
		g_trap.hit = 0;
		task_probe(&g_batch[i], &r);
		if (g_trap.hit) {
			r.trapped = 1;
			r.trap_data = g_trap.si_errno;
			r.trap_nr = g_trap.nr;
			r.trap_arch = g_trap.arch;
		}
		memcpy(&g_batch_rep[i], &r, sizeof r);
	}
	__atomic_store_n(&g_batch_at, g_batch_n, __ATOMIC_SEQ_CST);
	sc1(SYS_exit_group, 0);
	return 0;
}

void task_probe_batch(const struct tcmd *c, int chan)
{
	long n = c->ninsn > BATCH_MAX ? BATCH_MAX : c->ninsn;
	g_batch = (const struct tcmd *)(c + 1);
	g_batch_n = n;
	memset(g_batch_rep, 0, sizeof g_batch_rep);
	for (long i = 0; i < n;) {
		g_batch_at = i;
		long pid = clone_on_stack(CLONE_VM | CLONE_VFORK | SIGCHLD, g_disp_stack + sizeof g_disp_stack, NULL, batch_child, i);
		g_trap.hit = 0;
		if (pid <= 0) {
			static const char m[] = "disposable probe: clone of the child failed or was skipped";
			for (; i < n; i++) {
				g_batch_rep[i].status = TR_PLUMBING;
				g_batch_rep[i].ret = pid == 0 ? -EPERM : pid;
				memcpy(g_batch_rep[i].msg, m, sizeof m);
			}
			break;
		}
		long at = __atomic_load_n(&g_batch_at, __ATOMIC_SEQ_CST);
		if (at >= n) break;
		g_batch_rep[at].x[0] = DISPOSABLE_DIED; /* the child died in probe `at` */
		i = at + 1;
	}
	for (long i = 0; i < n; i++) sc3(SYS_write, chan, &g_batch_rep[i], sizeof g_batch_rep[i]);
}
