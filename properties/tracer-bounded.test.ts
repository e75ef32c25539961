// tracer-bounded (properties/tracer-bounded.ts): the re-check after a tracer's stop is what keeps
// a rewrite inside every layer's kernel-final verdicts (R5); SUSPEND_SECCOMP is named as the
// administrator escape it is, never passed silently.
import { describe, it, expect } from 'vitest';
import type { Op } from '../model/ops.js';
import { compilePolicy } from '../model/bpf/asm.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_TRACE, retErrno } from '../model/seccomp/action.js';
import { ERRNO } from '../model/errno.js';
import { PTRACE_O } from '../model/ptrace/state.js';
import { syscall } from '../model/request.js';
import { builtinVariant } from '../variants/registry.js';
import { runTrace } from './trace.js';
import { ALL_PROPERTIES } from './all.js';
import { TRACER_BOUNDED } from './tracer-bounded.js';

const LINUX = builtinVariant('linux')!;
const filter = (task: number, rules: { nr: number; action: number }[]): Op => ({ op: 'seccomp_filter', task, flags: 0, program: compilePolicy({ default: SECCOMP_RET_ALLOW, rules }) });
const getpid = (task: number): Op => ({ op: 'probe', task, request: syscall(39) });

/** P denies getuid in one layer and TRACEs getpid in another; H (forked) rewrites to getuid. */
const REWRITE_PAST_ERRNO: Op[] = [
  filter(0, [{ nr: 102, action: retErrno(ERRNO.EACCES) }]),
  filter(0, [{ nr: 39, action: SECCOMP_RET_TRACE }]),
  { op: 'fork', task: 0 },
  { op: 'ptrace_response', task: 1, response: { kind: 'rewrite', nr: 102, args: [] } },
  { op: 'ptrace_attach', task: 1, target: 0, seize: true, options: PTRACE_O.TRACESECCOMP },
  getpid(0),
];

describe('tracer-bounded', () => {
  it('holds on Linux: the re-check stops a rewrite at the other layer\'s ERRNO', () => {
    const t = runTrace(LINUX, REWRITE_PAST_ERRNO);
    expect(TRACER_BOUNDED.check(t)).toBeNull();
    const last = t.steps[5]!.out.result;
    expect(last.kind === 'probe' && last.probe.outcome).toEqual({ kind: 'errno', errno: ERRNO.EACCES, by: 'seccomp' });
  });

  it('fails without the re-check (no-trace-recheck), at the traced call, naming the layer', () => {
    const v = TRACER_BOUNDED.check(runTrace(builtinVariant('no-trace-recheck')!, REWRITE_PAST_ERRNO));
    expect(v?.atStep).toBe(5);
    expect(v?.message).toMatch(/syscall 102, which layer 1 decides errno .* no re-check after the stop \(R5\)/);
  });

  it('names SUSPEND_SECCOMP as the administrator escape, and no other property blames it on a layer', () => {
    const ops: Op[] = [{ op: 'fork', task: 0 }, filter(1, [{ nr: 39, action: retErrno(ERRNO.EPERM) }]), { op: 'ptrace_attach', task: 0, target: 1, seize: true, options: PTRACE_O.SUSPEND_SECCOMP }, getpid(1)];
    const t = runTrace(LINUX, ops);
    const v = TRACER_BOUNDED.check(t);
    expect(v?.atStep).toBe(3);
    expect(v?.message).toMatch(/PTRACE_O_SUSPEND_SECCOMP\), an administrator escape outside the layering model/);
    expect(v?.details).toMatchObject({ escape: 'PTRACE_O_SUSPEND_SECCOMP' });
    for (const p of ALL_PROPERTIES) if (p !== TRACER_BOUNDED) expect(p.check(t), p.id).toBeNull();
  });

  it('R9 on Linux (a recruited tracer lets a TRACE\'d call run) violates no property: RET_TRACE delegates', () => {
    const ops: Op[] = [filter(0, [{ nr: 39, action: SECCOMP_RET_TRACE }]), { op: 'fork', task: 0 }, { op: 'ptrace_attach', task: 1, target: 0, seize: true, options: PTRACE_O.TRACESECCOMP }, getpid(0)];
    const t = runTrace(LINUX, ops);
    const last = t.steps[3]!.out.result;
    expect(last.kind === 'probe' && last.probe.outcome).toEqual({ kind: 'allow' });
    for (const p of ALL_PROPERTIES) expect(p.check(t), p.id).toBeNull();
  });
});
