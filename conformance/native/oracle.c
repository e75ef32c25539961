/* The Landlock layer-count oracle: Landlock shows no layer count anywhere, but a domain holds
 * at most LANDLOCK_MAX_NUM_LAYERS layers and one more restrict fails with E2BIG
 * (security/landlock/ruleset.c:landlock_merge_ruleset). A throw-away child of the task (same
 * cred, so the same domain: security/landlock/cred.c:hook_cred_prepare) stacks MAKE_BLOCK-only
 * layers until E2BIG; the count is 16 minus how many fitted. */
#define _GNU_SOURCE
#include "task.h"
#include "sys.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static char g_oracle_stack[64 * 1024] __attribute__((aligned(16)));

static long oracle_child(long unused)
{
	(void)unused;
	sc5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	struct ll_ruleset_attr a = {LL_ACCESS_FS_MAKE_BLOCK, 0, 0};
	long fd = sc3(NR_landlock_create_ruleset, &a, sizeof a, 0);
	if (fd < 0) return 100 + (-fd & 127);
	long fits = 0;
	for (;;) {
		long e = sc2(NR_landlock_restrict_self, fd, 0);
		if (e == 0) {
			if (++fits > LL_LAYERS_MAX) return 99;
			continue;
		}
		if (e == -E2BIG) return fits;
		return 100 + (-e & 127);
	}
}

/* The throw-away child shares the task's memory and runs while the task waits
 * (CLONE_VM|CLONE_VFORK, much cheaper than a fork); its seccomp state and credentials are its
 * own copies (kernel/fork.c:copy_seccomp, copy_creds), so its restricts touch nothing else.
 * Results below 0: -1000-errno (the oracle's own call failed), -2000-signal (the throw-away
 * child was killed, e.g. by a seccomp filter of the task). */
long layer_count(void)
{
	long pid = clone_on_stack(CLONE_VM | CLONE_VFORK | SIGCHLD, g_oracle_stack + sizeof g_oracle_stack, NULL, oracle_child, 0);
	if (pid < 0) return -1000 + pid;
	int st = 0;
	long w;
	do w = sc4(SYS_wait4, pid, &st, __WALL, 0);
	while (w == -EINTR);
	if (w < 0) return -1000 + w;
	if (WIFSIGNALED(st)) return -2000 - WTERMSIG(st);
	int code = WEXITSTATUS(st);
	if (code == 99) return -1000 - EOVERFLOW;
	if (code >= 100) return -1000 - (code - 100);
	return LL_LAYERS_MAX - code;
}
