/* ---- strata repro: the driver (repro/driver.c) ----------------------------------------------
 *
 * The code above is strata's conformance executor, verbatim (conformance/executor.c and
 * conformance/native/ *.c). Below: the scenario as a table of ops (one function per step), the
 * model's expected result for each step, and a main() that runs the scenario through the
 * executor's own run_scenario() -- the same coordinator, tasks, safety rules and timeouts as
 * `strata conform` -- and prints KTAP, one test point per step.
 *
 * A step's verdict follows strata's comparison (conformance/compare.ts, diff.ts, verdict.ts):
 *   ok          the kernel's result is one the model's result stands for
 *               (an explained difference, conformance/explained.ts, is ok with a note);
 *   not ok      it is not: expected (the model) and observed (the kernel) are printed;
 *   ok # SKIP   the step was not compared for a documented reason (this kernel cannot run it,
 *               the Landlock layer count could not be measured, an earlier step parted the
 *               two worlds);
 *   not ok # TIMEOUT / # ERROR   the step was lost to a timeout or an executor failure.
 * Exit status (kselftest): 0 every compared step agrees, 1 a step differs or was lost,
 * 4 nothing was compared (every step skipped). */

#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

/* What the model says about one step. A pattern is the text after "r <op> <tid> " of the
 * executor's result line (conformance/protocol.md), token by token: "*" matches any one token,
 * a trailing "**" the rest of the line, "~ordinary" any result that is neither `stopped` nor
 * `killed`. */
struct expect {
	const char *name;                /* the step's function: step_<index>_<op> */
	const char *line;                /* the trace's step line */
	const char *model;               /* the model's result, in words */
	int tid;                         /* the acting task's model tid */
	const char *const *agree;        /* results that agree with the model */
	const char *const *unknown;      /* results that cannot be compared (layer count unknown) */
	const char *const *explained;    /* results a documented model decision explains */
	const char *explained_id;
	int explained_stop;              /* the explained difference parts the worlds */
	int changes_world;               /* the model's world changed at this step */
	int is_probe;
};

/* @@SCENARIO@@ */

static int tok_match(const char *pat, const char *text)
{
	if (!strcmp(pat, "~ordinary"))
		return strncmp(text, "stopped", 7) != 0 && strncmp(text, "killed", 6) != 0;
	for (;;) {
		while (*pat == ' ') pat++;
		while (*text == ' ') text++;
		if (!*pat) return !*text;
		if (pat[0] == '*' && pat[1] == '*' && (pat[2] == 0 || pat[2] == ' ')) return 1;
		size_t pl = strcspn(pat, " "), tl = strcspn(text, " ");
		if (!tl) return 0;
		if (!(pl == 1 && pat[0] == '*') && (pl != tl || strncmp(pat, text, pl))) return 0;
		pat += pl;
		text += tl;
	}
}

static int any_match(const char *const *pats, const char *text)
{
	for (; *pats; pats++)
		if (tok_match(*pats, text)) return 1;
	return 0;
}

/* The executor's reply, one result line per op: its tid and result text, or NULL. */
static char *g_reply;
static const char *g_run_status = "error";
static char g_cleanup[64] = "unknown";

