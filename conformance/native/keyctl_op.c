/* The coordinator's side of keyctl on the session keyring (model/task/keyctl.ts). The task makes
 * the call itself. JOIN_SESSION_KEYRING's serial is reported as the keyring's number, the order in
 * which the scenario's joins made it (the k-th distinct serial is k): serials are the kernel's
 * and differ from run to run. SESSION_TO_PARENT is made only when the real parent is a modelled
 * task: otherwise the parent would be the coordinator, whose credentials the scenario must not
 * touch; the model calls that step invalid too. */
#define _GNU_SOURCE
#include "ops.h"
#include "call.h"

#include <string.h>

#define MAX_KEYRINGS 256

static long keyring_serials[MAX_KEYRINGS];
static int nkeyring_serials;

void keyctl_reset(void)
{
	nkeyring_serials = 0;
}

/* The number of the keyring with this serial, given at its first sight. */
static long keyring_number(long serial)
{
	for (int k = 0; k < nkeyring_serials; k++)
		if (keyring_serials[k] == serial) return k + 1;
	if (nkeyring_serials == MAX_KEYRINGS) return -1;
	keyring_serials[nkeyring_serials++] = serial;
	return nkeyring_serials;
}

int op_keyctl(int i, int ti, const struct op *o)
{
	struct task *t = &T[ti];
	int mtid = t->model_tid;
	if (o->n[0] == 1) {
		int n;
		real_parent(ti, &n);
		if (n == 0) { emit(i, mtid, "invalid keyctl session_to_parent: the real parent is not a modelled task"); return 0; }
	}
	struct tcmd c;
	memset(&c, 0, sizeof c);
	c.cmd = TC_KEYCTL;
	c.sub = (int)o->n[0];
	struct trep rep;
	int s = simple(i, ti, &c, sizeof c, -1, &rep);
	if (s) return s < 0 ? -1 : 0;
	long r = rep.ret;
	if (o->n[0] == 0 && r > 0) {
		r = keyring_number(r);
		if (r < 0) { emit(i, mtid, "error keyctl: more than %d session keyrings in one scenario", MAX_KEYRINGS); return 0; }
	}
	emit_ret(i, mtid, r);
	return 0;
}
