/* Request parser for the Node <-> executor line protocol (grammar: conformance/protocol.md). */
#define _GNU_SOURCE
#include "proto.h"
#include "chan.h"
#include "sys.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOK (6 + 4 * (MAX_INSNS + 1) + 16) /* Node truncates programs to 4097 insns */

static const char *const FS_ACCESS_NAMES[FA_COUNT] = {
	"execute", "write_file", "read_file", "read_dir", "remove_dir", "remove_file",
	"make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block",
	"make_sym", "refer", "truncate", "ioctl_dev",
};

int fs_access_by_name(const char *name)
{
	for (int i = 0; i < FA_COUNT; i++)
		if (strcmp(name, FS_ACCESS_NAMES[i]) == 0)
			return i;
	return -1;
}

struct toks {
	char *v[MAX_TOK];
	int n;
};

static void split(char *line, struct toks *t)
{
	t->n = 0;
	char *save = NULL;
	for (char *p = strtok_r(line, " \t\r\n", &save); p && t->n < MAX_TOK; p = strtok_r(NULL, " \t\r\n", &save))
		t->v[t->n++] = p;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Percent-decoding; returns a malloc'd string or NULL on a malformed escape or a NUL byte. */
static char *decode(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1), *o = out;
	if (!out) return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') { *o++ = s[i]; continue; }
		if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) { free(out); return NULL; }
		int c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
		if (c == 0) { free(out); return NULL; }
		*o++ = (char)c;
		i += 2;
	}
	*o = 0;
	return out;
}

struct perr {
	char *buf;
	size_t len;
};

static int fail(struct perr *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->buf, e->len, fmt, ap);
	va_end(ap);
	return -1;
}

static int num_s(const char *s, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *s == 0 || *end) return -1;
	*out = v;
	return 0;
}

static int num_u(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	if (*s == '-') return -1;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *s == 0 || *end) return -1;
	*out = v;
	return 0;
}

#define NEED(k) do { if (t->n < (k)) return fail(e, "op %s: expected %d tokens, got %d", t->v[1], (k), t->n); } while (0)
#define SNUM(i, dst) do { if (num_s(t->v[i], &(dst))) return fail(e, "op %s: bad number '%s'", t->v[1], t->v[i]); } while (0)
#define UNUM(i, dst) do { if (num_u(t->v[i], &(dst))) return fail(e, "op %s: bad number '%s'", t->v[1], t->v[i]); } while (0)
#define STR(i, dst) do { if (!((dst) = decode(t->v[i]))) return fail(e, "op %s: bad string '%s'", t->v[1], t->v[i]); } while (0)

