/* The task side: code that runs inside the disposable processes and threads that stand for
 * the model's tasks. Everything here uses raw system calls only (sys.h). */
#ifndef STRATA_TASK_H
#define STRATA_TASK_H

#include "chan.h"

struct trap_rec {
	int hit;
	int si_errno;
	int nr;
	unsigned arch;
};
/* Filled by the SIGSYS handler (SECCOMP_RET_TRAP: kernel/seccomp.c:force_sig_seccomp). Only
 * one task acts at a time (the coordinator serialises commands), so one record per process
 * suffices. */
extern volatile struct trap_rec g_trap;

/* The command loop of one task on channel fd `chan`; `stack_slot` is the thread-stack pool
 * slot the caller runs on (-1: the process's main stack). Never returns. */
void task_loop(int chan, int stack_slot) __attribute__((noreturn));

/* First task of a scenario, in a child of the coordinator: lay out the descriptor table
 * (keeping the `ndetached` detached mounts' descriptors), apply the world's initial
 * credentials, then serve commands on `chan`. */
void task_start_initial(int chan, int nnp, int cap, int ndetached) __attribute__((noreturn));

/* Entry of the exec'd helper image ("strata-exec --task <chan>"). */
int task_image_main(int argc, char **argv);

/* Run one probe command (probe.c). */
void task_probe(const struct tcmd *c, struct trep *r);

/* Run one probe command in a disposable child of the task (disposable.c); x[0] of the reply is
 * DISPOSABLE_DIED when the child died during the probe. */
void task_probe_disposable(const struct tcmd *c, struct trep *r);
#define DISPOSABLE_DIED 0x44495350LL
/* TC_PROBE_BATCH (disposable.c): every probe of the batch in disposable children, one reply per
 * probe written on `chan`. */
void task_probe_batch(const struct tcmd *c, int chan);

/* A task as tracer (tracer.c). */
long tracer_attach(const struct tcmd *c);
long tracer_traceme(void);
long tracer_request(const struct tcmd *c, struct trep *r);
/* Serve the tracee's stops until a TC_PING arrives; other commands meanwhile go to `other`,
 * which answers them. */
void tracer_serve(int chan, const struct tcmd *c, struct trep *r, void (*other)(int chan, const struct tcmd *c));

/* The Landlock layer-count oracle (oracle.c): 0..16, or -errno-like codes below -1000. */
long layer_count(void);

/* rt_sigaction(SIGSYS, the trap handler): 0 or -errno. */
long trap_install(void);

/* clone(2) running fn(arg) on `stack_top` in the child, which then exits with fn's value. */
long clone_on_stack(unsigned long flags, void *stack_top, volatile int *tidp, long (*fn)(long), long arg);

#endif
