/* strata-exec: runs strata scenarios on the live kernel.
 *
 * One long-lived process serving Node (conformance/runner.ts) over stdin/stdout: one request
 * per scenario, one reply (grammar: conformance/protocol.md). The executor itself is never
 * sandboxed: for each scenario it forks a coordinator in a new session (and process group),
 * which runs the model's tasks as its own disposable children. The executor enforces the
 * scenario deadline, kills the whole session with SIGKILL afterwards (its process group, then
 * every process of the session found in /proc: tasks may have moved to process groups of their
 * own), reaps every process of it (it is the child subreaper, so orphans come back to it) and
 * removes the scenario's temporary directory.
 *
 *   strata-exec                  serve requests on stdin
 *   strata-exec --features       print the feature lines and exit
 *   strata-exec --bench N        run the one scenario read from stdin N times, no protocol
 *   strata-exec --sweep          remove the work directories of dead executors (workdir.h)
 *   strata-exec --task FD        (internal) the exec'd helper image of a task */
#define _GNU_SOURCE
#include "native/coord.h"
#include "native/features.h"
#include "native/netns.h"
#include "native/proto.h"
#include "native/sys.h"
#include "native/task.h"
#include "native/workdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char g_tmp[200];
static char g_work[256]; /* <tmp>/strata-exec.<pid>.XXXXXX: each scenario's tree is built under it */
static pid_t g_self;
static const char *g_exec_image = "none";
/* The running scenario's coordinator: the id of its session and of its first process group,
 * for the termination handler. */
static volatile sig_atomic_t g_scenario_pgid;

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

struct buf {
	char *d;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->d = realloc(b->d, b->cap);
		if (!b->d) abort();
	}
	memcpy(b->d + b->len, s, n);
	b->len += n;
	b->d[b->len] = 0;
}

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_add(b, tmp, n < (int)sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* The session's processes, for kill_and_reap: async-signal-safe (raw getdents64 on an
 * O_DIRECTORY descriptor, open and read of /proc/<pid>/stat; no opendir, no stdio). */

/* A decimal number at *p, which is advanced past it; -1 when there is none. */
static long parse_num(const char **p, const char *end)
{
	const char *q = *p;
	int neg = 0;
	if (q < end && *q == '-') { neg = 1; q++; }
	if (q >= end || *q < '0' || *q > '9') return -1;
	long v = 0;
	while (q < end && *q >= '0' && *q <= '9') v = v * 10 + (*q++ - '0');
	*p = q;
	return neg ? -v : v;
}

/* The parent and the session of process `pid` (fields 4 and 6 of /proc/<pid>/stat, counted
 * after the last ')' of the command name): 0, or -1 when it is gone or unreadable. */
static int proc_ppid_sid(const char *pid, long *ppid, long *sid)
{
	char path[48] = "/proc/", buf[512];
	size_t n = 6;
	for (const char *c = pid; *c && n < sizeof path - 6; c++) path[n++] = *c;
	memcpy(path + n, "/stat", 6);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	ssize_t r = read(fd, buf, sizeof buf);
	close(fd);
	if (r <= 0) return -1;
	const char *end = buf + r, *p = NULL;
	for (const char *c = buf; c < end; c++)
		if (*c == ')') p = c;
	if (!p) return -1;
	p++;
	/* ") <state> <ppid> <pgrp> <session>" */
	for (int field = 3; field <= 6; field++) {
		while (p < end && *p == ' ') p++;
		if (field == 3) { if (p < end) p++; continue; } /* the state letter */
		long v = parse_num(&p, end);
		if (v < 0) return -1;
		if (field == 4) *ppid = v;
		if (field == 6) { *sid = v; return 0; }
	}
	return -1;
}

/* Whether process `pid` descends from this executor: its chain of parents reaches getpid().
 * The executor is the child subreaper of every scenario process (has_child_subreaper is
 * inherited), so each one alive, or a zombie, has such a chain; another executor's, or any
 * other process that came to have the same session id, does not. */
static int descends_from_me(long pid)
{
	long me = getpid();
	for (int depth = 0; depth < 64 && pid > 1; depth++) {
		char num[24];
		int k = 0;
		char tmp[24];
		long v = pid;
		do tmp[k++] = (char)('0' + v % 10); while ((v /= 10) && k < 20);
		for (int j = 0; j < k; j++) num[j] = tmp[k - 1 - j];
		num[k] = 0;
		long ppid = -1, sid = -1;
		if (proc_ppid_sid(num, &ppid, &sid) < 0) return 0;
		if (ppid == me) return 1;
		pid = ppid;
	}
	return 0;
}