static int parse_probe(struct toks *t, struct op *o, struct perr *e)
{
	NEED(5);
	const char *k = t->v[4];
	unsigned long long u;
	if (strcmp(k, "sys") == 0) {
		NEED(14);
		o->probe = PR_SYS;
		for (int i = 0; i < 3; i++) { UNUM(5 + i, u); o->n[i] = (long long)u; }
		for (int i = 0; i < 6; i++) UNUM(8 + i, o->args[i]);
	} else if (strcmp(k, "fs") == 0) {
		NEED(7);
		o->probe = PR_FS;
		if ((o->sub = fs_access_by_name(t->v[5])) < 0) return fail(e, "probe fs: unknown access '%s'", t->v[5]);
		STR(6, o->s1);
	} else if (strcmp(k, "rename") == 0 || strcmp(k, "link") == 0 || strcmp(k, "exchange") == 0) {
		NEED(7);
		o->probe = k[0] == 'r' ? PR_RENAME : k[0] == 'l' ? PR_LINK : PR_EXCHANGE;
		STR(5, o->s1);
		STR(6, o->s2);
	} else if (strcmp(k, "mount") == 0) {
		static const char *const CALLS[MC_COUNT] = {"new", "bind", "remount", "propagation", "move", "umount", "pivot_root", "move_mount", "open_tree", "mount_setattr"};
		NEED(6);
		o->probe = PR_MOUNT;
		o->sub = -1;
		for (int c = 0; c < MC_COUNT; c++)
			if (strcmp(t->v[5], CALLS[c]) == 0) o->sub = c;
		if (o->sub < 0) return fail(e, "probe mount: unknown call '%s'", t->v[5]);
	} else if (strcmp(k, "net") == 0) {
		NEED(9);
		o->probe = PR_NET;
		if (strcmp(t->v[5], "bind") == 0) o->sub = 0;
		else if (strcmp(t->v[5], "connect") == 0) o->sub = 1;
		else return fail(e, "probe net: unknown op '%s'", t->v[5]);
		SNUM(6, o->n[0]);
		SNUM(7, o->n[1]);
		if (o->n[1] != 4 && o->n[1] != 6) return fail(e, "probe net: unknown family '%s'", t->v[7]);
		if (strcmp(t->v[8], "tcp") == 0) o->n[2] = 0;
		else if (strcmp(t->v[8], "udp") == 0) o->n[2] = 1;
		else return fail(e, "probe net: unknown proto '%s'", t->v[8]);
	} else if (strcmp(k, "signal") == 0 || strcmp(k, "abstract_unix") == 0 || strcmp(k, "ptrace") == 0) {
		NEED(6);
		o->probe = k[0] == 's' ? PR_SIGNAL : k[0] == 'a' ? PR_ABSTRACT : PR_PTRACE;
		SNUM(5, o->n[0]);
		/* abstract_unix: the socket's type, stream (0, the default) or dgram (1); "listener <i>":
		 * the target's i-th listener made by unix_listen (n[1], n[2] = 1) */
		for (int j = 6; j < t->n; j++) {
			if (o->probe != PR_ABSTRACT) return fail(e, "probe %s: unexpected '%s'", k, t->v[j]);
			if (strcmp(t->v[j], "dgram") == 0) o->sub = 1;
			else if (strcmp(t->v[j], "listener") == 0 && j + 1 < t->n) { SNUM(j + 1, o->n[1]); o->n[2] = 1; j++; }
			else if (strcmp(t->v[j], "stream") != 0) return fail(e, "probe abstract_unix: unknown field '%s'", t->v[j]);
		}
	} else if (strcmp(k, "sigurg") == 0) {
		/* sigurg <fd> [to <task>]: `to` names the task whose delivery is observed (socket_op.c) */
		NEED(6);
		o->probe = PR_SIGURG;
		SNUM(5, o->n[0]);
		if (t->n > 6) {
			if (t->n != 8 || strcmp(t->v[6], "to") != 0) return fail(e, "probe sigurg: expected 'to <task>', got '%s'", t->v[6]);
			SNUM(7, o->n[1]);
			o->n[2] = 1;
		}
	} else if (strcmp(k, "proc") == 0) {
		/* proc <target> <file>: open("/proc/<target tid>/<file>", O_RDONLY) (probe.c) */
		static const char *const FILES[] = {"status", "environ", "mem", "ns"};
		NEED(7);
		o->probe = PR_PROC;
		SNUM(5, o->n[0]);
		o->sub = -1;
		for (int c = 0; c < 4; c++)
			if (strcmp(t->v[6], FILES[c]) == 0) o->sub = c;
		if (o->sub < 0) return fail(e, "probe proc: unknown file '%s'", t->v[6]);
		if (t->n > 7) return fail(e, "probe proc: unexpected '%s'", t->v[7]);
	} else {
		return fail(e, "probe: unknown request kind '%s'", k);
	}
	return 0;
}

