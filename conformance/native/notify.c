/* The coordinator's side of the seccomp user-notification supervisor protocol (notify.h;
 * model/seccomp/notify.ts; conformance/protocol.md "The supervisor protocol").
 *
 * After a notif_supervise op the coordinator answers no notification itself: a probe (or an
 * op's own syscall) that is notified leaves its thread blocked in the kernel, with its command
 * outstanding on its channel. The coordinator sees the block from outside (call.c: a listener
 * that had nothing queued becomes readable, or the thread sleeps in the probed syscall) and
 * writes `probe notify L 0`. The scenario's own tasks then RECV/SEND/… on their copies of the
 * listener, each call made by the task itself (task.c:task_notif). The blocked thread's reply
 * is read when it comes: at once after a SEND or ADDFD|SEND that answered it (so the target has
 * consumed its answer before the next op, as the model has it: U14, U19), and otherwise at its
 * notif_return, which waits for it only while the thread is not provably still asleep in the
 * call. Nothing ever waits past the op deadline (U24: a blocked target sleeps without limit). */
#define _GNU_SOURCE
#include "notify.h"
#include "call.h"
#include "ops.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <stdlib.h>
#include <unistd.h>

int g_supervised;

struct blocked {
	int blocked;  /* the thread is in a notified call whose result was not yet collected */
	int listener; /* the model listener id it waits on, -1 when not known */
	int probe;    /* the call is a probe's (else an op's own syscall) */
	long nr;      /* the probed syscall number, -1 when unknown */
	int received; /* a RECV of the scenario returned its id */
	unsigned long long id;
	int answered; /* its reply was read (stashed in rep) */
	int cont;     /* it was answered with FLAG_CONTINUE */
	struct trep rep;
};
static struct blocked B[MAX_TASKS];

/* An id no live notification has: ids are a random u64 per filter going up by one
 * (kernel/seccomp.c:init_listener), so this collides with probability ~2^-64 per id. */
#define STALE_ID 0x5354524154414e4fULL

int notif_is_blocked(int ti)
{
	return ti >= 0 && B[ti].blocked;
}

void notif_mark_blocked(int ti, int listener, int probe, long nr)
{
	memset(&B[ti], 0, sizeof B[ti]);
	B[ti].blocked = 1;
	B[ti].listener = listener;
	B[ti].probe = probe;
	B[ti].nr = nr;
}

int notif_guard(int i, int ti, const struct op *o)
{
	/* notif_return collects the call; compromise and notif_supervise make no call (the harness's) */
	if (!g_supervised || o->kind == OP_NOTIF_RETURN || o->kind == OP_COMPROMISE || o->kind == OP_NOTIF_SUPERVISE) return 0;
	if (B[ti].blocked) {
		emit(i, T[ti].model_tid, "invalid %s: task %d is blocked in a notified call", OP_NAMES[o->kind], T[ti].model_tid);
		return 1;
	}
	int to = -1;
	if (o->kind == OP_SEND_FD) to = resolve_ref(o->n[1]);
	else if (o->kind == OP_PROBE && (o->probe == PR_SIGNAL || o->probe == PR_PTRACE || o->probe == PR_ABSTRACT)) to = resolve_ref(o->n[0]);
	if (to >= 0 && B[to].blocked) {
		emit(i, T[ti].model_tid, "invalid %s: its target %d is blocked in a notified call", OP_NAMES[o->kind], T[to].model_tid);
		return 1;
	}
	return 0;
}

/* The thread sleeps in syscall `nr` (/proc/PID/task/TID/syscall and its state). */
int notif_asleep_in(const struct task *t, long nr)
{
	char buf[256];
	if (task_proc_read(t, "stat", buf, sizeof buf) < 0) return 0;
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || (p[2] != 'S' && p[2] != 'D')) return 0;
	if (task_proc_read(t, "syscall", buf, sizeof buf) < 0) return 0;
	long got;
	if (sscanf(buf, "%ld", &got) != 1) return 0;
	return nr >= 0 ? got == nr : got != SYS_read;
}

/* Read the blocked task's reply, waiting at most until the op deadline; when `give_up_if_asleep`
 * the wait ends as soon as the thread is seen asleep in its call a few times in a row (it has
 * no answer yet). 1: the reply is stashed; 0: still blocked; -1: timeout; -2: it died. */
static int collect(int ti, int give_up_if_asleep)
{
	struct task *t = &T[ti];
	int asleep = 0;
	for (;;) {
		struct pollfd p = {t->chan, POLLIN, 0};
		int ms = remaining_ms();
		if (ms == 0) return -1;
		int n = poll(&p, 1, ms < 5 ? ms : 5);
		if (n < 0 && errno == EINTR) continue;
		if (n > 0) {
			ssize_t got = recv(t->chan, &B[ti].rep, sizeof B[ti].rep, MSG_DONTWAIT);
			if (got == (ssize_t)sizeof B[ti].rep) { B[ti].answered = 1; return 1; }
			if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) return -2;
			continue;
		}
		if (give_up_if_asleep) {
			if (notif_asleep_in(t, B[ti].probe ? B[ti].nr : -1)) { if (++asleep >= 4) return 0; }
			else asleep = 0;
		}
	}
}

