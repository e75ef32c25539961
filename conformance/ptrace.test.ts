// The executor against the tracer facts of /work/shared/spec/delegation.md §6–9 verified on this
// kernel ([V] R1–R5, R9, P1–P5, F1–F5, L1–L3), with the verified values as expectations, and the
// model's run of the same ops compared step by step (conformance/diff.ts): every step the same.
// All facts run in few scenarios, on one executor (the test's cost is a handful of kernel runs).
import { describe, expect, test } from 'vitest';
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as FLAG } from '../model/ops.js';
import type { KernelOpResult, KernelTrace } from './result.js';
import { kx, useSharedExecutor } from './shared-executor.js';
import { compilePolicy } from '../model/bpf/asm.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_TRACE, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_USER_NOTIF, retErrno } from '../model/seccomp/action.js';
import { ERRNO } from '../model/errno.js';
import { PTRACE_O } from '../model/ptrace/state.js';
import { FS, fork, thread, dropCap, ruleset, restrict, probe, sys } from './fixtures.js';
import { runTrace, defaultScenarioWorld } from '../properties/trace.js';
import { builtinVariant } from '../variants/registry.js';
import { diffScenario } from './diff.js';

useSharedExecutor();

const LINUX = builtinVariant('linux')!;
const { TRACESECCOMP, SUSPEND_SECCOMP } = PTRACE_O;

const pol = (task: number, rules: { nr: number; action: number; argEq?: [number, number] }[], flags = 0): Op =>
  ({ op: 'seccomp_filter', task, flags, program: compilePolicy({ default: SECCOMP_RET_ALLOW, rules }) });
const seize = (task: number, target: number, options: number = TRACESECCOMP): Op => ({ op: 'ptrace_attach', task, target, seize: true, options });
const attach = (task: number, target: number): Op => ({ op: 'ptrace_attach', task, target, seize: false, options: 0 });
const setopt = (task: number, target: number, options: number): Op => ({ op: 'ptrace_setoptions', task, target, options });
const respond = (task: number, response: Extract<Op, { op: 'ptrace_response' }>['response']): Op => ({ op: 'ptrace_response', task, response });
const dump = (task: number, target: number, index: number, metadata = false): Op => ({ op: 'ptrace_get_filter', task, target, index, metadata });
const TRACE = SECCOMP_RET_TRACE;
const ok = (ret = 0): KernelOpResult => ({ kind: 'ok', ret });
const err = (errno: number): KernelOpResult => ({ kind: 'err', errno });
const perr = (errno: number): KernelOpResult => ({ kind: 'probe', outcome: { kind: 'errno', errno } });
const ran = (r: KernelOpResult): boolean => r.kind === 'probe' && r.outcome.kind === 'returned';

/** The kernel's run, which must finish clean, and the model's agreeing on every step. */
async function both(ops: Op[], opts: { capSysAdmin?: boolean } = {}): Promise<KernelOpResult[]> {
  const t: KernelTrace = await kx.run(ops, opts);
  expect(t.status).toBe('ok');
  expect(t.cleanup).toBe('clean');
  const model = runTrace(LINUX, ops, { world: { ...defaultScenarioWorld(LINUX), capSysAdmin: opts.capSysAdmin ?? true } });
  const d = diffScenario({ ops, model, kernel: t.steps });
  const bad = d.steps.map((s, i) => (s.status === 'same' ? null : `#${i} ${s.status}: ${'why' in s ? s.why : ''}`)).filter((x) => x !== null);
  expect(bad, 'model and kernel agree on every step').toEqual([]);
  return t.steps.map((s) => s.result);
}

