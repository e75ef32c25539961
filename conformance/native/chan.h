/* The binary command channel between the coordinator and one task (one SOCK_SEQPACKET
 * socketpair per task, so each command and each reply is one message). Tasks read commands
 * with read(2) and answer with write(2): the two calls strict mode still allows
 * (kernel/seccomp.c:__secure_computing_strict). Descriptors travel as SCM_RIGHTS in a
 * second message that only the commands that expect one receive with recvmsg(2). */
#ifndef STRATA_CHAN_H
#define STRATA_CHAN_H

#include <stdint.h>
#include <linux/filter.h>

enum tcmd_kind {
	TC_PING = 1,
	TC_FORK,      /* fd message follows: the child's channel */
	TC_THREAD,    /* fd message follows: the thread's channel; chan = its fd number */
	TC_EXEC,
	TC_EXIT,
	TC_SET_NNP,
	TC_DROP_CAP,
	TC_STRICT,    /* oracle count, abstract listener (s1 name, chan fd), then strict mode; flags STRICT_NO_PREP */
	TC_FILTER,    /* flags, ninsn, insns */
	TC_RULESET_CREATE, /* u[0..2] = fs, net, scoped */
	TC_ADD_RULE,  /* fd; sub 0 path (s1, u[0] access) | 1 port (u[0] access, u[1] port) */
	TC_RESTRICT,  /* fd, flags */
	TC_SEND_FD,   /* fd: answered by a reply message that carries the descriptor */
	TC_RECV_FD,   /* fd message follows; reply ret = the new descriptor */
	TC_CLOSE_FD,  /* fd */
	TC_PROBE,     /* probe, sub, u[], s1, s2; flags PROBE_DISPOSABLE: in a disposable child */
	TC_LAYERS,    /* Landlock layer-count oracle */
	TC_ABS_LISTEN, /* s1 abstract name, chan = fd number to keep the listener at, sub 1: a bound datagram socket */
	TC_DROP_FD,   /* fd: close_range(fd, fd) of an executor descriptor a killed thread left behind */
	TC_PROBE_BATCH, /* ninsn probes (struct tcmd records after this one), each in a disposable
			* child, a new child only after one dies: answered by ninsn replies, in order */
	/* ptrace (tracer.c): */
	TC_PTRACE_ATTACH,  /* u[0] tid, u[1] seize, u[2] options */
	TC_PTRACE_TRACEME,
	TC_PTRACE_REQUEST, /* sub 0 SETOPTIONS, 1 GET_FILTER, 2 GET_METADATA; u[0] tid, u[1] tgid,
			    * u[2] how to stop it (0 not ours, 1 INTERRUPT, 2 SIGSTOP), u[3] options / index */
	TC_PTRACE_SERVE,   /* u[0] tracee tid; sub response (0 continue, 1 skip, 2 rewrite), u[3] errno
			    * or nr, u[4] nargs, u[5..7] args; ends at the next message on the channel */
	TC_NOTIF,     /* the supervisor protocol on descriptor fd: sub NOTIF_*, u[] its fields */
	TC_ACTION_AVAIL, /* seccomp(GET_ACTION_AVAIL, u[1] flags, &(u32)u[0]) */
	TC_FD_CALL,   /* fd: sub 0 read(fd, buf, 1), 1 write(fd, buf, 1), 2 lseek(fd, 0, SEEK_CUR), 3 ioctl(fd, FIONREAD, &n), 4 open(/proc/self/fd/fd) */
	TC_KEYCTL,    /* sub 0 keyctl(JOIN_SESSION_KEYRING, NULL), 1 keyctl(SESSION_TO_PARENT) */
	TC_SOCKETPAIR, /* socketpair(AF_UNIX, SOCK_STREAM, 0, sv): ret sv[0] (sv[1] is the next number) */
	TC_FOWN_SET,  /* fd, sub owner type, u[0] its id: 0 fcntl(fd, F_SETOWN, tgid), 1 fcntl(fd,
		       * F_SETOWN_EX, {F_OWNER_TID, tid}), 2 fcntl(fd, F_SETOWN, -pgid) */
	TC_URG_DRAIN, /* rt_sigaction(SIGURG, SIG_IGN) then SIG_DFL: discards the process's pending SIGURG,
		       * shared and every thread's own (kernel/signal.c:do_sigaction) */
	TC_UNIX_LISTEN, /* s1 abstract name: socket(AF_UNIX, SOCK_STREAM), bind, listen; ret the descriptor */
	TC_CHDIR,     /* s1 path (absolute, or relative to the task's cwd): chdir(2) */
	TC_UMOUNT,    /* s1 host path: umount2(s1, 0) */
	TC_SIGSYS,    /* sub enum sigsys_action: rt_sigaction(SIGSYS, ...) or rt_sigprocmask(..., {SIGSYS}) */
	TC_SETPGID    /* u[0] pid, u[1] pgid: setpgid(pid, pgid) */
};