static const struct { const char *name; int kind; } OPS[] = {
	{"fork", OP_FORK}, {"thread", OP_THREAD}, {"exec", OP_EXEC}, {"exit", OP_EXIT},
	{"set_nnp", OP_SET_NNP}, {"drop_cap", OP_DROP_CAP}, {"compromise", OP_COMPROMISE},
	{"seccomp_strict", OP_STRICT}, {"observe", OP_OBSERVE}, {"seccomp_filter", OP_FILTER},
	{"ruleset_create", OP_RULESET_CREATE}, {"ruleset_add_rule", OP_ADD_RULE},
	{"restrict_self", OP_RESTRICT}, {"send_fd", OP_SEND_FD}, {"close_fd", OP_CLOSE_FD},
	{"probe", OP_PROBE}, {"skip", OP_SKIP},
	{"ptrace_attach", OP_PTRACE_ATTACH}, {"ptrace_traceme", OP_PTRACE_TRACEME},
	{"ptrace_setoptions", OP_PTRACE_SETOPTIONS}, {"ptrace_response", OP_PTRACE_RESPONSE},
	{"ptrace_get_filter", OP_PTRACE_GET_FILTER},
	{"notif_supervise", OP_NOTIF_SUPERVISE}, {"notif_recv", OP_NOTIF_RECV}, {"notif_send", OP_NOTIF_SEND},
	{"notif_id_valid", OP_NOTIF_ID_VALID}, {"notif_addfd", OP_NOTIF_ADDFD}, {"notif_set_flags", OP_NOTIF_SET_FLAGS},
	{"notif_sizes", OP_NOTIF_SIZES}, {"notif_poll", OP_NOTIF_POLL}, {"notif_return", OP_NOTIF_RETURN},
	{"seccomp_action_avail", OP_ACTION_AVAIL}, {"fd_call", OP_FD_CALL}, {"keyctl", OP_KEYCTL},
	{"socketpair", OP_SOCKETPAIR}, {"fown_set", OP_FOWN_SET}, {"unix_listen", OP_UNIX_LISTEN},
	{"chdir", OP_CHDIR}, {"umount", OP_UMOUNT}, {"sigsys", OP_SIGSYS}, {"setpgid", OP_SETPGID},
};

/* The sigsys op's words, in the order of chan.h's enum sigsys_action. */
static const char *const SIGSYS_WORDS[SIGSYS_NACTIONS] = {"ignore", "default", "handle", "block", "unblock"};

