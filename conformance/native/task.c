/* The command loop that every task (process or thread) runs.
 *
 * Descriptor layout of a task (sys.h): 0-2 are /dev/null, the model's descriptors start at 3
 * exactly as in the model (fs/file.c:alloc_fd gives the lowest free number), DETACHED_FD(k) the
 * tree's detached mounts (not close-on-exec: every fork, thread and image keeps them), EXEC_FD
 * holds the helper image for exec, CHAN_FD(k) is the command channel of the group's k-th thread and
 * ABS_FD(k) its abstract-socket listener. Channels are close-on-exec except, for the duration
 * of an exec, the exec'ing thread's own (fs/exec.c:do_close_on_exec), so a new image keeps
 * serving on it and the siblings' channels vanish with the siblings (fs/exec.c:de_thread).
 *
 * Only the commanded task runs: every other task is blocked in read(2) on its channel. So a
 * single command buffer and trap record per process are enough, even for threads made with a
 * raw clone that share the creator's TLS. Nothing here touches errno. */
#define _GNU_SOURCE
#include "task.h"
#include "sys.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>

volatile struct trap_rec g_trap;
struct retpage *g_ret; /* the returns page (chan.h): inherited by fork, mapped again after exec */

/* An exec'd image maps the returns page at its first seccomp_filter op, not at start-up: the
 * one mmap(2) is then made only where it is needed (the task's filters see it; if they deny
 * it, the reply is the only record, as before). */
static void map_returns(void)
{
	if (g_ret) return;
	long p = sc6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, RET_FD, 0);
	if (p < 0 && p > -4096) return;
	g_ret = (struct retpage *)p;
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	g_trap.hit = 1;
	g_trap.si_errno = si->si_errno;
	g_trap.nr = si->si_syscall;
	g_trap.arch = si->si_arch;
}

/* rt_sigaction(2) without libc (the exec helper has none): the kernel's struct, and the
 * restorer every x86_64 handler returns through (arch/x86/kernel/signal_64.c). */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};
#define SA_RESTORER_ 0x04000000UL

__attribute__((naked)) static void restore_rt(void)
{
	__asm__ volatile("mov $15, %eax\n\tsyscall\n\thlt");
}

static long raw_sigaction(int sig, void *handler, unsigned long flags)
{
	struct ksigaction a = {handler, flags | SA_RESTORER_, restore_rt, 0};
	return sc4(SYS_rt_sigaction, sig, &a, NULL, 8);
}

/* SECCOMP_RET_TRAP forces SIGSYS (kernel/signal.c:force_sig_seccomp); an ignored, default or
 * blocked SIGSYS kills the process instead (force_sig_info_to_task resets it to SIG_DFL and
 * unblocks it), so every task starts with this handler installed and SIGSYS unblocked, and
 * only the sigsys op changes that. */
long trap_install(void)
{
	return raw_sigaction(SIGSYS, (void *)on_sigsys, SA_SIGINFO | SA_RESTART);
}

/* The exec'd image's start. exec kept an ignored SIGSYS and the blocked mask and reset a
 * handler to SIG_DFL (kernel/signal.c:flush_signal_handlers); the image installs its handler
 * again, as a program installs its own at start, but not over SIG_IGN, and leaves the mask
 * as it is (the model: model/task/sigsys.ts). */
static void image_trap_install(void)
{
	struct ksigaction old = {SIG_DFL, 0, 0, 0};
	if (sc4(SYS_rt_sigaction, SIGSYS, NULL, &old, 8) == 0 && old.handler == SIG_IGN) return;
	trap_install();
}

/* TC_SIGSYS: the op's one call, under the task's own filters: rt_sigaction(SIGSYS, ...) of the
 * process's disposition, or rt_sigprocmask(SIG_BLOCK | SIG_UNBLOCK, {SIGSYS}) of this thread's
 * mask (kernel/signal.c:do_sigaction, sigprocmask). */
