/* The working directory (model/task/cwd.ts). Each group keeps the model path of its cwd (the
 * fs_struct its threads share; a fork copies it, ops.c); the first task starts at the tree's
 * root (coord.c). A relative path is walked here first, as the model walks it, to tell whether
 * the model follows it (no `..` above the tree's root, no empty component: otherwise the step
 * is invalid and no call is made) and where it ends, for the tree's bookkeeping. The call itself
 * is made with the relative path, so that the kernel resolves it from the task's own cwd and
 * answers a failed lookup (ENOENT, ENOTDIR) itself. */
#define _GNU_SOURCE
#include "ops.h"
#include "call.h"
#include "fstree.h"

#include <stdio.h>
#include <string.h>

/* The type of the tree's entry that model path p names ('d' for the root and a detached
 * mount's root), or 0: through a mount, the type of its canonical entry (fstree.h). */
static char entry_type(const char *p)
{
	if (strcmp(p, "/") == 0 || fstree_detached_root(p)) return 'd';
	char canon[CWD_MAX];
	fstree_canon(p, canon, sizeof canon);
	for (int k = 0; k < S->nfs; k++)
		if (strcmp(S->fs[k].path, canon) == 0) return S->fs[k].type;
	return 0;
}

/* Whether the component c (len bytes) names a detached mount at the tree's root ("/d"). */
static int detached_name(const char *c, size_t len)
{
	char p[CWD_MAX];
	p[0] = '/';
	memcpy(p + 1, c, len);
	p[len + 1] = 0;
	return fstree_detached_root(p);
}

const char *cwd_walk(const char *cwd, const char *path, char *abs, size_t n)
{
	static char why[640];
	if (path[0] == '/') { snprintf(abs, n, "%s", path); return NULL; }
	char at[CWD_MAX];
	snprintf(at, sizeof at, "%s", cwd);
	const char *c = path;
	while (*c) {
		const char *end = strchr(c, '/');
		size_t len = end ? (size_t)(end - c) : strlen(c);
		if (len == 0) { snprintf(why, sizeof why, "the relative path \"%.200s\" has an empty component", path); return why; }
		if (len == 1 && c[0] == '.') {
			/* stays */
		} else if (len == 2 && c[0] == '.' && c[1] == '.') {
			/* at a detached mount's root `..` stays: no mount point to go up to
			 * (fs/namei.c:follow_dotdot), as model/task/cwd.ts:walkFrom says */
			if (fstree_detached_root(at)) {
				/* stays */
			} else if (strcmp(at, "/") == 0) {
				snprintf(why, sizeof why, "the relative path \"%.200s\" climbs above the scenario's tree from %.200s", path, cwd);
				return why;
			} else {
				char *s = strrchr(at, '/');
				if (s == at) at[1] = 0;
				else *s = 0;
			}
		} else if (strcmp(at, "/") == 0 && len < CWD_MAX - 1 && detached_name(c, len)) {
			/* a detached mount's name is no entry of the tree's root: the kernel's lookup fails
			 * (ENOENT), and the model's walk does not reach it either (walkFrom): no path */
			abs[0] = 0;
			return NULL;
		} else {
			size_t l = strlen(at);
			if (l + len + 2 > sizeof at) { snprintf(why, sizeof why, "the relative path \"%.200s\" is too long", path); return why; }
			if (strcmp(at, "/") != 0) at[l++] = '/';
			memcpy(at + l, c, len);
			at[l + len] = 0;
		}
		if (!end) break;
		c = end + 1;
		if (!*c) { snprintf(why, sizeof why, "the relative path \"%.200s\" has an empty component", path); return why; }
	}
	snprintf(abs, n, "%s", at);
	return NULL;
}

int removes_a_cwd(const char *abs)
{
	/* a directory is an inode: through a mount another path names it ("/c/m" is "/a/s") */
	char canon[CWD_MAX], other[CWD_MAX];
	fstree_canon(abs, canon, sizeof canon);
	if (strcmp(canon, "/") == 0 || entry_type(abs) != 'd') return 0;
	int cwd = 0;
	for (int k = 0; k < nlive && !cwd; k++) {
		fstree_canon(G[T[live[k]].g].cwd, other, sizeof other);
		cwd = strcmp(other, canon) == 0;
	}
	if (!cwd) return 0;
	size_t n = strlen(canon);
	for (int k = 0; k < S->nfs; k++)
		if (strncmp(S->fs[k].path, canon, n) == 0 && S->fs[k].path[n] == '/') return 0; /* not empty: ENOTEMPTY */
	return 1;
}

int op_chdir(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	char abs[CWD_MAX];
	const char *why = cwd_walk(G[t->g].cwd, o->s1, abs, sizeof abs);
	if (why) { emit(i, mtid, "invalid chdir: %s", why); return 0; }
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_CHDIR;
	if (o->s1[0] == '/') fstree_path(o->s1, c.s1, sizeof c.s1);
	else snprintf(c.s1, sizeof c.s1, "%s", o->s1);
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret == 0) snprintf(G[t->g].cwd, sizeof G[t->g].cwd, "%s", abs);
	emit_ret(i, mtid, rep.ret);
	return 0;
}
