/* Talking to a task: one command, one reply, with the op's deadline; user notifications
 * received and answered meanwhile; a task's death seen and classified.
 *
 * Death of one thread is seen on its PIDFD_THREAD pidfd; whether the whole group died is
 * decided by asking a live sibling to answer a ping: a group-wide kill (do_group_exit,
 * coredump) has already sent SIGKILL to every sibling when the dying thread's pidfd becomes
 * readable. The exit status comes from waitid where the coordinator is the parent, else from
 * the group's pidfd (PIDFD_GET_INFO). */
#ifndef STRATA_CALL_H
#define STRATA_CALL_H

#include <stddef.h>
#include "book.h"
#include "chan.h"

#define NOTIFY_ANSWER_ERRNO ECANCELED /* what the coordinator answers USER_NOTIF with */

/* CALL_MUTE: the task is alive but no longer answers (its own filters deny the executor's
 * read(2) or write(2)); it is marked mute and not commanded again. */
/* CALL_NOTIFIED (supervised scenarios only, notify.c): the task's call was notified and it
 * sleeps until answered; g_notif.listener says on which listener (-1: not known). */
enum { CALL_REPLY, CALL_DIED, CALL_TIMEOUT, CALL_MUTE, CALL_NOTIFIED };

/* /proc/TGID/task/TID/<file> of the task into buf, NUL-terminated: its length, or -1. */
int task_proc_read(const struct task *t, const char *file, char *buf, size_t size);

#define MUTE_MESSAGE "the task no longer answers its channel: a filter of its own denies the executor's read(2) or write(2); it lives on, and later ops on it are not run"

struct death {
	int process; /* the whole group died */
	int sig;     /* terminating signal, 0 if it exited, -1 unknown */
	int code;
	int alone;   /* no other live thread in the group */
};

/* The first notification received during the current op from the acting task itself (`tid`;
 * -1: from any process, while a disposable child of the task makes its probe):
 * one from the executor's own helpers (the layer oracle's child, a probe target's listener) is
 * answered but is not the op's. */
struct notif_seen {
	int seen, listener;
	pid_t pid;
	pid_t tid;
};
extern struct notif_seen g_notif;
/* The current op is a probe (which reads traps and notifications as its outcome). */
extern int g_in_probe;
/* The current probe's syscall number (-1: the op is no syscall probe). */
extern long g_notif_nr;

void listeners_take(void);
void mark_mute(int ti);
void listeners_drop(void);

/* Send one command (plus a descriptor message if fd_out >= 0) and wait for the answer;
 * readability of `watch` (call(): the task's own pidfd) means the task is gone. */
int call_watch(struct task *t, const struct tcmd *c, size_t len, int fd_out, struct trep *rep, int *rfd, int watch);
int call(struct task *t, const struct tcmd *c, size_t len, int fd_out, struct trep *rep, int *rfd);
/* Send one command without waiting for its reply (a tracer's TC_PTRACE_SERVE): 0 or -1. */
int call_send(struct task *t, const struct tcmd *c, size_t len);
/* The next reply of a command answered by several (TC_PROBE_BATCH). */
int call_next(struct task *t, struct trep *rep);

/* After call() reported an exec'ing task dead: did the new image say hello after all? */
int exec_hello(struct task *t, struct trep *rep, int ms);

/* The group is gone (or going): collect its exit status, as its parent. */
void reap_group(int g, struct death *d);
void classify_death(int ti, struct death *d);
void fmt_death(const struct death *d, char *out, size_t n);

/* The common tail of an op: 1 when the result line was written (died, mute, plumbing
 * failure, stopped), -1 on timeout (the scenario stops), 0 when the caller reports the reply. */
int settle(int i, int mtid, int ti, int r, const struct trep *rep);
void emit_ret(int i, int mtid, long ret);
/* call() then settle(): -1 timeout, 1 written, 0 the caller reports rep. */
int simple(int i, int ti, struct tcmd *c, size_t len, int fd_out, struct trep *rep);

#endif
