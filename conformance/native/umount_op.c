/* The coordinator's side of the umount op: the task calls umount2(path, 0) itself, under its own
 * filters and domain (fs/namespace.c:ksys_umount → path_umount: can_umount, then do_umount).
 * A bind mount of the tree that it unmounted is left unmounted for the rest of the scenario
 * (fstree.c); a detached mount's name is /proc/thread-self/fd/N, outside the namespace
 * (check_mnt: EINVAL).
 *
 * do_umount's busy check (propagate_mount_busy) counts every reference to the mount: only the
 * tasks' working directories may hold one, as in the model. Before the call the coordinator
 * waits for the executor's own children of the tasks to be gone (below), and skips the op when
 * an executor descriptor left in a task's table holds the mount. */
#define _GNU_SOURCE
#include "ops.h"
#include "book.h"
#include "call.h"
#include "fstree.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_live_leader(pid_t pid)
{
	for (int k = 0; k < nlive; k++)
		if (G[T[live[k]].g].tgid == pid) return 1;
	return 0;
}

/* A process in the children file `path` that is no live task and still runs (not a zombie), or 0. */
static pid_t other_child(const char *path)
{
	char buf[4096], stat[80], st[512];
	FILE *f = fopen(path, "re");
	if (!f) return 0; /* no CONFIG_PROC_CHILDREN, or the thread is gone */
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	for (char *p = buf, *end; *p; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p) break;
		if (pid <= 0 || is_live_leader((pid_t)pid)) continue;
		snprintf(stat, sizeof stat, "/proc/%ld/stat", pid);
		FILE *s = fopen(stat, "re");
		if (!s) continue;
		size_t l = fread(st, 1, sizeof st - 1, s);
		fclose(s);
		st[l] = 0;
		char *rp = strrchr(st, ')');
		if (rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X') return (pid_t)pid;
	}
	return 0;
}

/* A child of a live task (or of the coordinator, once orphaned) that is no task and still runs,
 * or 0: a disposable or layer-oracle child (clone(CLONE_VM|CLONE_VFORK)). Its parent resumes at
 * its mm_release (kernel/exit.c:do_exit → exit_mm), before exit_files, exit_fs and the deferred
 * fput drop the descriptors and the working directory it held on the mount. */
static pid_t executor_child(void)
{
	char path[80];
	pid_t pid;
	for (int k = 0; k < nlive; k++) {
		const struct task *t = &T[live[k]];
		snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)G[t->g].tgid, (int)t->tid);
		if ((pid = other_child(path))) return pid;
	}
	snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)gettid());
	return other_child(path);
}

/* A descriptor of a live group whose file is on the mount `mnt_id` (fdinfo's mnt_id), or -1;
 * its task in *ti. No model descriptor is a file of the tree: it is the executor's (a probe's, or
 * a rule's O_PATH one, that a thread killed before closing it or a filter left behind). */
static int executor_fd(unsigned long long mnt_id, int *ti)
{
	char path[80], line[128];
	for (int k = 0; k < nlive; k++) {
		int seen = 0; /* one thread per group: they share the table */
		for (int j = 0; j < k; j++) seen |= T[live[j]].g == T[live[k]].g;
		if (seen) continue;
		/* the thread's own id: a leader that exited has no files for /proc/<tgid>/fd */
		snprintf(path, sizeof path, "/proc/%d/fdinfo", (int)T[live[k]].tid);
		DIR *d = opendir(path);
		if (!d) continue;
		struct dirent *e;
		int found = -1;
		while (found < 0 && (e = readdir(d))) {
			if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
			snprintf(path, sizeof path, "/proc/%d/fdinfo/%.20s", (int)T[live[k]].tid, e->d_name);
			FILE *f = fopen(path, "re");
			if (!f) continue;
			unsigned long long id;
			while (fgets(line, sizeof line, f))
				if (sscanf(line, "mnt_id: %llu", &id) == 1) {
					if (id == mnt_id) found = atoi(e->d_name);
					break;
				}
			fclose(f);
		}
		closedir(d);
		if (found >= 0) { *ti = live[k]; return found; }
	}
	return -1;
}

/* 0 when only the tasks' own state can hold the k-th mount (mounted at host path `at`), else 1
 * with the step's result written. */
static int executor_holds(int i, int mtid, const char *at)
{
	/* a vfork child's exit is quick: half the op's time at most, the call needs the rest */
	long long until = now_ms() + remaining_ms() / 2;
	pid_t pid;
	while ((pid = executor_child()) && now_ms() < until) usleep(500);
	if (pid) {
		emit(i, mtid, "skip umount: the executor's child %d of a task (a disposable probe or the layer oracle) has not exited, and may hold the mount", (int)pid);
		return 1;
	}
	struct statx stx;
	if (statx(AT_FDCWD, at, 0, STATX_MNT_ID, &stx) || !(stx.stx_mask & STATX_MNT_ID)) return 0;
	int ti, fd = executor_fd(stx.stx_mnt_id, &ti);
	if (fd >= 0) {
		emit(i, mtid, "skip umount: the executor's descriptor %d, left in task %d's table (a thread killed before it closed it, or a filter that kept it), holds the mount", fd, T[ti].model_tid);
		return 1;
	}
	return 0;
}

int op_umount(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	/* without the private namespace the tree's mounts were never made and the call would
	 * act on the host's */
	if (!g_mount_ok) { emit(i, mtid, "skip umount: the coordinator has no private mount namespace"); return 0; }
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_UMOUNT;
	fstree_path(o->s1, c.s1, sizeof c.s1);
	int k = fstree_bind_at(o->s1);
	if (k >= 0 && executor_holds(i, mtid, c.s1)) return 0;
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret == 0) {
		if (k >= 0) fstree_set_unmounted(k);
		else snprintf(g_tree_stale, sizeof g_tree_stale, "umount of %.100s succeeded, which is no bind mount of the tree", o->s1);
	}
	emit_ret(i, mtid, rep.ret);
	return 0;
}
