// The tracer model against the numbered facts of /work/shared/spec/delegation.md §6–9 that the
// ops can express (R1–R5, R9, P1–P5, F1–F5, L1–L3). The same facts on the live kernel:
// conformance/ptrace.test.ts.
import { describe, it, expect } from 'vitest';
import type { Op } from '../ops.js';
import { SECCOMP_FILTER_FLAG } from '../ops.js';
import type { World } from '../state.js';
import { initialWorld } from '../state.js';
import { run, step } from '../step.js';
import { syscall } from '../request.js';
import type { OpResult } from '../result.js';
import type { ProbeResult } from '../outcome.js';
import { compilePolicy } from '../bpf/asm.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_TRACE, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_USER_NOTIF, retErrno } from '../seccomp/action.js';
import { ERRNO } from '../errno.js';
import { PTRACE_O } from './state.js';
import { LINUX_SEMANTICS } from '../semantics.js';
import { FS } from '../landlock/access.js';

const { TRACESECCOMP, SUSPEND_SECCOMP } = PTRACE_O;

function filter(task: number, rules: { nr: number; action: number; argEq?: [number, number] }[], flags = 0): Op {
  return { op: 'seccomp_filter', task, flags, program: compilePolicy({ default: SECCOMP_RET_ALLOW, rules }) };
}
const trace = (nr: number, data = 0): { nr: number; action: number } => ({ nr, action: (SECCOMP_RET_TRACE | data) >>> 0 });
const errno = (nr: number, e: number): { nr: number; action: number } => ({ nr, action: retErrno(e) });

function go(ops: readonly Op[], w: World = initialWorld()): { world: World; results: OpResult[] } {
  const r = run(w, ops);
  return { world: r.world, results: r.steps.map((s) => s.result) };
}
function probeOf(r: OpResult): ProbeResult {
  if (r.kind !== 'probe') throw new Error(`not a probe: ${JSON.stringify(r)}`);
  return r.probe;
}
const getpid = (task: number, args: number[] = []): Op => ({ op: 'probe', task, request: syscall(39, args) });
const seize = (task: number, target: number, options: number = TRACESECCOMP): Op => ({ op: 'ptrace_attach', task, target, seize: true, options });

