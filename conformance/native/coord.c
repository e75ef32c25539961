/* The per-scenario coordinator (see coord.h).
 *
 * Bookkeeping mirrors the model (model/state.ts): `live` lists the live tasks in creation
 * order (op task references index it modulo its length); every thread group keeps the
 * model-visible descriptors it holds, sorted by number; model tids are 100, 101, ... in
 * creation order, and a non-leader that execs takes its leader's (fs/exec.c:de_thread).
 *
 * All task processes are children of the coordinator (the initial task by fork, the others
 * by clone(CLONE_PARENT)), so their exit status is collected here. Death of one thread is
 * seen on its PIDFD_THREAD pidfd; whether the whole group died is decided by asking a live
 * sibling to answer a ping: a group-wide kill (do_group_exit, coredump) has already sent
 * SIGKILL to every sibling when the dying thread's pidfd becomes readable. */
#define _GNU_SOURCE
#include "coord.h"
#include "chan.h"
#include "fstree.h"
#include "safety.h"
#include "sys.h"
#include "task.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TASKS 512
#define MAX_FDS 64
#define MAX_LISTENERS 32
#define INIT_TID 100
#define NOTIFY_ANSWER_ERRNO ECANCELED /* what the coordinator answers USER_NOTIF with */

enum fd_kind { FK_LISTENER = 1, FK_RULESET = 2 };

struct fdent {
	int fd, cloexec, kind, id;
};

struct group {
	pid_t tgid;
	int model_tgid;
	int pidfd; /* process pidfd: readable once the whole group has exited */
	int nfds;
	struct fdent fds[MAX_FDS];
};

struct task {
	int model_tid;
	pid_t tid;
	int g;
	int chan;  /* the coordinator's end of the task's channel */
	int slot;  /* the task's channel sits at CHAN_BASE + slot in its group's table */
	int pidfd; /* PIDFD_THREAD */
	int strict;
	long strict_layers;
	char absname[64]; /* abstract listener made when the task entered strict mode */
};

struct death {
	int process; /* the whole group died */
	int sig;     /* terminating signal, 0 if it exited, -1 unknown */
	int code;
	int alone;   /* no other live thread in the group */
};

static const struct scenario *S;
static int g_out;
static char g_root[300], g_mnt[300];
static int g_mount_ok, g_net_ok;
static struct task T[MAX_TASKS];
static struct group G[MAX_TASKS];
static int nT;
static int live[MAX_TASKS], nlive;
static int next_model_tid = INIT_TID, next_listener = 1, next_ruleset = 1, g_absgen;
static long long g_deadline;

static int L_fd[MAX_LISTENERS], L_id[MAX_LISTENERS], nL;
static struct {
	int seen, listener;
	pid_t pid;
} g_notif;