/* "op <kind> <task> <pin|-> ..." */
static int parse_op(struct toks *t, struct op *o, struct perr *e)
{
	memset(o, 0, sizeof *o);
	if (t->n < 4) return fail(e, "op: expected kind, task and pin");
	o->kind = -1;
	for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
		if (strcmp(t->v[1], OPS[i].name) == 0) o->kind = OPS[i].kind;
	if (o->kind < 0) return fail(e, "op: unknown kind '%s'", t->v[1]);
	SNUM(2, o->task);
	if (strcmp(t->v[3], "-") != 0) { o->has_pin = 1; SNUM(3, o->pin); }
	unsigned long long u;
	switch (o->kind) {
	case OP_FILTER: {
		NEED(6);
		UNUM(4, u); o->n[0] = (long long)u;
		UNUM(5, u); o->ninsn = u;
		if (u > MAX_INSNS + 1) return fail(e, "seccomp_filter: %llu instructions; the sender truncates programs to %d", u, MAX_INSNS + 1);
		if (t->n != 6 + 4 * (int)u) return fail(e, "seccomp_filter: %llu instructions need %llu numbers", u, 4 * u);
		o->insns = calloc(u ? u : 1, sizeof *o->insns);
		if (!o->insns) return fail(e, "out of memory");
		for (unsigned long i = 0; i < u; i++) {
			unsigned long long c, jt, jf, k;
			if (num_u(t->v[6 + 4 * i], &c) || num_u(t->v[7 + 4 * i], &jt) || num_u(t->v[8 + 4 * i], &jf) ||
			    num_u(t->v[9 + 4 * i], &k) || c > 0xffff || jt > 0xff || jf > 0xff || k > 0xffffffffULL)
				return fail(e, "seccomp_filter: bad instruction %lu", i);
			o->insns[i] = (struct sock_filter){(unsigned short)c, (unsigned char)jt, (unsigned char)jf, (unsigned)k};
		}
		break;
	}
	case OP_RULESET_CREATE:
		NEED(7);
		for (int i = 0; i < 3; i++) { UNUM(4 + i, u); o->n[i] = (long long)u; }
		if (t->n > 7) { UNUM(7, u); o->n[3] = (long long)u; } /* query flags */
		break;
	case OP_ADD_RULE:
		NEED(8);
		/* "a<N>": the N-th descriptor of any kind (a non-ruleset one gives EBADFD) */
		if (t->v[4][0] == 'a') { o->any_fd = 1; t->v[4]++; }
		SNUM(4, o->n[0]);
		UNUM(6, u); o->n[1] = (long long)u;
		if (strcmp(t->v[5], "path") == 0) { STR(7, o->s1); }
		else if (strcmp(t->v[5], "port") == 0) { o->rule_port = 1; UNUM(7, u); o->n[2] = (long long)u; }
		else return fail(e, "ruleset_add_rule: unknown rule type '%s'", t->v[5]);
		break;
	case OP_RESTRICT:
		NEED(6);
		if (t->v[4][0] == 'a') { o->any_fd = 1; t->v[4]++; }
		if (strcmp(t->v[4], "-") != 0) { o->has_ruleset = 1; SNUM(4, o->n[0]); }
		UNUM(5, u); o->n[1] = (long long)u;
		break;
	case OP_ACTION_AVAIL:
		NEED(6);
		UNUM(4, u); o->n[0] = (long long)u;
		UNUM(5, u); o->n[1] = (long long)u;
		break;
	case OP_SEND_FD:
		NEED(6);
		SNUM(4, o->n[0]);
		SNUM(5, o->n[1]);
		break;
	case OP_CLOSE_FD:
		NEED(5);
		SNUM(4, o->n[0]);
		break;
	case OP_PROBE:
		return parse_probe(t, o, e);
	case OP_SKIP:
	case OP_CHDIR:
		NEED(5);
		STR(4, o->s1);
		break;
	case OP_UMOUNT:
		NEED(5);
		STR(4, o->s1);
		if (o->s1[0] != '/') return fail(e, "umount: the path must be absolute, got '%s'", t->v[4]);
		break;
	case OP_SIGSYS:
		NEED(5);
		if (t->n > 5) return fail(e, "sigsys: unexpected '%s'", t->v[5]);
		o->n[0] = -1;
		for (int k = 0; k < SIGSYS_NACTIONS; k++)
			if (strcmp(t->v[4], SIGSYS_WORDS[k]) == 0) o->n[0] = k;
		if (o->n[0] < 0) return fail(e, "sigsys: unknown action '%s'", t->v[4]);
		break;
	case OP_PTRACE_ATTACH:
	case OP_PTRACE_GET_FILTER:
		NEED(7);
		SNUM(4, o->n[0]);
		SNUM(5, o->n[1]);
		SNUM(6, o->n[2]);
		break;
	case OP_NOTIF_RECV:
	case OP_NOTIF_POLL:
	case OP_KEYCTL:
		NEED(5);
		SNUM(4, o->n[0]);
		break;
	case OP_FOWN_SET: /* fd target [type]: the 2-field form is a process owner */
		NEED(6);
		SNUM(4, o->n[0]);
		SNUM(5, o->n[1]);
		if (t->n > 6) SNUM(6, o->n[2]);
		if (t->n > 7) return fail(e, "fown_set: unexpected '%s'", t->v[7]);
		if (o->n[2] < 0 || o->n[2] > 2) return fail(e, "fown_set: unknown owner type %lld (0 process, 1 thread, 2 process group)", o->n[2]);
		break;
	case OP_SETPGID: /* pid pgid: task references, -1 for 0 */
		NEED(6);
		SNUM(4, o->n[0]);
		SNUM(5, o->n[1]);
		if (t->n > 6) return fail(e, "setpgid: unexpected '%s'", t->v[6]);
		break;
	case OP_PTRACE_SETOPTIONS:
	case OP_NOTIF_SET_FLAGS:
	case OP_FD_CALL:
		NEED(6);
		SNUM(4, o->n[0]);
		SNUM(5, o->n[1]);
		break;
	case OP_PTRACE_RESPONSE: {
		NEED(7);
		SNUM(4, o->n[0]);
		SNUM(5, o->n[1]);
		SNUM(6, o->n[2]);
		if (o->n[2] < 0 || o->n[2] > 3 || t->n != 7 + o->n[2]) return fail(e, "ptrace_response: %lld arguments (at most 3)", o->n[2]);
		for (int k = 0; k < o->n[2]; k++) UNUM(7 + k, o->args[k]);
		break;
	}
	case OP_NOTIF_ID_VALID:
		NEED(6);
		SNUM(4, o->n[0]);
		SNUM(5, o->n[1]);
		break;
	case OP_NOTIF_SEND: /* fd target val error flags */
		NEED(9);
		SNUM(4, o->n[0]);
		SNUM(5, o->n[1]);
		SNUM(6, o->n[2]);
		SNUM(7, o->n[3]);
		UNUM(8, u); o->args[0] = u;
		break;
	case OP_NOTIF_ADDFD: /* fd target src flags cloexec */
		NEED(9);
		SNUM(4, o->n[0]);
		SNUM(5, o->n[1]);
		SNUM(6, o->n[2]);
		UNUM(7, u); o->args[0] = u;
		UNUM(8, u); o->args[1] = u;
		break;
	default:
		break;
	}
	return 0;
}

