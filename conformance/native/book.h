/* The coordinator's bookkeeping of one scenario, mirroring the model (model/state.ts): the
 * live tasks in creation order (op task references index them modulo their number), each
 * thread group's model-visible descriptors sorted by number, model tids 100, 101, ... in
 * creation order (a non-leader that execs takes its leader's: fs/exec.c:de_thread), listener
 * ids 1, 2, ... in creation order. Also the result-line writer. */
#ifndef STRATA_BOOK_H
#define STRATA_BOOK_H

#include <sys/types.h>
#include "proto.h"

#define MAX_TASKS 512
#define MAX_FDS 64
#define INIT_TID 100

/* FK_STRAY: an executor descriptor a filter kept open; not a model descriptor */
enum fd_kind { FK_LISTENER = 1, FK_RULESET = 2, FK_STRAY = 3, FK_SOCKET = 4, FK_UNIX_LISTENER = 5 };

struct fdent {
	int fd, cloexec, kind, id;
};

#define CWD_MAX 256 /* a model path of the tree */

struct group {
	pid_t tgid;
	int model_tgid;
	int pidfd; /* process pidfd: readable once the whole group has exited */
	int nfds;
	struct fdent fds[MAX_FDS];
	char cwd[CWD_MAX]; /* the model path of the working directory (fs_struct, shared by the threads; cwd.c) */
};

struct task {
	int model_tid;
	pid_t tid;
	int g;
	int chan;  /* the coordinator's end of the task's channel */
	int slot;  /* the task's channel sits at CHAN_FD(slot) in its group's table */
	int pidfd; /* PIDFD_THREAD (before Linux 6.9: a leader's plain pidfd; -1 for other threads) */
	int strict;
	int mute; /* alive but deaf: see CALL_MUTE */
	long strict_layers;
	char absname[64]; /* abstract listener made when the task entered strict mode */
};

extern const struct scenario *S;
extern int g_out;
extern char g_root[300], g_mnt[300];
extern int g_mount_ok, g_net_ok;
/* CAP_PERFMON in the coordinator's effective set, so in every task's (mm_access, proc probes) */
extern int g_cap_perfmon;
extern struct task T[MAX_TASKS];
extern struct group G[MAX_TASKS]; /* a group is numbered after the task that leads it */
extern int nT;
extern int live[MAX_TASKS], nlive;
extern int next_model_tid, next_listener, next_ruleset, g_absgen;
extern long long g_deadline; /* the current op's deadline, CLOCK_MONOTONIC ms */
/* A descriptor of the executor's that a filter kept open during the current op (its result
 * line then says so), or -1. */
extern int g_stray;

/* While a full-table observe runs (table.c): its point ("<op index>" or "end") and the current
 * entry's request ("<index>", "signal:<tid>", ...); emit() then writes
 * "t <point> <tid> <request> <text>" instead of a result line. */
extern char g_tab_point[16], g_tab_req[40];

long long now_ms(void);
int remaining_ms(void);

/* One result line "r <op> <tid> <text>" (< PIPE_BUF, so the write is atomic), or a table
 * entry's line (g_tab_point). */
void emit(int i, int tid, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int resolve_ref(long long ref);
int find_live_tid(long long model_tid);
int group_sibling(int ti);
void remove_task(int ti);
void remove_group(int g);
int task_pidfd(pid_t tid);
int new_task(pid_t tid, int g, int chan, int slot);
int new_group(int ti, pid_t tgid);
void fd_add(struct group *g, struct fdent e);
void fd_del(struct group *g, int fd);
/* The `idx`-th descriptor (modulo their number) among those of `kind` (0 = any), as
 * model/task/fds.ts:resolveFd picks it; NULL when there is none. */
struct fdent *fd_pick(struct group *g, long long idx, int kind);

#endif
