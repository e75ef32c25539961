/* The coordinator's side of the seccomp user-notification supervisor protocol (notify.c). */
#ifndef STRATA_NOTIFY_H
#define STRATA_NOTIFY_H

#include "book.h"
#include "proto.h"

/* A notif_supervise op ran: notifications wait for the scenario's own supervisor ops. */
extern int g_supervised;

int notif_is_blocked(int ti);
/* The task's call was notified: it sleeps until answered (listener: the model id or -1;
 * probe: a probe's call, else the op's own syscall; nr: the probed syscall or -1). */
void notif_mark_blocked(int ti, int listener, int probe, long nr);
/* The thread sleeps in syscall nr (-1: in any call but read(2) of its channel). */
struct task;
int notif_asleep_in(const struct task *t, long nr);
/* 1 when the op cannot run because its task (or its target) is blocked: the result is written. */
int notif_guard(int i, int ti, const struct op *o);
/* The notif_* ops; 0, or -1 when the op timed out. */
int op_notif(int i, int ti, const struct op *o);

#endif
