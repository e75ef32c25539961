/* The coordinator's side of each op but probes: what it sends, how it reads the reply, how the
 * bookkeeping follows. Each returns 0, or -1 when the op timed out (the scenario stops). */
#ifndef STRATA_OPS_H
#define STRATA_OPS_H

#include "proto.h"

int op_observe(int i, int ti);
int op_fork(int i, int ti, int thread);
int op_exec(int i, int ti);
int op_exit(int i, int ti);
int op_cred(int i, int ti, int kind); /* set_nnp, drop_cap */
int op_filter(int i, int ti, const struct op *o);
int op_ruleset_create(int i, int ti, const struct op *o);
int op_add_rule(int i, int ti, const struct op *o);
int op_restrict(int i, int ti, const struct op *o);
int op_strict(int i, int ti);
int op_close_fd(int i, int ti, const struct op *o);
int op_send_fd(int i, int ti, const struct op *o);
int op_probe(int i, int ti, const struct op *o);

#endif
