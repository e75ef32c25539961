/* The coordinator's side of unix socket pairs, F_SETOWN and SIGURG (model/task/socket.ts).
 * The task makes socketpair(2), fcntl(F_SETOWN) and the probe's send(MSG_OOB) itself. The
 * coordinator keeps, per socket end (ids 2k, 2k+1 in creation order, as the model's), the
 * owner's thread group that F_SETOWN named, and observes the delivery from outside: every task
 * blocks SIGURG from its start (task.c), so a SIGURG sent to a process stays pending in its
 * shared queue (kernel/signal.c:sig_ignored is false for a blocked signal) — pending after the
 * send returned means delivered, not pending means Landlock's hook_file_send_sigiotask dropped it
 * (reported as EPERM, the hook's answer). A delivered SIGURG is then discarded by a thread of the
 * owner (rt_sigaction SIG_IGN then SIG_DFL: kernel/signal.c:do_sigaction flushes a pending
 * signal set to be ignored), so that the next delivery can be seen; a probe towards an owner
 * whose SIGURG is still pending (no thread of it could take the command) is skipped. */
#define _GNU_SOURCE
#include "ops.h"
#include "call.h"
#include "notify.h"
#include "ptrace_op.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SOCKETS 256
#define NO_FD 0x7ffffffe

static int s_owner[MAX_SOCKETS]; /* the owner's group index, or -1 */
static char s_name[MAX_SOCKETS][48]; /* a unix_listen socket's abstract name */
static int nsockets;

void socket_reset(void)
{
	nsockets = 0;
}

/* Have the task make a socket (`c`), which takes the next two ids: 0 with its reply in `rep`,
 * else the op's result is written (1), or it timed out (-1). */
static int make_socket(int i, int ti, const char *what, struct tcmd *c, struct trep *rep)
{
	if (nsockets + 2 > MAX_SOCKETS) {
		emit(i, T[ti].model_tid, "error %s: more than %d socket ids in one scenario", what, MAX_SOCKETS);
		return 1;
	}
	int s = simple(i, ti, c, sizeof *c, -1, rep);
	return s < 0 ? -1 : s ? 1 : 0;
}

int op_socketpair(int i, int ti, const struct op *o)
{
	(void)o;
	struct task *t = &T[ti];
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_SOCKETPAIR;
	struct trep rep;
	int g = t->g;
	int s = make_socket(i, ti, "socketpair", &c, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret >= 0) {
		/* alloc_fd twice: the second end takes the next lowest free number */
		fd_add(&G[g], (struct fdent){(int)rep.ret, 0, FK_SOCKET, nsockets});
		int fd = 3;
		for (int j = 0; j < G[g].nfds; j++)
			if (G[g].fds[j].fd == fd) fd++;
		fd_add(&G[g], (struct fdent){fd, 0, FK_SOCKET, nsockets + 1});
		s_owner[nsockets] = s_owner[nsockets + 1] = -1;
		nsockets += 2;
	}
	emit_ret(i, t->model_tid, rep.ret);
	return 0;
}

/* unix_listen: the task makes the socket itself, so that its file carries the task's
 * credentials (what hook_unix_stream_connect reads of the server: sock_is_scoped). */
int op_unix_listen(int i, int ti, const struct op *o)
{
	(void)o;
	struct task *t = &T[ti];
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_UNIX_LISTEN;
	if (nsockets < MAX_SOCKETS) snprintf(s_name[nsockets], sizeof s_name[nsockets], "strata-%d-L%d", (int)getpid(), nsockets);
	snprintf(c.s1, sizeof c.s1, "strata-%d-L%d", (int)getpid(), nsockets);
	struct trep rep;
	int g = t->g;
	int s = make_socket(i, ti, "unix_listen", &c, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret >= 0) {
		/* two ids, as the model's (model/task/socket.ts unixListen): pairs' ends stay 2k, 2k+1 */
		fd_add(&G[g], (struct fdent){(int)rep.ret, 0, FK_UNIX_LISTENER, nsockets});
		s_owner[nsockets] = s_owner[nsockets + 1] = -1;
		nsockets += 2;
	}
	emit_ret(i, t->model_tid, rep.ret);
	return 0;
}

