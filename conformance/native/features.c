/* Feature detection. Queries that change nothing run in the executor; anything that could
 * install a filter, a domain or a namespace runs in a throw-away child with a timeout. */
#define _GNU_SOURCE
#include "features.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
	const char *name;
	unsigned value;
} ACTIONS[] = {
	{"kill_process", SECCOMP_RET_KILL_PROCESS}, {"kill_thread", SECCOMP_RET_KILL_THREAD},
	{"trap", SECCOMP_RET_TRAP}, {"errno", SECCOMP_RET_ERRNO}, {"user_notif", SECCOMP_RET_USER_NOTIF},
	{"trace", SECCOMP_RET_TRACE}, {"log", SECCOMP_RET_LOG}, {"allow", SECCOMP_RET_ALLOW},
};

/* Run fn in a child; its exit code, or -1 if it was killed or exceeded `ms`. */
static int in_child(int (*fn)(void), int ms)
{
	pid_t pid = fork();
	if (pid < 0) return -1;
	if (pid == 0) _exit(fn());
	int pfd = (int)syscall(NR_pidfd_open, pid, 0);
	if (pfd >= 0) {
		struct pollfd p = {pfd, POLLIN, 0};
		if (poll(&p, 1, ms) <= 0) kill(pid, SIGKILL);
		close(pfd);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* seccomp(SET_MODE_FILTER, flag, NULL): EFAULT means the flag is known (the flag check comes
 * first, kernel/seccomp.c:seccomp_set_mode_filter); WAIT_KILLABLE_RECV needs NEW_LISTENER. */
static int child_filter_flags(void)
{
	int mask = 0;
	for (int bit = 0; bit < 8; bit++) {
		unsigned long f = 1UL << bit;
		if (bit == 5) f |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f, NULL) < 0 && errno == EFAULT) mask |= 1 << bit;
	}
	return mask;
}

/* landlock_restrict_self(-1, flag): EINVAL for an unknown flag, EBADF (or 0 for
 * LOG_SUBDOMAINS_OFF) for a known one (security/landlock/syscalls.c). */
static int child_restrict_flags(void)
{
	int mask = 0;
	for (int bit = 0; bit < 8; bit++)
		if (syscall(NR_landlock_restrict_self, -1, 1U << bit) == 0 || errno != EINVAL) mask |= 1 << bit;
	return mask;
}

/* A USER_NOTIF filter with a listener; a grandchild's getppid is received and answered. */
static int child_user_notif(void)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = {4, prog};
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	int lfd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &p);
	if (lfd < 0) return 1;
	pid_t g = fork();
	if (g == 0) _exit(sc0(SYS_getppid) == -ECANCELED ? 0 : 1);
	struct pollfd pf = {lfd, POLLIN, 0};
	if (poll(&pf, 1, 2000) <= 0) return 2;
	struct seccomp_notif n;
	memset(&n, 0, sizeof n);
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &n)) return 3;
	struct seccomp_notif_resp r = {.id = n.id, .val = 0, .error = -ECANCELED, .flags = 0};
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &r)) return 4;
	int st;
	waitpid(g, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 5;
}

/* Whether mm_access lets this (perfmon_capable) process read the mm of one outside its Landlock
 * domain without asking ptrace_may_access (kernel/fork.c:mm_access, as on 6.18): a child
 * sandboxed by a layer handling EXECUTE only (no file check on the open) opens its parent's
 * /proc/<pid>/environ. 0: allowed. */
static int child_environ(void)
{
	struct { unsigned long long fs, net, scoped; } attr = {1ULL /* EXECUTE */, 0, 0};
	long fd = syscall(NR_landlock_create_ruleset, &attr, 8, 0); /* handled_access_fs only: ABI 1 */
	if (fd < 0) return 2;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(NR_landlock_restrict_self, fd, 0)) return 3;
	char path[48];
	snprintf(path, sizeof path, "/proc/%d/environ", (int)getppid());
	int e = open(path, O_RDONLY | O_CLOEXEC);
	return e >= 0 ? 0 : 1;
}

int environ_unchecked(void)
{
	static int known = -1;
	if (known < 0) known = in_child(child_environ, 2000) == 0;
	return known;
}

