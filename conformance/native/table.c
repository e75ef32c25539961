/* Full-table observes: what a task would be decided for every request of the scenario's
 * universe (the `table` lines of the request) and for every task-relative request (signal,
 * abstract_unix, ptrace) towards every other live task, each probe made by a disposable child
 * of the task (disposable.c), so that no verdict changes the scenario. One line per entry:
 * "t <point> <tid> <request> <result>" (protocol.md).
 *
 * What a disposable child cannot stand for is reported as `skip`, with the reason: a strict
 * task (its clone would kill it), signal and ptrace towards a task of the task's own thread
 * group (the child is another process: kernel/ptrace.c:__ptrace_may_access and
 * security/landlock/task.c:hook_task_kill treat the same thread group apart), and, at observe
 * points, abstract_unix towards a non-strict target, whose listener the target makes itself
 * (a filter of its own may kill it on bind, which would change the rest of the scenario). */
#define _GNU_SOURCE
#include "ops.h"
#include "book.h"
#include "call.h"

#include <stdio.h>
#include <string.h>

static int entry(int point, int ti, const struct op *o)
{
	g_deadline = now_ms() + S->op_timeout_ms;
	listeners_take();
	memset(&g_notif, 0, sizeof g_notif);
	g_notif.tid = T[ti].tid;
	g_in_probe = 1;
	int r = op_probe(point, ti, o);
	listeners_drop();
	return r;
}

static int is_live(int ti)
{
	for (int k = 0; k < nlive; k++)
		if (live[k] == ti) return 1;
	return 0;
}

/* The task-relative requests of task ti towards target tt (`abstract`: abstract_unix only,
 * else signal and ptrace). */
static int relative(int point, int ti, int tt, int abstract)
{
	static const struct { int probe; const char *name; } KINDS[] = {
		{PR_SIGNAL, "signal"}, {PR_PTRACE, "ptrace"}, {PR_ABSTRACT, "abstract_unix"},
	};
	for (int k = abstract ? 2 : 0; k < (abstract ? 3 : 2); k++) {
		if (!is_live(ti) || !is_live(tt)) return 0;
		snprintf(g_tab_req, sizeof g_tab_req, "%s:%d", KINDS[k].name, T[tt].model_tid);
		int mtid = T[ti].model_tid;
		if (T[ti].mute) { emit(point, mtid, "error %s", MUTE_MESSAGE); continue; }
		if (T[ti].strict) { emit(point, mtid, "skip the task is in strict mode: no disposable child can be made"); continue; }
		if (!abstract && T[tt].g == T[ti].g) {
			emit(point, mtid, "skip the target is in the task's own thread group, the disposable child is not");
			continue;
		}
		if (abstract && point >= 0 && !T[tt].strict) {
			emit(point, mtid, "skip at an observe point: a non-strict target makes its listener itself, and a filter of its own may kill it for that");
			continue;
		}
		struct op o;
		memset(&o, 0, sizeof o);
		o.kind = OP_PROBE;
		o.probe = KINDS[k].probe;
		for (int j = 0; j < nlive; j++)
			if (live[j] == tt) o.n[0] = j;
		if (entry(point, ti, &o) < 0) return -1;
	}
	return 0;
}

static int tabled(int point, int ti)
{
	int mtid = T[ti].model_tid;
	for (int q = 0; q < S->ntab; q++) {
		if (!is_live(ti)) return 0;
		snprintf(g_tab_req, sizeof g_tab_req, "%d", q);
		if (T[ti].mute) { emit(point, mtid, "error %s", MUTE_MESSAGE); continue; }
		if (T[ti].strict) { emit(point, mtid, "skip the task is in strict mode: no disposable child can be made"); continue; }
		if (entry(point, ti, &S->tab[q]) < 0) return -1;
	}
	return 0;
}

int table_observe(int point, int ti)
{
	int save_disposable = g_disposable;
	g_disposable = 1;
	snprintf(g_tab_point, sizeof g_tab_point, point < 0 ? "end" : "%d", point);
	/* the tasks live when the observe starts, in creation order */
	int tasks[MAX_TASKS], n = 0;
	for (int k = 0; k < nlive; k++)
		if (ti < 0 || live[k] == ti) tasks[n++] = live[k];
	int r = 0;
	for (int a = 0; a < n && r == 0; a++) {
		r = tabled(point, tasks[a]);
		for (int k = 0; k < nlive && r == 0; k++)
			if (live[k] != tasks[a]) r = relative(point, tasks[a], live[k], 0);
	}
	/* abstract_unix last: making a target's listener may kill the target */
	for (int a = 0; a < n && r == 0; a++) {
		int targets[MAX_TASKS], m = 0;
		for (int k = 0; k < nlive; k++)
			if (live[k] != tasks[a]) targets[m++] = live[k];
		for (int k = 0; k < m && r == 0; k++) r = relative(point, tasks[a], targets[k], 1);
	}
	g_tab_point[0] = 0;
	g_tab_req[0] = 0;
	g_disposable = save_disposable;
	return r;
}