static const char *const OP_NAMES[] = {
	"fork", "thread", "exec", "exit", "set_nnp", "drop_cap", "compromise", "seccomp_strict",
	"seccomp_filter", "ruleset_create", "ruleset_add_rule", "restrict_self", "send_fd", "close_fd",
	"probe", "observe", "skip",
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int remaining_ms(void)
{
	long long r = g_deadline - now_ms();
	return r <= 0 ? 0 : r > INT_MAX ? INT_MAX : (int)r;
}

/* One result line "r <op> <tid> <text>" (< PIPE_BUF, so the write is atomic). */
static void emit(int i, int tid, const char *fmt, ...)
{
	char line[1024];
	int n = snprintf(line, sizeof line, "r %d %d ", i, tid);
	va_list ap;
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	va_end(ap);
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

static int resolve_ref(long long ref)
{
	if (nlive == 0) return -1;
	long long n = nlive;
	return live[((ref % n) + n) % n];
}

static int find_live_tid(long long model_tid)
{
	for (int k = 0; k < nlive; k++)
		if (T[live[k]].model_tid == model_tid) return live[k];
	return -1;
}

static int group_sibling(int ti)
{
	for (int k = 0; k < nlive; k++)
		if (live[k] != ti && T[live[k]].g == T[ti].g) return live[k];
	return -1;
}

static void remove_task(int ti)
{
	int k = 0;
	for (int j = 0; j < nlive; j++)
		if (live[j] != ti) live[k++] = live[j];
	nlive = k;
	close(T[ti].chan);
	close(T[ti].pidfd);
	T[ti].chan = T[ti].pidfd = -1;
}

static void remove_group(int g)
{
	for (int j = nlive - 1; j >= 0; j--)
		if (T[live[j]].g == g) remove_task(live[j]);
	if (G[g].pidfd >= 0) close(G[g].pidfd);
	G[g].pidfd = -1;
	G[g].nfds = 0;
}

static int new_task(pid_t tid, int g, int chan, int slot)
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
	t->pidfd = (int)syscall(NR_pidfd_open, tid, PIDFD_THREAD_);
	live[nlive++] = ti;
	return ti;
}

/* Group indices share the task index space: a group is numbered after the task that leads it. */
static int new_group(int ti, pid_t tgid)
{
	struct group *g = &G[ti];
	memset(g, 0, sizeof *g);
	g->tgid = tgid;
	g->model_tgid = T[ti].model_tid;
	g->pidfd = (int)syscall(NR_pidfd_open, tgid, 0);
	T[ti].g = ti;
	return ti;
}

static void fd_add(struct group *g, struct fdent e)
{
	int k = 0;
	while (k < g->nfds && g->fds[k].fd < e.fd) k++;
	if (k < g->nfds && g->fds[k].fd == e.fd) { g->fds[k] = e; return; }
	if (g->nfds == MAX_FDS) return;
	memmove(&g->fds[k + 1], &g->fds[k], (g->nfds - k) * sizeof e);
	g->fds[k] = e;
	g->nfds++;
}

static void fd_del(struct group *g, int fd)
{
	int k = 0;
	for (int j = 0; j < g->nfds; j++)
		if (g->fds[j].fd != fd) g->fds[k++] = g->fds[j];
	g->nfds = k;
}

/* The `idx`-th descriptor (modulo their number) among those of `kind` (0 = any), as
 * model/task/fds.ts:resolveFd picks it; NULL when there is none. */
static struct fdent *fd_pick(struct group *g, long long idx, int kind)
{
	int n = 0;
	for (int j = 0; j < g->nfds; j++)
		if (!kind || g->fds[j].kind == kind) n++;
	if (n == 0) return NULL;
	long long want = ((idx % n) + n) % n;
	for (int j = 0; j < g->nfds; j++)
		if ((!kind || g->fds[j].kind == kind) && want-- == 0) return &g->fds[j];
	return NULL;
}

/* ---- the channel ---- */

static int send_cmd(const struct task *t, const struct tcmd *c, size_t len)
{
	return send(t->chan, c, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static int send_fd(int chan, int fd)
{
	char byte = 0;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	return sendmsg(chan, &m, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* 1: a reply (with a descriptor in *rfd if one came), 0: end of file, -1: nothing yet. */
static int recv_reply(int chan, struct trep *rep, int *rfd)
{
	struct iovec iov = {rep, sizeof *rep};
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b};
	memset(rep, 0, sizeof *rep);
	ssize_t n = recvmsg(chan, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0) return errno == EAGAIN || errno == EINTR ? -1 : 0;
	if (n == 0) return 0;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int fd = -1;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
	if (rfd) *rfd = fd;
	else if (fd >= 0) close(fd);
	return 1;
}

/* Private duplicates of every listener some live task holds (pidfd_getfd(2)), for the
 * duration of one op: a notification can then be received and answered, while the task's
 * own close of its last listener fd still detaches the listener afterwards
 * (kernel/seccomp.c:seccomp_notify_detach runs when the last file reference goes). */
static void listeners_take(void)
{
	nL = 0;
	for (int k = 0; k < nlive; k++) {
		struct task *t = &T[live[k]];
		struct group *g = &G[t->g];
		for (int j = 0; j < g->nfds && nL < MAX_LISTENERS; j++) {
			if (g->fds[j].kind != FK_LISTENER) continue;
			int dup = 0;
			for (int q = 0; q < nL; q++) dup |= L_id[q] == g->fds[j].id;
			if (dup) continue;
			int d = (int)syscall(NR_pidfd_getfd, t->pidfd, g->fds[j].fd, 0);
			if (d < 0) continue;
			L_fd[nL] = d;
			L_id[nL++] = g->fds[j].id;
		}
	}
}

static void listeners_drop(void)
{
	for (int q = 0; q < nL; q++)
		if (L_fd[q] >= 0) close(L_fd[q]);
	nL = 0;
}

static void answer_notification(int q)
{
	struct seccomp_notif n;
	memset(&n, 0, sizeof n);
	if (ioctl(L_fd[q], SECCOMP_IOCTL_NOTIF_RECV, &n)) return;
	if (!g_notif.seen) {
		g_notif.seen = 1;
		g_notif.listener = L_id[q];
		g_notif.pid = (pid_t)n.pid;
	}
	if (S->opt_noanswer) return;
	struct seccomp_notif_resp r = {.id = n.id, .val = 0, .error = -NOTIFY_ANSWER_ERRNO, .flags = 0};
	ioctl(L_fd[q], SECCOMP_IOCTL_NOTIF_SEND, &r);
}

enum { CALL_REPLY, CALL_DIED, CALL_TIMEOUT };

/* A group leader that dies before its threads stays a zombie, and its PIDFD_THREAD pidfd does
 * not wake anyone until the whole group is gone (kernel/pid.c:pidfd_poll skips
 * delay_group_leader()), so for such a leader the state in /proc is checked. */
static int leader_gone(const struct task *t)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)G[t->g].tgid, (int)t->tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return 1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) return 1;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* Wait for `t`'s reply until the op deadline; readability of `watch` means the task is gone. */
static int wait_reply(struct task *t, int watch, struct trep *rep, int *rfd)
{
	int leader = t->tid == G[t->g].tgid && group_sibling((int)(t - T)) >= 0;
	int slice = 1;
	for (;;) {
		struct pollfd p[2 + MAX_LISTENERS];
		int np = 0;
		p[np++] = (struct pollfd){t->chan, POLLIN, 0};
		p[np++] = (struct pollfd){watch, POLLIN, 0};
		for (int q = 0; q < nL; q++) p[np++] = (struct pollfd){L_fd[q], POLLIN, 0};
		int ms = remaining_ms();
		if (ms == 0) return CALL_TIMEOUT;
		int wait = leader && slice < ms ? slice : ms;
		int n = poll(p, np, wait);
		if (n < 0 && errno == EINTR) continue;
		if (n == 0 && wait < ms) {
			if (leader_gone(t)) return CALL_DIED;
			if (slice < 64) slice *= 2;
			continue;
		}
		if (n <= 0) return CALL_TIMEOUT;
		for (int q = 0; q < nL; q++) {
			short ev = p[2 + q].revents;
			if (ev & POLLIN) answer_notification(q);
			else if (ev & (POLLHUP | POLLERR | POLLNVAL)) { close(L_fd[q]); L_fd[q] = -1; }
		}
		if (p[0].revents) {
			int r = recv_reply(t->chan, rep, rfd);
			if (r > 0) return CALL_REPLY;
			if (r == 0) return CALL_DIED;
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			if (recv_reply(t->chan, rep, rfd) > 0) return CALL_REPLY;
			return CALL_DIED;
		}
	}
}

/* Send one command (plus a descriptor message if fd_out >= 0) and wait for the answer. */
static int call_watch(struct task *t, const struct tcmd *c, size_t len, int fd_out, struct trep *rep, int *rfd, int watch)
{
	if (rfd) *rfd = -1;
	if (send_cmd(t, c, len)) return CALL_DIED;
	if (fd_out >= 0 && send_fd(t->chan, fd_out)) return CALL_DIED;
	return wait_reply(t, watch, rep, rfd);
}

static int call(struct task *t, const struct tcmd *c, size_t len, int fd_out, struct trep *rep, int *rfd)
{
	return call_watch(t, c, len, fd_out, rep, rfd, t->pidfd);
}

static int wait_readable(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	for (;;) {
		int n = poll(&p, 1, ms);
		if (n < 0 && errno == EINTR) continue;
		return n > 0;
	}
}

/* The group is gone (or going): collect its exit status, as its parent. */
static void reap_group(int g, struct death *d)
{
	int ms = remaining_ms();
	wait_readable(G[g].pidfd, ms < 1000 ? 1000 : ms);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	d->sig = -1;
	if (waitid(P_PID, G[g].tgid, &si, WEXITED | WNOHANG | __WALL) == 0 && si.si_pid == G[g].tgid) {
		if (si.si_code == CLD_EXITED) { d->sig = 0; d->code = si.si_status; }
		else d->sig = si.si_status;
	}
}

static void classify_death(int ti, struct death *d)
{
	memset(d, 0, sizeof *d);
	d->sig = -1;
	int g = T[ti].g;
	int sib = group_sibling(ti);
	if (sib >= 0) {
		struct tcmd c;
		memset(&c, 0, sizeof c);
		c.cmd = TC_PING;
		struct trep rep;
		if (call(&T[sib], &c, sizeof c, -1, &rep, NULL) == CALL_REPLY) {
			remove_task(ti);
			return;
		}
	} else {
		d->alone = 1;
	}
	d->process = 1;
	reap_group(g, d);
	remove_group(g);
}

static void fmt_death(const struct death *d, char *out, size_t n)
{
	char how[32];
	if (d->sig > 0) snprintf(how, sizeof how, "sig:%d", d->sig);
	else if (d->sig == 0) snprintf(how, sizeof how, "exit:%d", d->code);
	else snprintf(how, sizeof how, "-");
	snprintf(out, n, "%s %s %d", d->process ? "process" : "thread", how, d->alone);
}

/* The common tail of an op: 1 when the result line was written (died, plumbing failure),
 * -1 on timeout (the scenario stops), 0 when the caller reports the reply. */
static int settle(int i, int mtid, int ti, int r, const struct trep *rep)
{
	if (r == CALL_TIMEOUT) {
		emit(i, mtid, "timeout %u", S->op_timeout_ms);
		return -1;
	}
	if (r == CALL_DIED) {
		struct death d;
		char buf[64];
		classify_death(ti, &d);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "killed %s", buf);
		return 1;
	}
	if (rep->status == TR_PLUMBING) {
		emit(i, mtid, "error %s: errno %ld", rep->msg, -rep->ret);
		return 1;
	}
	return 0;
}

static void emit_ret(int i, int mtid, long ret)
{
	if (ret < 0) emit(i, mtid, "err %ld", -ret);
	else emit(i, mtid, "ok %ld", ret);
}

/* ---- observe ---- */

static int read_status(const struct task *t, int *mode, int *count, int *nnp)
{
	char path[64], buf[8192];
	snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)G[t->g].tgid, (int)t->tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -errno;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) return -EIO;
	buf[n] = 0;
	*mode = *count = *nnp = -1;
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (!strncmp(l, "NoNewPrivs:", 11)) *nnp = atoi(l + 11);
		else if (!strncmp(l, "Seccomp:", 8)) *mode = atoi(l + 8);
		else if (!strncmp(l, "Seccomp_filters:", 16)) *count = atoi(l + 16);
	}
	return 0;
}

