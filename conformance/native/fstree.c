/* Build, repair and remove the per-scenario model file system. Runs in the coordinator or the
 * executor (never sandboxed), with ordinary libc calls. */
#define _GNU_SOURCE
#include "fstree.h"
#include "book.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define NR_open_tree 428
#define OPEN_TREE_CLONE_ 1 /* include/uapi/linux/mount.h */

char g_tree_stale[300];

/* Bit k: the umount op unmounted the tree's k-th mount (a bind mount; umount_op.c). */
static unsigned g_unmounted;

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/') continue;
		*p = 0;
		int e = mkdir(path, 0755);
		*p = '/';
		if (e && errno != EEXIST) return -errno;
	}
	return 0;
}

static int make_entry(const char *path, char type)
{
	switch (type) {
	case 'd':
		if (mkdir(path, 0755) && errno != EEXIST) return -errno;
		return chmod(path, 0755) ? -errno : 0;
	case 'f': {
		int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
		if (fd < 0) return -errno;
		close(fd);
		return chmod(path, 0755) ? -errno : 0;
	}
	case 'c':
		if (mknod(path, S_IFCHR | 0666, makedev(1, 5)) && errno != EEXIST) return -errno;
		return 0;
	}
	return -EINVAL;
}

int fstree_build(const char *root, const struct scenario *sc, char *err, size_t errlen)
{
	char path[PATH_MAX];
	for (int i = 0; i < sc->nfs; i++) {
		if (snprintf(path, sizeof path, "%s%s", root, sc->fs[i].path) >= (int)sizeof path) {
			snprintf(err, errlen, "path too long: %s", sc->fs[i].path);
			return -ENAMETOOLONG;
		}
		int e = mkdir_p(path);
		if (!e) e = make_entry(path, sc->fs[i].type);
		if (e) {
			snprintf(err, errlen, "cannot create %s: %s", sc->fs[i].path, strerror(-e));
			return e;
		}
	}
	return 0;
}

static void remove_any(const char *path)
{
	struct stat st;
	if (lstat(path, &st)) return;
	if (S_ISDIR(st.st_mode)) rmdir(path);
	else unlink(path);
}

/* ---- the tree's mounts ---- */

/* The rest of `mp` after `at` ("" or "/x/y") when mp is `at` or lies beneath it, else NULL. */
static const char *beneath(const char *mp, const char *at)
{
	size_t n = strlen(at);
	if (strncmp(mp, at, n) != 0 || (mp[n] != 0 && mp[n] != '/')) return NULL;
	return mp + n;
}

static char type_of(const struct scenario *sc, const char *p)
{
	for (int k = 0; k < sc->nfs; k++)
		if (strcmp(sc->fs[k].path, p) == 0) return sc->fs[k].type;
	return 0;
}

const char *fstree_mounts_check(const struct scenario *sc)
{
	static char why[300];
	for (int k = 0; k < sc->nmounts; k++) {
		const struct fsmount *m = &sc->mounts[k];
		for (int j = 0; j < k; j++)
			if (strcmp(sc->mounts[j].at, m->at) == 0) { snprintf(why, sizeof why, "mount %.100s: two mounts there", m->at); return why; }
		if (type_of(sc, m->source) != 'd') { snprintf(why, sizeof why, "mount %.100s: its source %.100s is not a directory of the tree", m->at, m->source); return why; }
		if (m->detached) {
			if (type_of(sc, m->at)) { snprintf(why, sizeof why, "detached mount %.100s: an entry of the tree has that name", m->at); return why; }
			continue;
		}
		if (type_of(sc, m->at) != 'd') { snprintf(why, sizeof why, "bind mount %.100s: not a directory of the tree", m->at); return why; }
		for (int j = 0; j < sc->nfs; j++)
			if (beneath(sc->fs[j].path, m->at) && strcmp(sc->fs[j].path, m->at) != 0) { snprintf(why, sizeof why, "bind mount %.100s: the mount point has entries", m->at); return why; }
	}
	return NULL;
}

/* fs/namespace.c:open_tree with OPEN_TREE_CLONE and no AT_RECURSIVE: a copy of the one mount at
 * `src`, attached nowhere, at descriptor `at`. No OPEN_TREE_CLOEXEC: the tasks' exec keeps it. */
static int open_detached(const char *src, int at)
{
	long fd = syscall(NR_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE_);
	if (fd < 0) return -errno;
	int e = fd == at || dup2((int)fd, at) == at ? 0 : -errno;
	if (fd != at) close((int)fd);
	return e;
}

/* fs/namespace.c:do_mount with MS_BIND and no MS_REC (do_loopback): the one mount's view of
 * `src` on `at`; no submount of src comes along, as in the model. */
static int bind_mount(const char *src, const char *at)
{
	return mount(src, at, NULL, MS_BIND, NULL) ? -errno : 0;
}

