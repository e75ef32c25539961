/* Raw x86_64 system calls and the kernel constants the executor needs.
 *
 * Tasks run threads made with a raw clone(CLONE_VM|CLONE_THREAD...) that share the creator's
 * TLS, so nothing on a task path may touch errno: every call goes through sc6(), which returns
 * the kernel's value unchanged (-errno on failure, arch/x86/entry/entry_64.S).
 *
 * The system's <linux/landlock.h> is an old (6.1) header, so the Landlock uapi is defined here
 * (include/uapi/linux/landlock.h, ABI 7). */
#ifndef STRATA_SYS_H
#define STRATA_SYS_H

#include <stdint.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

static inline long sc6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define sc0(n) sc6((n), 0, 0, 0, 0, 0, 0)
#define sc1(n, a) sc6((n), (long)(a), 0, 0, 0, 0, 0)
#define sc2(n, a, b) sc6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define sc3(n, a, b, c) sc6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sc4(n, a, b, c, d) sc6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sc5(n, a, b, c, d, e) sc6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* i386 system call through int $0x80 (arch/x86/entry/entry_64_compat.S): seccomp sees
 * AUDIT_ARCH_I386 and the 32-bit number. Defined in probe.c. */
long sc_i386(long n, long a, long b, long c, long d, long e, long f);

#define AUDIT_ARCH_X86_64_ 0xc000003eU
#define AUDIT_ARCH_I386_ 0x40000003U

/* Syscall numbers newer than the libc headers may know. */
#define NR_pidfd_open 434
#define NR_close_range 436
#define NR_pidfd_getfd 438
#define NR_landlock_create_ruleset 444
#define NR_landlock_add_rule 445
#define NR_landlock_restrict_self 446
#define PIDFD_THREAD_ 00000200 /* O_EXCL: include/uapi/linux/pidfd.h (6.9+) */

/* Landlock uapi (include/uapi/linux/landlock.h). */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_CREATE_RULESET_ERRATA (1U << 1)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2
#define LL_ACCESS_FS_MAKE_BLOCK (1ULL << 11)
#define LL_LAYERS_MAX 16 /* LANDLOCK_MAX_NUM_LAYERS, security/landlock/limits.h */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};
struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));
struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

/* The executor's fixed descriptor layout inside every task (see task.c): 0-2 stdio, 3.. the
 * model's descriptors, DETACHED_FD(k) the tree's k-th detached mount (fstree.c; inherited from
 * the coordinator, never close-on-exec), EXEC_FD the helper image, CHAN_FD(k) the command
 * channel of the group's k-th thread, ABS_FD(k) that thread's abstract-socket listener. Channel
 * numbers are even, so that a filter on argument bits of read/write (the raw "arg0 bit 0"
 * program of generators/policy.ts) does not decide the executor's own calls. */
#define EXEC_FD 500
#define DETACHED_MAX 4 /* a tree's mounts: model/landlock/fstree.ts FS_MOUNTS_MAX */
#define DETACHED_FD(k) (EXEC_FD - 1 - (k)) /* 499 - k */
#define RET_FD 501 /* the returns page (chan.h: struct retpage), MAP_SHARED by every task */
#define CHAN_BASE 502
#define MAX_SLOTS 64
#define CHAN_FD(k) (CHAN_BASE + 2 * (k))
#define ABS_FD(k) (CHAN_FD(k) + 1)
#define FD_TOP ABS_FD(MAX_SLOTS - 1)
#define PARK_FD (FD_TOP + 1) /* where a fork's new channel waits for the child */
#define FD_LIMIT_MODEL DETACHED_FD(DETACHED_MAX - 1) /* 496: a model fd at or above this is an executor error */

#endif
