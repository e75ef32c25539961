/* The model file system (model/landlock/fstree.ts) as a real directory tree under a
 * per-scenario temporary directory: model path "/a/f" is <root>/a/f. */
#ifndef STRATA_FSTREE_H
#define STRATA_FSTREE_H

#include "proto.h"

/* Create every entry (parents first, implicitly). Files are empty with mode 0755 so that an
 * execve probe gets past the permission checks to ENOEXEC; devices are /dev/zero's 1:5.
 * Returns 0 or -errno, with the failing path in err. */
int fstree_build(const char *root, const struct scenario *sc, char *err, size_t errlen);

/* Put back what a mutating probe changed: remove `made` if it exists (make_*, link), move
 * `moved_to` back to `moved_from` (rename), recreate missing tree entries (remove_*). */
void fstree_restore(const char *root, const struct scenario *sc, const char *made, const char *moved_from,
		    const char *moved_to);

#endif
