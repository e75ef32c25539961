/* The coordinator's side of a probe: where the request's paths and targets are, preparing
 * the target of an abstract-socket probe, putting the tree back after a mutating request, and
 * reading the outcome (returned, errno, trap, notification, kill). The task side is probe.c. */
#define _GNU_SOURCE
#include "ops.h"
#include "call.h"
#include "fstree.h"
#include "mounts.h"
#include "notify.h"
#include "features.h"
#include "safety.h"
#include "sys.h"
#include "task.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The host path of a model path (fstree.c: through the tree's mounts). */
static void model_path(const char *mp, char *out, size_t n)
{
	fstree_path(mp, out, n);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : "x";
}

/* whether a path has a ".." component */
static int has_dotdot(const char *p)
{
	for (const char *c = p; (c = strstr(c, "..")); c += 2)
		if ((c == p || c[-1] == '/') && (c[2] == 0 || c[2] == '/')) return 1;
	return 0;
}

static int is_make(int access)
{
	return access >= FA_MAKE_CHAR && access <= FA_MAKE_SYM;
}

/* Make the target's abstract listener (a bound datagram socket with `dgram`) under its current
 * credentials; the name goes to *name. */
static int prepare_abstract(int i, int mtid, int tt, char *name, size_t n, int dgram)
{
	struct task *tg = &T[tt];
	if (tg->mute) { emit(i, mtid, "error abstract_unix: the target task %d cannot make its listener: %s", tg->model_tid, MUTE_MESSAGE); return 1; }
	if (tg->strict && dgram) { emit(i, mtid, "skip abstract_unix dgram: the strict target has only the stream listener it made before strict mode"); return 1; }
	if (tg->strict) {
		if (!tg->absname[0]) { emit(i, mtid, "error abstract_unix: the strict target has no listener"); return 1; }
		snprintf(name, n, "%s", tg->absname);
		return 0;
	}
	/* the target's filters decide its listener's bind(2) (the executor's call, not the model's):
	 * a kill there is the generated filters' rare case, but a trap, where SIGSYS would not be
	 * delivered, kills it too (sigsys_op.c) and the model's target would live on */
	const char *kills = sigsys_trap_kills(tt);
	if (kills) { emit(i, mtid, "skip abstract_unix: the target task %d makes its listener under its own filters, which may trap its bind(2), and %s", tg->model_tid, kills); return 1; }
	snprintf(name, n, "strata-%d-%d-%d", (int)getpid(), tg->model_tid, ++g_absgen);
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_ABS_LISTEN;
	c.sub = dgram;
	c.chan = ABS_FD(tg->slot);
	snprintf(c.s1, sizeof c.s1, "%s", name);
	struct trep rep;
	int r = call(tg, &c, sizeof c, -1, &rep, NULL);
	if (r == CALL_TIMEOUT) { emit(i, mtid, "timeout %u", S->op_timeout_ms); return -1; }
	if (r == CALL_MUTE) { mark_mute(tt); emit(i, mtid, "error abstract_unix: the target task %d: %s", tg->model_tid, MUTE_MESSAGE); return 1; }
	if (r == CALL_DIED) {
		struct death d;
		char buf[64];
		int victim = tg->model_tid;
		classify_death(tt, &d);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "error abstract_unix: the target task %d died making its listener: %s", victim, buf);
		return 1;
	}
	if (rep.ret < 0 || rep.status) { emit(i, mtid, "error abstract_unix: the target's listener: errno %ld", -rep.ret); return 1; }
	return 0;
}

int g_disposable;

