/* The model file system (model/landlock/fstree.ts) as a real directory tree under a
 * per-scenario temporary directory: model path "/a/f" is <root>/a/f, and with the tree's mounts
 * (struct fsmount) a path under a bind mount's `at` is <root><at>/... (the kernel crosses the
 * mount), one under a detached mount's `at` is /proc/thread-self/fd/<DETACHED_FD(k)>/... */
#ifndef STRATA_FSTREE_H
#define STRATA_FSTREE_H

#include "proto.h"

/* Create every entry (parents first, implicitly). Files are empty with mode 0755 so that an
 * execve probe gets past the permission checks to ENOEXEC; devices are /dev/zero's 1:5.
 * Returns 0 or -errno, with the failing path in err. */
int fstree_build(const char *root, const struct scenario *sc, char *err, size_t errlen);

/* Why the scenario's mounts do not fit its tree (the model's validateFsTree, in short), or NULL. */
const char *fstree_mounts_check(const struct scenario *sc);

/* Make the tree's mounts, in order, in the coordinator's private mount namespace, before any
 * task is forked: each detached one's descriptor at DETACHED_FD(k), inherited by every task.
 * 0, or -errno with what failed in err. */
int fstree_mount(const char *root, const struct scenario *sc, char *err, size_t errlen);

/* Put back what a mutating probe changed: remove `made` if it exists (make_*, link), move
 * `moved_to` back to `moved_from` (rename), recreate missing tree entries (remove_*), and make
 * a mount anew whose source was replaced. 0, or -1 when a detached mount's source was replaced
 * (the tasks' copies of its descriptor still show the old one) or a mount could not be made
 * again: the reason is in g_tree_stale. */
int fstree_restore(const char *root, const struct scenario *sc, const char *made, const char *moved_from,
		   const char *moved_to);
/* Empty, or why the tree no longer matches the model's (later ops are skipped with it). */
extern char g_tree_stale[300];

/* The host path of model path `mp` (absolute): what a task or the coordinator passes to a call.
 * Uses the coordinator's g_root and S. */
void fstree_path(const char *mp, char *out, size_t n);
/* The tree entry model path `mp` names (its inode): `mp` with a mount's `at` prefix replaced by
 * its source ("/c/m/g" -> "/a/s/g"); `mp` itself when it is under no mount still mounted. */
void fstree_canon(const char *mp, char *out, size_t n);
/* The index of the tree's bind mount whose `at` is `mp`, while it is mounted, or -1. */
int fstree_bind_at(const char *mp);
/* The umount op unmounted the k-th mount (a bind mount): from then on fstree_canon no longer
 * maps through it (paths beneath its `at` are the tree's own, beneath an empty directory) and
 * fstree_restore does not bind it again. Reset by fstree_mount. */
void fstree_set_unmounted(int k);
/* Whether `mp` is a detached mount's root (its `at`). */
int fstree_detached_root(const char *mp);

#endif
