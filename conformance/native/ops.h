/* The coordinator's side of each op but probes: what it sends, how it reads the reply, how the
 * bookkeeping follows. Each returns 0, or -1 when the op timed out (the scenario stops). */
#ifndef STRATA_OPS_H
#define STRATA_OPS_H

#include <sys/types.h>
#include "proto.h"
#include "chan.h"

int op_observe(int i, int ti);
int op_fork(int i, int ti, int thread);
int op_exec(int i, int ti);
int op_exit(int i, int ti);
int op_cred(int i, int ti, int kind); /* set_nnp, drop_cap */
int op_filter(int i, int ti, const struct op *o);
int op_ruleset_create(int i, int ti, const struct op *o);
int op_add_rule(int i, int ti, const struct op *o);
int op_restrict(int i, int ti, const struct op *o);
int op_strict(int i, int ti);
int op_close_fd(int i, int ti, const struct op *o);
int op_action_avail(int i, int ti, const struct op *o);
int op_fd_call(int i, int ti, const struct op *o);
/* socket_op.c */
void socket_reset(void);
int op_socketpair(int i, int ti, const struct op *o);
int op_fown_set(int i, int ti, const struct op *o);
int op_unix_listen(int i, int ti, const struct op *o);
/* The abstract name of the target's listener-th unix_listen socket, or a name nobody binds. */
void unix_listener_name(int tt, long long index, char *out, size_t n);
/* The sigurg probe (socket_op.c): what the coordinator observes of the send. */
struct urg_watch {
	int observe;   /* 0: the send's return stands */
	int addressed; /* observe: whether the observed recipient is the owner (0: ESRCH after a send of 1) */
	pid_t tgid;    /* the observed process */
	pid_t tid;     /* the observed thread, for a thread owner (its own pending set); 0: the process's shared one */
};
/* 1 when the step is answered (invalid, skip, error); else the send is made (c->u[0] its fd) */
int sigurg_prepare(int i, int ti, const struct op *o, struct tcmd *c, struct urg_watch *w);
/* After the send: rewrite a completed send's return as the delivery's outcome, then discard every
 * scenario process's pending SIGURG; 1 when the step's error was written. */
int sigurg_observe(int i, int mtid, const struct urg_watch *w, struct trep *rep);
/* cwd.c: the model path `path` names from the working directory `cwd` into abs (lexically: a
 * failed lookup is the kernel's to answer), or the reason the model does not follow its walk
 * (model/task/cwd.ts:walkFrom); abs is "" when the walk steps from the tree's root into a
 * detached mount's name, which is no entry there (the kernel's lookup fails) */
const char *cwd_walk(const char *cwd, const char *path, char *abs, size_t n);
/* whether abs is an empty directory of the tree that is some live group's working directory
 * (a remove_dir of it is not modelled: the tree would be put back with a new directory) */
int removes_a_cwd(const char *abs);
int op_chdir(int i, int ti, const struct op *o);
/* umount_op.c */
int op_umount(int i, int ti, const struct op *o);
/* pgrp_op.c */
int op_setpgid(int i, int ti, const struct op *o);
/* sigsys_op.c */
int op_sigsys(int i, int ti, const struct op *o);
/* Why a RET_TRAP would kill task ti's process rather than run its handler (it has filters, and
 * SIGSYS is blocked in the thread, ignored or at SIG_DFL: /proc status), or NULL */
const char *sigsys_trap_kills(int ti);
/* keyctl_op.c */
void keyctl_reset(void);
int op_keyctl(int i, int ti, const struct op *o);
/* ptrace_op.c: the real parent of task ti as the model knows it (model/task/tree.ts:realParent):
 * its index, with *n the live tasks of the parent's thread group (0: not a modelled task) */
int real_parent(int ti, int *n);
int op_send_fd(int i, int ti, const struct op *o);
int op_probe(int i, int ti, const struct op *o);
/* A probe that a batch of disposable probes can make (no tree change, nothing the coordinator
 * prepares, nothing skipped): fills `c` and gives 0; else -1 (op_probe makes it). */
struct tcmd;
struct trep;
int probe_batchable(const struct op *o, struct tcmd *c);
/* A disposable probe's reply as its result line (no notification: see table.c). */
void probe_report(int i, int mtid, const struct trep *rep);

/* Probes are made by a disposable child of the task (full-table observes, table.c). */
extern int g_disposable;

/* Full-table observes (table.c): every request of the scenario's universe and every
 * task-relative request towards every other live task, for the task `ti` (or, ti < 0, every
 * live task), each in a disposable child. `point` is the op index, or -1 for the end. 0, or
 * -1 when a probe timed out (the scenario stops). */
int table_observe(int point, int ti);

#endif
