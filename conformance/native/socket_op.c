/* The coordinator's side of unix socket pairs, F_SETOWN and SIGURG (model/task/socket.ts).
 * The task makes socketpair(2), fcntl(F_SETOWN / F_SETOWN_EX) and the probe's send(MSG_OOB)
 * itself. The coordinator keeps, per socket end (ids 2k, 2k+1 in creation order, as the
 * model's), the owner a successful fown_set named: a process (its thread group), a thread (its
 * tid: F_OWNER_TID, delivered to that thread alone, PIDTYPE_PID) or a process group (its id,
 * read with getpgid(2) at the op: delivered to every process of the group, PIDTYPE_PGID), and
 * observes a delivery from outside: every task blocks SIGURG from its start (task.c), so a
 * SIGURG sent to a process stays pending in its shared queue, and one sent to a thread in that
 * thread's own (kernel/signal.c:sig_ignored is false for a blocked signal) — pending after the
 * send returned means delivered, not pending means Landlock's hook_file_send_sigiotask dropped
 * it (reported as EPERM, the hook's answer). `sigurg <fd> to <task>` names the task observed (a
 * group owner's delivery is observed at a member only); a task the owner does not address is
 * reported as ESRCH. After each send every scenario process with a SIGURG pending has it
 * discarded by one of its threads (rt_sigaction SIG_IGN then SIG_DFL: kernel/signal.c:
 * do_sigaction flushes a pending signal set to be ignored, shared and every thread's own), so
 * that the next delivery can be seen; a probe observing a recipient whose SIGURG is still
 * pending (no thread of it could take the command) is skipped. */
#define _GNU_SOURCE
#include "ops.h"
#include "call.h"
#include "features.h"
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

/* fown_set's owner types (the op's third field) */
enum { OWN_NONE = -1, OWN_PROCESS = 0, OWN_THREAD = 1, OWN_GROUP = 2 };
static int s_own_type[MAX_SOCKETS]; /* OWN_*: the owner F_SETOWN last set on the end */
static int s_own[MAX_SOCKETS];      /* OWN_PROCESS: its group index; OWN_THREAD: its tid; OWN_GROUP: the pgid */
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
		s_own_type[nsockets] = s_own_type[nsockets + 1] = OWN_NONE;
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
		s_own_type[nsockets] = s_own_type[nsockets + 1] = OWN_NONE;
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
	int type = (int)o->n[2];
	int tt = resolve_ref(o->n[1]);
	if (tt < 0) { emit(i, t->model_tid, "invalid fown_set: no live target task"); return 0; }
	struct fdent *e = fd_pick(&G[t->g], o->n[0], FK_SOCKET);
	int id = e ? e->id : -1;
	int og = T[tt].g;
	pid_t who = type == OWN_THREAD ? T[tt].tid : G[og].tgid;
	if (type == OWN_GROUP) {
		if (!fown_group_recorded()) {
			emit(i, t->model_tid, "skip fown_set: this kernel does not record the F_SETOWN domain when the caller heads its process group (Landlock before the fix for CVE-2026-72183); the model follows the fixed kernel, which records it");
			return 0;
		}
		who = getpgid(G[og].tgid);
		if (who < 0) { emit(i, t->model_tid, "error fown_set: getpgid(%d) of task %d's process: %s", (int)G[og].tgid, T[tt].model_tid, strerror(errno)); return 0; }
	}
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_FOWN_SET;
	c.fd = e ? e->fd : NO_FD;
	c.sub = type;
	c.u[0] = (uint64_t)(uint32_t)who;
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret == 0 && id >= 0) {
		s_own_type[id] = type;
		s_own[id] = type == OWN_PROCESS ? og : (int)who;
	}
	emit_ret(i, t->model_tid, rep.ret);
	return 0;
}

/* Whether SIGURG is pending for the process `tgid` (tid 0: in its shared queue, ShdPnd) or for
 * its thread `tid` alone (SigPnd): 1, 0, or -1 (unreadable). */
static int urg_pending(pid_t tgid, pid_t tid)
{
	char path[64], line[256];
	if (tid) snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)tgid, (int)tid);
	else snprintf(path, sizeof path, "/proc/%d/status", (int)tgid);
	const char *key = tid ? "SigPnd:" : "ShdPnd:";
	FILE *f = fopen(path, "re");
	if (!f) return -1;
	int r = -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, 7) == 0) r = (int)((strtoull(line + 7, NULL, 16) >> (SIGURG - 1)) & 1);
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

/* The live task whose thread id is `tid`, or -1. */
static int task_of_tid(pid_t tid)
{
	for (int k = 0; k < nlive; k++)
		if (T[live[k]].tid == tid) return live[k];
	return -1;
}

/* Whether some live process holds socket end `id` (else its file is closed: a send to it fails
 * EPIPE). */
static int end_open(int id)
{
	for (int k = 0; k < nlive; k++) {
		const struct group *g = &G[T[live[k]].g];
		for (int j = 0; j < g->nfds; j++)
			if (g->fds[j].kind == FK_SOCKET && g->fds[j].id == id) return 1;
	}
	return 0;
}

