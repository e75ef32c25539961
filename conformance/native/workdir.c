/* The executor's private work directory (see workdir.h). Removal works on directory
 * descriptors only: every entry is looked at with fstatat(AT_SYMLINK_NOFOLLOW), directories are
 * opened with O_NOFOLLOW|O_DIRECTORY and entered only on the same device, everything else is
 * unlinked, so a symbolic link is removed as a link and never followed. */
#define _GNU_SOURCE
#include "workdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 32

static int empty_fd(int fd, dev_t dev, int depth, int keep_marker);

/* Remove the entry `name` of directory `dirfd` (recursively for a directory on `dev`). */
static int remove_at(int dirfd, const char *name, dev_t dev, int depth)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW)) return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode)) return unlinkat(dirfd, name, 0) && errno != ENOENT ? -1 : 0;
	if (st.st_dev != dev || depth > MAX_DEPTH) return -1; /* another file system: left alone */
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) return errno == ENOENT ? 0 : -1;
	struct stat again;
	int left = fstat(fd, &again) || again.st_dev != st.st_dev || again.st_ino != st.st_ino;
	if (!left) left = empty_fd(fd, dev, depth + 1, 0) != 0;
	close(fd);
	if (!left && unlinkat(dirfd, name, AT_REMOVEDIR) && errno != ENOENT) left = 1;
	return left ? -1 : 0;
}

/* Remove every entry of the open directory `fd` (but WORKDIR_MARKER if keep_marker). Entries
 * are read with getdents64 until a pass finds nothing more to remove. */
static int empty_fd(int fd, dev_t dev, int depth, int keep_marker)
{
	char buf[2048];
	int left = 0;
	for (int pass = 0; pass < 8; pass++) {
		int removed = 0;
		left = 0;
		if (lseek(fd, 0, SEEK_SET) < 0) return -1;
		for (;;) {
			ssize_t n = getdents64(fd, buf, sizeof buf);
			if (n < 0) return -1;
			if (n == 0) break;
			for (ssize_t off = 0; off < n;) {
				struct dirent64 *d = (struct dirent64 *)(buf + off);
				off += d->d_reclen;
				if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) continue;
				if (keep_marker && !strcmp(d->d_name, WORKDIR_MARKER)) continue;
				if (remove_at(fd, d->d_name, dev, depth)) left = 1;
				else removed = 1;
			}
		}
		if (!removed) break;
	}
	return left ? -1 : 0;
}

/* Open `dir` (no symbolic link) and its parent; the last component in *name. */
static int open_parent(const char *dir, char *parent, size_t len, const char **name)
{
	size_t n = strlen(dir);
	if (n == 0 || n >= len) return -1;
	memcpy(parent, dir, n + 1);
	char *slash = strrchr(parent, '/');
	if (!slash || !slash[1]) return -1;
	*name = dir + (slash - parent) + 1;
	if (slash == parent) slash[1] = 0;
	else *slash = 0;
	return open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int workdir_empty(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) return -1;
	struct stat st;
	int e = fstat(fd, &st) ? -1 : empty_fd(fd, st.st_dev, 0, 1);
	close(fd);
	return e;
}

int workdir_remove(const char *dir)
{
	char parent[512];
	const char *name;
	int pfd = open_parent(dir, parent, sizeof parent, &name);
	if (pfd < 0) return -1;
	struct stat st;
	int e = -1;
	if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW)) e = errno == ENOENT ? 0 : -1;
	else if (S_ISDIR(st.st_mode)) e = remove_at(pfd, name, st.st_dev, 0);
	close(pfd);
	return e;
}

static unsigned long long pidns_inode(void)
{
	struct stat st;
	return stat("/proc/self/ns/pid", &st) ? 0 : (unsigned long long)st.st_ino;
}

int workdir_create(const char *tmp, char *out, size_t outlen, char *err, size_t errlen)
{
	if (snprintf(out, outlen, "%s/" WORKDIR_PREFIX "%d.XXXXXX", tmp, (int)getpid()) >= (int)outlen) {
		snprintf(err, errlen, "the temporary directory's path is too long: %s", tmp);
		return -1;
	}
	if (!mkdtemp(out)) {
		snprintf(err, errlen, "cannot create a directory in %s: %s", tmp, strerror(errno));
		return -1;
	}
	char line[256];
	int n = snprintf(line, sizeof line, "strata-exec %s %d %llu\n", strrchr(out, '/') + 1, (int)getpid(), pidns_inode());
	int dfd = open(out, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd = dfd < 0 ? -1 : openat(dfd, WORKDIR_MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int ok = fd >= 0 && write(fd, line, (size_t)n) == n;
	if (fd >= 0) close(fd);
	if (dfd >= 0) close(dfd);
	if (!ok) {
		snprintf(err, errlen, "cannot write %s/%s: %s", out, WORKDIR_MARKER, strerror(errno));
		workdir_remove(out);
		return -1;
	}
	return 0;
}

/* strata-exec.<digits>.<6 of [A-Za-z0-9]> exactly (mkdtemp's suffix); the pid in *pid. */
static int name_matches(const char *name, int *pid)
{
	const char *p = name + strlen(WORKDIR_PREFIX);
	if (strncmp(name, WORKDIR_PREFIX, strlen(WORKDIR_PREFIX))) return 0;
	long v = 0;
	const char *d = p;
	while (*p >= '0' && *p <= '9' && p - d < 10) v = v * 10 + (*p++ - '0');
	if (p == d || *p != '.' || v <= 0 || v > 0x7fffffff) return 0;
	p++;
	for (int k = 0; k < 6; k++, p++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return 0;
	}
	if (*p) return 0;
	*pid = (int)v;
	return 1;
}

static int is_zombie(int pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* The marker in the open directory `fd` names this directory, `pid` and our pid namespace. */
static int marker_ok(int fd, const char *name, int pid)
{
	int mfd = openat(fd, WORKDIR_MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (mfd < 0) return 0;
	struct stat st;
	char got[256], want[256];
	int ok = !fstat(mfd, &st) && S_ISREG(st.st_mode) && st.st_uid == geteuid() && st.st_size < (off_t)sizeof got;
	ssize_t n = ok ? read(mfd, got, sizeof got - 1) : -1;
	close(mfd);
	if (n <= 0) return 0;
	got[n] = 0;
	snprintf(want, sizeof want, "strata-exec %.40s %d %llu\n", name, pid, pidns_inode());
	return !strcmp(got, want);
}

void workdir_sweep(const char *tmp)
{
	int tfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tfd < 0) return;
	int lfd = dup(tfd);
	DIR *d = lfd < 0 ? NULL : fdopendir(lfd);
	if (!d) {
		if (lfd >= 0) close(lfd);
		close(tfd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		int pid;
		if (!name_matches(e->d_name, &pid) || pid == (int)getpid()) continue;
		if (kill(pid, 0) == 0 ? !is_zombie(pid) : errno != ESRCH) continue; /* alive, or not ours to ask */
		struct stat st;
		if (fstatat(tfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(st.st_mode)) continue;
		if (st.st_uid != geteuid() || (st.st_mode & 07777) != 0700) continue;
		int fd = openat(tfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) continue;
		struct stat again;
		int ok = !fstat(fd, &again) && again.st_dev == st.st_dev && again.st_ino == st.st_ino && marker_ok(fd, e->d_name, pid);
		if (ok && !empty_fd(fd, st.st_dev, 1, 0)) unlinkat(tfd, e->d_name, AT_REMOVEDIR);
		close(fd);
	}
	closedir(d);
	close(tfd);
}