/* Whether Landlock records the caller's domain on F_SETOWN(-pgrp) when the caller heads its
 * group's task list (security/landlock/fs.c:control_current_fowner took pid_task(fown->pid,
 * PIDTYPE_PGID), the group's newest leader, for the target, and recorded nothing when that was
 * the caller's own thread group; fixed by "landlock: record the fown subject for PIDTYPE_PGID
 * owners"). This child P (unsandboxed, SIGURG blocked) makes a group of its own and forks C,
 * which joins nothing: attach_pid put it at the head of P's group. C restricts itself to a
 * signal-scoped domain, owns a socket by the group and sends it OOB data: recorded, P (outside
 * C's domain) is not sent the SIGURG (hook_file_send_sigiotask); not recorded, P has it pending.
 * Exit 0 recorded, 1 not, 2 no Landlock signal scope (ABI < 6: nothing can differ), 3 failed. */
static int child_fown_group(void)
{
	long abi = syscall(NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	if (abi < 6) return 2;
	sigset_t urg;
	sigemptyset(&urg);
	sigaddset(&urg, SIGURG);
	if (sigprocmask(SIG_BLOCK, &urg, NULL) || setpgid(0, 0)) return 3;
	pid_t c = fork();
	if (c < 0) return 3;
	if (c == 0) {
		struct ll_ruleset_attr a = {0, 0, 2 /* LANDLOCK_SCOPE_SIGNAL */};
		long fd = syscall(NR_landlock_create_ruleset, &a, sizeof a, 0);
		if (fd < 0) _exit(3);
		int sv[2];
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(NR_landlock_restrict_self, fd, 0) ||
		    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || fcntl(sv[0], F_SETOWN, -getpgrp()))
			_exit(3);
		_exit(send(sv[1], "x", 1, MSG_OOB | MSG_NOSIGNAL) == 1 ? 0 : 3);
	}
	int st;
	while (waitpid(c, &st, 0) < 0)
		if (errno != EINTR) return 3;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 3;
	sigset_t pend;
	sigemptyset(&pend);
	if (sigpending(&pend)) return 3;
	return sigismember(&pend, SIGURG) ? 1 : 0;
}

int fown_group_recorded(void)
{
	static int known = -1;
	if (known < 0) {
		int r = in_child(child_fown_group, 2000);
		/* a failed probe says 0: fown_set to a group is then skipped, not misjudged */
		known = r == 0 || r == 2;
	}
	return known;
}

static int child_ia32(void)
{
	return sc_i386(20, 0, 0, 0, 0, 0, 0) == getpid() ? 0 : 1;
}

static int child_mountns(void)
{
	return unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 ? 0 : 1;
}

static int child_netns(void)
{
	if (unshare(CLONE_NEWNET)) return 1;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq r;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &r)) return 2;
	r.ifr_flags |= IFF_UP;
	return ioctl(s, SIOCSIFFLAGS, &r) ? 3 : 0;
}

static int child_exec(void)
{
	char path[32];
	snprintf(path, sizeof path, "/proc/self/fd/%d", EXEC_FD);
	char *argv[] = {"strata-task", "--selftest-exec", NULL};
	char *envp[] = {NULL};
	execve(path, argv, envp);
	return 1;
}

/* `feature lsm <list>`: the active LSMs (securityfs's lsm file, security/inode.c), or `-`
 * where securityfs is not mounted. */
static size_t lsm_line(char *out, size_t cap)
{
	char list[512] = "-";
	int fd = open("/sys/kernel/security/lsm", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r = read(fd, list, sizeof list - 1);
		list[r > 0 ? r : 0] = 0;
		close(fd);
		for (char *c = list; *c; c++)
			if (*c == '\n' || *c == ' ') *c = 0;
		if (!list[0]) snprintf(list, sizeof list, "-");
	}
	int n = snprintf(out, cap, "feature lsm %s\n", list);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* The executor's effective capability set (capget(2), kernel/capability.c). */
unsigned long long cap_effective(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof d);
	if (syscall(SYS_capget, &h, d)) return 0;
	return d[0].effective | (unsigned long long)d[1].effective << 32;
}