describe('RET_TRACE and tracers (delegation.md §6, §9) on the kernel, with the model', () => {
  test('R1, R2/R9, R3, R4/R5, L3 and a tracer\'s exit, in one scenario per tracer response', async () => {
    // P (0) TRACEs getpid, denies getuid (EACCES) and kills on geteuid; H (1) is its fork
    const base: Op[] = [
      pol(0, [{ nr: 39, action: TRACE }, { nr: 102, action: retErrno(ERRNO.EACCES) }, { nr: 107, action: SECCOMP_RET_KILL_PROCESS }]),
      sys(0, 39), // R1: no tracer → ENOSYS
      fork(0),
      attach(1, 0), sys(0, 39), // R1: a tracer without TRACESECCOMP → ENOSYS
      setopt(1, 0, TRACESECCOMP), sys(0, 39), // R2/R9: the recruited tracer continues → runs
      thread(0), attach(2, 0), // L3: ATTACH inside one thread group → EPERM
      respond(1, { kind: 'skip', errno: ERRNO.EPERM }), sys(0, 39), // R3
      respond(1, { kind: 'skip', errno: 0 }), sys(0, 39), // R3: returns 0
      respond(1, { kind: 'rewrite', nr: 110, args: [] }), sys(0, 39), // R4: runs as getppid
      respond(1, { kind: 'rewrite', nr: 102, args: [] }), sys(0, 39), // R5: the other rule's ERRNO
      { op: 'exit', task: 1 }, sys(0, 39), // the tracer's exit ends tracing: ENOSYS again
    ];
    const r = await both(base);
    expect(r[1]).toEqual(perr(ERRNO.ENOSYS));
    expect(r[3]).toEqual(ok());
    expect(r[4]).toEqual(perr(ERRNO.ENOSYS));
    expect(r[5]).toEqual(ok());
    expect(ran(r[6]!)).toBe(true);
    expect(r[8]).toEqual(err(ERRNO.EPERM));
    expect(r[10]).toEqual(perr(ERRNO.EPERM));
    expect(r[12]).toEqual({ kind: 'probe', outcome: { kind: 'returned', ret: 0 } });
    expect(ran(r[14]!)).toBe(true);
    expect(r[16]).toEqual(perr(ERRNO.EACCES));
    expect(r[18]).toEqual(perr(ERRNO.ENOSYS));
  });

  test('R5: a rewrite to a KILL_PROCESS\'d call is killed; to a USER_NOTIF\'d one goes to the listener; L1/L2', async () => {
    const kill = await both([
      pol(0, [{ nr: 39, action: TRACE }, { nr: 107, action: SECCOMP_RET_KILL_PROCESS }]), fork(0),
      respond(1, { kind: 'rewrite', nr: 107, args: [] }), seize(1, 0), sys(0, 39),
    ]);
    expect(kill[4]!.kind === 'probe' && kill[4]!.outcome.kind).toBe('kill_process');
    const notif = await both([
      pol(0, [{ nr: 102, action: SECCOMP_RET_USER_NOTIF }], FLAG.NEW_LISTENER), pol(0, [{ nr: 39, action: TRACE }]), fork(0),
      respond(1, { kind: 'rewrite', nr: 102, args: [] }), seize(1, 0), sys(0, 39),
    ]);
    expect(notif[5]!.kind === 'probe' && notif[5]!.outcome.kind).toBe('notify');
    // L1/L2: a child in a nested domain cannot attach to its parent; the parent can; TRACEME ok
    const ll = await both([fork(0), ruleset(1, FS.READ_FILE), restrict(1, 0), seize(1, 0, 0), seize(0, 1, 0), fork(0), ruleset(0, FS.READ_FILE), restrict(0, 0), { op: 'ptrace_traceme', task: 2 }]);
    expect(ll[3]).toEqual(err(ERRNO.EPERM));
    expect(ll[4]).toEqual(ok());
    expect(ll[8]).toEqual(err(ERRNO.EPERM));
  });

  test('P1–P5: SUSPEND_SECCOMP checks, its effect on every layer, and its end', async () => {
    const p = await both([
      fork(0), fork(0),
      pol(1, [{ nr: 39, action: retErrno(ERRNO.EPERM) }]),
      seize(0, 1, 0x100), // P1: SEIZE with an unknown option → EIO
      seize(2, 1, SUSPEND_SECCOMP), // P3: unconfined root → 0
      sys(1, 39), // P4: the ERRNO filter is skipped
      probe(1, { kind: 'ptrace', target: 0 }), // a suspended task's ptrace is not filtered either
      setopt(2, 1, 0x100), // P1: SETOPTIONS with an unknown option → EINVAL
      setopt(2, 1, 0), sys(1, 39), // P5: SETOPTIONS(0) resumes filtering
      setopt(2, 1, SUSPEND_SECCOMP), sys(1, 39), { op: 'exit', task: 2 }, sys(1, 39), // P5: the tracer's death too
    ]);
    expect(p[3]).toEqual(err(ERRNO.EIO));
    expect(p[4]).toEqual(ok());
    expect(ran(p[5]!)).toBe(true);
    expect(p[7]).toEqual(err(ERRNO.EINVAL));
    expect(p[9]).toEqual(perr(ERRNO.EPERM));
    expect(ran(p[11]!)).toBe(true);
    expect(p[13]).toEqual(perr(ERRNO.EPERM));
    // P2: without CAP_SYS_ADMIN, or from a filtered tracer → EPERM
    const p2 = await both([fork(0), dropCap(0), seize(0, 1, SUSPEND_SECCOMP), fork(1), pol(1, [{ nr: 102, action: retErrno(1) }]), seize(1, 2, SUSPEND_SECCOMP)]);
    expect(p2[2]).toEqual(err(ERRNO.EPERM));
    expect(p2[5]).toEqual(err(ERRNO.EPERM));
  });

  test('F1–F5: the filter dump: index 0 the oldest, ENOENT at the count, METADATA shows only LOG, EACCES, ESRCH, EINVAL', async () => {
    const r = await both([
      fork(0),
      pol(1, [{ nr: 39, action: retErrno(1) }]), // 4 instructions
      pol(1, [{ nr: 39, action: retErrno(1) }, { nr: 102, action: retErrno(1) }], FLAG.LOG | FLAG.NEW_LISTENER), // 7
      seize(0, 1, 0),
      dump(0, 1, 0), dump(0, 1, 1), dump(0, 1, 2), dump(0, 1, -1), // F1/F2
      dump(0, 1, 0, true), dump(0, 1, 1, true), // F3
      fork(0), dump(2, 1, 0), // F5: not the caller's tracee → ESRCH
      seize(0, 2, 0), dump(0, 2, 0), // F5: a tracee in mode 0 → EINVAL
      dropCap(0), dump(0, 1, 0), // F4: no CAP_SYS_ADMIN → EACCES
    ]);
    expect(r.slice(4, 8)).toEqual([ok(4), ok(7), err(ERRNO.ENOENT), err(ERRNO.ENOENT)]);
    expect(r.slice(8, 10)).toEqual([ok(0), ok(FLAG.LOG)]);
    expect(r[11]).toEqual(err(ERRNO.ESRCH));
    expect(r[13]).toEqual(err(ERRNO.EINVAL));
    expect(r[15]).toEqual(err(ERRNO.EACCES));
  });
});