describe('RET_TRACE (delegation.md §6)', () => {
  it('R1: no tracer, or a tracer without TRACESECCOMP → ENOSYS', () => {
    const { results } = go([{ op: 'fork', task: 0 }, filter(1, [trace(39)]), getpid(1), { op: 'ptrace_attach', task: 0, target: 1, seize: false, options: 0 }, getpid(1)]);
    expect(probeOf(results[2]!).outcome).toEqual({ kind: 'errno', errno: ERRNO.ENOSYS, by: 'seccomp' });
    expect(results[3]).toEqual({ kind: 'ok', ret: 0 });
    expect(probeOf(results[4]!).outcome).toEqual({ kind: 'errno', errno: ERRNO.ENOSYS, by: 'seccomp' });
    expect(probeOf(results[4]!).trace).toBeUndefined();
  });

  it('R2/R9: a recruited tracer with TRACESECCOMP lets the TRACE\'d call run (ENOSYS before)', () => {
    // the filtered task forks a helper that seizes it: P = 0 filtered, helper = 1
    const { results } = go([filter(0, [trace(39)]), { op: 'fork', task: 0 }, getpid(0), seize(1, 0), getpid(0)]);
    expect(probeOf(results[2]!).outcome.kind).toBe('errno');
    expect(results[3]).toEqual({ kind: 'ok', ret: 0 });
    const p = probeOf(results[4]!);
    expect(p.outcome).toEqual({ kind: 'allow' });
    expect(p.trace?.tracer).toBe(101);
  });

  it('R9 within one Landlock domain: the helper inherits the domain and may still seize', () => {
    const { results } = go([
      { op: 'ruleset_create', task: 0, fs: FS.READ_FILE, net: 0, scoped: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      filter(0, [trace(39)]), { op: 'fork', task: 0 }, seize(1, 0), getpid(0),
    ]);
    expect(results[4]).toEqual({ kind: 'ok', ret: 0 });
    expect(probeOf(results[5]!).outcome).toEqual({ kind: 'allow' });
  });

  it('R3: skip returns the tracer\'s value (−EPERM → EPERM; 0 → 0; untouched rax → ENOSYS)', () => {
    for (const e of [ERRNO.EPERM, 0, ERRNO.ENOSYS]) {
      const { results } = go([filter(0, [trace(39)]), { op: 'fork', task: 0 }, seize(1, 0), { op: 'ptrace_response', task: 1, response: { kind: 'skip', errno: e } }, getpid(0)]);
      expect(probeOf(results[4]!).outcome).toEqual({ kind: 'errno', errno: e, by: 'tracer' });
    }
  });

  it('R4/R5: a rewrite is re-checked: to an allowed call it runs; to an ERRNO\'d, arg-matched or KILL\'d call that verdict wins; to another TRACE\'d call it runs', () => {
    const base = (response: Op): OpResult[] => go([
      filter(0, [trace(39), errno(102, ERRNO.EACCES), { nr: 39, argEq: [0, 7], action: retErrno(ERRNO.EXDEV) }, trace(104), { nr: 107, action: SECCOMP_RET_KILL_PROCESS }]),
      { op: 'fork', task: 0 }, seize(1, 0), response, getpid(0),
    ]).results;
    const rw = (nr: number, args: number[] = []): Op => ({ op: 'ptrace_response', task: 1, response: { kind: 'rewrite', nr, args } });
    expect(probeOf(base(rw(110))[4]!).outcome).toEqual({ kind: 'allow' });
    expect(probeOf(base(rw(102))[4]!).outcome).toEqual({ kind: 'errno', errno: ERRNO.EACCES, by: 'seccomp' });
    // the TRACE on 39 is the first rule, so the arg rule on 39 never wins; rewrite the args of 104 instead
    expect(probeOf(base(rw(104))[4]!).outcome).toEqual({ kind: 'allow' });
    const killed = base(rw(107));
    expect(probeOf(killed[4]!).outcome).toEqual({ kind: 'kill_process' });
  });

  it('R5: an argument rewrite that now matches an arg filter gets its ERRNO', () => {
    const { results } = go([
      filter(0, [{ nr: 39, argEq: [0, 7], action: retErrno(ERRNO.EXDEV) }]), filter(0, [trace(39)]),
      { op: 'fork', task: 0 }, seize(1, 0), { op: 'ptrace_response', task: 1, response: { kind: 'rewrite', nr: 39, args: [7] } }, getpid(0),
    ]);
    expect(probeOf(results[5]!).outcome).toEqual({ kind: 'errno', errno: ERRNO.EXDEV, by: 'seccomp' });
  });

  it('R5: a rewrite to a USER_NOTIF\'d call goes to its listener', () => {
    const { results } = go([
      { op: 'seccomp_filter', task: 0, flags: SECCOMP_FILTER_FLAG.NEW_LISTENER, program: compilePolicy({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 102, action: SECCOMP_RET_USER_NOTIF }] }) },
      filter(0, [trace(39)]), { op: 'fork', task: 0 }, seize(1, 0),
      { op: 'ptrace_response', task: 1, response: { kind: 'rewrite', nr: 102, args: [] } }, getpid(0),
    ]);
    expect(probeOf(results[5]!).outcome.kind).toBe('notify');
  });

  it('R5 unsafe: without the re-check (before 4.8) a rewrite escapes another layer\'s ERRNO', () => {
    const w = initialWorld({ semantics: { ...LINUX_SEMANTICS, seccompTraceRecheck: false } });
    const { results } = go([filter(0, [errno(102, ERRNO.EACCES)]), filter(0, [trace(39)]), { op: 'fork', task: 0 }, seize(1, 0),
      { op: 'ptrace_response', task: 1, response: { kind: 'rewrite', nr: 102, args: [] } }, getpid(0)], w);
    expect(probeOf(results[5]!).outcome).toEqual({ kind: 'allow' });
  });

  it('a tracer\'s exit ends tracing: TRACE gives ENOSYS again', () => {
    const { results, world } = go([filter(0, [trace(39)]), { op: 'fork', task: 0 }, seize(1, 0), { op: 'exit', task: 1 }, getpid(0)]);
    expect(probeOf(results[4]!).outcome).toEqual({ kind: 'errno', errno: ERRNO.ENOSYS, by: 'seccomp' });
    expect(world.ptrace.links).toEqual([]);
  });

  it('a tracer whose own filters stop its ptrace calls cannot serve the stop (invalid, never a guess)', () => {
    const { results } = go([filter(0, [trace(39)]), { op: 'fork', task: 0 }, seize(1, 0), filter(1, [errno(101, ERRNO.EPERM)]), getpid(0)]);
    expect(results[4]!.kind).toBe('invalid');
  });
});