/* TC_SIGSYS's actions, in the order of the op's words (proto.c; model/ops.ts SIGSYS_ACTIONS):
 * the process's disposition (rt_sigaction(SIGSYS, SIG_IGN | SIG_DFL | the trap handler)) or
 * the thread's mask (rt_sigprocmask(SIG_BLOCK | SIG_UNBLOCK, {SIGSYS})). */
enum sigsys_action { SIGSYS_IGNORE, SIGSYS_DEFAULT, SIGSYS_HANDLE, SIGSYS_BLOCK, SIGSYS_UNBLOCK, SIGSYS_NACTIONS };

/* TC_NOTIF's sub-commands (notify.c; model/seccomp/notify.ts). RECV first polls the listener:
 * with nothing queued and users it would block, and then x[2] = 1 and nothing is called. */
enum notif_sub { NOTIF_RECV = 1, NOTIF_SEND, NOTIF_ID_VALID, NOTIF_ADDFD, NOTIF_SET_FLAGS, NOTIF_SIZES, NOTIF_POLL };

#define PROBE_DISPOSABLE 1
#define STRICT_NO_PREP 1 /* TC_STRICT: neither the layer oracle nor the listener (the call will fail) */
#define BATCH_MAX 24 /* probes per TC_PROBE_BATCH (CMD_BUF holds 29 records) */

enum probe_kind { PR_SYS = 1, PR_FS, PR_RENAME, PR_LINK, PR_MOUNT, PR_NET, PR_SIGNAL, PR_ABSTRACT, PR_PTRACE, PR_EXCHANGE, PR_SIGURG, PR_PROC };
/* The mount probe's calls (model/landlock/mount.ts MOUNT_CALLS, in order). */
enum mount_call { MC_NEW, MC_BIND, MC_REMOUNT, MC_PROPAGATION, MC_MOVE, MC_UMOUNT, MC_PIVOT_ROOT, MC_MOVE_MOUNT, MC_OPEN_TREE, MC_MOUNT_SETATTR, MC_COUNT };

/* LANDLOCK_ACCESS_FS_* bit order (include/uapi/linux/landlock.h). */
enum fs_access {
	FA_EXECUTE, FA_WRITE_FILE, FA_READ_FILE, FA_READ_DIR, FA_REMOVE_DIR, FA_REMOVE_FILE,
	FA_MAKE_CHAR, FA_MAKE_DIR, FA_MAKE_REG, FA_MAKE_SOCK, FA_MAKE_FIFO, FA_MAKE_BLOCK,
	FA_MAKE_SYM, FA_REFER, FA_TRUNCATE, FA_IOCTL_DEV, FA_COUNT
};

#define TPATH 512
#define MAX_INSNS 4096 /* BPF_MAXINSNS; longer programs are sent truncated to 4097 to keep EINVAL */

struct tcmd {
	uint32_t cmd;
	int32_t fd;
	int32_t chan;
	int32_t probe;
	int32_t sub;
	uint32_t ninsn;
	uint64_t flags;
	uint64_t u[8];
	char s1[TPATH];
	char s2[TPATH];
	struct sock_filter insns[];
};

enum trep_status { TR_OK = 0, TR_PLUMBING = 1 };

struct trep {
	int32_t status;  /* TR_PLUMBING: an executor-side call failed; msg says which */
	int32_t trapped; /* the SIGSYS handler ran during the command */
	int64_t ret;     /* raw return: >= 0 value, -errno on failure */
	int64_t x[4];    /* TC_STRICT, TC_LAYERS: layer count (and listener result); exec: EXEC_HELLO;
			  * x[3]: a received descriptor left open (its number + 1) */
	int32_t trap_data, trap_nr; /* siginfo si_errno, si_syscall of the SIGSYS */
	uint32_t trap_arch;
	char msg[96];
};

/* The returns page, a memfd at RET_FD mapped MAP_SHARED by the executor and every task (fork
 * keeps the mapping; an exec'd image maps the descriptor again). A task writes there the raw
 * return of a command's syscall before it makes its next syscall, so a return is known even
 * when the task dies before its reply: a filter it has just installed may kill the reply's
 * write(2) (kernel/seccomp.c:__seccomp_filter runs from the next syscall entry on). Only the
 * commanded task runs, so one slot is enough: the coordinator clears it before each command. */
struct retpage {
	volatile int32_t done; /* 1: `ret` holds the command's return */
	volatile int32_t pad;
	volatile int64_t ret;
};
extern struct retpage *g_ret;

/* x[0] of the first reply of an exec'd image, which no failed exec can send. */
#define EXEC_HELLO 0x5354524154414558LL

#define CMD_BUF (sizeof(struct tcmd) + (MAX_INSNS + 1) * sizeof(struct sock_filter))

#endif
