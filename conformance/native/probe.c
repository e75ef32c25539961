/* Probes: one request made by the task itself, so that its own seccomp filters and Landlock
 * domain decide. The raw return (value or -errno) and whether the SIGSYS handler ran are
 * reported; the coordinator observes kills and user notifications from outside.
 *
 * How each Landlock request is made (the model's side: model/landlock/fs.ts, net.ts, scope.ts,
 * ptrace.ts and model/request-syscall.ts, which names the syscall seccomp sees):
 *   fs read_file   openat(O_RDONLY)            fs write_file openat(O_WRONLY)
 *   fs read_dir    openat(O_RDONLY|O_DIRECTORY) fs execute   execve (an empty 0755 file: ENOEXEC when allowed)
 *   fs truncate    truncate(2)                 fs ioctl_dev  openat(O_RDONLY) + ioctl(FIONREAD)
 *   fs remove_dir  unlinkat(AT_REMOVEDIR)      fs remove_file unlinkat(0)
 *   fs make_dir    mkdirat(<dir>/strata.new)   fs make_sym   symlinkat(<dir>/strata.new)
 *   fs make_reg/char/block/fifo/sock  mknodat(<dir>/strata.new, S_IF...)
 *   rename  renameat2(from, <to>/<name>.moved)  link  linkat(from, <to>/<name>.linked)
 *   exchange  renameat2(from, to, RENAME_EXCHANGE) (the coordinator swaps them back)
 *   mount   outside the model tree, in the scenario's private mount namespace (s1: a plain
 *           directory, s2: the call's own — a tmpfs mount, a bind source or pivot_root's
 *           directory; the coordinator resets both after the probe): new mount(tmpfs) on s1;
 *           bind mount(s2, s1, MS_BIND); remount mount(s2, MS_REMOUNT|MS_RDONLY); propagation
 *           mount(s2, MS_SHARED); move mount(s2, s1, MS_MOVE); umount umount2(s2); pivot_root
 *           pivot_root(s2, s2) (no mount point: EINVAL when allowed); move_mount
 *           move_mount(s2 → s1); open_tree open_tree(s2, OPEN_TREE_CLONE) (then closed);
 *           mount_setattr mount_setattr(s2, MOUNT_ATTR_RDONLY)
 *   net     TCP or UDP socket, bind (SO_REUSEADDR) / blocking connect 127.0.0.1:port or
 *           [::1]:port (private netns)
 *   signal  kill(tid, 0)   abstract_unix  connect to the target's abstract listener, or (dgram)
 *           sendto(2) one byte to its bound abstract datagram socket
 *   ptrace  PTRACE_ATTACH (then wait for the stop and PTRACE_DETACH)
 *   sigurg  send(fd, "x", 1, MSG_OOB | MSG_NOSIGNAL) on a socket pair's end (the coordinator
 *           observes the SIGURG: socket_op.c)
 *   proc    openat("/proc/<target tid>/<status|environ|mem|ns/mnt>", O_RDONLY), then closed */
#define _GNU_SOURCE
#include "task.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

long sc_i386(long n, long a, long b, long c, long d, long e, long f)
{
	register long r12 __asm__("r12") = f;
	long ret;
	/* int $0x80 takes the sixth argument in %ebp; step over the red zone before pushing. */
	__asm__ volatile("sub $128, %%rsp\n\t"
			 "push %%rbp\n\t"
			 "mov %%r12, %%rbp\n\t"
			 "int $0x80\n\t"
			 "pop %%rbp\n\t"
			 "add $128, %%rsp\n\t"
			 : "=a"(ret)
			 : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), "r"(r12)
			 : "memory", "r8", "r9", "r10", "r11", "cc");
	return (long)(int)ret;
}

/* Descriptors a probe opens are closed with close_range(2): no op is made with it, so a filter
 * written for the close_fd op (close, 3) does not decide them. */
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1) /* include/uapi/linux/fs.h */
#endif
#define DEV(ma, mi) ((unsigned long)(ma) << 8 | (mi)) /* new_encode_dev for small numbers */

static long open_probe(const char *path, int flags)
{
	long fd = sc4(SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC, 0);
	if (fd < 0) return fd;
	sc3(NR_close_range, fd, fd, 0);
	return 0;
}