describe('PTRACE_O_SUSPEND_SECCOMP (delegation.md §7)', () => {
  it('P1: SEIZE with an unknown option → EIO; SETOPTIONS with one → EINVAL', () => {
    const { results } = go([{ op: 'fork', task: 0 }, seize(0, 1, 0x100), { op: 'ptrace_attach', task: 0, target: 1, seize: false, options: 0 }, { op: 'ptrace_setoptions', task: 0, target: 1, options: 0x100 }]);
    expect(results[1]).toEqual({ kind: 'err', errno: ERRNO.EIO });
    expect(results[2]).toEqual({ kind: 'ok', ret: 0 });
    expect(results[3]).toEqual({ kind: 'err', errno: ERRNO.EINVAL });
  });

  it('P2/P3: without CAP_SYS_ADMIN, or a filtered tracer, or a suspended tracee as tracer → EPERM', () => {
    const noCap = go([{ op: 'fork', task: 0 }, { op: 'drop_cap', task: 0 }, seize(0, 1, SUSPEND_SECCOMP)]).results;
    expect(noCap[2]).toEqual({ kind: 'err', errno: ERRNO.EPERM });
    const filtered = go([{ op: 'fork', task: 0 }, filter(0, [errno(102, 1)]), seize(0, 1, SUSPEND_SECCOMP)]).results;
    expect(filtered[2]).toEqual({ kind: 'err', errno: ERRNO.EPERM });
    // 0 suspends 1; 1 tries to suspend its own child 2
    const chain = go([{ op: 'fork', task: 0 }, { op: 'fork', task: 1 }, seize(0, 1, SUSPEND_SECCOMP), seize(1, 2, SUSPEND_SECCOMP), seize(1, 2, TRACESECCOMP)]).results;
    expect(chain[2]).toEqual({ kind: 'ok', ret: 0 });
    expect(chain[3]).toEqual({ kind: 'err', errno: ERRNO.EPERM });
    expect(chain[4]).toEqual({ kind: 'ok', ret: 0 });
  });

  it('P4: a suspended tracee\'s ERRNO and strict mode are skipped, Landlock still decides', () => {
    const { results } = go([
      { op: 'fork', task: 0 }, filter(1, [errno(39, ERRNO.EPERM)]),
      { op: 'ruleset_create', task: 1, fs: FS.READ_FILE, net: 0, scoped: 0 }, { op: 'restrict_self', task: 1, ruleset: 0, flags: 0 },
      seize(0, 1, SUSPEND_SECCOMP), getpid(1), { op: 'probe', task: 1, request: { kind: 'fs', access: 'write_file', path: '/a' } },
    ]);
    expect(probeOf(results[5]!)).toMatchObject({ outcome: { kind: 'allow' }, suspended: true });
    expect(probeOf(results[6]!).outcome).toMatchObject({ kind: 'errno', by: 'landlock' });
    const strict = go([{ op: 'fork', task: 0 }, { op: 'seccomp_strict', task: 1 }, seize(0, 1, SUSPEND_SECCOMP), { op: 'probe', task: 1, request: syscall(110) }, { op: 'fork', task: 1 }]).results;
    expect(probeOf(strict[3]!).outcome).toEqual({ kind: 'allow' });
    expect(strict[4]!.kind).toBe('ok');
  });

  it('P5: filtering resumes on SETOPTIONS(0) and on the tracer\'s exit; the filters were never removed', () => {
    const ops: Op[] = [{ op: 'fork', task: 0 }, { op: 'fork', task: 0 }, filter(1, [errno(39, ERRNO.EPERM)]), seize(2, 1, SUSPEND_SECCOMP), getpid(1)];
    const viaOptions = go([...ops, { op: 'ptrace_setoptions', task: 2, target: 1, options: 0 }, getpid(1)]).results;
    expect(probeOf(viaOptions[4]!).outcome.kind).toBe('allow');
    expect(probeOf(viaOptions[6]!).outcome).toEqual({ kind: 'errno', errno: ERRNO.EPERM, by: 'seccomp' });
    const viaExit = go([...ops, { op: 'exit', task: 2 }, getpid(1)]).results;
    expect(probeOf(viaExit[6]!).outcome).toEqual({ kind: 'errno', errno: ERRNO.EPERM, by: 'seccomp' });
  });
});