void features_print(FILE *out, const struct exec_env *env)
{
	static char cache[2048];
	if (!cache[0]) {
		size_t n = 0, cap = sizeof cache;
		struct utsname u;
		uname(&u);
		n += snprintf(cache + n, cap - n, "feature kernel %s\n", u.release);
		long abi = syscall(NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
		int abi_errno = abi < 0 ? errno : 0;
		long errata = syscall(NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_ERRATA);
		n += snprintf(cache + n, cap - n, "feature landlock_abi %ld\n", abi < 0 ? 0 : abi);
		/* ENOSYS: not built in; EOPNOTSUPP: built in but not among the active LSMs, `lsm=`
		 * (security/landlock/syscalls.c: landlock_create_ruleset, is_initialized) */
		n += snprintf(cache + n, cap - n, "feature landlock_errno %d\n", abi_errno);
		n += lsm_line(cache + n, cap - n);
		n += snprintf(cache + n, cap - n, "feature landlock_errata %ld\n", errata < 0 ? -1 : errata);
		n += snprintf(cache + n, cap - n, "feature seccomp_actions ");
		int any = 0;
		for (size_t k = 0; k < sizeof ACTIONS / sizeof ACTIONS[0]; k++) {
			unsigned v = ACTIONS[k].value;
			if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &v) == 0)
				n += snprintf(cache + n, cap - n, "%s%s", any++ ? "," : "", ACTIONS[k].name);
		}
		n += snprintf(cache + n, cap - n, "%s\n", any ? "" : "-");
		int ff = in_child(child_filter_flags, 2000), rf = in_child(child_restrict_flags, 2000);
		n += snprintf(cache + n, cap - n, "feature seccomp_filter_flags %d\n", ff < 0 ? 0 : ff);
		n += snprintf(cache + n, cap - n, "feature landlock_restrict_flags %d\n", rf < 0 || abi <= 0 ? 0 : rf);
		n += snprintf(cache + n, cap - n, "feature user_notif %d\n", in_child(child_user_notif, 3000) == 0);
		int pfd = (int)syscall(NR_pidfd_open, getpid(), PIDFD_THREAD_);
		int ppfd = (int)syscall(NR_pidfd_open, getpid(), 0);
		int gfd = ppfd >= 0 ? (int)syscall(NR_pidfd_getfd, ppfd, 0, 0) : -1;
		n += snprintf(cache + n, cap - n, "feature pidfd_thread %d\n", pfd >= 0);
		n += snprintf(cache + n, cap - n, "feature pidfd_getfd %d\n", gfd >= 0);
		if (gfd >= 0) close(gfd);
		if (ppfd >= 0) close(ppfd);
		if (pfd >= 0) close(pfd);
		n += snprintf(cache + n, cap - n, "feature ia32 %d\n", in_child(child_ia32, 2000) == 0);
		n += snprintf(cache + n, cap - n, "feature mountns %d\n", in_child(child_mountns, 2000) == 0);
		n += snprintf(cache + n, cap - n, "feature netns %d\n", in_child(child_netns, 2000) == 0);
		n += snprintf(cache + n, cap - n, "feature exec_memfd %d\n", in_child(child_exec, 2000) == SELFTEST_EXEC_CODE);
		/* what the executor itself runs with: every task starts from it */
		n += snprintf(cache + n, cap - n, "feature exec_image %s\n", env->exec_image);
		n += snprintf(cache + n, cap - n, "feature cap_eff %llx\n", cap_effective());
		n += snprintf(cache + n, cap - n, "feature environ_unchecked %d\n", environ_unchecked());
		n += snprintf(cache + n, cap - n, "feature fown_group_recorded %d\n", fown_group_recorded());
		n += snprintf(cache + n, cap - n, "feature no_new_privs %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
		n += snprintf(cache + n, cap - n, "feature seccomp_mode %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
		struct statvfs sv;
		int sv_ok = statvfs(env->workdir, &sv) == 0;
		n += snprintf(cache + n, cap - n, "feature workdir_noexec %d\n", sv_ok && (sv.f_flag & ST_NOEXEC) != 0);
		n += snprintf(cache + n, cap - n, "feature workdir_nodev %d\n", sv_ok && (sv.f_flag & ST_NODEV) != 0);
		/* each scenario's tree holds /dev/zero's 1:5 (fstree.c): needs CAP_MKNOD in the initial
		 * user namespace (fs/namei.c:may_mknod, vfs_mknod) */
		char probe[320];
		snprintf(probe, sizeof probe, "%.300s/mknod-probe", env->workdir);
		int mk = mknod(probe, S_IFCHR | 0600, makedev(1, 5)) == 0;
		if (mk) unlink(probe);
		n += snprintf(cache + n, cap - n, "feature mknod %d\n", mk);
	}
	fputs(cache, out);
	fputs("end\n", out);
	fflush(out);
}
