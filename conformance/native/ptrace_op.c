/* The coordinator's side of the ptrace ops (model/ptrace/; the task side is tracer.c): the
 * tracer links as the kernel's results made them (task indices; a link ends with either task),
 * each tracer's declared response at seccomp stops (the model's ptrace_response: no syscall),
 * and the arming of a tracee's tracer around every op of the tracee (tracer_arm/tracer_disarm),
 * so that no stop of the tracee waits for a tracer that is not looking. */
#define _GNU_SOURCE
#include "ptrace_op.h"
#include "ops.h"
#include "call.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tlink {
	int tracer, tracee, seized;
};
static struct tlink LINKS[MAX_TASKS];
static int nlinks;

struct tresp {
	int kind; /* 0 continue, 1 skip, 2 rewrite */
	long long v;
	int nargs;
	unsigned long long a[3];
};
static struct tresp RESP[MAX_TASKS];

void ptrace_reset(void)
{
	nlinks = 0;
	memset(RESP, 0, sizeof RESP);
}

static int alive(int ti)
{
	for (int k = 0; k < nlive; k++)
		if (live[k] == ti) return 1;
	return 0;
}

/* The link tracing `ti` (dropping links whose tasks are gone: kernel/exit.c:exit_ptrace), or -1. */
static int link_of(int ti)
{
	int k = 0;
	for (int j = 0; j < nlinks; j++)
		if (alive(LINKS[j].tracer) && alive(LINKS[j].tracee)) LINKS[k++] = LINKS[j];
	nlinks = k;
	for (int j = 0; j < nlinks; j++)
		if (LINKS[j].tracee == ti) return j;
	return -1;
}

static void add_link(int tracer, int tracee, int seized)
{
	int j = link_of(tracee);
	if (j >= 0) LINKS[j] = (struct tlink){tracer, tracee, seized};
	else if (nlinks < MAX_TASKS) LINKS[nlinks++] = (struct tlink){tracer, tracee, seized};
}

int op_ptrace_attach(int i, int ti, const struct op *o)
{
	int mtid = T[ti].model_tid;
	int to = resolve_ref(o->n[0]);
	if (to < 0) { emit(i, mtid, "invalid ptrace_attach: no live target task"); return 0; }
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_PTRACE_ATTACH;
	c.u[0] = (uint64_t)T[to].tid;
	c.u[1] = o->n[1] ? 1 : 0;
	c.u[2] = (uint64_t)o->n[2];
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret == 0) add_link(ti, to, o->n[1] ? 1 : 0);
	emit_ret(i, mtid, rep.ret);
	return 0;
}

/* The real parent's tgid, from /proc (PPid:), or -1. */
static pid_t parent_tgid(pid_t tid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) return -1;
	buf[n] = 0;
	char *p = strstr(buf, "\nPPid:");
	return p ? (pid_t)atoi(p + 6) : -1;
}

int real_parent(int ti, int *n)
{
	pid_t pp = parent_tgid(T[ti].tid);
	int parent = -1;
	*n = 0;
	for (int k = 0; k < nlive; k++)
		if (G[T[live[k]].g].tgid == pp) { parent = live[k]; (*n)++; }
	/* a lone live thread that is not the leader is not the real parent either */
	if (*n == 1 && T[parent].tid != pp) *n = 2;
	return parent;
}

int op_ptrace_traceme(int i, int ti)
{
	int mtid = T[ti].model_tid;
	/* the model's real parent (model/task/tree.ts:realParent): the one live task of the
	 * parent's thread group, its leader; anything else the model does not run */
	int n;
	int parent = real_parent(ti, &n);
	if (n == 0) { emit(i, mtid, "invalid ptrace_traceme: the real parent is not a modelled task"); return 0; }
	if (n > 1) { emit(i, mtid, "invalid ptrace_traceme: the parent's thread group has several live threads (which one forked is not modelled)"); return 0; }
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_PTRACE_TRACEME;
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret == 0) add_link(parent, ti, 0);
	emit_ret(i, mtid, rep.ret);
	return 0;
}