describe('GET_FILTER / GET_METADATA (delegation.md §8)', () => {
  const three: Op[] = [
    { op: 'fork', task: 0 },
    filter(1, [errno(39, 1)]),
    { op: 'seccomp_filter', task: 1, flags: SECCOMP_FILTER_FLAG.LOG | SECCOMP_FILTER_FLAG.NEW_LISTENER, program: compilePolicy({ default: SECCOMP_RET_ALLOW, rules: [errno(39, 1), errno(102, 1)] }) },
    seize(0, 1, 0),
  ];
  const get = (index: number, metadata = false, task = 0): Op => ({ op: 'ptrace_get_filter', task, target: 1, index, metadata });

  it('F1/F2: index 0 is the oldest; index == count → ENOENT; the length is the installed program\'s', () => {
    const { results } = go([...three, get(0), get(1), get(2), get(-1)]);
    expect(results[4]).toEqual({ kind: 'ok', ret: 4 });
    expect(results[5]).toEqual({ kind: 'ok', ret: 7 });
    expect(results[6]).toEqual({ kind: 'err', errno: ERRNO.ENOENT });
    expect(results[7]).toEqual({ kind: 'err', errno: ERRNO.ENOENT });
  });

  it('F3: METADATA shows only LOG', () => {
    const { results } = go([...three, get(0, true), get(1, true), get(2, true)]);
    expect(results[4]).toEqual({ kind: 'ok', ret: 0 });
    expect(results[5]).toEqual({ kind: 'ok', ret: SECCOMP_FILTER_FLAG.LOG });
    expect(results[6]).toEqual({ kind: 'err', errno: ERRNO.ENOENT });
  });

  it('F4: without CAP_SYS_ADMIN, or a filtered caller → EACCES', () => {
    expect(go([...three, { op: 'drop_cap', task: 0 }, get(0)]).results[5]).toEqual({ kind: 'err', errno: ERRNO.EACCES });
    expect(go([...three, filter(0, [errno(102, 1)]), get(0)]).results[5]).toEqual({ kind: 'err', errno: ERRNO.EACCES });
  });

  it('F5: not the caller\'s tracee → ESRCH; a tracee in mode 0 or strict → EINVAL', () => {
    expect(go([...three, { op: 'fork', task: 0 }, get(0, false, 2)]).results[5]).toEqual({ kind: 'err', errno: ERRNO.ESRCH });
    const unfiltered = go([{ op: 'fork', task: 0 }, seize(0, 1, 0), get(0)]).results;
    expect(unfiltered[2]).toEqual({ kind: 'err', errno: ERRNO.EINVAL });
    const strict = go([{ op: 'fork', task: 0 }, { op: 'seccomp_strict', task: 1 }, seize(0, 1, 0), get(0)]).results;
    expect(strict[3]).toEqual({ kind: 'err', errno: ERRNO.EINVAL });
  });
});