struct linux_dirent64_ {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* SIGKILL every process of session `sid` that descends from this executor (processes only:
 * /proc lists thread groups, and a signal to a process reaches its threads, through a zombie
 * leader too): how many were found (zombies included), or -1 when /proc cannot be read. The
 * descent is checked because `sid` may be stale: once the coordinator is reaped and the whole
 * session gone, its number is free, and with pid_max at 32768 and thousands of forks a second
 * (a full table's disposable children) another executor's coordinator can get it (seen:
 * `strata conform --workers 2` and two test files at once killed each other's scenarios). */
static int session_kill(pid_t sid)
{
	int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) return -1;
	static char d[8192] __attribute__((aligned(8))); /* only the executor's one thread scans */
	int found = 0;
	for (;;) {
		long n = sc3(SYS_getdents64, dfd, d, sizeof d);
		if (n <= 0) break;
		for (long off = 0; off < n;) {
			struct linux_dirent64_ *e = (struct linux_dirent64_ *)(d + off);
			off += e->d_reclen;
			const char *q = e->d_name;
			long pid = parse_num(&q, e->d_name + 16);
			long ppid = -1, psid = -1;
			if (pid <= 0 || *q || proc_ppid_sid(e->d_name, &ppid, &psid) < 0 || psid != sid) continue;
			if (!descends_from_me(pid)) continue;
			found++;
			kill((pid_t)pid, SIGKILL);
		}
	}
	close(dfd);
	return found;
}

static long long mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Reap every child of the executor as it exits (woken by SIGCHLD, which the caller blocks),
 * until none was reaped for 1 ms (or for a second in all): 1 once it has none left (ECHILD).
 * The coordinator's status goes to *coord_status (and *coord_reaped is set). */
static int reap_children(pid_t coord, int *coord_status, int *coord_reaped)
{
	long long start = mono_ns(), idle_from = start;
	for (;;) {
		int st;
		pid_t w = waitpid(-1, &st, __WALL | WNOHANG);
		if (w > 0) {
			if (w == coord) {
				*coord_status = st;
				*coord_reaped = 1;
			}
			idle_from = mono_ns();
			continue;
		}
		if (w < 0 && errno == EINTR) continue;
		if (w < 0) return errno == ECHILD;
		long long now = mono_ns(), left = idle_from + 1000000 - now;
		if (start + 1000000000LL - now < left) left = start + 1000000000LL - now;
		if (left <= 0) return 0;
		struct timespec ts = {0, (long)left};
		unsigned long chld = 1UL << (SIGCHLD - 1);
		sc4(SYS_rt_sigtimedwait, &chld, NULL, &ts, 8);
	}
}

/* Kill the scenario's session and reap all of it: 0 when nothing of it remains. The
 * coordinator made itself a session leader (setsid), so its pid `sid` is the id of its session
 * and of the process group the scenario starts in. Tasks may leave that group (the setpgid op)
 * but not the session. Each round kills the group and the coordinator while the coordinator is
 * not reaped, and from the second round on every process of the session found in /proc that
 * descends from the executor, then reaps every child of the executor as they exit, until none
 * has for 1 ms.
 *
 * Done when the executor has no child left (ECHILD): every process of the session descends
 * from the coordinator, and the executor is the child subreaper of all of them
 * (has_child_subreaper is inherited), so a process of the session still alive, or a zombie, has
 * a chain of live parents up to the executor (or is its child): none is left once the executor
 * has no child. Nothing is sent to the group `sid` once the coordinator is reaped: its pid, and
 * with it the group's and the session's id, may then belong to another executor's scenario
 * (the /proc scan checks descent for the same reason). The first round makes no /proc scan
 * (~8 us a process): tasks exit when their channel closes with the coordinator, so usually
 * nothing outlives it; one that does (stopped, asleep in a notified call, or spinning on a
 * denied read) keeps a child of the executor alive and is found by the next round's scan.
 * Async-signal-safe: on_terminate calls this too. */
static int kill_and_reap(pid_t sid, pid_t coord, int *coord_status)
{
	unsigned long chld = 1UL << (SIGCHLD - 1), old = 0;
	sc4(SYS_rt_sigprocmask, SIG_BLOCK, &chld, &old, 8);
	int done = 0, reaped = 0;
	/* 50 rounds, and on for up to 2 s while something is still dying: a SIGKILLed process
	 * exits once it next runs, which on a loaded machine can take longer than 50 rounds of
	 * 1 ms. 2 s stays within the Node side's grace after the scenario deadline
	 * (conformance/runner.ts graceMs). */
	long long give_up = mono_ns() + 2000000000LL;
	for (int round = 0; !done && (round < 50 || mono_ns() < give_up); round++) {
		/* the coordinator unreaped (alive or a zombie) holds its pid: `sid` is still ours */
		if (!reaped) {
			kill(-sid, SIGKILL);
			if (coord > 1) kill(coord, SIGKILL); /* should it not have become the session leader */
		}
		if (round > 0) session_kill(sid);
		done = reap_children(coord, coord_status, &reaped);
	}
	sc4(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
	return done ? 0 : -1;
}

/* The coordinator `pid` has made itself a session leader: it says so on `sync` (one byte, after
 * its setsid), and getsid(pid) == pid confirms. 0; -1 when it died first (end of file) or did
 * not within 2 s. */
static int await_session(pid_t pid, int sync)
{
	long long deadline = now_us() + 2000000;
	for (;;) {
		long long left = deadline - now_us();
		if (left <= 0) return -1;
		struct pollfd p = {sync, POLLIN, 0};
		int n = poll(&p, 1, (int)((left + 999) / 1000));
		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) return -1;
		char b;
		ssize_t r = read(sync, &b, 1);
		if (r < 0 && errno == EINTR) continue;
		return r == 1 && getsid(pid) == pid ? 0 : -1;
	}
}

/* Everything inside the work directory but its marker, gone: 0 when it is empty again. */
static int empty_workdir(void)
{
	return workdir_empty(g_work);
}

/* Run one scenario and write its reply. */
static void run_scenario(const struct scenario *sc, FILE *out)
{
	/* a feature a coordinator needs, detected once here (a child, a few ms, outside the
	 * scenario's time) rather than once per coordinator */
	for (int k = 0; k < sc->nops; k++)
		if (sc->ops[k].kind == OP_FOWN_SET && sc->ops[k].n[2] == 2) {
			fown_group_recorded();
			break;
		}
	long long t0 = now_us();
	struct buf lines = {0};
	const char *status = "ok";
	char why[256] = "";
	int coord_status = -1, dirty_procs = 0;
	pid_t pid = -1;
	int pfd[2] = {-1, -1}, spfd[2] = {-1, -1};
	if (pipe2(pfd, O_CLOEXEC) || pipe2(spfd, O_CLOEXEC)) {
		status = "error";
		snprintf(why, sizeof why, "pipe: %s", strerror(errno));
		goto done;
	}
	int netns_fd = sc->opt_netns ? netns_shared() : -1;
	pid = fork();
	if (pid < 0) {
		status = "error";
		snprintf(why, sizeof why, "fork: %s", strerror(errno));
		goto done;
	}
	if (pid == 0) {
		/* first: a session leader, so the leader of a process group with its pid too. Tasks
		 * may leave that group (the setpgid op) but not the session (safety.c: no setsid) */
		if (setsid() < 0 || write(spfd[1], "s", 1) != 1) _exit(1);
		close(spfd[0]);
		close(spfd[1]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		close(pfd[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != g_self) _exit(1);
		_exit(coord_main(sc, g_work, pfd[1], netns_fd));
	}
	g_scenario_pgid = pid;
	close(pfd[1]);
	pfd[1] = -1;
	close(spfd[1]);
	spfd[1] = -1;
	/* not before it leads its session and process group: Node kills that process group itself
	 * should the executor die or stop answering */
	if (await_session(pid, spfd[0])) {
		status = "error";
		snprintf(why, sizeof why, "the coordinator did not become a session leader (setsid)");
		goto done;
	}
	fprintf(out, "started %s %d\n", sc->id, (int)pid);
	fflush(out);
	long long deadline = t0 + (long long)sc->scen_timeout_ms * 1000;
	for (;;) {
		long long left = deadline - now_us();
		if (left <= 0) {
			status = "timeout";
			break;
		}
		struct pollfd p = {pfd[0], POLLIN, 0};
		int n = poll(&p, 1, (int)((left + 999) / 1000));
		if (n < 0 && errno == EINTR) continue;
		if (n < 0) break;
		if (p.revents) {
			char tmp[4096];
			ssize_t r = read(pfd[0], tmp, sizeof tmp);
			if (r < 0 && errno == EINTR) continue;
			if (r <= 0) break;
			buf_add(&lines, tmp, (size_t)r);
		}
	}
done:
	if (pid > 0 && kill_and_reap(pid, pid, &coord_status)) dirty_procs = 1;
	g_scenario_pgid = 0;
	for (int k = 0; k < 2; k++) {
		if (pfd[k] >= 0) close(pfd[k]);
		if (spfd[k] >= 0) close(spfd[k]);
	}
	/* The tree lived in a tmpfs of the scenario's mount namespace, which died with its last
	 * process; only a fallback tree on the host file system is left to remove here. */
	int dirty_dir = empty_workdir() != 0;
	/* keep only complete lines; count the ops answered */
	int answered = 0;
	size_t keep = 0;
	for (size_t k = 0, start = 0; k < lines.len; k++) {
		if (lines.d[k] != '\n') continue;
		if (lines.d[start] == 'r') answered++; /* "t" lines are full-table entries, not ops */
		keep = k + 1;
		start = k + 1;
	}
	lines.len = keep;
	if (answered > sc->nops) answered = sc->nops;
	if (!strcmp(status, "ok") && answered < sc->nops) {
		status = "error";
		if (coord_status >= 0 && WIFSIGNALED(coord_status))
			snprintf(why, sizeof why, "the coordinator died of signal %d", WTERMSIG(coord_status));
		else if (!why[0])
			snprintf(why, sizeof why, "the coordinator ended before answering every op");
	}
	for (int i = answered; i < sc->nops; i++) {
		if (i == answered && !strcmp(status, "timeout"))
			buf_printf(&lines, "r %d 0 timeout %u scenario\n", i, sc->scen_timeout_ms);
		else if (i == answered && why[0])
			buf_printf(&lines, "r %d 0 error %s\n", i, why);
		else
			buf_printf(&lines, "r %d 0 notrun %s\n", i, !strcmp(status, "timeout") ? "the scenario timed out" : "an earlier operation failed");
	}
	char cleanup[64];
	snprintf(cleanup, sizeof cleanup, "%s", dirty_procs && dirty_dir ? "dirty:processes,tempdir"
						 : dirty_procs ? "dirty:processes"
						 : dirty_dir ? "dirty:tempdir" : "clean");
	fprintf(out, "result %s %s %lld %s\n", sc->id, status, now_us() - t0, cleanup);
	if (lines.len) fwrite(lines.d, 1, lines.len, out);
	fputs("end\n", out);
	fflush(out);
	free(lines.d);
}

/* The image for exec: a memfd copy, at EXEC_FD, of build/strata-task (beside this binary),
 * or of this (static) binary when the libc-free helper was not built. */
static const char *setup_exec_fd(void)
{
	char self[PATH_MAX], helper[PATH_MAX + 16];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	int src = -1;
	if (len > 0) {
		self[len] = 0;
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(helper, sizeof helper, "%s/strata-task", self);
			src = open(helper, O_RDONLY | O_CLOEXEC);
		}
	}
	const char *image = "task";
	if (src < 0) {
		src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		image = "self";
	}
	int mfd = memfd_create("strata-task", 0x10 /* MFD_EXEC */);
	if (mfd < 0) mfd = memfd_create("strata-task", 0);
	if (src < 0 || mfd < 0) {
		if (src >= 0) close(src);
		if (mfd >= 0) close(mfd);
		return "none";
	}
	char b[65536];
	ssize_t n;
	while ((n = read(src, b, sizeof b)) > 0)
		if (write(mfd, b, (size_t)n) != n) break;
	close(src);
	dup2(mfd, EXEC_FD);
	close(mfd);
	return image;
}

/* The returns page (chan.h: struct retpage) at RET_FD: every task inherits the mapping (fork)
 * or maps the descriptor again (exec). Without it a task's return is known from its reply only. */
static void setup_returns(void)
{
	int fd = memfd_create("strata-returns", 0);
	if (fd < 0) return;
	if (ftruncate(fd, 4096) == 0 && dup2(fd, RET_FD) == RET_FD) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, RET_FD, 0);
		if (p != MAP_FAILED) g_ret = p;
	}
	close(fd);
}

static void remove_workdir(void)
{
	if (g_self == getpid() && g_work[0]) workdir_remove(g_work);
}

/* SIGINT, SIGTERM, SIGHUP (a cancelled CI job signals the whole process group): kill the
 * running scenario's session, remove the work directory, then die of the signal.
 * Only async-signal-safe calls (kill, waitpid, open, read, getdents64, rt_sigprocmask,
 * rt_sigtimedwait, clock_gettime, and workdir.c's). */
static void on_terminate(int sig)
{
	if (getpid() == g_self) {
		int st;
		pid_t pg = g_scenario_pgid;
		if (pg > 1) kill_and_reap(pg, pg, &st);
		if (g_work[0]) workdir_remove(g_work);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_terminate_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_terminate;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void set_tmp(void)
{
	const char *t = getenv("TMPDIR");
	if (!t || !*t || strlen(t) >= sizeof g_tmp) t = "/tmp";
	snprintf(g_tmp, sizeof g_tmp, "%s", t);
}

static void setup(void)
{
	g_self = getpid();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	set_tmp();
	struct rlimit rl;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 1024) {
		rl.rlim_cur = rl.rlim_max < 1024 ? rl.rlim_max : 1024;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	g_exec_image = setup_exec_fd();
	setup_returns();
	on_terminate_install();
	workdir_sweep(g_tmp);
	char err[512];
	if (workdir_create(g_tmp, g_work, sizeof g_work, err, sizeof err)) {
		g_work[0] = 0;
		fprintf(stderr, "strata-exec: %s\n", err);
		exit(1);
	}
	atexit(remove_workdir);
}

static int bench(long runs)
{
	static char err[512];
	struct scenario sc;
	if (proto_read(stdin, &sc, err, sizeof err) != REQ_SCENARIO) {
		fprintf(stderr, "strata-exec --bench: expected one scenario on stdin: %s\n", err);
		return 2;
	}
	FILE *null = fopen("/dev/null", "w");
	long failures = 0;
	long long t0 = now_us();
	for (long k = 0; k < runs; k++) {
		/* parse + run + reply, as for a request, minus the pipe to Node */
		run_scenario(&sc, null);
	}
	double secs = (now_us() - t0) / 1e6;
	/* one more run to check the scenario itself succeeds */
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	run_scenario(&sc, mem);
	fclose(mem);
	char st[16] = "";
	const char *res = text ? strstr(text, "result ") : NULL;
	if (!res || sscanf(res, "result %*s %15s", st) != 1 || strcmp(st, "ok")) failures++;
	printf("bench runs %ld seconds %.6f rate %.1f failures %ld\n", runs, secs, runs / secs, failures);
	free(text);
	scenario_free(&sc);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--task")) return task_image_main(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "--selftest-exec")) return SELFTEST_EXEC_CODE;
	if (argc == 2 && !strcmp(argv[1], "--sweep")) {
		set_tmp();
		workdir_sweep(g_tmp);
		return 0;
	}
	setup();
	struct exec_env env = {g_exec_image, g_work};
	if (argc >= 3 && !strcmp(argv[1], "--bench")) return bench(atol(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "--features")) {
		features_print(stdout, &env);
		return 0;
	}
	if (argc >= 2) {
		fprintf(stderr, "usage: strata-exec [--features | --bench N | --sweep]\n");
		return 2;
	}
	static char err[512];
	for (;;) {
		struct scenario sc;
		int k = proto_read(stdin, &sc, err, sizeof err);
		if (k == REQ_EOF) return 0;
		if (k == REQ_FEATURES) {
			features_print(stdout, &env);
			continue;
		}
		if (k == REQ_ERROR) {
			printf("result %s error 0 clean\nprotocol %s\nend\n", sc.id[0] ? sc.id : "-", err);
			fflush(stdout);
			scenario_free(&sc);
			continue;
		}
		run_scenario(&sc, stdout);
		scenario_free(&sc);
	}
}
