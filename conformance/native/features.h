#ifndef STRATA_FEATURES_H
#define STRATA_FEATURES_H

#include <stdio.h>

/* Exit code of "strata-exec --selftest-exec": the exec path through the memfd works. */
#define SELFTEST_EXEC_CODE 42

/* What the executor knows of its own set-up: the image an exec runs ("task": build/strata-task,
 * "self": a copy of the executor, "none") and its work directory. */
struct exec_env {
	const char *exec_image;
	const char *workdir;
};

/* Print "feature <key> <value>" lines and "end" (detected once, then cached). */
void features_print(FILE *out, const struct exec_env *env);
/* The executor's effective capability set (capget(2)). */
unsigned long long cap_effective(void);
/* Whether a sandboxed perfmon_capable task opens the /proc/<pid>/environ of a process outside its
 * Landlock domain (mm_access skipping ptrace_may_access, as on 6.18); run once, in a child. */
int environ_unchecked(void);
/* Whether Landlock records the caller's domain on F_SETOWN(-pgrp) when the caller heads its
 * process group's task list (control_current_fowner's fix for PIDTYPE_PGID owners, as 6.18 has
 * it and the model follows); run once, in a child. */
int fown_group_recorded(void);

#endif