static int reply_line(int i, int *tid, const char **result)
{
	char key[32];
	snprintf(key, sizeof key, "r %d ", i);
	for (char *p = g_reply; p && *p;) {
		char *nl = strchr(p, '\n');
		if (!strncmp(p, key, strlen(key))) {
			char *q = p + strlen(key);
			static char line[4096];
			*tid = atoi(q);
			q = strchr(q, ' ');
			size_t n = q ? (nl ? (size_t)(nl - q - 1) : strlen(q + 1)) : 0;
			if (n >= sizeof line) n = sizeof line - 1;
			memcpy(line, q ? q + 1 : "", n);
			line[n] = 0;
			*result = line;
			return 1;
		}
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

enum verdict { V_SAME, V_EXPLAINED, V_DIFFERENT, V_SKIP, V_LOST };

static int starts(const char *s, const char *w)
{
	size_t n = strlen(w);
	return !strncmp(s, w, n) && (s[n] == ' ' || s[n] == 0);
}

int main(void)
{
	setup();
#ifdef STRATA_REPRO_HAS_TASK_IMAGE
	install_task_image();
#endif
	struct scenario sc;
	build_scenario(&sc);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem) {
		printf("KTAP version 1\n1..0 # SKIP open_memstream failed\n");
		return KSFT_SKIP;
	}
	run_scenario(&sc, mem);
	fclose(mem);
	g_reply = text;
	char *res = strstr(text, "result ");
	static char status[16];
	if (res && sscanf(res, "result %*s %15s %*s %63s", status, g_cleanup) >= 1) g_run_status = status;

	printf("KTAP version 1\n");
	printf("# %s\n", REPRO_TITLE);
	printf("# kernel run: %s, cleanup %s\n", g_run_status, g_cleanup);
	printf("1..%d\n", NSTEPS);
	int compared = 0, failed = 0;
	const char *parted = NULL;          /* why later steps are not compared */
	int parted_lost = 0;                /* ... and whether that lost them */
	static char why[512];
	for (int i = 0; i < NSTEPS; i++) {
		const struct expect *e = &EXPECT[i];
		int tid = 0;
		const char *r = NULL;
		enum verdict v;
		const char *note = NULL;
		if (!reply_line(i, &tid, &r)) {
			v = V_LOST;
			note = "ERROR no result recorded for this step";
		} else if (parted) {
			v = parted_lost ? V_LOST : V_SKIP;
			note = parted;
		} else if (starts(r, "skip") || starts(r, "timeout") || starts(r, "notrun") || starts(r, "error")) {
			/* the kernel did not carry the step out (conformance/diff.ts notCarriedOut) */
			int skip = starts(r, "skip"), err = starts(r, "error");
			int documented = skip || (err && (strstr(r, "the target's listener") || strstr(r, "no longer answers") ||
							  strstr(r, "descriptor numbers no longer match")));
			v = documented ? V_SKIP : V_LOST;
			snprintf(why, sizeof why, "%s%s", starts(r, "timeout") ? "TIMEOUT " : v == V_LOST ? "ERROR " : "", r);
			note = why;
			int parts = e->changes_world || (!skip && (!err || !e->is_probe || strstr(r, "no longer answers") ||
								    strstr(r, "descriptor numbers no longer match")));
			if (parts) {
				static char pw[600];
				snprintf(pw, sizeof pw, "after step #%d, which the kernel did not carry out (%s)", i, r);
				parted = pw;
				parted_lost = v == V_LOST || strcmp(g_run_status, "ok") != 0;
			}
		} else if (any_match(e->agree, r) && tid == e->tid) {
			v = V_SAME;
			/* the call returned, then the filter it installed killed the task at the
			 * executor's reply: compared, then the worlds part (conformance/diff.ts) */
			if (strstr(r, " then-killed ")) {
				static char pw[600];
				snprintf(pw, sizeof pw, "after step #%d: the task's call returned, then the filter it had just installed killed it at its next system call, the executor's reply, which the model's task does not make", i);
				parted = pw;
				parted_lost = 0;
			}
		} else if (any_match(e->unknown, r)) {
			v = V_SKIP;
			snprintf(why, sizeof why, "the kernel's layer count is unknown: %s", r);
			note = why;
		} else if (e->explained_id && tid == e->tid && any_match(e->explained, r)) {
			v = V_EXPLAINED;
			snprintf(why, sizeof why, "explained (%s): model %s, kernel %s", e->explained_id, e->model, r);
			note = why;
			if (e->explained_stop) {
				static char pw[600];
				snprintf(pw, sizeof pw, "after step #%d, whose difference is explained (%s) and parts the worlds", i, e->explained_id);
				parted = pw;
				parted_lost = 0;
			}
		} else {
			v = V_DIFFERENT;
		}
		printf("# #%d %s\n", i, e->line);
		switch (v) {
		case V_SAME:
			compared++;
			printf("ok %d %s - model %s, kernel %s\n", i + 1, e->name, e->model, r);
			break;
		case V_EXPLAINED:
			compared++;
			printf("ok %d %s - %s\n", i + 1, e->name, note);
			break;
		case V_DIFFERENT:
			compared++;
			failed++;
			printf("# expected: tid %d, %s\n# observed: tid %d, %s\n", e->tid, e->model, tid, r);
			printf("not ok %d %s - expected %s, observed %s\n", i + 1, e->name, e->model, r);
			break;
		case V_SKIP:
			printf("ok %d %s # SKIP %s\n", i + 1, e->name, note);
			break;
		case V_LOST:
			failed++;
			printf("not ok %d %s # %s%s\n", i + 1, e->name,
			       strncmp(note, "TIMEOUT", 7) && strncmp(note, "ERROR", 5) ? "ERROR " : "", note);
			break;
		}
	}
	printf("# totals: %d compared, %d not ok, %d steps\n", compared, failed, NSTEPS);
	free(text);
	fflush(stdout);
	if (failed) return KSFT_FAIL;
	if (!compared) return KSFT_SKIP; /* nothing compared is never a pass */
	return KSFT_PASS;
}
