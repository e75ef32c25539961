/* The coordinator's side of the ops (see ops.h); probes are in probe_op.c. */
#define _GNU_SOURCE
#include "ops.h"
#include "call.h"
#include "fstree.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A ruleset reference with no ruleset behind it: an fd number no table holds, so the kernel
 * itself answers EBADF (security/landlock/syscalls.c:get_ruleset_from_fd). Even, so that a
 * filter on argument bit 0 treats it as the model's op gate treats a missing fd (0). */
#define NO_FD 0x7ffffffe

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

static void layers_reason(int ti, long v, char *out, size_t n)
{
	/* the oracle's child has a copy of the task's SIGSYS disposition and mask: where a trap
	 * kills (sigsys_op.c), a filter's RET_TRAP on the oracle's calls ends the child */
	const char *kills = v > -3000 && v <= -2000 ? sigsys_trap_kills(ti) : NULL;
	if (v <= -4000) snprintf(out, n, "the task cannot be commanded (a filter of its own denies the executor's read/write)");
	else if (v <= -3000) snprintf(out, n, "the layer oracle's clone was skipped by a filter of the task (RET_ERRNO 0)");
	else if (v <= -2000 && kills) snprintf(out, n, "the layer oracle's child died before answering (a filter of the task? %s)", kills);
	else if (v <= -2000) snprintf(out, n, "the layer oracle's child died before answering (a filter of the task?)");
	else snprintf(out, n, "layer oracle failed: errno %ld (a filter of the task?)", -1000 - v);
}

int op_observe(int i, int ti)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid, mode = -1, count = -1, nnp = -1;
	long layers;
	if (t->strict) {
		layers = t->strict_layers;
	} else if (t->mute) {
		layers = -4000;
	} else {
		struct tcmd c;
		memset(&c, 0, sizeof c);
		c.cmd = TC_LAYERS;
		struct trep rep;
		int r = call(t, &c, sizeof c, -1, &rep, NULL);
		/* observe makes no syscall of the task's own in the model: a trap or a notification
		 * here hit the oracle's calls, whose failure shows in the layer count */
		rep.trapped = 0;
		g_notif.seen = 0;
		int s = settle(i, mtid, ti, r, &rep);
		if (s) return s < 0 ? -1 : 0;
		layers = rep.x[0];
	}
	int e = read_status(t, &mode, &count, &nnp);
	if (e) { emit(i, mtid, "error observe: cannot read /proc status: errno %d", -e); return 0; }
	if (layers < 0) {
		char why[192];
		layers_reason(ti, layers, why, sizeof why);
		emit(i, mtid, "observe %d %d %d -1 %s", mode, count, nnp, why);
	} else {
		emit(i, mtid, "observe %d %d %d %ld", mode, count, nnp, layers);
	}
	return 0;
}

/* ---- task creation ---- */

int op_fork(int i, int ti, int thread)
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
	c.chan = CHAN_FD(slot);
	c.u[0] = (uint64_t)t->tid;
	struct trep rep;
	int r = call(t, &c, sizeof c, sp[1], &rep, NULL);
	close(sp[1]);
	int s = settle(i, mtid, ti, r, &rep);
	if (s || rep.ret <= 0) { /* 0: a filter's RET_ERRNO(0) skipped the clone */
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
		memcpy(G[ng].cwd, G[g].cwd, sizeof G[g].cwd); /* copy_fs */
	}
	emit(i, mtid, "ok %d", T[ni].model_tid);
	return 0;
}

/* exec: the reply comes from the new image (0) or from the old one (-errno). Meanwhile the
 * exec'ing thread's old tid may be released (de_thread swaps it with the leader's), so the
 * group's pidfd is watched instead of the thread's. */
