/* Build, repair and remove the per-scenario model file system. Runs in the coordinator or the
 * executor (never sandboxed), with ordinary libc calls. */
#define _GNU_SOURCE
#include "fstree.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

void fstree_restore(const char *root, const struct scenario *sc, const char *made, const char *moved_from,
		    const char *moved_to)
{
	struct stat st;
	if (made && *made) remove_any(made);
	if (moved_to && *moved_to && !lstat(moved_to, &st) && lstat(moved_from, &st)) rename(moved_to, moved_from);
	char path[PATH_MAX];
	for (int i = 0; i < sc->nfs; i++) {
		snprintf(path, sizeof path, "%s%s", root, sc->fs[i].path);
		if (lstat(path, &st) && errno == ENOENT) make_entry(path, sc->fs[i].type);
	}
}