int sigurg_prepare(int i, int ti, const struct op *o, struct tcmd *c, struct urg_watch *w)
{
	struct task *t = &T[ti];
	memset(w, 0, sizeof *w);
	/* the model decides neither a notified nor a traced send (model/task/socket.ts) */
	if (g_supervised) { emit(i, t->model_tid, "invalid sigurg: the scenario's supervisor may hold the send"); return 1; }
	if (tracer_of(ti) >= 0) { emit(i, t->model_tid, "invalid sigurg: a traced task's send may stop at its tracer"); return 1; }
	int to = -1;
	if (o->n[2]) {
		to = resolve_ref(o->n[1]);
		if (to < 0) { emit(i, t->model_tid, "invalid sigurg: no live task to observe"); return 1; }
	}
	struct fdent *e = fd_pick(&G[t->g], o->n[0], FK_SOCKET);
	c->u[0] = e ? (uint64_t)e->fd : NO_FD;
	/* no socket descriptor (EBADF), or the other end's file closed (EPIPE): nothing is sent */
	if (!e || !end_open(e->id ^ 1)) return 0;
	int type = s_own_type[e->id ^ 1], own = s_own[e->id ^ 1];
	if (type == OWN_PROCESS && group_task(own, 0) >= 0 && group_task(own, 1) < 0) {
		emit(i, t->model_tid, "invalid sigurg: the owner process's leader has exited; the model keeps no exited task");
		return 1;
	}
	if (to >= 0 && group_task(T[to].g, 1) < 0) {
		emit(i, t->model_tid, "invalid sigurg: the observed process's leader has exited; the model keeps no exited task");
		return 1;
	}
	if (type == OWN_GROUP && to < 0) {
		emit(i, t->model_tid, "invalid sigurg: a process-group owner's delivery is observed at a member named by `to`");
		return 1;
	}
	if (to >= 0) {
		/* the observed task: its process, or (a thread owner) the thread itself */
		w->observe = 1;
		w->tgid = G[T[to].g].tgid;
		if (type == OWN_THREAD) w->tid = T[to].tid;
		if (type == OWN_PROCESS) w->addressed = G[own].tgid == w->tgid;
		else if (type == OWN_THREAD) w->addressed = own == T[to].tid;
		else if (type == OWN_GROUP) {
			pid_t pg = getpgid(w->tgid);
			if (pg < 0) { emit(i, t->model_tid, "error sigurg: getpgid(%d) of the observed task's process: %s", (int)w->tgid, strerror(errno)); return 1; }
			w->addressed = pg == own;
		}
	} else if (type == OWN_PROCESS) {
		if (group_task(own, 0) < 0) return 0; /* the owner process is gone: nothing is sent */
		w->observe = w->addressed = 1;
		w->tgid = G[own].tgid;
	} else if (type == OWN_THREAD) {
		int ot = task_of_tid(own);
		if (ot < 0) return 0; /* the owner thread is gone: nothing is sent */
		w->observe = w->addressed = 1;
		w->tgid = G[T[ot].g].tgid;
		w->tid = own;
	}
	if (!w->observe || !w->addressed) return 0;
	int p = urg_pending(w->tgid, w->tid);
	if (p != 0) {
		emit(i, t->model_tid, p > 0 ? "skip sigurg: a SIGURG is still pending in the observed %s (no thread of it could discard it)"
					   : "error sigurg: cannot read the observed %s's /proc status",
		     w->tid ? "thread" : "process");
		return 1;
	}
	return 0;
}

/* Discard the SIGURG pending in any scenario process (shared, or any thread's own): a group
 * owner's send reaches several. Through a thread of the process that can take a command. */
static void urg_drain_all(void)
{
	int done[MAX_TASKS];
	int nd = 0;
	for (int k = 0; k < nlive; k++) {
		int g = T[live[k]].g, seen = 0;
		for (int d = 0; d < nd; d++) seen |= done[d] == g;
		if (seen) continue;
		done[nd++] = g;
		int pending = urg_pending(G[g].tgid, 0) > 0;
		for (int j = 0; j < nlive && !pending; j++)
			if (T[live[j]].g == g) pending = urg_pending(G[g].tgid, T[live[j]].tid) > 0;
		if (!pending) continue;
		for (int j = 0; j < nlive; j++) {
			int tj = live[j];
			if (T[tj].g != g || T[tj].strict || T[tj].mute || notif_is_blocked(tj)) continue;
			struct tcmd c;
			memset(&c, 0, sizeof c);
			c.cmd = TC_URG_DRAIN;
			struct trep r;
			int res = call(&T[tj], &c, sizeof c, -1, &r, NULL);
			if (res == CALL_REPLY) break;
			if (res == CALL_MUTE) mark_mute(tj);
			if (res == CALL_DIED) {
				/* the bookkeeping follows; the probe's result stands */
				struct death d;
				classify_death(tj, &d);
			}
			break;
		}
	}
}

int sigurg_observe(int i, int mtid, const struct urg_watch *w, struct trep *rep)
{
	if (rep->ret != 1) return 0; /* nothing was sent */
	int err = 0;
	if (w->observe && !w->addressed) {
		rep->ret = -ESRCH;
	} else if (w->observe) {
		int p = urg_pending(w->tgid, w->tid);
		if (p < 0) {
			emit(i, mtid, "error sigurg: cannot read the observed %s's /proc status after the send", w->tid ? "thread" : "process");
			err = 1;
		} else if (p == 0) {
			rep->ret = -EPERM;
		}
	}
	urg_drain_all();
	return err;
}