static void layers_reason(long v, char *out, size_t n)
{
	if (v <= -2000) snprintf(out, n, "layer oracle child killed by signal %ld", -2000 - v);
	else snprintf(out, n, "layer oracle failed: errno %ld", -1000 - v);
}

static int op_observe(int i, int ti)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid, mode = -1, count = -1, nnp = -1;
	long layers;
	if (t->strict) {
		layers = t->strict_layers;
	} else {
		struct tcmd c;
		memset(&c, 0, sizeof c);
		c.cmd = TC_LAYERS;
		struct trep rep;
		int r = call(t, &c, sizeof c, -1, &rep, NULL);
		int s = settle(i, mtid, ti, r, &rep);
		if (s) return s < 0 ? -1 : 0;
		layers = rep.x[0];
	}
	int e = read_status(t, &mode, &count, &nnp);
	if (e) { emit(i, mtid, "error observe: cannot read /proc status: errno %d", -e); return 0; }
	if (layers < 0) {
		char why[96];
		layers_reason(layers, why, sizeof why);
		emit(i, mtid, "observe %d %d %d -1 %s", mode, count, nnp, why);
	} else {
		emit(i, mtid, "observe %d %d %d %ld", mode, count, nnp, layers);
	}
	return 0;
}

/* ---- task creation ---- */

