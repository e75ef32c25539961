/* The task side of the ptrace ops (model/ptrace/): a task as tracer. Raw system calls only
 * (sys.h): this runs in the libc-free task image.
 *
 * A tracer stops its tracee before a request that needs it stopped (ptrace_check_attach):
 * PTRACE_INTERRUPT for a seized tracee, tgkill(SIGSTOP) for an attached one, then waits for the
 * stop, makes the request and continues it (PTRACE_CONT, signal 0: the SIGSTOP is suppressed).
 * While its tracee makes an op (TC_PTRACE_SERVE, armed by the coordinator around the op), it
 * polls its channel and waitid(WSTOPPED|WNOHANG) and acts on each stop: at a
 * PTRACE_EVENT_SECCOMP stop (PTRACE_GET_SYSCALL_INFO op 3) by its declared response — continue;
 * skip (orig_rax = -1, rax = -errno); rewrite the number and arguments (x86_64 rdi, rsi, rdx,
 * r10, r8, r9; a compat int $0x80 call: rbx, rcx, rdx, rsi, rdi, rbp) — at a signal-delivery
 * stop it passes the signal on (not SIGTRAP, which an attached tracee gets after execve, nor
 * SIGSTOP), at any other stop it just continues. The next message on its channel ends serving;
 * the reply counts the seccomp stops served. Its calls: ptrace (CONT, GETREGS, SETREGS,
 * INTERRUPT, GETSIGINFO, GET_SYSCALL_INFO), waitid, poll, tgkill: conformance/protocol.md. */
#define _GNU_SOURCE
#include "task.h"
#include "sys.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#define TR_ATTACH 16
#define TR_SEIZE 0x4206
#define TR_TRACEME 0
#define TR_CONT 7
#define TR_GETREGS 12
#define TR_SETREGS 13
#define TR_SETOPTIONS 0x4200
#define TR_GETSIGINFO 0x4202
#define TR_INTERRUPT 0x4207
#define TR_GET_FILTER 0x420c
#define TR_GET_METADATA 0x420d
#define TR_GET_SYSCALL_INFO 0x420e
#define PSI_SECCOMP 3

/* struct ptrace_syscall_info (include/uapi/linux/ptrace.h), the seccomp member. */
struct psi {
	uint8_t op, reserved;
	uint16_t flags;
	uint32_t arch;
	uint64_t ip, sp;
	uint64_t nr, args[6];
	uint32_t ret_data, reserved2;
};

/* struct seccomp_metadata (include/uapi/linux/ptrace.h). */
struct smeta {
	uint64_t filter_off, flags;
};

static long wait_stop(long tid, int block)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	long e = sc5(SYS_waitid, P_PID, tid, &si, WSTOPPED | __WALL | (block ? 0 : WNOHANG), 0);
	if (e < 0) return e;
	return si.si_pid == 0 ? 0 : 1;
}

/* Stop the tracee for a request (mode 1: seized, PTRACE_INTERRUPT; 2: attached, tgkill
 * SIGSTOP; 0: not this task's tracee as far as the coordinator knows: no stop, the request
 * itself fails ESRCH). 1 if it is now stopped. */
static int stop_tracee(long tid, long tgid, long mode)
{
	long e;
	if (mode == 1) e = sc4(SYS_ptrace, TR_INTERRUPT, tid, 0, 0);
	else if (mode == 2) e = sc3(SYS_tgkill, tgid, tid, SIGSTOP);
	else return 0;
	if (e < 0) return 0;
	return wait_stop(tid, 1) > 0;
}

long tracer_attach(const struct tcmd *c)
{
	long tid = (long)c->u[0];
	if (c->u[1]) return sc4(SYS_ptrace, TR_SEIZE, tid, 0, c->u[2]);
	long e = sc4(SYS_ptrace, TR_ATTACH, tid, 0, 0);
	if (e < 0) return e;
	/* the attach stop (SIGSTOP), then on: the tracee runs as before */
	if (wait_stop(tid, 1) > 0) sc4(SYS_ptrace, TR_CONT, tid, 0, 0);
	return 0;
}

long tracer_traceme(void)
{
	return sc4(SYS_ptrace, TR_TRACEME, 0, 0, 0);
}

/* SETOPTIONS (sub 0) or GET_FILTER (sub 1) / GET_METADATA (sub 2) of index u[3]; x[0] = the
 * metadata's flags. */
