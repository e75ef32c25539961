/* The line protocol between Node (conformance/runner.ts) and the executor: one request, one
 * reply, both plain text, one record per line, space-separated tokens, strings
 * percent-encoded (every byte outside [A-Za-z0-9/._-] as %XX). The grammar is documented in
 * conformance/protocol.md; conformance/protocol.ts is the Node half. */
#ifndef STRATA_PROTO_H
#define STRATA_PROTO_H

#include <stdio.h>
#include <linux/filter.h>

enum op_kind {
	OP_FORK, OP_THREAD, OP_EXEC, OP_EXIT, OP_SET_NNP, OP_DROP_CAP, OP_COMPROMISE, OP_STRICT,
	OP_FILTER, OP_RULESET_CREATE, OP_ADD_RULE, OP_RESTRICT, OP_SEND_FD, OP_CLOSE_FD, OP_PROBE,
	OP_OBSERVE, OP_SKIP,
	OP_PTRACE_ATTACH, OP_PTRACE_TRACEME, OP_PTRACE_SETOPTIONS, OP_PTRACE_RESPONSE, OP_PTRACE_GET_FILTER,
	/* the supervisor protocol (notify.c) */
	OP_NOTIF_SUPERVISE, OP_NOTIF_RECV, OP_NOTIF_SEND, OP_NOTIF_ID_VALID, OP_NOTIF_ADDFD,
	OP_NOTIF_SET_FLAGS, OP_NOTIF_SIZES, OP_NOTIF_POLL, OP_NOTIF_RETURN,
	OP_ACTION_AVAIL, /* seccomp(GET_ACTION_AVAIL): n[0] action, n[1] flags */
	OP_FD_CALL, /* n[0] fd index, n[1] call: 0 read, 1 write, 2 lseek, 3 ioctl(FIONREAD), 4 open(/proc/self/fd/N) */
	OP_KEYCTL, /* n[0] call: 0 JOIN_SESSION_KEYRING(NULL), 1 SESSION_TO_PARENT */
	OP_SOCKETPAIR, /* socketpair(AF_UNIX, SOCK_STREAM, 0) */
	OP_FOWN_SET, /* n[0] socket fd index, n[1] owner task, n[2] owner type: 0 its process
		      * (F_SETOWN tgid), 1 the thread (F_SETOWN_EX F_OWNER_TID tid), 2 its process group
		      * (F_SETOWN -pgid) */
	OP_UNIX_LISTEN, /* socket(AF_UNIX, SOCK_STREAM), bind to an abstract name, listen */
	OP_CHDIR, /* s1: chdir(2), a model path absolute or relative to the task's working directory (cwd.c) */
	OP_UMOUNT, /* s1: umount2(2) with flags 0 of an absolute model path (umount_op.c) */
	OP_SIGSYS, /* n[0] enum sigsys_action (chan.h): SIGSYS's disposition or mask (sigsys_op.c) */
	OP_SETPGID /* n[0] pid task (-1: 0), n[1] pgid task (-1: 0): setpgid(tid, its process's pgid) (pgrp_op.c) */
};

struct op {
	int kind;
	long long task;
	int has_pin;
	long long pin;
	/* OP_FILTER: flags. OP_RULESET_CREATE: fs, net, scoped. OP_ADD_RULE: ruleset index,
	 * access, port. OP_RESTRICT: ruleset index, flags. OP_SEND_FD: fd index, target.
	 * OP_CLOSE_FD: fd index. OP_PROBE (sys): nr, arch, ip; (net) port; (task) target;
	 * (sigurg) fd index, the observed task (`to`), 1 when `to` was given.
	 * OP_PTRACE_ATTACH: target, seize, options. OP_PTRACE_SETOPTIONS: target, options.
	 * OP_PTRACE_GET_FILTER: target, index, metadata. OP_PTRACE_RESPONSE: kind (0 continue,
	 * 1 skip, 2 rewrite), errno or nr, nargs; the arguments in args[].
	 * OP_NOTIF_*: fd index, then SEND: target, val, error, flags; ID_VALID: target; ADDFD:
	 * target, src fd index, flags, cloexec; SET_FLAGS: flags. */
	long long n[4];
	int has_ruleset;     /* OP_RESTRICT: 0 = fd -1 */
	int any_fd;          /* OP_ADD_RULE, OP_RESTRICT: n[0] indexes every descriptor, not only rulesets */
	int rule_port;       /* OP_ADD_RULE: 1 net_port, 0 path_beneath */
	int probe;           /* enum probe_kind */
	int sub;             /* fs access / net: 0 bind 1 connect */
	unsigned long long args[6];
	char *s1, *s2;       /* decoded path(s); OP_SKIP: reason */
	unsigned long ninsn; /* declared program length */
	struct sock_filter *insns;
};

struct fsent {
	char type; /* 'd' dir, 'f' file, 'c' device */
	char *path;
};

/* A mount of the tree's own directories (model/landlock/fstree.ts FsMount; fstree.c makes
 * them): a bind mount of `source` on the empty directory `at`, or (detached) an
 * open_tree(OPEN_TREE_CLONE) of `source` that the model names `at`, a top-level name outside
 * the tree. */
struct fsmount {
	char detached;
	char *source, *at;
};

struct scenario {
	char id[64];
	unsigned op_timeout_ms;
	unsigned scen_timeout_ms;
	int nnp, cap;
	int opt_netns, opt_noanswer;
	int opt_table; /* full-table observes (table.c): after every observe, and at the end */
	struct fsent *fs;
	int nfs;
	struct fsmount *mounts;
	int nmounts, ndetached; /* at most DETACHED_MAX (sys.h) in all */
	struct op *ops;
	int nops;
	struct op *tab; /* the tabled requests of the scenario's universe (OP_PROBE, task unused) */
	int ntab;
};

enum req_kind { REQ_EOF = 0, REQ_SCENARIO, REQ_FEATURES, REQ_ERROR };

/* Read one request. REQ_ERROR leaves a message in err and the stream positioned after the
 * request's "end" line. */
int proto_read(FILE *in, struct scenario *sc, char *err, size_t errlen);
void scenario_free(struct scenario *sc);
int fs_access_by_name(const char *name);

/* The op kinds' names, indexed by kind (coord.c). */
extern const char *const OP_NAMES[];

#endif