static int op_fork(int i, int ti, int thread)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid, slot = 0;
	if (nT == MAX_TASKS) { emit(i, mtid, "error executor limit: %d tasks per scenario", MAX_TASKS); return 0; }
	if (thread) {
		unsigned long long used = 0;
		for (int k = 0; k < nlive; k++)
			if (T[live[k]].g == t->g) used |= 1ULL << T[live[k]].slot;
		while (slot < MAX_SLOTS && (used >> slot & 1)) slot++;
		if (slot == MAX_SLOTS) { emit(i, mtid, "error executor limit: %d threads per process", MAX_SLOTS); return 0; }
	}
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp)) { emit(i, mtid, "error socketpair: errno %d", errno); return 0; }
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = thread ? TC_THREAD : TC_FORK;
	c.chan = CHAN_BASE + slot;
	struct trep rep;
	int r = call(t, &c, sizeof c, sp[1], &rep, NULL);
	close(sp[1]);
	int s = settle(i, mtid, ti, r, &rep);
	if (s || rep.ret < 0) {
		close(sp[0]);
		if (!s) emit_ret(i, mtid, rep.ret);
		return s < 0 ? -1 : 0;
	}
	int g = t->g;
	int ni = new_task((pid_t)rep.ret, g, sp[0], slot);
	if (!thread) {
		int ng = new_group(ni, (pid_t)rep.ret);
		G[ng].nfds = G[g].nfds;
		memcpy(G[ng].fds, G[g].fds, sizeof G[g].fds);
	}
	emit(i, mtid, "ok %d", T[ni].model_tid);
	return 0;
}

/* exec: the reply comes from the new image (0) or from the old one (-errno). Meanwhile the
 * exec'ing thread's old tid may be released (de_thread swaps it with the leader's), so the
 * group's pidfd is watched instead of the thread's. */
static int op_exec(int i, int ti)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid, g = t->g;
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_EXEC;
	struct trep rep;
	int r = call_watch(t, &c, sizeof c, -1, &rep, NULL, G[g].pidfd);
	if (r == CALL_DIED) {
		struct death d;
		char buf[64];
		memset(&d, 0, sizeof d);
		d.alone = group_sibling(ti) < 0;
		d.process = 1;
		reap_group(g, &d);
		remove_group(g);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "killed %s", buf);
		return 0;
	}
	int s = settle(i, mtid, ti, r, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret < 0) { emit_ret(i, mtid, rep.ret); return 0; }
	for (int j = nlive - 1; j >= 0; j--)
		if (live[j] != ti && T[live[j]].g == g) remove_task(live[j]);
	close(t->pidfd);
	t->tid = G[g].tgid;
	t->model_tid = G[g].model_tgid;
	t->pidfd = (int)syscall(NR_pidfd_open, t->tid, PIDFD_THREAD_);
	int k = 0;
	for (int j = 0; j < G[g].nfds; j++)
		if (!G[g].fds[j].cloexec) G[g].fds[k++] = G[g].fds[j];
	G[g].nfds = k;
	emit(i, mtid, "ok 0");
	return 0;
}

