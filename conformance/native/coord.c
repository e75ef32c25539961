/* The per-scenario coordinator (see coord.h): the scenario's namespaces and tree, the
 * initial task, then one op after another (bookkeeping: book.c; talking to tasks: call.c; the
 * ops: ops.c, probe_op.c). */
#define _GNU_SOURCE
#include "coord.h"
#include "features.h"
#include "book.h"
#include "call.h"
#include "fstree.h"
#include "mounts.h"
#include "netns.h"
#include "notify.h"
#include "ops.h"
#include "ptrace_op.h"
#include "sys.h"
#include "task.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* The op kinds' names, in the order of proto.h's enum. */
const char *const OP_NAMES[] = {
	"fork", "thread", "exec", "exit", "set_nnp", "drop_cap", "compromise", "seccomp_strict",
	"seccomp_filter", "ruleset_create", "ruleset_add_rule", "restrict_self", "send_fd", "close_fd",
	"probe", "observe", "skip", "ptrace_attach", "ptrace_traceme", "ptrace_setoptions", "ptrace_response",
	"ptrace_get_filter", "notif_supervise", "notif_recv", "notif_send", "notif_id_valid",
	"notif_addfd", "notif_set_flags", "notif_sizes", "notif_poll", "notif_return", "seccomp_action_avail",
	"fd_call", "keyctl", "socketpair", "fown_set", "unix_listen", "chdir",
	"umount", "sigsys", "setpgid",
};

/* The task the last op resolved to (for the observe's table), or -1. */
static int g_last_ti = -1;

static int run_op(int i)
{
	g_last_ti = -1;
	const struct op *o = &S->ops[i];
	g_deadline = now_ms() + S->op_timeout_ms;
	int ti;
	if (o->has_pin) {
		ti = find_live_tid(o->pin);
		if (ti < 0) { emit(i, 0, "invalid %s: task %lld is not alive", OP_NAMES[o->kind], o->pin); return 0; }
	} else {
		ti = resolve_ref(o->task);
		if (ti < 0) { emit(i, 0, "invalid %s: no live task", OP_NAMES[o->kind]); return 0; }
	}
	int mtid = T[ti].model_tid;
	g_last_ti = ti;
	if (o->kind == OP_SKIP) { emit(i, mtid, "skip %s", o->s1); return 0; }
	if (g_tree_stale[0]) { emit(i, mtid, "skip the tree no longer matches the model's: %s", g_tree_stale); return 0; }
	if (o->kind == OP_COMPROMISE) { emit(i, mtid, "ok 0"); return 0; } /* no kernel effect */
	if (notif_guard(i, ti, o)) return 0;
	if (T[ti].mute && o->kind != OP_OBSERVE) { emit(i, mtid, "error %s", MUTE_MESSAGE); return 0; }
	if (o->kind == OP_PTRACE_RESPONSE) return op_ptrace_response(i, ti, o); /* no syscall */
	if (o->kind == OP_NOTIF_SUPERVISE || o->kind == OP_NOTIF_RETURN) return op_notif(i, ti, o);
	/* the task's tracer watches for its stops during the op (ptrace_op.c); one that cannot
	 * (strict mode, deaf) would leave a stopped task waiting: the op is not run. */
	int tracer = tracer_arm(ti, o->kind == OP_PROBE);
	if (tracer == -2) { emit(i, mtid, "skip a tracer of the task's thread group cannot watch for stops (strict mode, or it no longer answers)"); return 0; }
	listeners_take();
	memset(&g_notif, 0, sizeof g_notif);
	g_notif.tid = T[ti].tid;
	g_in_probe = o->kind == OP_PROBE;
	g_notif_nr = o->kind == OP_PROBE && o->probe == PR_SYS ? o->n[0] : -1;
	int ret = 0;
	switch (o->kind) {
	case OP_FORK: ret = op_fork(i, ti, 0); break;
	case OP_THREAD: ret = op_fork(i, ti, 1); break;
	case OP_EXEC: ret = op_exec(i, ti); break;
	case OP_EXIT: ret = op_exit(i, ti); break;
	case OP_SET_NNP:
	case OP_DROP_CAP: ret = op_cred(i, ti, o->kind); break;
	case OP_STRICT: ret = op_strict(i, ti); break;
	case OP_FILTER: ret = op_filter(i, ti, o); break;
	case OP_RULESET_CREATE: ret = op_ruleset_create(i, ti, o); break;
	case OP_ADD_RULE: ret = op_add_rule(i, ti, o); break;
	case OP_RESTRICT: ret = op_restrict(i, ti, o); break;
	case OP_SEND_FD: ret = op_send_fd(i, ti, o); break;
	case OP_CLOSE_FD: ret = op_close_fd(i, ti, o); break;
	case OP_ACTION_AVAIL: ret = op_action_avail(i, ti, o); break;
	case OP_FD_CALL: ret = op_fd_call(i, ti, o); break;
	case OP_KEYCTL: ret = op_keyctl(i, ti, o); break;
	case OP_SOCKETPAIR: ret = op_socketpair(i, ti, o); break;
	case OP_FOWN_SET: ret = op_fown_set(i, ti, o); break;
	case OP_UNIX_LISTEN: ret = op_unix_listen(i, ti, o); break;
	case OP_CHDIR: ret = op_chdir(i, ti, o); break;
	case OP_UMOUNT: ret = op_umount(i, ti, o); break;
	case OP_SIGSYS: ret = op_sigsys(i, ti, o); break;
	case OP_SETPGID: ret = op_setpgid(i, ti, o); break;
	case OP_PROBE: ret = op_probe(i, ti, o); break;
	case OP_OBSERVE: ret = op_observe(i, ti); break;
	case OP_PTRACE_ATTACH: ret = op_ptrace_attach(i, ti, o); break;
	case OP_PTRACE_TRACEME: ret = op_ptrace_traceme(i, ti); break;
	case OP_PTRACE_SETOPTIONS: ret = op_ptrace_request(i, ti, o, 0); break;
	case OP_PTRACE_GET_FILTER: ret = op_ptrace_request(i, ti, o, o->n[2] ? 2 : 1); break;
	default: ret = op_notif(i, ti, o); break;
	}
	listeners_drop();
	if (tracer == 0) tracer_disarm();
	return ret;
}