void scenario_free(struct scenario *sc)
{
	for (int i = 0; i < sc->nfs; i++) free(sc->fs[i].path);
	for (int i = 0; i < sc->nmounts; i++) {
		free(sc->mounts[i].source);
		free(sc->mounts[i].at);
	}
	free(sc->mounts);
	for (int i = 0; i < sc->nops; i++) {
		free(sc->ops[i].s1);
		free(sc->ops[i].s2);
		free(sc->ops[i].insns);
	}
	for (int i = 0; i < sc->ntab; i++) {
		free(sc->tab[i].s1);
		free(sc->tab[i].s2);
	}
	free(sc->fs);
	free(sc->ops);
	free(sc->tab);
	memset(sc, 0, sizeof *sc);
}

static struct toks g_toks;

static int parse_header(struct toks *t, struct scenario *sc, struct perr *e)
{
	unsigned long long u;
	if (t->n != 8) return fail(e, "scenario: expected 7 fields, got %d", t->n - 1);
	snprintf(sc->id, sizeof sc->id, "%s", t->v[1]);
	if (num_u(t->v[2], &u) || u == 0 || u > 3600000) return fail(e, "scenario: bad op timeout");
	sc->op_timeout_ms = (unsigned)u;
	if (num_u(t->v[3], &u) || u == 0 || u > 3600000) return fail(e, "scenario: bad scenario timeout");
	sc->scen_timeout_ms = (unsigned)u;
	sc->nnp = strcmp(t->v[4], "1") == 0;
	sc->cap = strcmp(t->v[5], "1") == 0;
	if (strcmp(t->v[6], "-") != 0) {
		char *save = NULL;
		for (char *p = strtok_r(t->v[6], ",", &save); p; p = strtok_r(NULL, ",", &save)) {
			if (strcmp(p, "netns") == 0) sc->opt_netns = 1;
			else if (strcmp(p, "noanswer") == 0) sc->opt_noanswer = 1;
			else if (strcmp(p, "table") == 0) sc->opt_table = 1;
			else return fail(e, "scenario: unknown option '%s'", p);
		}
	}
	(void)t->v[7]; /* reserved */
	return 0;
}