static int op_exit(int i, int ti)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_EXIT;
	struct trep rep;
	int r = call(t, &c, sizeof c, -1, &rep, NULL);
	if (r == CALL_DIED) {
		/* exit(2) of one thread; with no other thread the group ends with status 0 */
		if (group_sibling(ti) >= 0) { remove_task(ti); emit(i, mtid, "ok 0"); return 0; }
		struct death d;
		memset(&d, 0, sizeof d);
		d.alone = d.process = 1;
		int g = t->g;
		reap_group(g, &d);
		remove_group(g);
		if (d.sig == 0 && d.code == 0) { emit(i, mtid, "ok 0"); return 0; }
		char buf[64];
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "killed %s", buf);
		return 0;
	}
	int s = settle(i, mtid, ti, r, &rep);
	if (s) return s < 0 ? -1 : 0;
	emit_ret(i, mtid, rep.ret);
	return 0;
}

/* ---- ops answered by one call ---- */

static int simple(int i, int ti, struct tcmd *c, size_t len, int fd_out, struct trep *rep)
{
	struct task *t = &T[ti];
	int r = call(t, c, len, fd_out, rep, NULL);
	int s = settle(i, t->model_tid, ti, r, rep);
	return s < 0 ? -1 : s > 0 ? 1 : 0;
}

static int op_filter(int i, int ti, const struct op *o)
{
	static unsigned char buf[CMD_BUF];
	struct tcmd *c = (struct tcmd *)buf;
	unsigned long n = o->ninsn;
	memset(c, 0, sizeof *c);
	c->cmd = TC_FILTER;
	c->flags = (uint64_t)o->n[0];
	c->ninsn = (uint32_t)n;
	memcpy(c->insns, o->insns, n * sizeof *o->insns);
	struct trep rep;
	struct task *t = &T[ti];
	int mtid = t->model_tid, g = t->g;
	int s = simple(i, ti, c, sizeof *c + n * sizeof *o->insns, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	long ret = rep.ret;
	if (ret <= 0) { emit_ret(i, mtid, ret); return 0; }
	if (c->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
		fd_add(&G[g], (struct fdent){(int)ret, 1, FK_LISTENER, next_listener++});
		emit(i, mtid, "ok %ld", ret);
	} else if (c->flags & SECCOMP_FILTER_FLAG_TSYNC) {
		/* TSYNC could not synchronise: the first sibling that blocked it
		 * (kernel/seccomp.c:seccomp_can_sync_threads) */
		int who = 0;
		for (int k = 0; k < nlive; k++)
			if (T[live[k]].tid == (pid_t)ret) who = T[live[k]].model_tid;
		emit(i, mtid, "tsync_fail %d", who);
	} else {
		emit(i, mtid, "ok %ld", ret);
	}
	return 0;
}

static int op_ruleset_create(int i, int ti, const struct op *o)
{
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_RULESET_CREATE;
	for (int k = 0; k < 3; k++) c.u[k] = (uint64_t)o->n[k];
	struct trep rep;
	int g = T[ti].g, mtid = T[ti].model_tid;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret >= 0) fd_add(&G[g], (struct fdent){(int)rep.ret, 1, FK_RULESET, next_ruleset++});
	emit_ret(i, mtid, rep.ret);
	return 0;
}

/* A ruleset reference with no ruleset behind it: an fd number no table holds, so the kernel
 * itself answers EBADF (security/landlock/syscalls.c:get_ruleset_from_fd). */
#define NO_FD INT_MAX

static int op_add_rule(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	struct fdent *e = fd_pick(&G[t->g], o->n[0], FK_RULESET);
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_ADD_RULE;
	c.fd = e ? e->fd : NO_FD;
	c.u[0] = (uint64_t)o->n[1];
	int pfd = -1;
	if (o->rule_port) {
		c.sub = 1;
		c.u[1] = (uint64_t)o->n[2];
	} else {
		/* the rule's parent_fd: an O_PATH descriptor the coordinator opens and passes, so the
		 * task's own filters and domain do not stand between it and its rule (O_PATH needs no
		 * Landlock right) */
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%.300s%.3000s", g_root, strcmp(o->s1, "/") ? o->s1 : "");
		pfd = open(path, O_PATH | O_CLOEXEC);
		/* a path the tree lacks: the open a program would make first fails (the model's
		 * ENOENT, model/landlock/README.md) */
		if (pfd < 0) { emit(i, mtid, "err %d", errno); return 0; }
	}
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, pfd, &rep);
	if (pfd >= 0) close(pfd);
	if (s) return s < 0 ? -1 : 0;
	emit_ret(i, mtid, rep.ret);
	return 0;
}

