/* strata-vm-guard PPID PROGRAM ARGS...: exec PROGRAM (qemu-system-x86_64) so that it dies with
 * the process that started it. Node starts QEMU through this: should Node itself be killed
 * (SIGKILL, the OOM killer), the kernel sends SIGKILL to QEMU as its parent goes
 * (PR_SET_PDEATHSIG, kernel/exit.c:forget_original_parent), so no guest outlives its run.
 * PPID closes the race of a parent that died before prctl: then it exits at once. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: strata-vm-guard PPID PROGRAM [ARGS...]\n");
		return 2;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL)) {
		perror("strata-vm-guard: prctl(PR_SET_PDEATHSIG)");
		return 127;
	}
	if (getppid() != (pid_t)atol(argv[1])) return 127; /* the parent is already gone */
	execvp(argv[2], argv + 2);
	fprintf(stderr, "strata-vm-guard: cannot run %s: ", argv[2]);
	perror(NULL);
	return 127;
}
