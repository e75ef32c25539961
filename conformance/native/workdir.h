/* The executor's private work directory, and the removal of those left by dead executors.
 *
 * Each executor makes <tmp>/strata-exec.<pid>.XXXXXX with mkdtemp(3) (mode 0700, created
 * exclusively) and, inside it, the marker file WORKDIR_MARKER (O_CREAT|O_EXCL) holding
 * "strata-exec <name> <pid> <pid namespace inode>". Only a directory that passes every check of
 * workdir_sweep() is ever removed, and removal never follows a symbolic link nor leaves the
 * directory's file system. */
#ifndef STRATA_WORKDIR_H
#define STRATA_WORKDIR_H

#include <stddef.h>

#define WORKDIR_PREFIX "strata-exec."
#define WORKDIR_MARKER ".strata-exec"

/* Create this process's work directory under `tmp`; its path in out. 0, or -1 with err set. */
int workdir_create(const char *tmp, char *out, size_t outlen, char *err, size_t errlen);

/* Remove everything inside `dir` except its marker. 0 when nothing else is left.
 * Async-signal-safe (openat, getdents64, unlinkat, fstatat, close). */
int workdir_empty(const char *dir);

/* Remove `dir` and everything in it. 0 when it is gone. Async-signal-safe. */
int workdir_remove(const char *dir);

/* Remove the work directories under `tmp` of dead executors: a directory is removed only if its
 * name is exactly strata-exec.<pid>.<6 letters or digits>, it is a directory and not a symbolic
 * link, it is owned by this process's effective uid with mode 0700, it holds a regular marker
 * file of that uid whose content names this very directory, the same pid and this pid
 * namespace, and that pid is not a live process (or is a zombie). */
void workdir_sweep(const char *tmp);

#endif