static int op_restrict(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	struct fdent *e = o->has_ruleset ? fd_pick(&G[t->g], o->n[0], FK_RULESET) : NULL;
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_RESTRICT;
	c.fd = !o->has_ruleset ? -1 : e ? e->fd : NO_FD;
	c.flags = (uint64_t)o->n[1];
	struct trep rep;
	int mtid = t->model_tid;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	emit_ret(i, mtid, rep.ret);
	return 0;
}

static int op_strict(int i, int ti)
{
	struct task *t = &T[ti];
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_STRICT;
	c.chan = ABS_BASE + t->slot;
	char name[64];
	snprintf(name, sizeof name, "strata-%d-%d-%d", (int)getpid(), t->model_tid, ++g_absgen);
	snprintf(c.s1, sizeof c.s1, "%s", name);
	struct trep rep;
	int mtid = t->model_tid;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret == 0) {
		t->strict = 1;
		t->strict_layers = rep.x[0];
		if (rep.x[1] == 0) snprintf(t->absname, sizeof t->absname, "%s", name);
	}
	emit_ret(i, mtid, rep.ret);
	return 0;
}

static int op_close_fd(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int g = t->g, mtid = t->model_tid;
	struct fdent *e = fd_pick(&G[g], o->n[0], 0);
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_CLOSE_FD;
	c.fd = e ? e->fd : NO_FD;
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret == 0 && e) fd_del(&G[g], c.fd);
	emit_ret(i, mtid, rep.ret);
	return 0;
}

/* SCM_RIGHTS from the task to `to`, relayed by the coordinator: the sender's sendmsg(2)
 * carries the descriptor, the receiver's recvmsg(2) installs it at its lowest free number
 * without close-on-exec (model/task/fds.ts:sendFd). */
static int op_send_fd(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	int to = resolve_ref(o->n[1]);
	if (to < 0) { emit(i, mtid, "invalid send_fd: no live target task"); return 0; }
	struct fdent *e = fd_pick(&G[t->g], o->n[0], 0);
	struct fdent copy = e ? *e : (struct fdent){0, 0, 0, 0};
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_SEND_FD;
	c.fd = e ? e->fd : NO_FD;
	struct trep rep;
	int got = -1;
	int r = call(t, &c, sizeof c, -1, &rep, &got);
	int s = settle(i, mtid, ti, r, &rep);
	if (s) { if (got >= 0) close(got); return s < 0 ? -1 : 0; }
	if (got < 0) { emit_ret(i, mtid, rep.ret < 0 ? rep.ret : -EBADF); return 0; }
	struct tcmd rc;
	memset(&rc, 0, sizeof rc);
	rc.cmd = TC_RECV_FD;
	int tg = T[to].g;
	r = call(&T[to], &rc, sizeof rc, got, &rep, NULL);
	close(got);
	if (r == CALL_TIMEOUT) { emit(i, mtid, "timeout %u", S->op_timeout_ms); return -1; }
	if (r == CALL_DIED) {
		struct death d;
		char buf[64];
		int victim = T[to].model_tid;
		classify_death(to, &d);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "error send_fd: the receiving task %d died in recvmsg: %s", victim, buf);
		return 0;
	}
	if (rep.status == TR_PLUMBING) { emit(i, mtid, "error %s: errno %ld", rep.msg, -rep.ret); return 0; }
	fd_add(&G[tg], (struct fdent){(int)rep.ret, 0, copy.kind, copy.id});
	emit(i, mtid, "ok %ld", rep.ret);
	return 0;
}

/* ---- probes ---- */

static void model_path(const char *mp, char *out, size_t n)
{
	snprintf(out, n, "%.300s%.200s", g_root, strcmp(mp, "/") ? mp : "");
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : "x";
}

static int is_make(int access)
{
	return access >= FA_MAKE_CHAR && access <= FA_MAKE_SYM;
}

/* Make the target's abstract listener under its current credentials; the name goes to *name. */
static int prepare_abstract(int i, int mtid, int tt, char *name, size_t n)
{
	struct task *tg = &T[tt];
	if (tg->strict) {
		if (!tg->absname[0]) { emit(i, mtid, "error abstract_unix: the strict target has no listener"); return 1; }
		snprintf(name, n, "%s", tg->absname);
		return 0;
	}
	snprintf(name, n, "strata-%d-%d-%d", (int)getpid(), tg->model_tid, ++g_absgen);
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_ABS_LISTEN;
	c.chan = ABS_BASE + tg->slot;
	snprintf(c.s1, sizeof c.s1, "%s", name);
	struct trep rep;
	int r = call(tg, &c, sizeof c, -1, &rep, NULL);
	if (r == CALL_TIMEOUT) { emit(i, mtid, "timeout %u", S->op_timeout_ms); return -1; }
	if (r == CALL_DIED) {
		struct death d;
		char buf[64];
		int victim = tg->model_tid;
		classify_death(tt, &d);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "error abstract_unix: the target task %d died making its listener: %s", victim, buf);
		return 1;
	}
	if (rep.ret < 0 || rep.status) { emit(i, mtid, "error abstract_unix: the target's listener: errno %ld", -rep.ret); return 1; }
	return 0;
}

