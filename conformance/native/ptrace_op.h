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
/* Arm the tracers of task `ti`'s thread group for one op of `ti` (`probe`: `ti`'s own tracer
 * with its declared response): 0 armed, -1 none, -2 one cannot serve (strict, mute). */
int tracer_arm(int ti, int probe);
void tracer_disarm(void);
/* Before the coordinator commands task `ti`: if it is an armed tracer, end its serving (1; then
 * tracer_resume after the command: its tracees are idle meanwhile, the coordinator commanding
 * one task at a time). */
int tracer_pause(int ti);
void tracer_resume(int ti);
int tracer_of(int ti);

#endif
