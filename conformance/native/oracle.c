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

static char g_oracle_stack[64 * 1024] __attribute__((aligned(16)));
/* The child's answer, in the memory it shares with the task: how many layers fitted, or
 * 100 + errno. Tasks ignore SIGCHLD, so there is no exit status to collect. */
static volatile long g_oracle_result;

static long oracle_child(long unused)
{
	(void)unused;
	struct ll_ruleset_attr a = {LL_ACCESS_FS_MAKE_BLOCK, 0, 0};
	long fd = sc3(NR_landlock_create_ruleset, &a, sizeof a, 0);
	if (fd < 0) return g_oracle_result = 100 + (-fd & 127);
	long fits = 0;
	for (;;) {
		long e = sc2(NR_landlock_restrict_self, fd, 0);
		if (e == -EPERM && fits == 0) {
			/* neither NNP nor CAP_SYS_ADMIN: this throw-away child may set NNP */
			sc5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
			e = sc2(NR_landlock_restrict_self, fd, 0);
		}
		if (e == 0) {
			if (++fits > LL_LAYERS_MAX) return g_oracle_result = 99;
			continue;
		}
		if (e == -E2BIG) return g_oracle_result = fits;
		return g_oracle_result = 100 + (-e & 127);
	}
}

/* The throw-away child shares the task's memory and runs while the task waits
 * (CLONE_VM|CLONE_VFORK, much cheaper than a fork); its seccomp state and credentials are its
 * own copies (kernel/fork.c:copy_seccomp, copy_creds), so its restricts touch nothing else.
 * It makes clone(CLONE_VM|CLONE_VFORK|SIGCHLD) in the task, then landlock_create_ruleset,
 * landlock_restrict_self (and prctl(NO_NEW_PRIVS) without privilege) in the child: calls the
 * task's filters see. Results below 0: -1000-errno (a call failed), -2000 (the child died
 * before answering, e.g. killed by a filter), -3000 (a filter's RET_ERRNO(0) skipped the clone). */
long layer_count(void)
{
	g_oracle_result = -1;
	long pid = clone_on_stack(CLONE_VM | CLONE_VFORK | SIGCHLD, g_oracle_stack + sizeof g_oracle_stack, NULL, oracle_child, 0);
	if (pid < 0) return -1000 + pid;
	if (pid == 0) return -3000; /* the clone was skipped (a filter's RET_ERRNO with data 0) */
	long code = g_oracle_result;
	if (code < 0) return -2000;
	if (code == 99) return -1000 - EOVERFLOW;
	if (code >= 100) return -1000 - (code - 100);
	return LL_LAYERS_MAX - code;
}