int probe_batchable(const struct op *o, struct tcmd *c)
{
	memset(c, 0, sizeof *c);
	c->cmd = TC_PROBE;
	c->flags = PROBE_DISPOSABLE;
	c->probe = o->probe;
	c->sub = o->sub;
	switch (o->probe) {
	case PR_SYS:
		if (probe_unsafe((unsigned long long)o->n[0], (unsigned long long)o->n[1], o->args)) return -1;
		if ((unsigned long long)o->n[1] != AUDIT_ARCH_X86_64_ && (unsigned long long)o->n[1] != AUDIT_ARCH_I386_) return -1;
		c->u[0] = (uint64_t)o->n[0];
		c->u[1] = (uint64_t)o->n[1];
		for (int k = 0; k < 6; k++) c->u[2 + k] = o->args[k];
		return 0;
	case PR_FS:
		/* requests that change the tree are made one by one: the tree is put back after each */
		if (o->sub == FA_REFER || is_make(o->sub) || o->sub == FA_REMOVE_DIR || o->sub == FA_REMOVE_FILE || o->s1[0] != '/') return -1;
		model_path(o->s1, c->s1, sizeof c->s1);
		return 0;
	case PR_NET:
		if (S->opt_netns && !g_net_ok) return -1;
		c->u[0] = (uint64_t)o->n[0];
		c->u[1] = (uint64_t)o->n[1];
		c->u[2] = (uint64_t)o->n[2];
		return 0;
	default:
		return -1;
	}
}

void probe_report(int i, int mtid, const struct trep *rep)
{
	if (rep->status == TR_PLUMBING) emit(i, mtid, "error %s: errno %ld", rep->msg, -rep->ret);
	else if (rep->x[0] == DISPOSABLE_DIED) emit(i, mtid, "probe killed process - 1");
	else if (rep->trapped) emit(i, mtid, "probe trap %d %d %u", rep->trap_data, rep->trap_nr, rep->trap_arch);
	else if (rep->ret < 0 && rep->ret >= -4095) emit(i, mtid, "probe errno %ld", -rep->ret);
	else emit(i, mtid, "probe returned %ld", rep->ret);
}