/* The listener descriptor the op names (fd index, any kind: a descriptor of another kind gets
 * the kernel's own answer), and the task command for it. */
/* Does RECV on a listener whose filter has no users sleep on this kernel? Before Linux 6.11
 * seccomp_notify_recv waited for a request with no check of the filter's users (the check in
 * recv_wait_event, and the POLLHUP wake-up, came with "seccomp: interrupt
 * SECCOMP_IOCTL_NOTIF_RECV when all users have exited"): it sleeps until a signal. By release
 * number (a backport only turns a comparable step into a skip). */
static int recv_sleeps_without_users(void)
{
	static int known = -1;
	if (known < 0) {
		struct utsname u;
		char *end;
		long major = 0, minor = 0;
		if (uname(&u) == 0) {
			major = strtol(u.release, &end, 10);
			if (*end == '.') minor = strtol(end + 1, NULL, 10);
		}
		known = major < 6 || (major == 6 && minor < 11);
	}
	return known;
}

static void notif_cmd(struct tcmd *c, int ti, const struct op *o, int sub, struct fdent **e)
{
	memset(c, 0, sizeof *c);
	c->cmd = TC_NOTIF;
	c->sub = sub;
	*e = fd_pick(&G[T[ti].g], o->n[0], 0);
	c->fd = *e ? (*e)->fd : 0x7ffffffe;
}

/* The notification the op's target is blocked in, as the supervisor can name it: its id if a
 * RECV returned it, else STALE_ID; -1 (and the step written as invalid) when the target waits
 * on this listener unreceived, whose id the supervisor cannot know (the model's `invalid`). */
static int target_id(int i, int ti, const struct op *o, const struct fdent *e, int *tt, unsigned long long *id, int needs_id)
{
	*tt = resolve_ref(o->n[1]);
	*id = STALE_ID;
	if (*tt < 0 || !B[*tt].blocked || B[*tt].answered) return 0;
	int same = e && e->kind == FK_LISTENER && e->id == B[*tt].listener;
	if (B[*tt].received && same) { *id = B[*tt].id; return 0; }
	if (same && needs_id) {
		emit(i, T[ti].model_tid, "invalid %s: the notification was not received: the supervisor knows no id for it",
		     o->kind == OP_NOTIF_SEND ? "notif_send" : "notif_addfd");
		return -1;
	}
	return 0;
}

/* After a call that answered `tt`'s notification: read its reply now (it has consumed the
 * answer when the next op runs). */
static int consume(int i, int ti, int tt)
{
	int r = collect(tt, 0);
	if (r == -1) { emit(i, T[ti].model_tid, "timeout %u", S->op_timeout_ms); return -1; }
	if (r == -2) { emit(i, T[ti].model_tid, "error notif: the answered task %d died before it returned", T[tt].model_tid); return 1; }
	return 0;
}