static int start_initial(char *err, size_t errlen)
{
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp)) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(sp[0]);
		task_start_initial(sp[1], S->nnp, S->cap, S->ndetached);
	}
	close(sp[1]);
	int ti = new_task(pid, 0, sp[0], 0);
	new_group(ti, pid);
	return 0;
}

int coord_main(const struct scenario *sc, const char *base, int out, int netns_fd)
{
	S = sc;
	g_out = out;
	ptrace_reset();
	keyctl_reset();
	socket_reset();
	snprintf(g_root, sizeof g_root, "%.256s/root", base);
	int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	dup2(nul, 0);
	dup2(nul, 1);
	close(nul);
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl); /* SIGSYS kills dump core otherwise (kernel/seccomp.c) */
	prctl(PR_SET_CHILD_SUBREAPER, 1); /* orphaned task processes come back here */
	signal(SIGPIPE, SIG_IGN);
	/* The coordinator leads the scenario's session and is a member of the process group the
	 * tasks start in (the executor made it so), which tasks may leave (setpgid). So it receives
	 * what is sent to that group: a group-owned socket's SIGURG (SIG_DFL: ignored, so discarded
	 * when sent, kernel/signal.c:sig_ignored — it interrupts nothing), and, should the group
	 * become orphaned while a member is stopped (a mute task: call.c:mark_mute), the SIGCONT of
	 * kernel/exit.c:kill_orphaned_pgrp and, where a kernel sends its SIGHUP to the whole group
	 * (6.18.44 was seen sending it to the stopped members only), a SIGHUP that would kill it.
	 * SIGHUP stays blocked here; the initial task sets its own mask (task.c), so no task
	 * inherits that. */
	signal(SIGURG, SIG_DFL);
	sigset_t hup, urg;
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	sigprocmask(SIG_BLOCK, &hup, NULL);
	sigemptyset(&urg);
	sigaddset(&urg, SIGURG);
	sigprocmask(SIG_UNBLOCK, &urg, NULL);
	/* The scenario's own mount namespace, with a tmpfs over the work directory: the tree lives
	 * there only (cheaper than ext4, and gone with the namespace), and mount probes cannot
	 * reach the host's mounts. Without it the tree is built on the host file system. */
	g_mount_ok = unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
		     mount("strata", base, "tmpfs", MS_NOSUID, "mode=0755,size=8m") == 0;
	if (sc->opt_netns) g_net_ok = netns_enter(netns_fd) == 0;
	g_cap_perfmon = (int)(cap_effective() >> 38 & 1); /* CAP_PERFMON */
	char err[256] = "";
	int e = 0;
	if (mkdir(g_root, 0755) && errno != EEXIST) {
		e = -errno;
		snprintf(err, sizeof err, "cannot create the tree's root: %s", strerror(errno));
	} else if ((e = mounts_setup(base))) {
		snprintf(err, sizeof err, "cannot prepare the mount probe's directories: %s", strerror(-e));
	}
	if (!e) e = fstree_build(g_root, sc, err, sizeof err);
	/* the tree's mounts: in the private mount namespace only (never on the host's); without
	 * it, or when the kernel refuses one, no op is run: each is a skip with the reason */
	char skip[300] = "";
	const char *bad = sc->nmounts ? fstree_mounts_check(sc) : NULL;
	if (!e && bad) {
		e = -EINVAL;
		snprintf(err, sizeof err, "%s", bad);
	} else if (!e && sc->nmounts && !g_mount_ok) {
		snprintf(skip, sizeof skip, "the tree's mounts need the coordinator's private mount namespace, which it could not make (unshare(CLONE_NEWNS) needs CAP_SYS_ADMIN)");
	} else if (!e && sc->nmounts && fstree_mount(g_root, sc, err, sizeof err)) {
		snprintf(skip, sizeof skip, "the tree's mounts could not be made: %s", err);
	}
	if (skip[0]) {
		for (int i = 0; i < sc->nops; i++) emit(i, 0, "skip %s", skip);
		return 0;
	}
	/* every task starts at the tree's root, the model's cwd "/" (model/task/cwd.ts) */
	if (!e && chdir(g_root)) {
		e = -errno;
		snprintf(err, sizeof err, "cannot enter the tree's root: %s", strerror(errno));
	}
	if (!e) e = start_initial(err, sizeof err);
	if (e) {
		for (int i = 0; i < sc->nops; i++) emit(i, 0, "error scenario setup: %s", err);
		return 1;
	}
	for (int i = 0; i < sc->nops; i++) {
		int r = run_op(i);
		/* a full-table observe of the observed task, after its observe */
		if (r == 0 && sc->opt_table && sc->ops[i].kind == OP_OBSERVE && g_last_ti >= 0 && !T[g_last_ti].mute) {
			/* a traced task's stops during its table (a disposable child's clone may be
			 * trapped): its group's tracers serve, as during its ops */
			int armed = tracer_arm(g_last_ti, 0);
			r = table_observe(i, g_last_ti);
			if (armed == 0) tracer_disarm();
		}
		if (r < 0) {
			for (int j = i + 1; j < sc->nops; j++) emit(j, 0, "notrun an earlier operation timed out");
			return 0;
		}
	}
	/* the end of the scenario: a full-table observe of every live task */
	if (sc->opt_table) {
		/* task by task, each with its group's tracers serving (a tracer is never commanded
		 * for its own entries while it serves) */
		int order[MAX_TASKS], n = nlive;
		memcpy(order, live, sizeof(int) * (size_t)n);
		for (int k = 0; k < n; k++) {
			int ti = order[k], still = 0;
			for (int j = 0; j < nlive; j++) still |= live[j] == ti;
			if (!still || T[ti].mute) continue;
			int armed = tracer_arm(ti, 0);
			int r = table_observe(-1, ti);
			if (armed == 0) tracer_disarm();
			if (r < 0) break;
		}
	}
	return 0;
}