static int op_probe(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_PROBE;
	c.probe = o->probe;
	c.sub = o->sub;
	char made[PATH_MAX] = "", from[PATH_MAX] = "", moved[PATH_MAX] = "";
	int mutates = 0;
	switch (o->probe) {
	case PR_SYS: {
		const char *why = probe_unsafe((unsigned long long)o->n[0], (unsigned long long)o->n[1], o->args);
		if (why) { emit(i, mtid, "skip syscall %lld is not made on the host: %s", o->n[0], why); return 0; }
		if ((unsigned long long)o->n[1] != AUDIT_ARCH_X86_64_ && (unsigned long long)o->n[1] != AUDIT_ARCH_I386_) {
			emit(i, mtid, "skip arch 0x%llx: the executor makes x86_64 and i386 calls only", (unsigned long long)o->n[1]);
			return 0;
		}
		c.u[0] = (uint64_t)o->n[0];
		c.u[1] = (uint64_t)o->n[1];
		for (int k = 0; k < 6; k++) c.u[2 + k] = o->args[k];
		break;
	}
	case PR_FS:
		if (o->sub == FA_REFER) { emit(i, mtid, "skip fs refer: REFER is exercised by rename and link requests"); return 0; }
		model_path(o->s1, c.s1, sizeof c.s1);
		if (is_make(o->sub)) {
			snprintf(c.s2, sizeof c.s2, "%.490s/strata.new", c.s1);
			snprintf(made, sizeof made, "%s", c.s2);
		}
		mutates = is_make(o->sub) || o->sub == FA_REMOVE_DIR || o->sub == FA_REMOVE_FILE;
		break;
	case PR_RENAME:
	case PR_LINK: {
		char to[TPATH];
		model_path(o->s1, c.s1, sizeof c.s1);
		model_path(o->s2, to, sizeof to);
		snprintf(c.s2, sizeof c.s2, "%.400s/%.60s.%s", to, base_name(o->s1), o->probe == PR_RENAME ? "moved" : "linked");
		if (o->probe == PR_RENAME) { snprintf(from, sizeof from, "%s", c.s1); snprintf(moved, sizeof moved, "%s", c.s2); }
		else snprintf(made, sizeof made, "%s", c.s2);
		mutates = 1;
		break;
	}
	case PR_MOUNT:
		if (!g_mount_ok) { emit(i, mtid, "skip mount: the coordinator has no private mount namespace"); return 0; }
		snprintf(c.s1, sizeof c.s1, "%.500s", g_mnt);
		break;
	case PR_NET:
		if (S->opt_netns && !g_net_ok) { emit(i, mtid, "skip net: no private network namespace"); return 0; }
		c.u[0] = (uint64_t)o->n[0];
		break;
	case PR_SIGNAL:
	case PR_PTRACE:
	case PR_ABSTRACT: {
		int tt = resolve_ref(o->n[0]);
		if (o->probe == PR_ABSTRACT) {
			int e = prepare_abstract(i, mtid, tt, c.s1, sizeof c.s1);
			if (e) return e < 0 ? -1 : 0;
			if (t->chan < 0) return 0; /* cannot happen: the acting task is alive */
		}
		c.u[0] = (uint64_t)T[tt].tid;
		break;
	}
	}
	struct trep rep;
	memset(&g_notif, 0, sizeof g_notif);
	int r = call(t, &c, sizeof c, -1, &rep, NULL);
	if (mutates) fstree_restore(g_root, S, made, from, moved);
	if (r == CALL_DIED) {
		struct death d;
		char buf[64];
		classify_death(ti, &d);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "probe killed %s", buf);
		return 0;
	}
	int s = settle(i, mtid, ti, r, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (g_notif.seen) emit(i, mtid, "probe notify %d %ld", g_notif.listener, rep.ret < 0 ? -rep.ret : 0);
	else if (rep.trapped) emit(i, mtid, "probe trap %ld %ld %ld", (long)rep.x[0], (long)rep.x[1], (long)rep.x[2]);
	else if (rep.ret < 0 && rep.ret >= -4095) emit(i, mtid, "probe errno %ld", -rep.ret);
	else emit(i, mtid, "probe returned %ld", rep.ret);
	return 0;
}

