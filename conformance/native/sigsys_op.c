/* The coordinator's side of the sigsys op: the task itself sets SIGSYS's disposition
 * (rt_sigaction: SIG_IGN, SIG_DFL or the executor's trap handler — the process's, shared by its
 * threads) or its own mask (rt_sigprocmask SIG_BLOCK / SIG_UNBLOCK — the thread's), under its
 * own filters (task.c). Nothing is kept here: the kernel keeps the state, forks and threads copy
 * it, and an exec'd image keeps SIG_IGN and the mask and installs its handler over SIG_DFL
 * (task.c:image_trap_install).
 *
 * What it changes is how a RET_TRAP ends (kernel/signal.c:force_sig_seccomp →
 * force_sig_info_to_task, HANDLER_CURRENT): with SIGSYS ignored, at SIG_DFL or blocked in the
 * trapping thread, the kernel resets it to SIG_DFL, unblocks it and the process dies of SIGSYS
 * with a core dump (get_signal → do_coredump → do_group_exit), as a RET_KILL_PROCESS ends it
 * (kernel/seccomp.c:__seccomp_filter, force_sig_seccomp with HANDLER_EXIT). So the executor
 * sees a trap-induced death exactly as that kill: `killed process sig:31` for an op's own call
 * or a probe (call.c:classify_death), `probe killed process - 1` for a full-table entry, whose
 * disposable child (clone without CLONE_SIGHAND) has its own copy of the disposition and the
 * task's mask (disposable.c), and an unknown layer count when the layer oracle's child dies
 * (oracle.c; the reason below). */
#define _GNU_SOURCE
#include "ops.h"
#include "book.h"
#include "call.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int op_sigsys(int i, int ti, const struct op *o)
{
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_SIGSYS;
	c.sub = (int)o->n[0];
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	emit_ret(i, T[ti].model_tid, rep.ret);
	return 0;
}

/* The hexadecimal signal set of the /proc status line `key` ("SigBlk:", ...), or 0. */
static unsigned long long status_sigset(const char *status, const char *key)
{
	const char *p = strstr(status, key);
	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

const char *sigsys_trap_kills(int ti)
{
	char buf[8192];
	if (task_proc_read(&T[ti], "status", buf, sizeof buf) < 0) return NULL;
	/* without filters there is no RET_TRAP (strict mode kills with SIGKILL) */
	const char *mode = strstr(buf, "\nSeccomp:");
	if (!mode || atoi(mode + 9) != 2) return NULL;
	unsigned long long bit = 1ULL << (SIGSYS - 1);
	/* SigBlk is the thread's mask; SigIgn and SigCgt the process's actions (fs/proc/array.c) */
	if (status_sigset(buf, "\nSigBlk:") & bit) return "SIGSYS is blocked in the task: a trap kills";
	if (status_sigset(buf, "\nSigIgn:") & bit) return "SIGSYS is ignored in the task: a trap kills";
	if (!(status_sigset(buf, "\nSigCgt:") & bit)) return "SIGSYS is at SIG_DFL in the task: a trap kills";
	return NULL;
}