long tracer_request(const struct tcmd *c, struct trep *r)
{
	long tid = (long)c->u[0];
	int stopped = stop_tracee(tid, (long)c->u[1], (long)c->u[2]);
	long ret;
	if (c->sub == 0) {
		ret = sc4(SYS_ptrace, TR_SETOPTIONS, tid, 0, c->u[3]);
	} else if (c->sub == 1) {
		ret = sc4(SYS_ptrace, TR_GET_FILTER, tid, c->u[3], 0);
	} else {
		struct smeta m = {c->u[3], 0};
		ret = sc4(SYS_ptrace, TR_GET_METADATA, tid, sizeof m, &m);
		r->x[0] = (int64_t)m.flags;
	}
	if (stopped) sc4(SYS_ptrace, TR_CONT, tid, 0, 0);
	return ret;
}

/* One stop of the tracee: act by the response (sub: 0 continue, 1 skip, 2 rewrite; u[3] errno
 * or number, u[4] argument count, u[5..7] arguments). 1 if it was a seccomp stop. */
static int serve_stop(const struct tcmd *c, long tid, long *fail)
{
	struct psi info;
	memset(&info, 0, sizeof info);
	long n = sc4(SYS_ptrace, TR_GET_SYSCALL_INFO, tid, sizeof info, &info);
	if (n > 0 && info.op == PSI_SECCOMP) {
		if (c->sub != 0) {
			struct user_regs_struct regs;
			long e = sc4(SYS_ptrace, TR_GETREGS, tid, 0, &regs);
			if (e < 0) { *fail = e; sc4(SYS_ptrace, TR_CONT, tid, 0, 0); return 1; }
			if (c->sub == 1) {
				regs.orig_rax = (unsigned long long)-1;
				regs.rax = (unsigned long long)-(long)c->u[3];
			} else {
				unsigned long long a[6] = {0, 0, 0, 0, 0, 0};
				for (unsigned k = 0; k < c->u[4] && k < 3; k++) a[k] = c->u[5 + k];
				regs.orig_rax = c->u[3];
				if (info.arch == AUDIT_ARCH_I386_) {
					regs.rbx = a[0]; regs.rcx = a[1]; regs.rdx = a[2]; regs.rsi = a[3]; regs.rdi = a[4]; regs.rbp = a[5];
				} else {
					regs.rdi = a[0]; regs.rsi = a[1]; regs.rdx = a[2]; regs.r10 = a[3]; regs.r8 = a[4]; regs.r9 = a[5];
				}
			}
			e = sc4(SYS_ptrace, TR_SETREGS, tid, 0, &regs);
			if (e < 0) *fail = e;
		}
		sc4(SYS_ptrace, TR_CONT, tid, 0, 0);
		return 1;
	}
	siginfo_t si;
	memset(&si, 0, sizeof si);
	long sig = 0;
	if (sc4(SYS_ptrace, TR_GETSIGINFO, tid, 0, &si) == 0 && si.si_signo != SIGTRAP && si.si_signo != SIGSTOP) sig = si.si_signo;
	sc4(SYS_ptrace, TR_CONT, tid, 0, sig);
	return 0;
}

void tracer_serve(int chan, const struct tcmd *c, struct trep *r, void (*other)(int chan, const struct tcmd *c))
{
	long tid = (long)c->u[0], fail = 0, served = 0;
	static unsigned char done[CMD_BUF] __attribute__((aligned(16)));
	/* the acting task's stops get the declared response; any other tracee of this tracer (a
	 * thread of the acting task's group) is continued, and reaped when it exits, so that an exec
	 * or a group kill never waits on a traced zombie (fs/exec.c:de_thread) */
	struct tcmd cont;
	memset(&cont, 0, sizeof cont);
	for (;;) {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		long w = sc5(SYS_waitid, P_ALL, 0, &si, WSTOPPED | WEXITED | __WALL | WNOHANG, 0);
		if (w == 0 && si.si_pid != 0) {
			if (si.si_code == CLD_TRAPPED || si.si_code == CLD_STOPPED)
				served += serve_stop(si.si_pid == tid ? c : &cont, si.si_pid, &fail);
			continue;
		}
		struct pollfd p = {chan, POLLIN, 0};
		long n = sc3(SYS_poll, &p, 1, 2);
		if (n > 0) {
			long m = sc3(SYS_read, chan, done, sizeof done);
			if (m == 0) sc1(SYS_exit_group, 0); /* the coordinator is gone */
			if (m < 0) continue;
			/* a command for this task during the op (the receiving end of send_fd, an abstract
			 * listener for a probe): made and answered, and serving goes on */
			const struct tcmd *d = (const struct tcmd *)done;
			if (d->cmd != TC_PING) { other(chan, d); continue; }
			break;
		}
		if (n < 0 && n != -EINTR) {
			/* poll denied: wait for the end of the op on the channel alone */
			fail = n;
			if (sc3(SYS_read, chan, done, sizeof done) <= 0) sc1(SYS_exit_group, 0);
			break;
		}
	}
	r->ret = served;
	r->x[1] = fail;
}