describe('Landlock and ptrace (delegation.md §9)', () => {
  const restrict = (task: number): Op[] => [
    { op: 'ruleset_create', task, fs: FS.READ_FILE, net: 0, scoped: 0 },
    { op: 'restrict_self', task, ruleset: -1, flags: 0 },
  ];
  it('L1/L2: a nested domain cannot attach to its parent; the parent can; a parent that restricts after the fork cannot, nor be a TRACEME tracer', () => {
    const nested = go([{ op: 'fork', task: 0 }, ...restrict(1), seize(1, 0, 0), seize(0, 1, 0)]).results;
    expect(nested[3]).toEqual({ kind: 'err', errno: ERRNO.EPERM });
    expect(nested[4]).toEqual({ kind: 'ok', ret: 0 });
    const after = go([{ op: 'fork', task: 0 }, ...restrict(0), seize(0, 1, 0), { op: 'ptrace_traceme', task: 1 }]).results;
    expect(after[3]).toEqual({ kind: 'err', errno: ERRNO.EPERM });
    expect(after[4]).toEqual({ kind: 'err', errno: ERRNO.EPERM });
    const traceme = go([{ op: 'fork', task: 0 }, ...restrict(1), { op: 'ptrace_traceme', task: 1 }]).results;
    expect(traceme[3]).toEqual({ kind: 'ok', ret: 0 });
  });

  it('L3: PTRACE_ATTACH inside one thread group is EPERM, with or without Landlock; a traced task cannot be attached twice', () => {
    const { results } = go([{ op: 'thread', task: 0 }, seize(0, 1, 0), { op: 'fork', task: 0 }, seize(0, 2, 0), seize(1, 2, 0),
      { op: 'probe', task: 1, request: { kind: 'ptrace', target: 2 } }]);
    expect(results[1]).toEqual({ kind: 'err', errno: ERRNO.EPERM });
    expect(results[3]).toEqual({ kind: 'ok', ret: 0 });
    expect(results[4]).toEqual({ kind: 'err', errno: ERRNO.EPERM });
    expect(probeOf(results[5]!).outcome).toEqual({ kind: 'errno', errno: ERRNO.EPERM, by: 'kernel' });
  });

  it('an exec by a non-leader tracer thread keeps its tracees under the leader\'s tid', () => {
    const w = go([{ op: 'thread', task: 0 }, { op: 'fork', task: 0 }, seize(1, 2, TRACESECCOMP), { op: 'exec', task: 1 }]).world;
    expect(w.ptrace.links).toEqual([{ tracer: 100, tracee: 102, options: TRACESECCOMP, seized: true }]);
  });

  it('failed ptrace ops change nothing (I12)', () => {
    const w0 = go([{ op: 'fork', task: 0 }, { op: 'drop_cap', task: 0 }]).world;
    for (const op of [seize(0, 1, SUSPEND_SECCOMP), seize(0, 0, 0), { op: 'ptrace_get_filter', task: 0, target: 1, index: 0, metadata: false } as Op]) {
      expect(step(w0, op).world).toBe(w0);
    }
  });
});

describe('a supervisor or tracers, not both (model/step.ts delegationApart)', () => {
  it('a ptrace op after notif_supervise, and notif_supervise once a tracer exists, are out of scope; apart, both run', () => {
    const supervisedFirst = go([{ op: 'notif_supervise', task: 0 }, { op: 'fork', task: 0 }, seize(1, 0, TRACESECCOMP), { op: 'ptrace_response', task: 1, response: { kind: 'allow' } }]);
    expect(supervisedFirst.results.map((r) => r.kind)).toEqual(['ok', 'ok', 'invalid', 'invalid']);
    expect(supervisedFirst.world.ptrace.links).toEqual([]);
    const tracedFirst = go([{ op: 'fork', task: 0 }, seize(1, 0, TRACESECCOMP), { op: 'notif_supervise', task: 0 }]);
    expect(tracedFirst.results.map((r) => r.kind)).toEqual(['ok', 'ok', 'invalid']);
    expect(tracedFirst.world.notifs).toBeNull();
  });
});