int op_exec(int i, int ti)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid, g = t->g;
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_EXEC;
	struct trep rep;
	/* The thread's own pidfd is watched: a filter (or strict mode) may kill just this thread
	 * before execve runs (its siblings live on: classify_death asks them). A successful exec
	 * from a non-leader also fires it (the old pid is released in de_thread), so a death is
	 * believed only when no hello from the new image follows. */
	int r = call(t, &c, sizeof c, -1, &rep, NULL);
	if (r == CALL_DIED && exec_hello(t, &rep, 1000)) r = CALL_REPLY;
	if (r == CALL_DIED) {
		struct death d;
		char buf[64];
		classify_death(ti, &d);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "killed %s", buf);
		return 0;
	}
	int s = settle(i, mtid, ti, r, &rep);
	if (s) return s < 0 ? -1 : 0;
	/* only the new image says hello; the old one answers a failed (or, under RET_ERRNO(0),
	 * skipped) execve */
	if (rep.x[0] != EXEC_HELLO) { emit_ret(i, mtid, rep.ret); return 0; }
	for (int j = nlive - 1; j >= 0; j--)
		if (live[j] != ti && T[live[j]].g == g) remove_task(live[j]);
	close(t->pidfd);
	t->tid = G[g].tgid;
	t->model_tid = G[g].model_tgid;
	t->pidfd = task_pidfd(t->tid);
	int k = 0;
	for (int j = 0; j < G[g].nfds; j++)
		if (!G[g].fds[j].cloexec) G[g].fds[k++] = G[g].fds[j];
	G[g].nfds = k;
	emit(i, mtid, "ok 0");
	return 0;
}

int op_exit(int i, int ti)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_EXIT;
	struct trep rep;
	int r = call(t, &c, sizeof c, -1, &rep, NULL);
	if (r == CALL_DIED) {
		/* exit(2) of one thread; with no other thread the group ends with status 0. A filter's
		 * KILL_PROCESS on exit(2) ends the whole group, which the siblings show: ask them
		 * (classify_death pings one). A KILL_THREAD of a thread with siblings looks exactly like
		 * its exit (compare.ts reads it so). */
		if (group_sibling(ti) >= 0) {
			struct death d;
			classify_death(ti, &d);
			if (!d.process) { emit(i, mtid, "ok 0"); return 0; }
			char buf[64];
			fmt_death(&d, buf, sizeof buf);
			emit(i, mtid, "killed %s", buf);
			return 0;
		}
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

int op_filter(int i, int ti, const struct op *o)
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
	if (g_ret) g_ret->done = 0;
	int r = call(t, c, sizeof *c + n * sizeof *o->insns, -1, &rep, NULL);
	if (r == CALL_DIED && g_ret && __atomic_load_n(&g_ret->done, __ATOMIC_ACQUIRE)) {
		/* seccomp(2) returned, then the task died at its next syscall, the reply's write(2):
		 * the filter it had just installed kills it (kernel/seccomp.c:__seccomp_filter runs
		 * from the next syscall entry on). The call's result is the op's; the death is the
		 * executor's own call's, which the model does not make (protocol.md). */
		struct death d;
		char buf[64];
		long ret = g_ret->ret;
		classify_death(ti, &d);
		fmt_death(&d, buf, sizeof buf);
		if (ret < 0) emit(i, mtid, "err %ld then-killed %s", -ret, buf);
		else emit(i, mtid, "ok %ld then-killed %s", ret, buf);
		return 0;
	}
	int s = settle(i, mtid, ti, r, &rep);
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

int op_ruleset_create(int i, int ti, const struct op *o)
{
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_RULESET_CREATE;
	for (int k = 0; k < 3; k++) c.u[k] = (uint64_t)o->n[k];
	c.flags = (uint64_t)o->n[3];
	struct trep rep;
	int g = T[ti].g, mtid = T[ti].model_tid;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	/* a query (flags) returns a number, not a descriptor */
	if (rep.ret >= 0 && !o->n[3]) fd_add(&G[g], (struct fdent){(int)rep.ret, 1, FK_RULESET, next_ruleset++});
	emit_ret(i, mtid, rep.ret);
	return 0;
}


/* A thread killed inside landlock_add_rule leaves the rule's O_PATH descriptor it had received
 * at the lowest free number of its group's table (its drop_received never ran): a live sibling,
 * which shares the table, drops it, so the group's descriptor numbers keep matching the model's
 * (where the kill changes no descriptor). */
static void drop_orphan_pfd(int g, int ti, int was_strict)
{
	/* a strict task dies in the recvmsg(2) that would have taken the descriptor */
	if (was_strict) return;
	for (int k = 0; k < nlive; k++)
		if (live[k] == ti) return; /* alive: it dropped the descriptor itself */
	/* a sibling in strict mode cannot close anything (and makes no descriptor-numbered call) */
	int sib = -1;
	for (int k = 0; k < nlive; k++)
		if (T[live[k]].g == g && !T[live[k]].mute && !T[live[k]].strict) { sib = live[k]; break; }
	if (sib < 0) return; /* the whole group is gone (its table with it), or none can close */
	int fd = 3;
	for (int j = 0; j < G[g].nfds; j++) /* sorted by number */
		if (G[g].fds[j].fd == fd) fd++;
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_DROP_FD;
	c.fd = fd;
	struct trep rep;
	call(&T[sib], &c, sizeof c, -1, &rep, NULL);
}

int op_add_rule(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	struct fdent *e = fd_pick(&G[t->g], o->n[0], o->any_fd ? 0 : FK_RULESET);
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
		fstree_path(o->s1, path, sizeof path); /* through a mount: the rule is on its source's inode */
		pfd = open(path, O_PATH | O_CLOEXEC);
		/* a path the tree lacks: the open a program would make first fails (the model's
		 * ENOENT, model/landlock/README.md) */
		if (pfd < 0) { emit(i, mtid, "err %d", errno); return 0; }
	}
	struct trep rep;
	int g = t->g, was_strict = t->strict;
	int s = simple(i, ti, &c, sizeof c, pfd, &rep);
	if (pfd >= 0) close(pfd);
	if (s > 0 && pfd >= 0) drop_orphan_pfd(g, ti, was_strict);
	if (s) return s < 0 ? -1 : 0;
	emit_ret(i, mtid, rep.ret);
	return 0;
}

