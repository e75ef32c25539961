/* One private network namespace for every scenario that probes the network: making one per
 * scenario (unshare(CLONE_NEWNET)) costs milliseconds, entering one with setns(2) does not. It
 * is made once by a throw-away child of the executor (the executor itself never leaves the
 * host's namespaces) and kept by a descriptor that coordinators inherit. Scenarios leave nothing
 * in it: a net probe's socket is closed by the probe, a connect nobody listens to is refused
 * (no TIME_WAIT), abstract listeners carry their coordinator's pid in their name, and every
 * process of a scenario is gone before the next scenario starts. */
#define _GNU_SOURCE
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int lo_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) return -1;
	struct ifreq r;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "lo");
	int e = ioctl(s, SIOCGIFFLAGS, &r);
	if (!e) {
		r.ifr_flags |= IFF_UP;
		e = ioctl(s, SIOCSIFFLAGS, &r);
	}
	close(s);
	return e;
}

int netns_shared(void)
{
	static int fd = -2;
	if (fd != -2) return fd;
	fd = -1;
	int p[2];
	if (pipe2(p, O_CLOEXEC)) return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		char ok = unshare(CLONE_NEWNET) == 0 && lo_up() == 0 ? 'y' : 'n';
		if (write(p[1], &ok, 1) != 1) _exit(1);
		for (;;) pause(); /* until the executor has opened its namespace and kills it */
	}
	char ok = 'n';
	while (read(p[0], &ok, 1) < 0 && errno == EINTR) {}
	if (ok == 'y') {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	close(p[1]);
	close(p[0]);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
	return fd;
}

int netns_enter(int fd)
{
	if (fd >= 0 && setns(fd, CLONE_NEWNET) == 0) return 0;
	return unshare(CLONE_NEWNET) == 0 && lo_up() == 0 ? 0 : -1;
}