/* SETOPTIONS (sub 0) or GET_FILTER / GET_METADATA (1 / 2). */
int op_ptrace_request(int i, int ti, const struct op *o, int sub)
{
	int mtid = T[ti].model_tid;
	int to = resolve_ref(o->n[0]);
	if (to < 0) { emit(i, mtid, "invalid ptrace: no live target task"); return 0; }
	int j = link_of(to);
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_PTRACE_REQUEST;
	c.sub = sub;
	c.u[0] = (uint64_t)T[to].tid;
	c.u[1] = (uint64_t)G[T[to].g].tgid;
	c.u[2] = j >= 0 && LINKS[j].tracer == ti ? (LINKS[j].seized ? 1 : 2) : 0;
	c.u[3] = (uint64_t)o->n[1];
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	/* GET_METADATA returns the size it wrote (16); the model's result is the flags field */
	if (sub == 2 && rep.ret >= 0) emit(i, mtid, "ok %lld", (long long)rep.x[0]);
	else emit_ret(i, mtid, rep.ret);
	return 0;
}

int op_ptrace_response(int i, int ti, const struct op *o)
{
	struct tresp *r = &RESP[ti];
	r->kind = (int)o->n[0];
	r->v = o->n[1];
	r->nargs = (int)o->n[2];
	for (int k = 0; k < 3; k++) r->a[k] = k < r->nargs ? o->args[k] : 0;
	emit(i, T[ti].model_tid, "ok 0");
	return 0;
}

/* The tracers armed for the current op, and the command each was armed with. */
static int armed[MAX_TASKS], narmed;
static struct tcmd armed_cmd[MAX_TASKS];

int tracer_arm(int ti, int probe)
{
	narmed = 0;
	link_of(ti); /* drop dead links */
	/* every tracer of a thread of the acting task's group: an exec, or a kill of the group,
	 * waits for traced siblings to be reaped by their tracers */
	int r[MAX_TASKS], n = 0;
	for (int j = 0; j < nlinks; j++) {
		if (T[LINKS[j].tracee].g != T[ti].g) continue;
		int k = 0;
		while (k < n && r[k] != LINKS[j].tracer) k++;
		if (k == n) r[n++] = LINKS[j].tracer;
	}
	for (int k = 0; k < n; k++)
		if (T[r[k]].strict || T[r[k]].mute) return -2;
	int mine = tracer_of(ti);
	for (int k = 0; k < n; k++) {
		struct tcmd c;
		memset(&c, 0, sizeof c);
		c.cmd = TC_PTRACE_SERVE;
		/* the declared response is for the acting task's probes; at a stop in an op's own
		 * syscall, or of another tracee, the tracer continues (model/seccomp/op-gate.ts) */
		c.u[0] = r[k] == mine ? (uint64_t)T[ti].tid : 0;
		const struct tresp *p = &RESP[r[k]];
		if (probe && r[k] == mine) {
			c.sub = p->kind;
			c.u[3] = (uint64_t)p->v;
			c.u[4] = (uint64_t)p->nargs;
			for (int a = 0; a < 3; a++) c.u[5 + a] = p->a[a];
		}
		if (call_send(&T[r[k]], &c, sizeof c) == 0) {
			armed_cmd[narmed] = c;
			armed[narmed++] = r[k];
		}
	}
	return narmed ? 0 : -1;
}

/* End one armed tracer's serving: a ping, and its answer (its own deadline). 0, or -1 when
 * it never came (the tracer is then marked deaf). */
static int stop_serving(int r)
{
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_PING;
	if (call_send(&T[r], &c, sizeof c)) return -1;
	long long saved = g_deadline;
	g_deadline = now_ms() + S->op_timeout_ms;
	struct trep rep;
	int got = call_next(&T[r], &rep);
	g_deadline = saved;
	if (got == CALL_TIMEOUT) { mark_mute(r); return -1; }
	return 0;
}

int tracer_pause(int ti)
{
	for (int k = 0; k < narmed; k++)
		if (armed[k] == ti) return alive(ti) && stop_serving(ti) == 0 ? 1 : 0;
	return 0;
}

void tracer_resume(int ti)
{
	for (int k = 0; k < narmed; k++)
		if (armed[k] == ti) call_send(&T[ti], &armed_cmd[k], sizeof armed_cmd[k]);
}

void tracer_disarm(void)
{
	int n = narmed;
	narmed = 0; /* call_next below must not pause anything */
	for (int k = 0; k < n; k++)
		if (alive(armed[k])) stop_serving(armed[k]);
}

int tracer_of(int ti)
{
	int j = link_of(ti);
	return j < 0 ? -1 : LINKS[j].tracer;
}