int proto_read(FILE *in, struct scenario *sc, char *err, size_t errlen)
{
	static char *line;
	static size_t cap;
	struct perr e = {err, errlen};
	struct toks *t = &g_toks;
	int bad = 0, have_header = 0, cap_ops = 0, cap_fs = 0, cap_tab = 0;
	memset(sc, 0, sizeof *sc);
	for (;;) {
		ssize_t n = getline(&line, &cap, in);
		if (n < 0) {
			if (have_header) { snprintf(err, errlen, "unexpected end of input inside a request"); scenario_free(sc); return REQ_ERROR; }
			return REQ_EOF;
		}
		split(line, t);
		if (t->n == 0) continue;
		if (!have_header) {
			if (strcmp(t->v[0], "features") == 0) return REQ_FEATURES;
			if (strcmp(t->v[0], "scenario") != 0) {
				snprintf(err, errlen, "expected 'scenario' or 'features', got '%.40s'", t->v[0]);
				bad = 1;
				have_header = 1;
				continue;
			}
			have_header = 1;
			if (parse_header(t, sc, &e)) bad = 1;
			continue;
		}
		if (strcmp(t->v[0], "end") == 0) break;
		if (bad) continue;
		if (strcmp(t->v[0], "fs") == 0) {
			if (t->n != 3 || strlen(t->v[1]) != 1 || !strchr("dfc", t->v[1][0])) { fail(&e, "fs: expected 'fs <d|f|c> <path>'"); bad = 1; continue; }
			if (sc->nfs == cap_fs) { cap_fs = cap_fs ? 2 * cap_fs : 16; sc->fs = realloc(sc->fs, cap_fs * sizeof *sc->fs); }
			struct fsent *f = &sc->fs[sc->nfs];
			f->type = t->v[1][0];
			if (!(f->path = decode(t->v[2])) || f->path[0] != '/' || strstr(f->path, "..")) {
				free(f->path);
				fail(&e, "fs: bad path '%s'", t->v[2]);
				bad = 1;
				continue;
			}
			sc->nfs++;
		} else if (strcmp(t->v[0], "mount") == 0) {
			if (t->n != 4 || (strcmp(t->v[1], "bind") != 0 && strcmp(t->v[1], "detached") != 0)) { fail(&e, "mount: expected 'mount <bind|detached> <source> <at>'"); bad = 1; continue; }
			if (sc->nmounts == DETACHED_MAX) { fail(&e, "mount: at most %d mounts", DETACHED_MAX); bad = 1; continue; }
			if (!sc->mounts && !(sc->mounts = calloc(DETACHED_MAX, sizeof *sc->mounts))) { fail(&e, "out of memory"); bad = 1; continue; }
			struct fsmount *m = &sc->mounts[sc->nmounts];
			m->detached = t->v[1][0] == 'd';
			m->source = decode(t->v[2]);
			m->at = decode(t->v[3]);
			sc->nmounts++; /* so that scenario_free releases what was decoded */
			for (int k = 0; k < 2; k++) {
				const char *p = k ? m->at : m->source;
				if (!p || p[0] != '/' || !p[1] || strstr(p, "..")) { fail(&e, "mount: bad path '%s'", t->v[2 + k]); bad = 1; break; }
			}
			/* a detached mount's name is one component: fstree.c maps "<at>/..." onto its descriptor */
			if (!bad && m->detached && strchr(m->at + 1, '/')) { fail(&e, "mount: a detached mount's name must be top-level, got '%s'", t->v[3]); bad = 1; }
			if (!bad && m->detached) sc->ndetached++;
		} else if (strcmp(t->v[0], "op") == 0) {
			if (sc->nops == cap_ops) { cap_ops = cap_ops ? 2 * cap_ops : 32; sc->ops = realloc(sc->ops, cap_ops * sizeof *sc->ops); }
			if (parse_op(t, &sc->ops[sc->nops], &e)) {
				char tmp[256];
				snprintf(tmp, sizeof tmp, "op %d: %s", sc->nops, err);
				snprintf(err, errlen, "%s", tmp);
				sc->nops++; /* so that scenario_free releases what was parsed */
				bad = 1;
				continue;
			}
			sc->nops++;
		} else if (strcmp(t->v[0], "table") == 0) {
			/* "table <probe fields>": read as "op probe 0 - <probe fields>" */
			if (t->n < 2 || t->n + 3 > MAX_TOK) { fail(&e, "table: expected a request"); bad = 1; continue; }
			if (sc->ntab == cap_tab) { cap_tab = cap_tab ? 2 * cap_tab : 32; sc->tab = realloc(sc->tab, cap_tab * sizeof *sc->tab); }
			for (int k = t->n - 1; k >= 1; k--) t->v[k + 3] = t->v[k];
			t->v[0] = "op";
			t->v[1] = "probe";
			t->v[2] = "0";
			t->v[3] = "-";
			t->n += 3;
			if (parse_op(t, &sc->tab[sc->ntab], &e)) {
				char tmp[256];
				snprintf(tmp, sizeof tmp, "table %d: %s", sc->ntab, err);
				snprintf(err, errlen, "%s", tmp);
				sc->ntab++;
				bad = 1;
				continue;
			}
			sc->ntab++;
		} else {
			fail(&e, "unknown record '%.40s'", t->v[0]);
			bad = 1;
		}
	}
	if (bad) return REQ_ERROR;
	return REQ_SCENARIO;
}
