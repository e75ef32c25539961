/* strata-init: PID 1 of the initramfs `strata conform --kernel` boots under QEMU
 * (conformance/vm/). It sets up what the executor needs and serves nothing itself:
 *
 *   - /proc, /sys, /dev (devtmpfs) and a tmpfs on /tmp (the executor's work directory);
 *   - Yama's ptrace_scope 0 where Yama is built in: the model has no Yama (a Debian kernel's
 *     default, 1, denies PTRACE_ATTACH to non-descendants: security/yama/yama_lsm.c
 *     yama_ptrace_access_check), so its ptrace rule would differ from the model's for a reason
 *     that is not seccomp's or Landlock's;
 *   - the protocol port (/dev/ttyS1, QEMU's second serial port: the 8250 driver is built into
 *     every x86 kernel a developer boots, where virtio-console is often a module) in raw mode:
 *     no echo, no line editing (a seccomp program is one line of up to ~80 KB), no signals, no
 *     flow-control characters, no CR/LF translation (drivers/tty/n_tty.c);
 *   - `strata-guest ready` on the port once it is raw: the host sends nothing before (the 8250
 *     driver's start-up clears the FIFOs, serial8250_clear_fifos, so earlier bytes could be lost);
 *   - then /strata/strata-exec in its own session, stdin and stdout on the port, stderr on the
 *     console (ttyS0). PID 1 reaps every orphan; when the executor exits, the machine powers off
 *     (QEMU runs with -no-reboot and the kernel with panic=-1, so a crash ends it too).
 *
 * Should any step fail, one line `strata-init: <what>: <errno>` goes to the console and the
 * machine powers off: the host sees the VM exit before `ready` and reports the console's tail. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define PORT "/dev/ttyS1"
#define EXECUTOR "/strata/strata-exec"

static void say(const char *fmt, const char *what, int err)
{
	char line[256];
	int n = snprintf(line, sizeof line, fmt, what, err ? strerror(err) : "");
	if (n > 0) {
		if (write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) < 0) {
			/* nothing else to tell it to */
		}
	}
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	for (;;) pause();
}

static void fail(const char *what)
{
	say("strata-init: %s: %s\n", what, errno);
	power_off();
}

static void mount_or_fail(const char *src, const char *dir, const char *type, unsigned long flags, const char *data)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, flags, data) && errno != EBUSY) fail(dir);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) return; /* not built in: nothing to set */
	if (write(fd, text, strlen(text)) < 0) say("strata-init: %s: %s\n", path, errno);
	close(fd);
}

int main(void)
{
	/* the kernel opened /dev/console (the initramfs's node) as 0, 1, 2 */
	mount_or_fail("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount_or_fail("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount_or_fail("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	mount_or_fail("tmpfs", "/tmp", "tmpfs", MS_NOSUID, "mode=1777");
	/* the executor reports the active LSMs (features.c): Landlock may be built but not listed */
	mount_or_fail("securityfs", "/sys/kernel/security", "securityfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	write_file("/proc/sys/kernel/yama/ptrace_scope", "0\n");

	int port = open(PORT, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (port < 0) fail(PORT);
	struct termios t;
	if (tcgetattr(port, &t)) fail("tcgetattr " PORT);
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~(tcflag_t)CRTSCTS;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	cfsetspeed(&t, B115200);
	if (tcsetattr(port, TCSANOW, &t)) fail("tcsetattr " PORT);
	tcflush(port, TCIOFLUSH);

	pid_t exe = fork();
	if (exe < 0) fail("fork");
	if (exe == 0) {
		setsid();
		dup2(port, 0);
		dup2(port, 1);
		static const char ready[] = "strata-guest ready\n";
		if (write(1, ready, sizeof ready - 1) != (ssize_t)(sizeof ready - 1)) fail("write " PORT);
		char *argv[] = {"strata-exec", NULL};
		char *envp[] = {"TMPDIR=/tmp", "PATH=/strata", NULL};
		execve(EXECUTOR, argv, envp);
		fail("exec " EXECUTOR);
	}
	close(port);
	for (;;) {
		int st;
		pid_t w = waitpid(-1, &st, __WALL);
		if (w < 0 && errno == EINTR) continue;
		if (w < 0) break;
		if (w != exe) continue;
		if (WIFSIGNALED(st)) {
			char sig[16];
			snprintf(sig, sizeof sig, "%d", WTERMSIG(st));
			say("strata-init: the executor died of signal %s%s\n", sig, 0);
		}
		break;
	}
	power_off();
	return 0;
}
