/* The coordinator's bookkeeping (see book.h). */
#define _GNU_SOURCE
#include "book.h"
#include "sys.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const struct scenario *S;
int g_out;
char g_root[300], g_mnt[300];
int g_mount_ok, g_net_ok, g_cap_perfmon;
struct task T[MAX_TASKS];
struct group G[MAX_TASKS];
int nT;
int live[MAX_TASKS], nlive;
int next_model_tid = INIT_TID, next_listener = 1, next_ruleset = 1, g_absgen;
long long g_deadline;
int g_stray = -1;
char g_tab_point[16], g_tab_req[40];

long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int remaining_ms(void)
{
	long long r = g_deadline - now_ms();
	return r <= 0 ? 0 : r > INT_MAX ? INT_MAX : (int)r;
}

void emit(int i, int tid, const char *fmt, ...)
{
	char text[900], line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	int n;
	if (g_tab_point[0])
		n = snprintf(line, sizeof line, "t %s %d %s %s", g_tab_point, tid, g_tab_req, text);
	else if (g_stray >= 0)
		n = snprintf(line, sizeof line, "r %d %d error a filter of the task kept the executor's descriptor %d open, so descriptor numbers no longer match the model (the op: %s)",
			     i, tid, g_stray, text);
	else
		n = snprintf(line, sizeof line, "r %d %d %s", i, tid, text);
	g_stray = -1;
	if (n > (int)sizeof line - 2) n = sizeof line - 2;
	for (int k = 0; k < n; k++)
		if (line[k] == '\n' || line[k] == '\r') line[k] = ' ';
	line[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(g_out, line + off, n - off);
		if (w <= 0) {
			if (w < 0 && errno == EINTR) continue;
			_exit(3);
		}
		off += w;
	}
}

/* ---- task and group bookkeeping ---- */

int resolve_ref(long long ref)
{
	if (nlive == 0) return -1;
	long long n = nlive;
	return live[((ref % n) + n) % n];
}

int find_live_tid(long long model_tid)
{
	for (int k = 0; k < nlive; k++)
		if (T[live[k]].model_tid == model_tid) return live[k];
	return -1;
}

int group_sibling(int ti)
{
	for (int k = 0; k < nlive; k++)
		if (live[k] != ti && T[live[k]].g == T[ti].g) return live[k];
	return -1;
}

void remove_task(int ti)
{
	int k = 0;
	for (int j = 0; j < nlive; j++)
		if (live[j] != ti) live[k++] = live[j];
	nlive = k;
	close(T[ti].chan);
	close(T[ti].pidfd);
	T[ti].chan = T[ti].pidfd = -1;
}

void remove_group(int g)
{
	for (int j = nlive - 1; j >= 0; j--)
		if (T[live[j]].g == g) remove_task(live[j]);
	if (G[g].pidfd >= 0) close(G[g].pidfd);
	G[g].pidfd = -1;
	G[g].nfds = 0;
}

/* A pidfd that becomes readable when the thread `tid` exits: PIDFD_THREAD (Linux 6.9). Before
 * 6.9 only a group leader has a pidfd (kernel/pid.c:pidfd_open checks pid_has_task(PIDTYPE_TGID)),
 * which for a leader behaves the same (pidfd_poll waits for the whole group either way); a
 * non-leader thread then has none (-1), and call.c watches /proc for its death instead. */
int task_pidfd(pid_t tid)
{
	int fd = (int)syscall(NR_pidfd_open, tid, PIDFD_THREAD_);
	if (fd < 0) fd = (int)syscall(NR_pidfd_open, tid, 0);
	return fd;
}

int new_task(pid_t tid, int g, int chan, int slot)
{
	if (nT == MAX_TASKS) return -1;
	int ti = nT++;
	struct task *t = &T[ti];
	memset(t, 0, sizeof *t);
	t->model_tid = next_model_tid++;
	t->tid = tid;
	t->g = g;
	t->chan = chan;
	t->slot = slot;
	t->pidfd = task_pidfd(tid);
	live[nlive++] = ti;
	return ti;
}

int new_group(int ti, pid_t tgid)
{
	struct group *g = &G[ti];
	memset(g, 0, sizeof *g);
	g->tgid = tgid;
	g->cwd[0] = '/';
	g->model_tgid = T[ti].model_tid;
	g->pidfd = (int)syscall(NR_pidfd_open, tgid, 0);
	T[ti].g = ti;
	return ti;
}

void fd_add(struct group *g, struct fdent e)
{
	int k = 0;
	while (k < g->nfds && g->fds[k].fd < e.fd) k++;
	if (k < g->nfds && g->fds[k].fd == e.fd) { g->fds[k] = e; return; }
	if (g->nfds == MAX_FDS) return;
	memmove(&g->fds[k + 1], &g->fds[k], (g->nfds - k) * sizeof e);
	g->fds[k] = e;
	g->nfds++;
}

void fd_del(struct group *g, int fd)
{
	int k = 0;
	for (int j = 0; j < g->nfds; j++)
		if (g->fds[j].fd != fd) g->fds[k++] = g->fds[j];
	g->nfds = k;
}

struct fdent *fd_pick(struct group *g, long long idx, int kind)
{
#define PICKS(e) (kind ? (e).kind == kind : (e).kind != FK_STRAY)
	int n = 0;
	for (int j = 0; j < g->nfds; j++)
		if (PICKS(g->fds[j])) n++;
	if (n == 0) return NULL;
	long long want = ((idx % n) + n) % n;
	for (int j = 0; j < g->nfds; j++)
		if (PICKS(g->fds[j]) && want-- == 0) return &g->fds[j];
	return NULL;
#undef PICKS
}