static long fs_probe(int access, const char *path, const char *newpath)
{
	switch (access) {
	case FA_EXECUTE: {
		char *argv[] = {(char *)path, NULL};
		char *envp[] = {NULL};
		return sc3(SYS_execve, path, argv, envp);
	}
	case FA_WRITE_FILE: return open_probe(path, O_WRONLY);
	case FA_READ_FILE: return open_probe(path, O_RDONLY);
	case FA_READ_DIR: return open_probe(path, O_RDONLY | O_DIRECTORY);
	case FA_REMOVE_DIR: return sc3(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR);
	case FA_REMOVE_FILE: return sc3(SYS_unlinkat, AT_FDCWD, path, 0);
	case FA_MAKE_CHAR: return sc4(SYS_mknodat, AT_FDCWD, newpath, S_IFCHR | 0600, DEV(1, 3));
	case FA_MAKE_DIR: return sc3(SYS_mkdirat, AT_FDCWD, newpath, 0755);
	case FA_MAKE_REG: return sc4(SYS_mknodat, AT_FDCWD, newpath, S_IFREG | 0644, 0);
	case FA_MAKE_SOCK: return sc4(SYS_mknodat, AT_FDCWD, newpath, S_IFSOCK | 0644, 0);
	case FA_MAKE_FIFO: return sc4(SYS_mknodat, AT_FDCWD, newpath, S_IFIFO | 0644, 0);
	case FA_MAKE_BLOCK: return sc4(SYS_mknodat, AT_FDCWD, newpath, S_IFBLK | 0600, DEV(7, 0));
	case FA_MAKE_SYM: return sc3(SYS_symlinkat, "strata", AT_FDCWD, newpath);
	case FA_TRUNCATE: return sc2(SYS_truncate, path, 0);
	case FA_IOCTL_DEV: {
		/* READ_FILE at open, IOCTL_DEV recorded at open and checked at ioctl
		 * (fs.c:hook_file_open, hook_file_ioctl), as model/landlock/fs.ts says */
		long fd = sc4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
		if (fd < 0) return fd;
		int n = 0;
		long e = sc3(SYS_ioctl, fd, FIONREAD, &n);
		sc3(NR_close_range, fd, fd, 0);
		return e;
	}
	default: return -EINVAL;
	}
}

static uint16_t be16(uint16_t v) { return (uint16_t)((v << 8) | (v >> 8)); }