int op_notif(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	struct tcmd c;
	struct trep rep;
	struct fdent *e = NULL;
	switch (o->kind) {
	case OP_NOTIF_SUPERVISE:
		g_supervised = 1;
		emit(i, mtid, "ok 0");
		return 0;
	case OP_NOTIF_RETURN: {
		if (!g_supervised || !B[ti].blocked) { emit(i, mtid, "invalid notif_return: the task is not in a notified call"); return 0; }
		if (!B[ti].answered) {
			int r = collect(ti, 1);
			if (r == 0) { emit(i, mtid, "invalid notif_return: the task is still blocked in its notified call"); return 0; }
			if (r == -1) { emit(i, mtid, "timeout %u", S->op_timeout_ms); return -1; }
			if (r == -2) { emit(i, mtid, "error notif_return: the task died in its notified call"); return 0; }
		}
		B[ti].blocked = 0;
		const struct trep *rp = &B[ti].rep;
		if (rp->status == TR_PLUMBING) emit(i, mtid, "error %s: errno %ld", rp->msg, -rp->ret);
		else if (B[ti].cont && B[ti].probe) probe_report(i, mtid, rp);
		else emit_ret(i, mtid, rp->ret);
		return 0;
	}
	case OP_NOTIF_SIZES:
		memset(&c, 0, sizeof c);
		c.cmd = TC_NOTIF;
		c.sub = NOTIF_SIZES;
		break;
	case OP_NOTIF_RECV:
		if (!g_supervised) { emit(i, mtid, "invalid notif_recv: notifications are answered by the executor before a notif_supervise step"); return 0; }
		notif_cmd(&c, ti, o, NOTIF_RECV, &e);
		c.u[0] = (uint64_t)recv_sleeps_without_users();
		/* a descriptor that is no listener answers the ioctl at once (ENOTTY): no wait to
		 * foresee (a socket with nothing to read would look like a listener with nothing queued) */
		c.u[1] = e && e->kind != FK_LISTENER;
		break;
	case OP_NOTIF_POLL:
		notif_cmd(&c, ti, o, NOTIF_POLL, &e);
		/* a socket's readiness follows data the model does not keep (model/seccomp/notify.ts) */
		if (e && (e->kind == FK_SOCKET || e->kind == FK_UNIX_LISTENER)) { emit(i, mtid, "invalid notif_poll of a socket: its readiness is not modelled"); return 0; }
		break;
	case OP_NOTIF_SET_FLAGS:
		notif_cmd(&c, ti, o, NOTIF_SET_FLAGS, &e);
		c.u[0] = (uint64_t)o->n[1];
		break;
	case OP_NOTIF_ID_VALID:
	case OP_NOTIF_SEND:
	case OP_NOTIF_ADDFD: {
		if (!g_supervised) { emit(i, mtid, "invalid notif: notifications are answered by the executor before a notif_supervise step"); return 0; }
		int sub = o->kind == OP_NOTIF_ID_VALID ? NOTIF_ID_VALID : o->kind == OP_NOTIF_SEND ? NOTIF_SEND : NOTIF_ADDFD;
		notif_cmd(&c, ti, o, sub, &e);
		break;
	}
	default:
		emit(i, mtid, "error notif: unknown op");
		return 0;
	}
	int tt = -1;
	unsigned long long id = STALE_ID;
	struct fdent *src = NULL;
	if (o->kind == OP_NOTIF_ID_VALID || o->kind == OP_NOTIF_SEND || o->kind == OP_NOTIF_ADDFD) {
		/* the checks the kernel makes before it looks the id up need no id (U14, U18) */
		int early = 0;
		if (o->kind == OP_NOTIF_SEND) {
			unsigned long long fl = o->args[0];
			early = (fl & ~1ULL) != 0 || ((fl & 1) && (o->n[2] != 0 || o->n[3] != 0));
		} else if (o->kind == OP_NOTIF_ADDFD) {
			early = (o->args[0] & ~3ULL) != 0;
			if (o->args[0] & 1) { emit(i, mtid, "invalid notif_addfd: SETFD is not modelled"); return 0; }
		}
		if (!early && target_id(i, ti, o, e, &tt, &id, o->kind != OP_NOTIF_ID_VALID) < 0) return 0;
		c.u[0] = id;
		if (o->kind == OP_NOTIF_SEND) {
			if ((o->args[0] & 1) && tt >= 0 && B[tt].blocked && !B[tt].answered && !B[tt].probe && id != STALE_ID) {
				emit(i, mtid, "invalid notif_send: CONTINUE of an op's own syscall is not modelled");
				return 0;
			}
			c.u[1] = (uint64_t)o->n[2];
			c.u[2] = (uint64_t)o->n[3];
			c.u[3] = o->args[0];
		} else if (o->kind == OP_NOTIF_ADDFD) {
			src = fd_pick(&G[t->g], o->n[2], 0);
			c.u[1] = o->args[0];
			c.u[2] = src ? (uint64_t)src->fd : 0x7ffffffeULL;
			c.u[3] = o->args[1] ? O_CLOEXEC : 0;
		}
	}
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	switch (o->kind) {
	case OP_NOTIF_RECV: {
		if (rep.x[2] == 1) { emit(i, mtid, "invalid notif_recv: no notification is queued and the filter has users: the call would block"); return 0; }
		if (rep.x[2] == 2) { emit(i, mtid, "skip notif_recv on a listener whose filter has no users sleeps on this kernel (before Linux 6.11 RECV does not check the users)"); return 0; }
		if (rep.ret < 0) { emit_ret(i, mtid, rep.ret); return 0; }
		int who = -1;
		for (int k = 0; k < nlive; k++)
			if (T[live[k]].tid == (pid_t)rep.x[1]) who = live[k];
		if (who < 0 || !B[who].blocked) { emit(i, mtid, "error notif_recv: a notification of pid %ld, which is no blocked task of the scenario", (long)rep.x[1]); return 0; }
		B[who].received = 1;
		B[who].id = (unsigned long long)rep.x[0];
		emit(i, mtid, "ok %d", T[who].model_tid);
		return 0;
	}
	case OP_NOTIF_SEND:
		if (rep.ret == 0 && tt >= 0 && B[tt].blocked) {
			B[tt].cont = (o->args[0] & 1) != 0;
			int r = consume(i, ti, tt);
			if (r) return r < 0 ? -1 : 0;
		}
		emit_ret(i, mtid, rep.ret);
		return 0;
	case OP_NOTIF_ADDFD:
		if (rep.ret >= 0 && tt >= 0) {
			/* the new descriptor is the target group's, a copy of the source's file */
			fd_add(&G[T[tt].g], (struct fdent){(int)rep.ret, o->args[1] ? 1 : 0, src ? src->kind : 0, src ? src->id : 0});
			if (o->args[0] & 2) {
				int r = consume(i, ti, tt);
				if (r) return r < 0 ? -1 : 0;
			}
		}
		emit_ret(i, mtid, rep.ret);
		return 0;
	default:
		emit_ret(i, mtid, rep.ret);
		return 0;
	}
}
