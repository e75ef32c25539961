/* Talking to a task (see call.h). */
#define _GNU_SOURCE
#include "call.h"
#include "ptrace_op.h"
#include "sys.h"
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTENERS 32

static int L_fd[MAX_LISTENERS], L_id[MAX_LISTENERS], L_queued[MAX_LISTENERS], nlisteners;
struct notif_seen g_notif;
int g_in_probe;
long g_notif_nr = -1;

static int send_cmd(const struct task *t, const struct tcmd *c, size_t len)
{
	return send(t->chan, c, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static int send_fd(int chan, int fd)
{
	char byte = 0;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	return sendmsg(chan, &m, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* 1: a reply (with a descriptor in *rfd if one came), 0: end of file, -1: nothing yet. */
static int recv_reply(int chan, struct trep *rep, int *rfd)
{
	struct iovec iov = {rep, sizeof *rep};
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b};
	memset(rep, 0, sizeof *rep);
	ssize_t n = recvmsg(chan, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0) return errno == EAGAIN || errno == EINTR ? -1 : 0;
	if (n == 0) return 0;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int fd = -1;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
	if (rfd) *rfd = fd;
	else if (fd >= 0) close(fd);
	return 1;
}

/* Private duplicates of every listener some live task holds (pidfd_getfd(2)), for the
 * duration of one op: a notification can then be received and answered, while the task's
 * own close of its last listener fd still detaches the listener afterwards
 * (kernel/seccomp.c:seccomp_notify_detach runs when the last file reference goes). */
void listeners_take(void)
{
	nlisteners = 0;
	for (int k = 0; k < nlive; k++) {
		struct task *t = &T[live[k]];
		struct group *g = &G[t->g];
		for (int j = 0; j < g->nfds && nlisteners < MAX_LISTENERS; j++) {
			if (g->fds[j].kind != FK_LISTENER) continue;
			int dup = 0;
			for (int q = 0; q < nlisteners; q++) dup |= L_id[q] == g->fds[j].id;
			if (dup) continue;
			/* the descriptor table is the group's: its pidfd serves where the thread has none */
			int d = (int)syscall(NR_pidfd_getfd, t->pidfd >= 0 ? t->pidfd : g->pidfd, g->fds[j].fd, 0);
			if (d < 0) continue;
			/* supervised: whether a notification is already queued (POLLIN) before the op */
			struct pollfd pq = {d, POLLIN, 0};
			L_queued[nlisteners] = g_supervised && poll(&pq, 1, 0) > 0 && (pq.revents & POLLIN);
			L_fd[nlisteners] = d;
			L_id[nlisteners++] = g->fds[j].id;
		}
	}
}

void listeners_drop(void)
{
	for (int q = 0; q < nlisteners; q++)
		if (L_fd[q] >= 0) close(L_fd[q]);
	nlisteners = 0;
}

static void answer_notification(int q)
{
	struct seccomp_notif n;
	memset(&n, 0, sizeof n);
	if (ioctl(L_fd[q], SECCOMP_IOCTL_NOTIF_RECV, &n)) return;
	if (!g_notif.seen && (g_notif.tid == -1 || (pid_t)n.pid == g_notif.tid)) {
		g_notif.seen = 1;
		g_notif.listener = L_id[q];
		g_notif.pid = (pid_t)n.pid;
	}
	if (S->opt_noanswer) return;
	struct seccomp_notif_resp r = {.id = n.id, .val = 0, .error = -NOTIFY_ANSWER_ERRNO, .flags = 0};
	ioctl(L_fd[q], SECCOMP_IOCTL_NOTIF_SEND, &r);
}


/* A group leader that dies before its threads stays a zombie, and its PIDFD_THREAD pidfd does
 * not wake anyone until the whole group is gone (kernel/pid.c:pidfd_poll skips
 * delay_group_leader()), so for such a leader the state in /proc is checked. */
int task_proc_read(const struct task *t, const char *file, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/%s", (int)G[t->g].tgid, (int)t->tid, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0) return -1;
	buf[n] = 0;
	return (int)n;
}

/* The thread's state letter in /proc (R, S, Z, ...); 'X' when it is gone. */
static char thread_state(const struct task *t)
{
	char buf[512];
	if (task_proc_read(t, "stat", buf, sizeof buf) < 0) return 'X';
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* A group leader that dies before its threads stays a zombie, and its PIDFD_THREAD pidfd does
 * not wake anyone until the whole group is gone (kernel/pid.c:pidfd_poll skips
 * delay_group_leader()), so for such a leader the state in /proc is checked. */
static int leader_gone(const struct task *t)
{
	char st = thread_state(t);
	return st == 'Z' || st == 'X';
}

/* The thread is blocked in read(2) on its own channel (/proc/PID/task/TID/syscall). */
static int reading_channel(const struct task *t)
{
	char buf[256];
	if (task_proc_read(t, "syscall", buf, sizeof buf) < 0) return 0;
	long nr;
	unsigned long a0;
	return sscanf(buf, "%ld %lx", &nr, &a0) == 2 && nr == SYS_read && a0 == (unsigned long)CHAN_FD(t->slot);
}

/* Bytes of our commands the task has not read yet (SIOCOUTQ: an AF_UNIX message stays
 * charged to the sender until the receiver consumes it). */
static int unread(const struct task *t)
{
	int q = 0;
	return ioctl(t->chan, SIOCOUTQ, &q) == 0 ? q : 0;
}

/*
 * Wait for `t`'s reply until the op deadline; readability of `watch` means the task is gone.
 * A task whose own filters deny the executor's read(2) or write(2) goes silent while alive:
 * CALL_MUTE when it consumed the command and waits in read with no reply sent, or when it
 * keeps running (spinning on a failing read) for MUTE_SPIN_MS.
 */
#define MUTE_SPIN_MS 250
static int wait_reply(struct task *t, int watch, struct trep *rep, int *rfd)
{
	int leader = t->tid == G[t->g].tgid && group_sibling((int)(t - T)) >= 0;
	int slice = 1;
	long long spin_since = -1;
	/* supervised: listeners whose filter has no users left (POLLHUP, for good: no task can take
	 * the filter again). poll reports a hang-up unasked, so a watched one would wake every poll
	 * at once and starve the death checks of the timed-out branch, which are all a kernel
	 * without thread pidfds (before 6.9) has: a thread's exit then ran to the op deadline. */
	int hup[MAX_LISTENERS] = {0};
	for (;;) {
		struct pollfd p[2 + MAX_LISTENERS];
		int np = 0;
		p[np++] = (struct pollfd){t->chan, POLLIN, 0};
		p[np++] = (struct pollfd){watch, POLLIN, 0};
		/* supervised: only the listeners with nothing queued are watched (a queued one stays
		 * readable), and no notification is received here */
		for (int q = 0; q < nlisteners; q++) p[np++] = (struct pollfd){g_supervised && (L_queued[q] || hup[q]) ? -1 : L_fd[q], POLLIN, 0};
		int ms = remaining_ms();
		if (ms == 0) return CALL_TIMEOUT;
		int wait = slice < ms ? slice : ms;
		int n = poll(p, np, wait);
		if (n < 0 && errno == EINTR) continue;
		if (n == 0 && wait < ms) {
			if (leader && leader_gone(t)) return CALL_DIED;
			/* supervised: asleep in the probed syscall, notified on a listener that already
			 * had a notification queued (so it did not become readable) */
			if (g_supervised && g_notif_nr >= 0 && slice >= 8 && notif_asleep_in(t, g_notif_nr)) {
				int which = -1, k = 0;
				for (int q = 0; q < nlisteners; q++)
					if (L_queued[q]) { which = L_id[q]; k++; }
				g_notif.seen = 1;
				g_notif.listener = k == 1 ? which : -1;
				return CALL_NOTIFIED;
			}
			/* no pidfd for this thread (before Linux 6.9): its death shows in /proc */
			if (watch < 0 && leader_gone(t)) return CALL_DIED;
			if (slice < 32) slice *= 2;
			if (!unread(t) && reading_channel(t) && poll(p, 1, 0) == 0) return CALL_MUTE;
			if (thread_state(t) == 'R') {
				if (spin_since < 0) spin_since = now_ms();
				else if (now_ms() - spin_since >= MUTE_SPIN_MS) return CALL_MUTE;
			} else {
				spin_since = -1;
			}
			continue;
		}
		if (n <= 0) return CALL_TIMEOUT;
		for (int q = 0; q < nlisteners && g_supervised; q++)
			if (p[2 + q].fd >= 0 && !(p[2 + q].revents & POLLIN) && (p[2 + q].revents & (POLLHUP | POLLERR | POLLNVAL))) hup[q] = 1;
		if (g_supervised && !p[0].revents) {
			for (int q = 0; q < nlisteners; q++)
				if (p[2 + q].fd >= 0 && (p[2 + q].revents & POLLIN)) {
					g_notif.seen = 1;
					g_notif.listener = L_id[q];
					return CALL_NOTIFIED;
				}
		}
		for (int q = 0; q < nlisteners && !g_supervised; q++) {
			short ev = p[2 + q].revents;
			if (ev & POLLIN) answer_notification(q);
			else if (ev & (POLLHUP | POLLERR | POLLNVAL)) { close(L_fd[q]); L_fd[q] = -1; }
		}
		if (p[0].revents) {
			int r = recv_reply(t->chan, rep, rfd);
			if (r > 0) return CALL_REPLY;
			if (r == 0) return CALL_DIED;
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			if (recv_reply(t->chan, rep, rfd) > 0) return CALL_REPLY;
			return CALL_DIED;
		}
	}
}

int call_watch(struct task *t, const struct tcmd *c, size_t len, int fd_out, struct trep *rep, int *rfd, int watch)
{
	if (rfd) *rfd = -1;
	/* a tracer serving its tracees' stops (ptrace_op.c) is paused for the command */
	int ti = (int)(t - T), paused = tracer_pause(ti);
	int r;
	if (send_cmd(t, c, len)) r = CALL_DIED;
	else if (fd_out >= 0 && send_fd(t->chan, fd_out)) r = CALL_DIED;
	else r = wait_reply(t, watch, rep, rfd);
	if (paused && r == CALL_REPLY) tracer_resume(ti);
	return r;
}

int call(struct task *t, const struct tcmd *c, size_t len, int fd_out, struct trep *rep, int *rfd)
{
	return call_watch(t, c, len, fd_out, rep, rfd, t->pidfd);
}

int call_send(struct task *t, const struct tcmd *c, size_t len)
{
	return send_cmd(t, c, len);
}

int call_next(struct task *t, struct trep *rep)
{
	return wait_reply(t, t->pidfd, rep, NULL);
}

static int wait_readable(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	for (;;) {
		int n = poll(&p, 1, ms);
		if (n < 0 && errno == EINTR) continue;
		return n > 0;
	}
}

/* The exec'ing thread's pidfd fired: an exec from a non-leader releases the thread's old pid
 * (fs/exec.c:de_thread), so the new image's hello may still come on the channel; 1 if it did
 * within `ms` (a dead process closes the channel at once, a killed thread leaves it silent). */
int exec_hello(struct task *t, struct trep *rep, int ms)
{
	if (!wait_readable(t->chan, ms)) return 0;
	return recv_reply(t->chan, rep, NULL) > 0 && rep->x[0] == EXEC_HELLO;
}

/* PIDFD_GET_INFO with PIDFD_INFO_EXIT (include/uapi/linux/pidfd.h, Linux 6.15): the wait
 * status of a process that has been reaped, for any holder of its pidfd. */
struct pidfd_info_ {
	uint64_t mask, cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
};
#define PIDFD_INFO_EXIT_ (1ULL << 3)
#define PIDFD_GET_INFO_ _IOWR(0xFF, 11, struct pidfd_info_)

static void set_status(struct death *d, int st)
{
	if (WIFSIGNALED(st)) d->sig = WTERMSIG(st);
	else { d->sig = 0; d->code = WEXITSTATUS(st); }
}

/* The group is gone (or going): its exit status, as its parent (the initial task, orphans) or,
 * for a process forked by a task (the kernel reaps those: tasks ignore SIGCHLD), from its pidfd. */
void reap_group(int g, struct death *d)
{
	int ms = remaining_ms();
	wait_readable(G[g].pidfd, ms < 1000 ? 1000 : ms);
	d->sig = -1;
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, G[g].tgid, &si, WEXITED | WNOHANG | __WALL) == 0 && si.si_pid == G[g].tgid) {
		if (si.si_code == CLD_EXITED) { d->sig = 0; d->code = si.si_status; }
		else d->sig = si.si_status;
		return;
	}
	for (int k = 0; k < 50; k++) {
		struct pidfd_info_ info;
		memset(&info, 0, sizeof info);
		info.mask = PIDFD_INFO_EXIT_;
		if (ioctl(G[g].pidfd, PIDFD_GET_INFO_, &info) == 0 && (info.mask & PIDFD_INFO_EXIT_)) {
			set_status(d, info.exit_code);
			return;
		}
		usleep(1000); /* between the exit and the release (kernel/exit.c:release_task) */
	}
}

/* Whether `t` exits within `ms`: its pidfd, or /proc where it has none (before Linux 6.9). */
static int gone_within(const struct task *t, int ms)
{
	if (t->pidfd >= 0) return wait_readable(t->pidfd, ms);
	for (int k = 0; k < ms; k += 5) {
		if (leader_gone(t)) return 1;
		usleep(5000);
	}
	return leader_gone(t);
}

void classify_death(int ti, struct death *d)
{
	memset(d, 0, sizeof *d);
	d->sig = -1;
	int g = T[ti].g;
	int sib = -1, mute_sib = -1;
	for (int k = 0; k < nlive; k++) {
		int j = live[k];
		if (j == ti || T[j].g != g) continue;
		/* a thread asleep in a notified call cannot answer a ping either */
		if (!T[j].mute && !notif_is_blocked(j)) { sib = j; break; }
		if (mute_sib < 0) mute_sib = j;
	}
	if (sib >= 0) {
		struct tcmd c;
		memset(&c, 0, sizeof c);
		c.cmd = TC_PING;
		struct trep rep;
		int r = call(&T[sib], &c, sizeof c, -1, &rep, NULL);
		if (r == CALL_REPLY || r == CALL_MUTE) { /* the sibling lives: only the thread died */
			if (r == CALL_MUTE) mark_mute(sib);
			remove_task(ti);
			return;
		}
	} else if (mute_sib >= 0) {
		/* a deaf sibling cannot answer a ping: a group-wide kill ends it at once */
		if (!gone_within(&T[mute_sib], 100)) {
			remove_task(ti);
			return;
		}
	} else {
		d->alone = 1;
	}
	d->process = 1;
	reap_group(g, d);
	remove_group(g);
}

void fmt_death(const struct death *d, char *out, size_t n)
{
	char how[32];
	if (d->sig > 0) snprintf(how, sizeof how, "sig:%d", d->sig);
	else if (d->sig == 0) snprintf(how, sizeof how, "exit:%d", d->code);
	else snprintf(how, sizeof how, "-");
	snprintf(out, n, "%s %s %d", d->process ? "process" : "thread", how, d->alone);
}

/* A deaf task may spin on its failing read(2): once every live thread of its process is deaf,
 * the process is stopped (SIGSTOP), which nothing of the model can see. */
void mark_mute(int ti)
{
	T[ti].mute = 1;
	for (int k = 0; k < nlive; k++)
		if (T[live[k]].g == T[ti].g && !T[live[k]].mute) return;
	kill(G[T[ti].g].tgid, SIGSTOP);
}

int settle(int i, int mtid, int ti, int r, const struct trep *rep)
{
	if (r == CALL_TIMEOUT) {
		emit(i, mtid, "timeout %u", S->op_timeout_ms);
		return -1;
	}
	if (r == CALL_MUTE) {
		mark_mute(ti);
		emit(i, mtid, "error %s", MUTE_MESSAGE);
		return 1;
	}
	if (r == CALL_NOTIFIED) {
		/* supervised: the call sleeps until the scenario's supervisor answers (notify.c) */
		notif_mark_blocked(ti, g_notif.listener, g_in_probe, g_in_probe ? g_notif_nr : -1);
		emit(i, mtid, "%s notify %d 0", g_in_probe ? "probe" : "stopped", g_notif.listener);
		return 1;
	}
	if (r == CALL_DIED) {
		struct death d;
		char buf[64];
		classify_death(ti, &d);
		fmt_death(&d, buf, sizeof buf);
		emit(i, mtid, "killed %s", buf);
		return 1;
	}
	if (rep->status == TR_PLUMBING) {
		emit(i, mtid, "error %s: errno %ld", rep->msg, -rep->ret);
		return 1;
	}
	if (rep->x[3] > 0 && !g_in_probe) {
		/* the executor's own descriptor stayed open: later fd numbers differ from the model */
		fd_add(&G[T[ti].g], (struct fdent){(int)rep->x[3] - 1, 1, FK_STRAY, 0});
		g_stray = (int)rep->x[3] - 1;
	}
	if (g_in_probe) return 0;
	/* a filter stopped the op's own syscall with a trap or a user notification (an ERRNO
	 * shows as the op's error, a kill as `killed`) */
	if (rep->trapped) {
		emit(i, mtid, "stopped trap %d %d %u", rep->trap_data, rep->trap_nr, rep->trap_arch);
		return 1;
	}
	if (g_notif.seen) {
		emit(i, mtid, "stopped notify %d %ld", g_notif.listener, rep->ret < 0 ? -rep->ret : 0);
		return 1;
	}
	return 0;
}

void emit_ret(int i, int mtid, long ret)
{
	if (ret < 0) emit(i, mtid, "err %ld", -ret);
	else emit(i, mtid, "ok %ld", ret);
}

int simple(int i, int ti, struct tcmd *c, size_t len, int fd_out, struct trep *rep)
{
	struct task *t = &T[ti];
	int r = call(t, c, len, fd_out, rep, NULL);
	int s = settle(i, t->model_tid, ti, r, rep);
	return s < 0 ? -1 : s > 0 ? 1 : 0;
}