static long net_probe(int connect, uint64_t port, uint64_t family, uint64_t udp, struct trep *r)
{
	/* a blocking connect: on loopback the refusal (or the accept) is immediate; a UDP connect
	 * only sets the peer */
	int af = family == 6 ? AF_INET6 : AF_INET;
	long fd = sc3(SYS_socket, af, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0) { r->status = TR_PLUMBING; memcpy(r->msg, "net: socket", 12); return fd; }
	struct sockaddr_in a;
	struct sockaddr_in6 a6;
	memset(&a, 0, sizeof a);
	memset(&a6, 0, sizeof a6);
	a.sin_family = AF_INET;
	a.sin_port = be16((uint16_t)port);
	a.sin_addr.s_addr = 0x0100007fU; /* 127.0.0.1 in network byte order, little-endian host */
	a6.sin6_family = AF_INET6;
	a6.sin6_port = be16((uint16_t)port);
	a6.sin6_addr.s6_addr[15] = 1; /* ::1 */
	const void *addr = af == AF_INET6 ? (const void *)&a6 : (const void *)&a;
	long len = af == AF_INET6 ? (long)sizeof a6 : (long)sizeof a;
	long e;
	if (connect) {
		e = sc3(SYS_connect, fd, addr, len);
	} else {
		int one = 1;
		sc5(SYS_setsockopt, fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		e = sc3(SYS_bind, fd, addr, len);
	}
	sc3(NR_close_range, fd, fd, 0);
	return e;
}

/* connect(2) to the target's stream listener, or one datagram sendto(2) its bound socket (0 when
 * sent: unix_dgram_sendmsg's unix_may_send is where Landlock decides) */
static long abstract_probe(const char *name, int dgram, struct trep *r)
{
	long fd = sc3(SYS_socket, AF_UNIX, (dgram ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) { r->status = TR_PLUMBING; memcpy(r->msg, "abstract_unix: socket", 22); return fd; }
	struct sockaddr_un a;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	size_t n = strlen(name);
	if (n > sizeof a.sun_path - 2) n = sizeof a.sun_path - 2;
	memcpy(a.sun_path + 1, name, n);
	long len = (long)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	char byte = 0;
	long e = dgram ? sc6(SYS_sendto, fd, (long)&byte, 1, MSG_DONTWAIT, (long)&a, len) : sc3(SYS_connect, fd, &a, len);
	if (dgram && e == 1) e = 0;
	sc3(NR_close_range, fd, fd, 0);
	return e;
}

static long ptrace_probe(long tid)
{
	long e = sc4(SYS_ptrace, PTRACE_ATTACH, tid, 0, 0);
	if (e == 0) {
		int st;
		long w;
		do w = sc4(SYS_wait4, tid, &st, __WALL, 0);
		while (w == -EINTR);
		sc4(SYS_ptrace, PTRACE_DETACH, tid, 0, 0);
	}
	return e;
}

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1 /* include/uapi/linux/mount.h */
#endif
#define MOUNT_ATTR_RDONLY_ 0x1
struct mount_attr_ { uint64_t attr_set, attr_clr, propagation, userns_fd; };

static long mount_probe(int call, const char *s1, const char *s2)
{
	switch (call) {
	case MC_NEW: return sc5(SYS_mount, "strata", s1, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=16k");
	case MC_BIND: return sc5(SYS_mount, s2, s1, 0, MS_BIND, 0);
	case MC_REMOUNT: return sc5(SYS_mount, 0, s2, 0, MS_REMOUNT | MS_RDONLY, 0);
	case MC_PROPAGATION: return sc5(SYS_mount, 0, s2, 0, MS_SHARED, 0);
	case MC_MOVE: return sc5(SYS_mount, s2, s1, 0, MS_MOVE, 0);
	case MC_UMOUNT: return sc2(SYS_umount2, s2, 0);
	case MC_PIVOT_ROOT: return sc2(SYS_pivot_root, s2, s2);
	case MC_MOVE_MOUNT: return sc5(SYS_move_mount, AT_FDCWD, s2, AT_FDCWD, s1, 0);
	case MC_OPEN_TREE: {
		long fd = sc3(SYS_open_tree, AT_FDCWD, s2, OPEN_TREE_CLONE | O_CLOEXEC);
		if (fd < 0) return fd;
		sc3(NR_close_range, fd, fd, 0);
		return 0;
	}
	case MC_MOUNT_SETATTR: {
		struct mount_attr_ a = {MOUNT_ATTR_RDONLY_, 0, 0, 0};
		return sc5(SYS_mount_setattr, AT_FDCWD, s2, 0, &a, sizeof a);
	}
	}
	return -EINVAL;
}

void task_probe(const struct tcmd *c, struct trep *r)
{
	long ret;
	switch (c->probe) {
	case PR_SYS: {
		const uint64_t *a = &c->u[2];
		if (c->u[1] == AUDIT_ARCH_I386_)
			ret = sc_i386((long)c->u[0], (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
		else
			ret = sc6((long)c->u[0], (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
		break;
	}
	case PR_FS: ret = fs_probe(c->sub, c->s1, c->s2); break;
	case PR_RENAME: ret = sc5(SYS_renameat2, AT_FDCWD, c->s1, AT_FDCWD, c->s2, 0); break;
	case PR_EXCHANGE: ret = sc5(SYS_renameat2, AT_FDCWD, c->s1, AT_FDCWD, c->s2, RENAME_EXCHANGE); break;
	case PR_LINK: ret = sc5(SYS_linkat, AT_FDCWD, c->s1, AT_FDCWD, c->s2, 0); break;
	case PR_MOUNT: ret = mount_probe(c->sub, c->s1, c->s2); break;
	case PR_NET: ret = net_probe(c->sub, c->u[0], c->u[1], c->u[2], r); break;
	case PR_SIGNAL: ret = sc2(SYS_kill, (long)c->u[0], 0); break;
	case PR_ABSTRACT: ret = abstract_probe(c->s1, c->sub, r); break;
	case PR_PTRACE: ret = ptrace_probe((long)c->u[0]); break;
	case PR_SIGURG: ret = sc6(SYS_sendto, (long)c->u[0], (long)"x", 1, MSG_OOB | MSG_NOSIGNAL, 0, 0); break;
	case PR_PROC: ret = open_probe(c->s1, O_RDONLY); break;
	default: ret = -EINVAL;
	}
	r->ret = ret;
}
