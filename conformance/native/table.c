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
#include "chan.h"

#include <stdio.h>
#include <string.h>

/* signal and ptrace entries of the current task towards task index tt, made in a batch */
static char g_rel_done[MAX_TASKS][2];

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
		if (!abstract && g_rel_done[tt][k]) continue; /* made in a batch */
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

/* Whether some live task holds a user-notification listener (only then can a probe be
 * notified: without one a USER_NOTIF verdict fails at once, kernel/seccomp.c). */
static int any_listener(void)
{
	for (int k = 0; k < nlive; k++) {
		const struct group *g = &G[T[live[k]].g];
		for (int j = 0; j < g->nfds; j++)
			if (g->fds[j].kind == FK_LISTENER) return 1;
	}
	return 0;
}

static unsigned char g_batch_buf[CMD_BUF] __attribute__((aligned(16)));

/* One batchable entry: a tabled request (q >= 0) or signal / ptrace (kind 0 / 1) towards tt. */
struct item {
	int q, tt, kind;
};

/* The batchable entries of task ti — its tabled requests that change nothing and need no
 * preparation, and signal and ptrace towards tasks of other thread groups — in TC_PROBE_BATCH
 * commands, when no live task holds a listener (so no notification is to be told apart);
 * done[q] and g_rel_done mark those answered. 0, or -1 on a timeout. */
static int batched(int point, int ti, char *done)
{
	if (any_listener()) return 0;
	struct tcmd *head = (struct tcmd *)g_batch_buf;
	struct tcmd *rec = head + 1;
	static struct item items[MAX_TASKS * 2 + 256];
	static struct tcmd recs[MAX_TASKS * 2 + 256];
	int m = 0;
	for (int q = 0; q < S->ntab && q < 256; q++)
		if (probe_batchable(&S->tab[q], &recs[m]) == 0) items[m++] = (struct item){q, -1, -1};
	for (int k = 0; k < nlive; k++) {
		int tt = live[k];
		if (tt == ti || T[tt].g == T[ti].g) continue;
		for (int kind = 0; kind < 2; kind++) {
			memset(&recs[m], 0, sizeof recs[m]);
			recs[m].cmd = TC_PROBE;
			recs[m].flags = PROBE_DISPOSABLE;
			recs[m].probe = kind ? PR_PTRACE : PR_SIGNAL;
			recs[m].u[0] = (uint64_t)T[tt].tid;
			items[m++] = (struct item){-1, tt, kind};
		}
	}
	int mtid = T[ti].model_tid;
	for (int from = 0; from < m; from += BATCH_MAX) {
		int n = m - from < BATCH_MAX ? m - from : BATCH_MAX;
		memset(head, 0, sizeof *head);
		head->cmd = TC_PROBE_BATCH;
		head->ninsn = (uint32_t)n;
		memcpy(rec, &recs[from], (size_t)n * sizeof *rec);
		g_deadline = now_ms() + S->op_timeout_ms;
		g_in_probe = 1;
		memset(&g_notif, 0, sizeof g_notif);
		struct trep rep;
		int r = call(&T[ti], head, sizeof *head + (size_t)n * sizeof *rec, -1, &rep, NULL);
		for (int k = 0; k < n; k++) {
			const struct item *it = &items[from + k];
			if (k > 0 && r == CALL_REPLY) r = call_next(&T[ti], &rep);
			if (it->q >= 0) {
				snprintf(g_tab_req, sizeof g_tab_req, "%d", it->q);
				done[it->q] = 1;
			} else {
				snprintf(g_tab_req, sizeof g_tab_req, "%s:%d", it->kind ? "ptrace" : "signal", T[it->tt].model_tid);
				g_rel_done[it->tt][it->kind] = 1;
			}
			if (r == CALL_REPLY) { probe_report(point, mtid, &rep); continue; }
			if (r == CALL_TIMEOUT) { emit(point, mtid, "timeout %u", S->op_timeout_ms); return -1; }
			if (r == CALL_MUTE) { mark_mute(ti); emit(point, mtid, "error %s", MUTE_MESSAGE); return 0; }
			struct death d;
			char buf[64];
			classify_death(ti, &d);
			fmt_death(&d, buf, sizeof buf);
			emit(point, mtid, "error the task itself died while its disposable child probed: %s", buf);
			return 0;
		}
	}
	return 0;
}

static int tabled(int point, int ti)
{
	int mtid = T[ti].model_tid;
	char done[S->ntab + 1];
	memset(done, 0, sizeof done);
	memset(g_rel_done, 0, sizeof g_rel_done);
	if (is_live(ti) && !T[ti].mute && !T[ti].strict && batched(point, ti, done) < 0) return -1;
	for (int q = 0; q < S->ntab; q++) {
		if (done[q]) continue;
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
