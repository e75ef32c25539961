/* The coordinator's side of the ptrace ops (ptrace_op.c). */
#ifndef STRATA_PTRACE_OP_H
#define STRATA_PTRACE_OP_H

#include "proto.h"
#include "book.h"

void ptrace_reset(void);
int op_ptrace_attach(int i, int ti, const struct op *o);
int op_ptrace_traceme(int i, int ti);
int op_ptrace_request(int i, int ti, const struct op *o, int sub);
int op_ptrace_response(int i, int ti, const struct op *o);
/* Arm the tracer of task `ti` for one op of it (`probe`: with its declared response): the
 * tracer's index, -1 when `ti` has no tracer, -2 when its tracer cannot serve (strict, mute). */
int tracer_arm(int ti, int probe);
void tracer_disarm(int r);
int tracer_of(int ti);

#endif