int op_restrict(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	struct fdent *e = o->has_ruleset ? fd_pick(&G[t->g], o->n[0], o->any_fd ? 0 : FK_RULESET) : NULL;
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

int op_strict(int i, int ti)
{
	struct task *t = &T[ti];
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_STRICT;
	c.chan = ABS_FD(t->slot);
	char name[64];
	snprintf(name, sizeof name, "strata-%d-%d-%d", (int)getpid(), t->model_tid, ++g_absgen);
	/* A task in filter mode cannot enter strict mode (kernel/seccomp.c:seccomp_may_assign_mode:
	 * EINVAL), so nothing is prepared: its filters would decide the listener's bind(2) and the
	 * oracle's calls, and a kill there — or a trap where SIGSYS is ignored, at SIG_DFL or blocked
	 * (sigsys_op.c) — would end a task whose call only fails. */
	int mode = -1, count, nnp;
	if (read_status(t, &mode, &count, &nnp) == 0 && mode == 2) c.flags = STRICT_NO_PREP;
	else snprintf(c.s1, sizeof c.s1, "%s", name);
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

int op_close_fd(int i, int ti, const struct op *o)
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

/* seccomp(SECCOMP_GET_ACTION_AVAIL, flags, &action), made by the task itself (the call meets its
 * filters; kernel/seccomp.c:seccomp_get_action_avail). */
int op_action_avail(int i, int ti, const struct op *o)
{
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_ACTION_AVAIL;
	c.u[0] = (uint64_t)o->n[0];
	c.u[1] = (uint64_t)o->n[1];
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	emit_ret(i, T[ti].model_tid, rep.ret);
	return 0;
}

/* read / write / lseek / ioctl(FIONREAD) on the task's descriptor, made by the task itself
 * (model/task/fd-call.ts; delegation.md M2). No descriptor: NO_FD, EBADF. */
int op_fd_call(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	struct fdent *e = fd_pick(&G[t->g], o->n[0], 0);
	/* a socket's read, write and FIONREAD: data the model does not keep (model/task/fd-call.ts) */
	if (e && (e->kind == FK_SOCKET || e->kind == FK_UNIX_LISTENER) && (o->n[1] == 0 || o->n[1] == 1 || o->n[1] == 3)) {
		emit(i, t->model_tid, "invalid fd_call %s on a socket: its data is not modelled", o->n[1] == 0 ? "read" : o->n[1] == 1 ? "write" : "fionread");
		return 0;
	}
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_FD_CALL;
	c.sub = (int)o->n[1];
	c.fd = e ? e->fd : NO_FD;
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	emit_ret(i, t->model_tid, rep.ret);
	return 0;
}

/* SCM_RIGHTS from the task to `to`, relayed by the coordinator: the sender's sendmsg(2)
 * carries the descriptor, the receiver's recvmsg(2) installs it at its lowest free number
 * without close-on-exec (model/task/fds.ts:sendFd). */
int op_send_fd(int i, int ti, const struct op *o)
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
	/* no descriptor came: sendmsg failed, or a filter's RET_ERRNO(0) skipped it (it returned 0) */
	if (got < 0) { emit_ret(i, mtid, rep.ret <= 0 ? rep.ret : -EBADF); return 0; }
	struct tcmd rc;
	memset(&rc, 0, sizeof rc);
	rc.cmd = TC_RECV_FD;
	int tg = T[to].g;
	/* the model hands the descriptor over without a call of the receiver's; here it must
	 * recvmsg(2), which strict mode answers with SIGKILL: not run (the sender's part was) */
	if (T[to].strict) {
		close(got);
		emit(i, mtid, "skip the receiving task %d is in strict mode: the recvmsg(2) that takes the descriptor would kill it", T[to].model_tid);
		return 0;
	}
	if (T[to].mute) { close(got); emit(i, mtid, "error send_fd: the receiving task %d cannot be commanded: %s", T[to].model_tid, MUTE_MESSAGE); return 0; }
	r = call(&T[to], &rc, sizeof rc, got, &rep, NULL);
	close(got);
	if (r == CALL_TIMEOUT) { emit(i, mtid, "timeout %u", S->op_timeout_ms); return -1; }
	if (r == CALL_MUTE) { mark_mute(to); emit(i, mtid, "error send_fd: the receiving task %d: %s", T[to].model_tid, MUTE_MESSAGE); return 0; }
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

/* The thread's capability sets as /proc shows them (CapInh, CapPrm, CapEff). */
static int read_caps(const struct task *t, uint64_t caps[3])
{
	char path[64], buf[8192];
	snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)G[t->g].tgid, (int)t->tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -errno;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) return -EIO;
	buf[n] = 0;
	static const char *const KEYS[3] = {"CapInh:", "CapPrm:", "CapEff:"};
	for (int k = 0; k < 3; k++) {
		const char *p = strstr(buf, KEYS[k]);
		if (!p) return -EIO;
		caps[k] = strtoull(p + strlen(KEYS[k]), NULL, 16);
	}
	return 0;
}

int op_cred(int i, int ti, int kind)
{
	struct tcmd c;
	struct trep rep;
	memset(&c, 0, sizeof c);
	c.cmd = kind == OP_SET_NNP ? TC_SET_NNP : TC_DROP_CAP;
	int mtid = T[ti].model_tid;
	if (kind == OP_DROP_CAP) {
		int e = read_caps(&T[ti], c.u);
		if (e) { emit(i, mtid, "error drop_cap: cannot read the capabilities in /proc: errno %d", -e); return 0; }
	}
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s == 0) emit_ret(i, mtid, rep.ret);
	return s < 0 ? -1 : 0;
}