int fstree_mount(const char *root, const struct scenario *sc, char *err, size_t errlen)
{
	char src[PATH_MAX], at[PATH_MAX];
	g_unmounted = 0;
	for (int k = 0, d = 0; k < sc->nmounts; k++) {
		const struct fsmount *m = &sc->mounts[k];
		snprintf(src, sizeof src, "%s%s", root, m->source);
		int e;
		if (m->detached) {
			int fd = DETACHED_FD(d++);
			/* the number must be free: it is the executor's (sys.h), nothing else may hold it */
			if (fcntl(fd, F_GETFD) >= 0) e = -EBUSY;
			else e = open_detached(src, fd);
		} else {
			snprintf(at, sizeof at, "%s%s", root, m->at);
			e = bind_mount(src, at);
		}
		if (e) {
			if (m->detached) snprintf(err, errlen, "open_tree(OPEN_TREE_CLONE) of %s (the detached mount %s): %s", m->source, m->at, strerror(-e));
			else snprintf(err, errlen, "bind mount of %s on %s: %s", m->source, m->at, strerror(-e));
			return e;
		}
	}
	return 0;
}

void fstree_path(const char *mp, char *out, size_t n)
{
	/* thread-self, not self: /proc/<tgid>/fd is gone once the group's leader exited, while
	 * its other threads, which share the descriptor table, live on */
	for (int k = 0, d = 0; k < S->nmounts; k++) {
		if (!S->mounts[k].detached) continue;
		const char *rest = beneath(mp, S->mounts[k].at);
		if (rest) { snprintf(out, n, "/proc/thread-self/fd/%d%s", DETACHED_FD(d), rest); return; }
		d++;
	}
	snprintf(out, n, "%s%s", g_root, strcmp(mp, "/") ? mp : "");
}

void fstree_canon(const char *mp, char *out, size_t n)
{
	/* a mount's `at` has no entry beneath it and a source is an entry: one replacement. An
	 * unmounted one's `at` is the tree's empty directory again */
	for (int k = 0; k < S->nmounts; k++) {
		if (g_unmounted >> k & 1) continue;
		const char *rest = beneath(mp, S->mounts[k].at);
		if (rest) { snprintf(out, n, "%s%s", S->mounts[k].source, rest); return; }
	}
	snprintf(out, n, "%s", mp);
}

int fstree_bind_at(const char *mp)
{
	for (int k = 0; k < S->nmounts; k++)
		if (!S->mounts[k].detached && !(g_unmounted >> k & 1) && strcmp(S->mounts[k].at, mp) == 0) return k;
	return -1;
}

void fstree_set_unmounted(int k)
{
	g_unmounted |= 1u << k;
}

int fstree_detached_root(const char *mp)
{
	for (int k = 0; k < S->nmounts; k++)
		if (S->mounts[k].detached && strcmp(S->mounts[k].at, mp) == 0) return 1;
	return 0;
}

static int same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* A mount whose source directory was removed (an empty one) and made anew shows the removed one:
 * a bind mount is made again (the mount namespace is shared by every task); a detached one's
 * descriptor too, but only the coordinator's copy: each task holds its own. */
static int remount(const char *root, const struct scenario *sc)
{
	char src[PATH_MAX], at[PATH_MAX];
	struct stat a, b;
	int ok = 0;
	for (int k = 0, d = 0; k < sc->nmounts; k++) {
		const struct fsmount *m = &sc->mounts[k];
		int fd = m->detached ? DETACHED_FD(d++) : -1;
		if (g_unmounted >> k & 1) continue; /* the umount op's: not bound again */
		snprintf(src, sizeof src, "%s%s", root, m->source);
		if (stat(src, &b)) continue;
		if (m->detached) {
			if (!fstat(fd, &a) && same_inode(&a, &b)) continue;
			open_detached(src, fd);
			snprintf(g_tree_stale, sizeof g_tree_stale, "the source %.60s of the detached mount %.60s was removed and made anew; the tasks' descriptors still show the removed one", m->source, m->at);
			ok = -1;
			continue;
		}
		snprintf(at, sizeof at, "%s%s", root, m->at);
		if (!stat(at, &a) && same_inode(&a, &b)) continue;
		umount2(at, MNT_DETACH);
		int e = bind_mount(src, at);
		if (e) {
			snprintf(g_tree_stale, sizeof g_tree_stale, "the bind mount of %.60s on %.60s could not be made again: %s", m->source, m->at, strerror(-e));
			ok = -1;
		}
	}
	return ok;
}

int fstree_restore(const char *root, const struct scenario *sc, const char *made, const char *moved_from,
		   const char *moved_to)
{
	struct stat st;
	if (made && *made) remove_any(made);
	if (moved_to && *moved_to && !lstat(moved_to, &st) && lstat(moved_from, &st)) rename(moved_to, moved_from);
	char path[PATH_MAX];
	/* entries are canonical paths: a path beneath a bind mount's `at` is none */
	for (int i = 0; i < sc->nfs; i++) {
		snprintf(path, sizeof path, "%s%s", root, sc->fs[i].path);
		if (lstat(path, &st) && errno == ENOENT) make_entry(path, sc->fs[i].type);
	}
	return sc->nmounts ? remount(root, sc) : 0;
}
