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

#include <stdio.h>
#include <string.h>

/* The type of the tree's entry at model path p ('d' for the root), or 0. */
static char entry_type(const char *p)
{
	if (strcmp(p, "/") == 0) return 'd';
	for (int k = 0; k < S->nfs; k++)
		if (strcmp(S->fs[k].path, p) == 0) return S->fs[k].type;
	return 0;
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
			if (strcmp(at, "/") == 0) { snprintf(why, sizeof why, "the relative path \"%.200s\" climbs above the scenario's tree from %.200s", path, cwd); return why; }
			char *s = strrchr(at, '/');
			if (s == at) at[1] = 0;
			else *s = 0;
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
	if (strcmp(abs, "/") == 0 || entry_type(abs) != 'd') return 0;
	int cwd = 0;
	for (int k = 0; k < nlive && !cwd; k++) cwd = strcmp(G[T[live[k]].g].cwd, abs) == 0;
	if (!cwd) return 0;
	size_t n = strlen(abs);
	for (int k = 0; k < S->nfs; k++)
		if (strncmp(S->fs[k].path, abs, n) == 0 && S->fs[k].path[n] == '/') return 0; /* not empty: ENOTEMPTY */
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
	if (o->s1[0] == '/') snprintf(c.s1, sizeof c.s1, "%.300s%.200s", g_root, strcmp(o->s1, "/") ? o->s1 : "");
	else snprintf(c.s1, sizeof c.s1, "%s", o->s1);
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (rep.ret == 0) snprintf(G[t->g].cwd, sizeof G[t->g].cwd, "%s", abs);
	emit_ret(i, mtid, rep.ret);
	return 0;
}