void unix_listener_name(int tt, long long index, char *out, size_t n)
{
	struct fdent *e = fd_pick(&G[T[tt].g], index, FK_UNIX_LISTENER);
	if (e) snprintf(out, n, "%s", s_name[e->id]);
	else snprintf(out, n, "strata-%d-none", (int)getpid());
}

int op_fown_set(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int tt = resolve_ref(o->n[1]);
	if (tt < 0) { emit(i, t->model_tid, "invalid fown_set: no live target task"); return 0; }
	struct fdent *e = fd_pick(&G[t->g], o->n[0], FK_SOCKET);
	int id = e ? e->id : -1;
	int og = T[tt].g;
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_FOWN_SET;
	c.fd = e ? e->fd : NO_FD;
	c.u[0] = (uint64_t)G[og].tgid;
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret == 0 && id >= 0) s_owner[id] = og;
	emit_ret(i, t->model_tid, rep.ret);
	return 0;
}

/* Whether the process `tgid` has SIGURG pending in its shared queue: 1, 0, or -1 (unreadable). */
static int urg_pending(pid_t tgid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)tgid);
	FILE *f = fopen(path, "re");
	if (!f) return -1;
	int r = -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "ShdPnd:", 7) == 0) r = (int)((strtoull(line + 7, NULL, 16) >> (SIGURG - 1)) & 1);
	fclose(f);
	return r;
}

/* A live task of group g (its leader when `leader`), or -1. */
static int group_task(int g, int leader)
{
	for (int k = 0; k < nlive; k++) {
		int ti = live[k];
		if (T[ti].g == g && (!leader || T[ti].tid == G[g].tgid)) return ti;
	}
	return -1;
}

int sigurg_prepare(int i, int ti, const struct op *o, struct tcmd *c, int *owner)
{
	struct task *t = &T[ti];
	*owner = -1;
	/* the model decides neither a notified nor a traced send (model/task/socket.ts) */
	if (g_supervised) { emit(i, t->model_tid, "invalid sigurg: the scenario's supervisor may hold the send"); return 1; }
	if (tracer_of(ti) >= 0) { emit(i, t->model_tid, "invalid sigurg: a traced task's send may stop at its tracer"); return 1; }
	struct fdent *e = fd_pick(&G[t->g], o->n[0], FK_SOCKET);
	c->u[0] = e ? (uint64_t)e->fd : NO_FD;
	if (!e) return 0;
	int og = s_owner[e->id ^ 1];
	if (og < 0 || group_task(og, 0) < 0) return 0; /* no owner, or its process is gone: nothing sent */
	if (group_task(og, 1) < 0) { emit(i, t->model_tid, "invalid sigurg: the owner process's leader has exited; the model keeps no exited task"); return 1; }
	int p = urg_pending(G[og].tgid);
	if (p != 0) {
		emit(i, t->model_tid, p > 0 ? "skip sigurg: a SIGURG is still pending in the owner's process (no thread of it could discard it)"
					   : "error sigurg: cannot read the owner's /proc status");
		return 1;
	}
	*owner = og;
	return 0;
}

/* After the probe: rewrite a completed send's return as the delivery's outcome; 1 when the
 * delivery could not be seen (the step's error is written: nothing compared). */
int sigurg_observe(int i, int mtid, int owner, struct trep *rep)
{
	if (owner < 0 || rep->ret != 1) return 0;
	int p = urg_pending(G[owner].tgid);
	if (p < 0) {
		emit(i, mtid, "error sigurg: cannot read the owner's /proc status after the send");
		return 1;
	}
	if (p == 0) {
		rep->ret = -EPERM;
		return 0;
	}
	/* discard it through a thread that can take a command */
	for (int k = 0; k < nlive; k++) {
		int ti = live[k];
		if (T[ti].g != owner || T[ti].strict || T[ti].mute || notif_is_blocked(ti)) continue;
		struct tcmd c;
		memset(&c, 0, sizeof c);
		c.cmd = TC_URG_DRAIN;
		struct trep r;
		if (call(&T[ti], &c, sizeof c, -1, &r, NULL) == CALL_REPLY) break;
	}
	return 0;
}