/* ---- the scenario ---- */

static int run_op(int i)
{
	const struct op *o = &S->ops[i];
	g_deadline = now_ms() + S->op_timeout_ms;
	int ti;
	if (o->has_pin) {
		ti = find_live_tid(o->pin);
		if (ti < 0) { emit(i, 0, "invalid %s: task %lld is not alive", OP_NAMES[o->kind], o->pin); return 0; }
	} else {
		ti = resolve_ref(o->task);
		if (ti < 0) { emit(i, 0, "invalid %s: no live task", OP_NAMES[o->kind]); return 0; }
	}
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	if (o->kind == OP_SKIP) { emit(i, mtid, "skip %s", o->s1); return 0; }
	if (o->kind == OP_COMPROMISE) { emit(i, mtid, "ok 0"); return 0; } /* no kernel effect */
	listeners_take();
	struct tcmd c;
	struct trep rep;
	int ret = 0, s;
	switch (o->kind) {
	case OP_FORK: ret = op_fork(i, ti, 0); break;
	case OP_THREAD: ret = op_fork(i, ti, 1); break;
	case OP_EXEC: ret = op_exec(i, ti); break;
	case OP_EXIT: ret = op_exit(i, ti); break;
	case OP_SET_NNP:
	case OP_DROP_CAP:
		memset(&c, 0, sizeof c);
		c.cmd = o->kind == OP_SET_NNP ? TC_SET_NNP : TC_DROP_CAP;
		s = simple(i, ti, &c, sizeof c, -1, &rep);
		if (s == 0) emit_ret(i, mtid, rep.ret);
		ret = s < 0 ? -1 : 0;
		break;
	case OP_STRICT: ret = op_strict(i, ti); break;
	case OP_FILTER: ret = op_filter(i, ti, o); break;
	case OP_RULESET_CREATE: ret = op_ruleset_create(i, ti, o); break;
	case OP_ADD_RULE: ret = op_add_rule(i, ti, o); break;
	case OP_RESTRICT: ret = op_restrict(i, ti, o); break;
	case OP_SEND_FD: ret = op_send_fd(i, ti, o); break;
	case OP_CLOSE_FD: ret = op_close_fd(i, ti, o); break;
	case OP_PROBE: ret = op_probe(i, ti, o); break;
	case OP_OBSERVE: ret = op_observe(i, ti); break;
	}
	listeners_drop();
	return ret;
}

static int lo_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) return -1;
	struct ifreq r;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "lo");
	int e = ioctl(s, SIOCGIFFLAGS, &r);
	if (!e) {
		r.ifr_flags |= IFF_UP;
		e = ioctl(s, SIOCSIFFLAGS, &r);
	}
	close(s);
	return e;
}

static int start_initial(char *err, size_t errlen)
{
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp)) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(sp[0]);
		task_start_initial(sp[1], S->nnp, S->cap);
	}
	close(sp[1]);
	int ti = new_task(pid, 0, sp[0], 0);
	new_group(ti, pid);
	return 0;
}

int coord_main(const struct scenario *sc, const char *base, int out)
{
	S = sc;
	g_out = out;
	snprintf(g_root, sizeof g_root, "%.256s/root", base);
	snprintf(g_mnt, sizeof g_mnt, "%.256s/mnt", base);
	int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	dup2(nul, 0);
	dup2(nul, 1);
	close(nul);
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl); /* SIGSYS kills dump core otherwise (kernel/seccomp.c) */
	signal(SIGPIPE, SIG_IGN);
	/* The scenario's own mount namespace, with a tmpfs over the work directory: the tree lives
	 * there only (cheaper than ext4, and gone with the namespace), and mount probes cannot
	 * reach the host's mounts. Without it the tree is built on the host file system. */
	g_mount_ok = unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
		     mount("strata", base, "tmpfs", MS_NOSUID, "mode=0755,size=8m") == 0;
	if (sc->opt_netns) g_net_ok = unshare(CLONE_NEWNET) == 0 && lo_up() == 0;
	char err[256] = "";
	int e = 0;
	if ((mkdir(g_root, 0755) && errno != EEXIST) || (mkdir(g_mnt, 0755) && errno != EEXIST)) {
		e = -errno;
		snprintf(err, sizeof err, "cannot create the tree's root: %s", strerror(errno));
	}
	if (!e) e = fstree_build(g_root, sc, err, sizeof err);
	if (!e) e = start_initial(err, sizeof err);
	if (e) {
		for (int i = 0; i < sc->nops; i++) emit(i, 0, "error scenario setup: %s", err);
		return 1;
	}
	for (int i = 0; i < sc->nops; i++) {
		if (run_op(i) < 0) {
			for (int j = i + 1; j < sc->nops; j++) emit(j, 0, "notrun an earlier operation timed out");
			return 0;
		}
	}
	return 0;
}