static long sigsys_set(int action)
{
	unsigned long set = 1UL << (SIGSYS - 1);
	switch (action) {
	case SIGSYS_IGNORE: return raw_sigaction(SIGSYS, SIG_IGN, 0);
	case SIGSYS_DEFAULT: return raw_sigaction(SIGSYS, SIG_DFL, 0);
	case SIGSYS_HANDLE: return trap_install();
	case SIGSYS_BLOCK: return sc4(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	case SIGSYS_UNBLOCK: return sc4(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
	}
	return -EINVAL;
}

/* Thread stacks: a static pool, so creating a thread makes no mmap(2). A thread runs on the
 * stack of its channel slot k (the coordinator never gives a live thread's slot to another);
 * the process's first thread runs on the main stack, or, in a process forked by a thread, on
 * the stack that thread was using (g_main_slot), and a new thread whose slot is that one takes
 * the spare stack instead. */
#define NSTACK (MAX_SLOTS + 1)
#define SPARE_STACK MAX_SLOTS
#define STACK_SIZE (128 * 1024)
static char g_stacks[NSTACK][STACK_SIZE] __attribute__((aligned(64)));
static int g_main_slot = -1;

static unsigned char g_cmd[CMD_BUF] __attribute__((aligned(16)));

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64) /* Linux 6.6 */
#endif

#define POLLIN_ 0x1
#define POLLOUT_ 0x4
#define POLLHUP_ 0x10
static void plumbing(struct trep *r, const char *what, long err);

struct notif_pollfd {
	int fd;
	short events, revents;
};

/* TC_NOTIF: one call of the supervisor protocol on descriptor c->fd, as the task itself
 * (kernel/seccomp.c:seccomp_notify_ioctl, seccomp_get_notif_sizes, seccomp_notify_poll). */
static void task_notif(const struct tcmd *c, struct trep *r)
{
	switch (c->sub) {
	case NOTIF_RECV: {
		/* never block: with nothing queued (no POLLIN) and users (no POLLHUP) RECV would sleep;
		 * a descriptor that is no listener (c->u[1]) answers ENOTTY at once */
		struct notif_pollfd p = {c->fd, POLLIN_, 0};
		long n = c->u[1] ? 1 : sc3(SYS_poll, &p, 1, 0);
		if (n == 0) { r->x[2] = 1; break; }
		/* no users (POLLHUP), nothing queued: ENOENT since 6.11, asleep before (notify.c) */
		if (!c->u[1] && c->u[0] && (p.revents & POLLHUP_) && !(p.revents & POLLIN_)) { r->x[2] = 2; break; }
		struct seccomp_notif nf;
		memset(&nf, 0, sizeof nf);
		r->ret = sc3(SYS_ioctl, c->fd, SECCOMP_IOCTL_NOTIF_RECV, &nf);
		if (r->ret == 0) { r->x[0] = (int64_t)nf.id; r->x[1] = nf.pid; }
		break;
	}
	case NOTIF_SEND: {
		struct seccomp_notif_resp resp = {.id = c->u[0], .val = (int64_t)c->u[1], .error = (int32_t)c->u[2], .flags = (uint32_t)c->u[3]};
		r->ret = sc3(SYS_ioctl, c->fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		break;
	}
	case NOTIF_ID_VALID: {
		uint64_t id = c->u[0];
		r->ret = sc3(SYS_ioctl, c->fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id);
		break;
	}
	case NOTIF_ADDFD: {
		struct seccomp_notif_addfd a = {.id = c->u[0], .flags = (uint32_t)c->u[1], .srcfd = (uint32_t)c->u[2], .newfd = 0, .newfd_flags = (uint32_t)c->u[3]};
		r->ret = sc3(SYS_ioctl, c->fd, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
		break;
	}
	case NOTIF_SET_FLAGS:
		r->ret = sc3(SYS_ioctl, c->fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, c->u[0]);
		break;
	case NOTIF_SIZES: {
		struct seccomp_notif_sizes s;
		memset(&s, 0, sizeof s);
		r->ret = sc3(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &s);
		if (r->ret == 0) r->ret = (long)s.seccomp_notif * 1000000 + (long)s.seccomp_notif_resp * 1000 + s.seccomp_data;
		break;
	}
	case NOTIF_POLL: {
		struct notif_pollfd p = {c->fd, POLLIN_ | POLLOUT_, 0};
		long n = sc3(SYS_poll, &p, 1, 0);
		r->ret = n < 0 ? n : p.revents;
		break;
	}
	default:
		plumbing(r, "notif: unknown sub-command", -EINVAL);
	}
}

static long thread_main(long arg);

long clone_on_stack(unsigned long flags, void *stack_top, volatile int *tidp, long (*fn)(long), long arg)
{
	long *sp = (long *)((unsigned long)stack_top & ~15UL);
	*--sp = arg;
	*--sp = (long)fn;
	register long r10 __asm__("r10") = (long)tidp;
	register long r8 __asm__("r8") = 0;
	long ret;
	/* In the child the kernel sets %rsp to the new stack, which %rsi still holds; a clone that
	 * a filter's RET_ERRNO(0) skipped returns 0 on the caller's own stack. */
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "cmp %%rsi, %%rsp\n\t"
			 "jne 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "pop %%rax\n\t"
			 "pop %%rdi\n\t"
			 "call *%%rax\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"
			 "syscall\n\t"
			 "hlt\n\t"
			 "1:\n\t"
			 : "=a"(ret)
			 : "a"((long)SYS_clone), "D"(flags), "S"(sp), "d"(tidp), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

/* clone(2) of a thread: syscall 56 with exactly CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM,
 * as the model's op gate sees it (model/seccomp/op-gate.ts:CLONE_THREAD_FLAGS); glibc's
 * pthread_create would try clone3 first and add flags. */
static long clone_thread(int stack, long (*fn)(long), long arg)
{
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
	return clone_on_stack(flags, g_stacks[stack] + STACK_SIZE, NULL, fn, arg);
}

/* Plumbing closes use close_range(2), which no op is made with, so that a filter written for
 * the close_fd op (close, 3) does not decide them; close(2) if a filter denies close_range.
 * 0, or -errno when the descriptor stays open. */
static long drop_fd(long fd)
{
	long e = sc3(NR_close_range, fd, fd, 0);
	return e < 0 ? sc1(SYS_close, fd) : e;
}

/* Put descriptor `from` at number `to`, close-on-exec (dup3, or dup2 and fcntl where a filter
 * denies dup3). 0 or -errno; `from` itself is left alone. */
static long place_fd(long from, int to)
{
	long e = sc3(SYS_dup3, from, to, O_CLOEXEC);
	if (e >= 0) return 0;
	e = sc2(SYS_dup2, from, to);
	if (e < 0) return e;
	sc3(SYS_fcntl, to, F_SETFD, FD_CLOEXEC);
	return 0;
}

/* A received descriptor sits at the lowest free number until dropped; if a filter of the task
 * denies both closes it stays there and the model's descriptor numbers no longer hold: the
 * reply says so (x[3] = its number + 1). */
static void drop_received(struct trep *r, long fd)
{
	if (drop_fd(fd) < 0) r->x[3] = fd + 1;
}

static void reply(int chan, const struct trep *r)
{
	sc3(SYS_write, chan, r, sizeof *r);
}

static void plumbing(struct trep *r, const char *what, long err)
{
	r->status = TR_PLUMBING;
	r->ret = err;
	size_t n = strlen(what);
	if (n >= sizeof r->msg) n = sizeof r->msg - 1;
	memcpy(r->msg, what, n);
	r->msg[n] = 0;
}

/* Receive one descriptor sent as SCM_RIGHTS (net/core/scm.c:scm_detach_fds installs it at the
 * lowest free number, close-on-exec only with MSG_CMSG_CLOEXEC). */
static long recv_fd(int chan, int cloexec)
{
	char byte;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m;
	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof u.b;
	long r = sc3(SYS_recvmsg, chan, &m, cloexec ? MSG_CMSG_CLOEXEC : 0);
	if (r < 0) return r;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) return -EBADMSG;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof fd);
	return fd;
}

/* The reply to TC_SEND_FD carries the descriptor itself (SCM_RIGHTS through the coordinator,
 * which hands it on to the receiving task). */
static long send_fd_reply(int chan, int fd)
{
	struct trep r;
	memset(&r, 0, sizeof r);
	struct iovec iov = {&r, sizeof r};
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr m;
	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof u.b;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	return sc3(SYS_sendmsg, chan, &m, MSG_NOSIGNAL);
}

/* An abstract listening socket kept at descriptor `at`. Landlock's abstract-socket scope
 * judges the server by the credentials the socket file was created with
 * (security/landlock/task.c:sock_is_scoped), so the target task makes it itself. */
static long abs_listen(const char *name, int at, int dgram)
{
	drop_fd(at);
	long fd = sc3(SYS_socket, AF_UNIX, (dgram ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0) return fd;
	struct sockaddr_un a;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	size_t n = strlen(name);
	if (n > sizeof a.sun_path - 2) n = sizeof a.sun_path - 2;
	memcpy(a.sun_path + 1, name, n);
	long e = sc3(SYS_bind, fd, &a, offsetof(struct sockaddr_un, sun_path) + 1 + n);
	if (e == 0 && !dgram) e = sc2(SYS_listen, fd, 128);
	/* a trapped call was not made: its return register holds the syscall number
	 * (kernel/seccomp.c:__seccomp_filter), and no listener was made */
	if (e > 0) e = -ENOSYS;
	if (e == 0) e = sc3(SYS_dup3, fd, at, O_CLOEXEC);
	drop_fd(fd);
	return e < 0 ? e : 0;
}

static void utoa(unsigned long v, char *out)
{
	char tmp[24];
	int n = 0;
	do tmp[n++] = (char)('0' + v % 10); while ((v /= 10));
	for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
	out[n] = 0;
}

/* exec of the helper image: execve(2) of the executor's own binary through a memfd copy at
 * EXEC_FD. The memfd lives on an internal (SB_NOUSER) shmem mount, which Landlock always
 * allows (security/landlock/fs.c:is_nouser_or_private), so exec itself needs no rule, as in
 * the model; a static binary opens no interpreter or libraries. */
static long do_exec(int chan)
{
	char path[40] = "/proc/thread-self/fd/"; /* /proc/self/fd is gone once the leader exited */
	utoa(EXEC_FD, path + strlen(path));
	char chs[16];
	utoa((unsigned long)chan, chs);
	char *argv[] = {"strata-task", "--task", chs, NULL};
	char *envp[] = {NULL};
	sc3(SYS_fcntl, chan, F_SETFD, 0);
	long e = sc3(SYS_execve, path, argv, envp);
	sc3(SYS_fcntl, chan, F_SETFD, FD_CLOEXEC);
	return e;
}

/* capset(2) of this thread's sets with CAP_SYS_ADMIN cleared from the effective one
 * (kernel/capability.c; the cred is per thread). The current sets come from the coordinator,
 * which read them in /proc, so the op makes no capget(2) a filter could see. */
static long drop_cap_sys_admin(uint64_t inh, uint64_t prm, uint64_t eff)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {
		{(uint32_t)eff, (uint32_t)prm, (uint32_t)inh},
		{(uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32)},
	};
	d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	return sc2(SYS_capset, &h, d);
}

/* Grow the descriptor table once, while the process is single-threaded, to hold every channel
 * and listener number: growing a table that threads share waits for an RCU grace period
 * (fs/file.c:expand_fdtable), ~15 ms on this machine. */
static void presize_fdtable(int chan)
{
	if (sc3(SYS_dup3, chan, PARK_FD, O_CLOEXEC) >= 0) sc3(NR_close_range, PARK_FD, PARK_FD, 0);
}

/* SECCOMP_RET_TRAP on the command's syscall: the call was not made, its return register holds
 * the syscall number (kernel/seccomp.c:__seccomp_filter); the reply says so. */
static void note_trap(struct trep *r)
{
	if (!g_trap.hit) return;
	r->trapped = 1;
	r->trap_data = g_trap.si_errno;
	r->trap_nr = g_trap.nr;
	r->trap_arch = g_trap.arch;
}

/* A command that reaches a tracer while it serves (tracer.c): the receiving end of send_fd, an
 * abstract listener for a probe, and a full-table observe's probes and layer count. */
static void while_serving(int chan, const struct tcmd *c)
{
	struct trep r;
	memset(&r, 0, sizeof r);
	g_trap.hit = 0;
	switch (c->cmd) {
	case TC_RECV_FD:
		r.ret = recv_fd(chan, 0);
		if (r.ret < 0) plumbing(&r, "send_fd: recvmsg", r.ret);
		break;
	case TC_ABS_LISTEN:
		r.ret = abs_listen(c->s1, c->chan, c->sub);
		break;
	case TC_PROBE:
		/* a full-table observe's probes (table.c), made while the tracer serves */
		if (c->flags & PROBE_DISPOSABLE) task_probe_disposable(c, &r);
		else task_probe(c, &r);
		break;
	case TC_PROBE_BATCH:
		task_probe_batch(c, chan);
		g_trap.hit = 0;
		return;
	case TC_LAYERS:
		r.x[0] = layer_count();
		g_trap.hit = 0;
		break;
	case TC_DROP_FD:
		r.ret = drop_fd(c->fd);
		break;
	default:
		plumbing(&r, "a command the tracer cannot make while it serves its tracee", -EINVAL);
	}
	note_trap(&r);
	g_trap.hit = 0;
	reply(chan, &r);
}

void task_loop(int chan, int stack_slot)
{
	for (;;) {
		long n = sc3(SYS_read, chan, g_cmd, sizeof g_cmd);
		if (n == 0) sc1(SYS_exit_group, 0); /* the coordinator is gone */
		/* an error is a filter of the task's own denying read(2): the task stays alive (as in
		 * the model) and the coordinator, seeing it spin, stops using it */
		if (n < 0) continue;
		const struct tcmd *c = (const struct tcmd *)g_cmd;
		struct trep r;
		memset(&r, 0, sizeof r);
		g_trap.hit = 0;
		switch (c->cmd) {
		case TC_PING:
			break;
		case TC_FORK: {
			long nfd = recv_fd(chan, 1);
			if (nfd < 0) { plumbing(&r, "fork: recvmsg of the child's channel", nfd); break; }
			/* parked at PARK_FD before the fork, so the child has no low descriptor to drop */
			long e = place_fd(nfd, PARK_FD);
			drop_received(&r, nfd);
			if (e < 0) { plumbing(&r, "fork: dup3/dup2 of the child's channel", e); break; }
			/* fork: clone(SIGCHLD), as model/seccomp/op-gate.ts:CLONE_FORK_FLAGS; the child gets
			 * copies of the seccomp state, NNP, the cred with its Landlock domain and the fd
			 * table (kernel/fork.c:copy_process). Tasks ignore SIGCHLD, so the kernel reaps
			 * their children; the coordinator reads exit statuses from pidfds. */
			long pid = sc5(SYS_clone, SIGCHLD, 0, 0, 0, 0);
			/* a filter's RET_ERRNO with data 0 makes clone return 0 without running it: then
			 * this is still the caller (its tid, from the coordinator, is unchanged) */
			if (pid == 0 && sc0(SYS_gettid) == (long)c->u[0]) {
				drop_fd(PARK_FD);
				break;
			}
			if (pid == 0) {
				/* over the copy of the parent's channel; without it the child would read the
				 * parent's commands, so it rather spins (the coordinator then reports it deaf) */
				if (place_fd(PARK_FD, CHAN_BASE) < 0) for (;;) {}
				sc3(NR_close_range, CHAN_BASE + 1, ~0U, 0);
				g_main_slot = stack_slot;
				chan = CHAN_BASE;
				presize_fdtable(chan);
				continue;
			}
			drop_fd(PARK_FD);
			r.ret = pid;
			break;
		}
		case TC_THREAD: {
			long nfd = recv_fd(chan, 1);
			if (nfd < 0) { plumbing(&r, "thread: recvmsg of the thread's channel", nfd); break; }
			long d = place_fd(nfd, c->chan);
			drop_received(&r, nfd);
			if (d < 0) { plumbing(&r, "thread: dup3/dup2 of the thread's channel", d); break; }
			int stack = (c->chan - CHAN_BASE) / 2;
			if (stack == g_main_slot) stack = SPARE_STACK;
			r.ret = clone_thread(stack, thread_main, (long)c->chan | ((long)stack << 16));
			if (r.ret <= 0) drop_fd(c->chan); /* failed, or skipped by RET_ERRNO(0) */
			break;
		}
		case TC_EXEC:
			r.ret = do_exec(chan);
			break;
		case TC_EXIT:
			r.ret = sc1(SYS_exit, 0);
			break;
		case TC_SET_NNP:
			r.ret = sc5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
			break;
		case TC_DROP_CAP:
			r.ret = drop_cap_sys_admin(c->u[0], c->u[1], c->u[2]);
			break;
		case TC_STRICT:
			/* A strict task can make no more syscalls but read/write/exit/rt_sigreturn, and
			 * its Landlock domain can no longer change: measure and prepare now. */
			r.x[0] = c->flags & STRICT_NO_PREP ? 0 : layer_count();
			r.x[1] = c->s1[0] ? abs_listen(c->s1, c->chan, 0) : 0;
			/* a trap on the oracle's or the listener's calls (the oracle child shares this
			 * memory: its exit(2) may be trapped) is not the op's */
			g_trap.hit = 0;
			r.ret = sc3(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, 0);
			break;
		case TC_FILTER: {
			struct sock_fprog p = {(unsigned short)c->ninsn, (struct sock_filter *)c->insns};
			map_returns();
			r.ret = sc3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, c->flags, &p);
			/* before any other syscall: the filter just installed may kill the reply */
			if (g_ret) {
				g_ret->ret = r.ret;
				__atomic_store_n(&g_ret->done, 1, __ATOMIC_RELEASE);
			}
			break;
		}
		case TC_RULESET_CREATE: {
			struct ll_ruleset_attr a = {c->u[0], c->u[1], c->u[2]};
			/* a query (flags) with nothing handled passes attr NULL and size 0 */
			int null_attr = c->flags && !c->u[0] && !c->u[1] && !c->u[2];
			r.ret = sc3(NR_landlock_create_ruleset, null_attr ? NULL : &a, null_attr ? 0 : sizeof a, c->flags);
			break;
		}
		case TC_ADD_RULE:
			if (c->sub == 0) {
				long pfd = recv_fd(chan, 1);
				if (pfd < 0) { plumbing(&r, "add_rule: recvmsg of the rule's O_PATH fd", pfd); break; }
				struct ll_path_beneath_attr a = {c->u[0], (int32_t)pfd};
				r.ret = sc4(NR_landlock_add_rule, c->fd, LL_RULE_PATH_BENEATH, &a, 0);
				drop_received(&r, pfd);
			} else {
				struct ll_net_port_attr a = {c->u[0], c->u[1]};
				r.ret = sc4(NR_landlock_add_rule, c->fd, LL_RULE_NET_PORT, &a, 0);
			}
			break;
		case TC_RESTRICT:
			r.ret = sc2(NR_landlock_restrict_self, c->fd, c->flags);
			break;
		case TC_SEND_FD: {
			long e = send_fd_reply(chan, c->fd);
			/* sent: that message was the reply. A trap (the call was not made; its return
			 * register holds the syscall number) or a RET_ERRNO(0) (0 bytes, nothing sent)
			 * is answered like any other op's */
			if (e > 0 && !g_trap.hit) continue;
			r.ret = g_trap.hit ? 0 : e;
			break;
		}
		case TC_RECV_FD:
			r.ret = recv_fd(chan, 0);
			if (r.ret < 0) plumbing(&r, "send_fd: recvmsg", r.ret);
			break;
		case TC_CLOSE_FD:
			r.ret = sc1(SYS_close, c->fd);
			break;
		case TC_FD_CALL: {
			/* none of the model's files reads, writes or seeks: nothing is changed by the call */
			char byte = 0;
			int n = 0;
			if (c->sub == 0) r.ret = sc3(SYS_read, c->fd, &byte, 1);
			else if (c->sub == 1) r.ret = sc3(SYS_write, c->fd, &byte, 1);
			else if (c->sub == 2) r.ret = sc3(SYS_lseek, c->fd, 0, SEEK_CUR);
			else if (c->sub == 3) r.ret = sc3(SYS_ioctl, c->fd, FIONREAD, &n);
			else {
				/* open /proc/self/fd/<fd>: an anonymous inode gives ENXIO, no such fd ENOENT; a
				 * descriptor it did open is closed with close_range(2), which no op is made with */
				char path[40] = "/proc/self/fd/";
				utoa((unsigned long)(unsigned)c->fd, path + 14);
				r.ret = sc4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
				if (r.ret >= 0) sc3(NR_close_range, r.ret, r.ret, 0);
			}
			break;
		}
		case TC_CHDIR:
			r.ret = sc1(SYS_chdir, c->s1);
			break;
		case TC_UMOUNT:
			r.ret = sc2(SYS_umount2, c->s1, 0);
			break;
		case TC_SIGSYS:
			r.ret = sigsys_set(c->sub);
			break;
		case TC_KEYCTL:
			/* KEYCTL_JOIN_SESSION_KEYRING (1) with no name, KEYCTL_SESSION_TO_PARENT (18) */
			r.ret = sc5(SYS_keyctl, c->sub == 0 ? 1 : 18, 0, 0, 0, 0);
			break;
		case TC_SOCKETPAIR: {
			int sv[2];
			r.ret = sc4(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv);
			if (r.ret == 0) r.ret = sv[0];
			break;
		}
		case TC_FOWN_SET:
			if (c->sub == 1) {
				/* F_OWNER_TID: the SIGURG goes to that thread alone (fs/fcntl.c:f_setown_ex, PIDTYPE_PID) */
				struct f_owner_ex own = {F_OWNER_TID, (pid_t)c->u[0]};
				r.ret = sc3(SYS_fcntl, c->fd, F_SETOWN_EX, &own);
			} else {
				/* a process (PIDTYPE_TGID), or a process group by its negated id (PIDTYPE_PGID) */
				int who = c->sub == 2 ? -(int)c->u[0] : (int)c->u[0];
				r.ret = sc3(SYS_fcntl, c->fd, F_SETOWN, (long)who);
			}
			break;
		case TC_SETPGID:
			r.ret = sc2(SYS_setpgid, (long)(int)c->u[0], (long)(int)c->u[1]);
			break;
		case TC_UNIX_LISTEN: {
			long fd = sc3(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
			if (fd >= 0) {
				struct sockaddr_un a;
				memset(&a, 0, sizeof a);
				a.sun_family = AF_UNIX;
				size_t n = strlen(c->s1);
				if (n > sizeof a.sun_path - 2) n = sizeof a.sun_path - 2;
				memcpy(a.sun_path + 1, c->s1, n);
				long e = sc3(SYS_bind, fd, &a, offsetof(struct sockaddr_un, sun_path) + 1 + n);
				if (e == 0) e = sc2(SYS_listen, fd, 128);
				if (e < 0) { sc3(NR_close_range, fd, fd, 0); fd = e; }
			}
			r.ret = fd;
			break;
		}
		case TC_URG_DRAIN:
			/* a pending signal set to be ignored is discarded (do_sigaction) */
			raw_sigaction(SIGURG, SIG_IGN, 0);
			raw_sigaction(SIGURG, SIG_DFL, 0);
			r.ret = 0;
			break;
		case TC_ACTION_AVAIL: {
			uint32_t action = (uint32_t)c->u[0];
			r.ret = sc3(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, c->u[1], &action);
			break;
		}
		case TC_PROBE:
			if (c->flags & PROBE_DISPOSABLE) task_probe_disposable(c, &r);
			else task_probe(c, &r);
			break;
		case TC_LAYERS:
			r.x[0] = layer_count();
			g_trap.hit = 0; /* the oracle's calls are the executor's, not an op's */
			break;
		case TC_ABS_LISTEN:
			r.ret = abs_listen(c->s1, c->chan, c->sub);
			g_trap.hit = 0;
			break;
		case TC_DROP_FD:
			r.ret = drop_fd(c->fd);
			break;
		case TC_NOTIF:
			task_notif(c, &r);
			break;
		case TC_PROBE_BATCH:
			task_probe_batch(c, chan); /* the replies are written there, one per probe */
			g_trap.hit = 0;
			continue;
		case TC_PTRACE_ATTACH:
			r.ret = tracer_attach(c);
			break;
		case TC_PTRACE_TRACEME:
			r.ret = tracer_traceme();
			break;
		case TC_PTRACE_REQUEST:
			r.ret = tracer_request(c, &r);
			break;
		case TC_PTRACE_SERVE:
			tracer_serve(chan, c, &r, while_serving);
			g_trap.hit = 0;
			break;
		default:
			plumbing(&r, "unknown command", -EINVAL);
		}
		note_trap(&r);
		reply(chan, &r);
	}
}

static long thread_main(long arg)
{
	task_loop((int)(arg & 0xffff), (int)(arg >> 16));
}

void task_start_initial(int chan, int nnp, int cap, int ndetached)
{
	sc3(SYS_dup3, chan, CHAN_BASE, O_CLOEXEC);
	long nul = sc4(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR, 0);
	for (int i = 0; i < 3; i++) sc3(SYS_dup3, nul, i, 0);
	/* keeps the tree's detached mounts (DETACHED_FD(0 .. ndetached - 1), placed by the
	 * coordinator, fstree.c), EXEC_FD and RET_FD */
	sc3(NR_close_range, 3, EXEC_FD - 1 - ndetached, 0);
	sc3(NR_close_range, RET_FD + 1, CHAN_BASE - 1, 0);
	sc3(NR_close_range, CHAN_BASE + 1, ~0U, 0);
	presize_fdtable(CHAN_BASE);
	raw_sigaction(SIGPIPE, SIG_DFL, 0);
	raw_sigaction(SIGCHLD, SIG_IGN, 0); /* the kernel reaps the tasks' children (kernel/exit.c:do_notify_parent) */
	/* SIGURG blocked, so that one sent to the task stays pending for the coordinator to see
	 * (socket_op.c); threads, forks and exec keep the mask */
	unsigned long urg = 1UL << (SIGURG - 1);
	sc4(SYS_rt_sigprocmask, SIG_SETMASK, &urg, NULL, 8);
	trap_install(); /* whatever the executor inherited: the state every model task starts in */
	sc2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
	if (!cap) {
		struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
		struct __user_cap_data_struct d[2];
		if (sc2(SYS_capget, &h, d) == 0)
			drop_cap_sys_admin(d[0].inheritable | (uint64_t)d[1].inheritable << 32, d[0].permitted | (uint64_t)d[1].permitted << 32,
					   d[0].effective | (uint64_t)d[1].effective << 32);
	}
	if (nnp) sc5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	task_loop(CHAN_BASE, -1);
}

int task_image_main(int argc, char **argv)
{
	if (argc < 3) return 111;
	int chan = 0;
	for (const char *p = argv[2]; *p >= '0' && *p <= '9'; p++) chan = chan * 10 + (*p - '0');
	sc3(SYS_fcntl, chan, F_SETFD, FD_CLOEXEC);
	/* the descriptor table is the pre-exec one, still presized (fs/exec.c:begin_new_exec
	 * copies it only when it is shared); the signal mask is the pre-exec thread's, SIGURG
	 * blocked as every task has it (and SIGSYS when the task blocked it) */
	image_trap_install();
	struct trep r;
	memset(&r, 0, sizeof r);
	r.x[0] = EXEC_HELLO;
	reply(chan, &r);
	task_loop(chan, -1);
}