int op_probe(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_PROBE;
	c.flags = g_disposable ? PROBE_DISPOSABLE : 0;
	c.probe = o->probe;
	c.sub = o->sub;
	char made[PATH_MAX] = "", from[PATH_MAX] = "", moved[PATH_MAX] = "", kept[PATH_MAX] = "", keptat[PATH_MAX] = "";
	ino_t swapped[2] = {0, 0};
	int mutates = 0, remounts = 0;
	struct urg_watch urg = {0, 0, 0, 0};
	if (g_tree_stale[0]) { emit(i, mtid, "skip the tree no longer matches the model's: %s", g_tree_stale); return 0; }
	/* a detached mount's root is named /proc/thread-self/fd/N: removing or moving that name
	 * acts on procfs, which the model does not follow (model/landlock/detached-root.ts) */
	if ((o->probe == PR_RENAME || o->probe == PR_LINK || o->probe == PR_EXCHANGE) &&
	    (fstree_detached_root(o->s1) || (o->probe == PR_EXCHANGE && fstree_detached_root(o->s2)))) {
		emit(i, mtid, "invalid probe: %s of a detached mount's root (named through /proc/thread-self/fd) is not modelled",
		     o->probe == PR_RENAME ? "rename" : o->probe == PR_LINK ? "link" : "exchange");
		return 0;
	}
	switch (o->probe) {
	case PR_SYS: {
		const char *why = probe_unsafe((unsigned long long)o->n[0], (unsigned long long)o->n[1], o->args);
		if (why) { emit(i, mtid, "skip syscall %lld is not made on the host: %s", o->n[0], why); return 0; }
		if ((unsigned long long)o->n[1] != AUDIT_ARCH_X86_64_ && (unsigned long long)o->n[1] != AUDIT_ARCH_I386_) {
			emit(i, mtid, "skip arch 0x%llx: the executor makes x86_64 and i386 calls only", (unsigned long long)o->n[1]);
			return 0;
		}
		c.u[0] = (uint64_t)o->n[0];
		c.u[1] = (uint64_t)o->n[1];
		for (int k = 0; k < 6; k++) c.u[2 + k] = o->args[k];
		break;
	}
	case PR_FS: {
		if (o->sub == FA_REFER) { emit(i, mtid, "skip fs refer: REFER is exercised by rename and link requests"); return 0; }
		/* a relative path: walked as the model walks it (cwd.c), made as it is, so that the
		 * kernel resolves it from the task's cwd; the tree's bookkeeping uses the absolute one */
		char abs[CWD_MAX];
		int rel = o->s1[0] != '/';
		if (rel && g_supervised && has_dotdot(o->s1)) { emit(i, mtid, "invalid probe: a relative path with \"..\" in a supervised scenario is not modelled"); return 0; }
		const char *why = cwd_walk(G[t->g].cwd, o->s1, abs, sizeof abs);
		if (why) { emit(i, mtid, "invalid probe: %s", why); return 0; }
		if (o->sub == FA_REMOVE_DIR && removes_a_cwd(abs)) { emit(i, mtid, "invalid probe: removing a task's working directory is not modelled"); return 0; }
		if (o->sub == FA_REMOVE_DIR && fstree_detached_root(abs)) { emit(i, mtid, "invalid probe: removing %s, a detached mount's root (named through /proc/thread-self/fd), is not modelled", abs); return 0; }
		model_path(abs, c.s1, sizeof c.s1);
		if (is_make(o->sub)) {
			snprintf(made, sizeof made, "%.490s/strata.new", c.s1);
			if (rel) snprintf(c.s2, sizeof c.s2, "%.490s/strata.new", o->s1);
			else snprintf(c.s2, sizeof c.s2, "%.500s", made);
		}
		mutates = is_make(o->sub) || o->sub == FA_REMOVE_DIR || o->sub == FA_REMOVE_FILE;
		/* a removed file comes back as the same inode, through a hard link kept beside the
		 * tree: Landlock's rules are on inodes (landlock_append_fs_rule holds the object), so a
		 * file made anew would shed the rules beneath it that the model keeps on its path. The
		 * link is made from, and put back at, the tree's own path of the file (its canonical
		 * one): a link(2) across mounts is EXDEV (fs/namei.c:do_linkat) */
		if (o->sub == FA_REMOVE_FILE) {
			char canon[CWD_MAX];
			fstree_canon(abs, canon, sizeof canon);
			snprintf(kept, sizeof kept, "%.290s.keep", g_root);
			unlink(kept);
			model_path(canon, keptat, sizeof keptat);
			if (link(keptat, kept)) kept[0] = 0;
		}
		if (rel) snprintf(c.s1, sizeof c.s1, "%s", o->s1);
		break;
	}
	case PR_RENAME:
	case PR_LINK: {
		char to[TPATH];
		model_path(o->s1, c.s1, sizeof c.s1);
		model_path(o->s2, to, sizeof to);
		snprintf(c.s2, sizeof c.s2, "%.400s/%.60s.%s", to, base_name(o->s1), o->probe == PR_RENAME ? "moved" : "linked");
		if (o->probe == PR_RENAME) { snprintf(from, sizeof from, "%s", c.s1); snprintf(moved, sizeof moved, "%s", c.s2); }
		else snprintf(made, sizeof made, "%s", c.s2);
		mutates = 1;
		break;
	}
	case PR_EXCHANGE: {
		/* the entries' inodes before the call tell whether it swapped them (whatever the
		 * reply says: the task may die after the call) */
		struct stat a, b;
		model_path(o->s1, c.s1, sizeof c.s1);
		model_path(o->s2, c.s2, sizeof c.s2);
		if (!lstat(c.s1, &a) && !lstat(c.s2, &b) && a.st_ino != b.st_ino) { swapped[0] = a.st_ino; swapped[1] = b.st_ino; }
		mutates = 1;
		break;
	}
	case PR_MOUNT:
		if (!g_mount_ok) { emit(i, mtid, "skip mount: the coordinator has no private mount namespace"); return 0; }
		if (g_mounts_broken) { emit(i, mtid, "skip mount: the mount probe's directories could not be reset after an earlier mount probe"); return 0; }
		snprintf(c.s1, sizeof c.s1, "%.500s", g_mnt);
		mount_dir_of(o->sub, c.s2, sizeof c.s2);
		remounts = 1;
		break;
	case PR_SIGURG:
		if (sigurg_prepare(i, ti, o, &c, &urg)) return 0;
		break;
	case PR_NET:
		if (S->opt_netns && !g_net_ok) { emit(i, mtid, "skip net: no private network namespace"); return 0; }
		c.u[0] = (uint64_t)o->n[0];
		c.u[1] = (uint64_t)o->n[1];
		c.u[2] = (uint64_t)o->n[2];
		break;
	case PR_PROC: {
		static const char *const FILES[] = {"status", "environ", "mem", "ns/mnt"};
		int tt = resolve_ref(o->n[0]);
		/* environ: mm_access lets a perfmon_capable caller through without ptrace_may_access;
		 * the model's tasks keep CAP_PERFMON (model/landlock/procfs.ts) */
		if (o->sub == 1 && !g_cap_perfmon) { emit(i, mtid, "skip proc environ: the executor lacks CAP_PERFMON, so mm_access's check depends on each task's CAP_SYS_ADMIN, which the model does not follow here"); return 0; }
		if (o->sub == 1 && !environ_unchecked()) { emit(i, mtid, "skip proc environ: this kernel's mm_access asks ptrace_may_access of a perfmon_capable caller too (the model follows 6.18, which does not)"); return 0; }
		snprintf(c.s1, sizeof c.s1, "/proc/%d/%s", (int)T[tt].tid, FILES[o->sub]);
		break;
	}
	case PR_SIGNAL:
	case PR_PTRACE:
	case PR_ABSTRACT: {
		int tt = resolve_ref(o->n[0]);
		if (o->probe == PR_ABSTRACT && o->n[2]) {
			/* a listener the target holds, made earlier by unix_listen: nothing to prepare */
			unix_listener_name(tt, o->n[1], c.s1, sizeof c.s1);
		} else if (o->probe == PR_ABSTRACT) {
			int e = prepare_abstract(i, mtid, tt, c.s1, sizeof c.s1, o->sub);
			if (e) return e < 0 ? -1 : 0;
			if (T[ti].chan < 0) return 0; /* the target was the acting task, and it died */
		}
		c.u[0] = (uint64_t)T[tt].tid;
		break;
	}
	}
	struct trep rep;
	if (g_disposable) g_notif.tid = -1; /* the child's notification is the probe's */
	int r = call(t, &c, sizeof c, -1, &rep, NULL);
	if (kept[0]) {
		struct stat st;
		if (lstat(keptat, &st) && errno == ENOENT) link(kept, keptat);
		unlink(kept);
	}
	if (swapped[0]) {
		struct stat a, b;
		if (!lstat(c.s1, &a) && !lstat(c.s2, &b) && a.st_ino == swapped[1] && b.st_ino == swapped[0])
			renameat2(AT_FDCWD, c.s1, AT_FDCWD, c.s2, RENAME_EXCHANGE);
	}
	if (mutates) fstree_restore(g_root, S, made, from, moved);
	if (remounts) mount_reset();
	if (r == CALL_DIED && g_disposable) {
		struct death d;
		char buf[64];
		classify_death(ti, &d);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "error the task itself died while its disposable child probed: %s", buf);
		return 0;
	}
	if (r == CALL_DIED) {
		struct death d;
		char buf[64];
		classify_death(ti, &d);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "probe killed %s", buf);
		return 0;
	}
	int s = settle(i, mtid, ti, r, &rep);
	if (s) return s < 0 ? -1 : 0;
	if (o->probe == PR_SIGURG && !rep.trapped && !g_notif.seen && sigurg_observe(i, mtid, &urg, &rep)) return 0;
	/* the disposable child is its process's only thread: a kill of either scope ends it */
	if (g_disposable && rep.x[0] == DISPOSABLE_DIED && !rep.trapped) emit(i, mtid, "probe killed process - 1");
	else if (g_notif.seen) emit(i, mtid, "probe notify %d %ld", g_notif.listener, rep.ret < 0 ? -rep.ret : 0);
	else if (rep.trapped) emit(i, mtid, "probe trap %d %d %u", rep.trap_data, rep.trap_nr, rep.trap_arch);
	else if (rep.ret < 0 && rep.ret >= -4095) emit(i, mtid, "probe errno %ld", -rep.ret);
	else emit(i, mtid, "probe returned %ld", rep.ret);
	return 0;
}
