// The executor against the seccomp facts of spec/seccomp.md ("Observable from user space"),
// with the values verified on this kernel ([V]) as expectations: not the model.
import { describe, expect, test } from 'vitest';
import { AUDIT_ARCH_I386, AUDIT_ARCH_X86_64 } from '../model/request.js';
import type { Insn, Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as FLAG } from '../model/ops.js';
import { kx, f, useSharedExecutor } from './shared-executor.js';
import { KNOWN_ACTIONS, actionKind } from '../model/seccomp/action.js';
import { runTrace } from '../properties/trace.js';
import { LINUX } from '../variants/linux.js';
import type { KernelOpResult, KernelTrace } from './result.js';
import {
  E, NR, PLUMBING, RET, allowOnly, closeFd, exec, filter, fork, observe, onArch, onNr, ret, setNnp, strict, sys, thread,
  dropCap, exit,
} from './fixtures.js';

useSharedExecutor();

async function run(ops: Op[], opts: { nnp?: boolean; capSysAdmin?: boolean } = {}): Promise<KernelTrace> {
  const t = await kx.run(ops, opts);
  expect(t.status).toBe('ok');
  expect(t.cleanup).toBe('clean');
  return t;
}
const results = (t: KernelTrace): KernelOpResult[] => t.steps.map((s) => s.result);
const obs = (seccompMode: number, filterCount: number, nnp: boolean, landlockLayers = 0): KernelOpResult => ({
  kind: 'observe',
  state: { seccompMode, filterCount, nnp, landlockLayers },
});
const errno = (e: number): KernelOpResult => ({ kind: 'probe', outcome: { kind: 'errno', errno: e } });
const ok = (r = 0): KernelOpResult => ({ kind: 'ok', ret: r });

describe('seccomp: inheritance (spec §1)', () => {
  test('1. fork inheritance: the child shows Seccomp 2, the same count, and fails the same way', async () => {
    const t = await run([filter(0, onNr(NR.getpid, RET.ERRNO | 77)), sys(0, NR.getpid), fork(0), observe(1), sys(1, NR.getpid)]);
    expect(results(t)).toEqual([ok(), errno(77), ok(101), obs(2, 1, false), errno(77)]);
    expect(t.steps.map((s) => s.tid)).toEqual([100, 100, 100, 101, 101]);
  });

  test('2. post-fork independence: installs after the fork stay on their side', async () => {
    const t = await run([
      filter(0, onNr(NR.getpid, RET.ERRNO | 1)), fork(0),
      filter(0, onNr(NR.getuid, RET.ERRNO | 2)), filter(1, onNr(NR.getgid, RET.ERRNO | 3)),
      observe(0), observe(1), sys(0, NR.getuid), sys(1, NR.getuid), sys(0, NR.getgid), sys(1, NR.getgid),
    ]);
    const r = results(t);
    expect(r.slice(4, 6)).toEqual([obs(2, 2, false), obs(2, 2, false)]);
    expect(r[6]).toEqual(errno(2));
    expect(r[7]).toEqual({ kind: 'probe', outcome: { kind: 'returned', ret: 0 } });
    expect(r[8]).toEqual({ kind: 'probe', outcome: { kind: 'returned', ret: 0 } });
    expect(r[9]).toEqual(errno(3));
  });

  test('3. execve keeps the filters, the count and NNP; both filters still fire', async (ctx) => {
    ctx.skip(!f.execMemfd, 'the exec helper image cannot be exec\'d on this machine');
    const t = await run([
      setNnp(0), filter(0, onNr(NR.getpid, RET.ERRNO | 5)), filter(0, onNr(NR.getppid, RET.ERRNO | 6)), exec(0),
      observe(0), sys(0, NR.getpid), sys(0, NR.getppid),
    ]);
    expect(results(t)).toEqual([ok(), ok(), ok(), ok(), obs(2, 2, true), errno(5), errno(6)]);
  });

  test('4. per-thread counts; exec from a lagging thread keeps that thread\'s (empty) stack', async (ctx) => {
    ctx.skip(!f.pidfdThread || !f.execMemfd, 'needs PIDFD_THREAD and the exec helper');
    const t = await run([
      thread(0), filter(0, onNr(NR.getpid, RET.ERRNO | 9)), observe(0), observe(1), exec(1), observe(0), sys(0, NR.getpid),
    ]);
    const r = results(t);
    expect(r.slice(0, 4)).toEqual([ok(101), ok(), obs(2, 1, false), obs(0, 0, false)]);
    // the survivor takes the leader's tid (fs/exec.c:de_thread) and the leader is gone
    expect(r[4]).toEqual(ok());
    expect(t.steps[4]!.tid).toBe(101);
    expect(t.steps[5]).toEqual({ tid: 100, result: obs(0, 0, false) });
    expect(r[6]).toMatchObject({ kind: 'probe', outcome: { kind: 'returned' } });
  });
});

/** What the winning filter return does to a call from a second thread (spec §3). */
function expected(w: number): KernelOpResult {
  const action = (w & 0xffff0000) >>> 0;
  const data = w & 0xffff;
  const probe = (outcome: object): KernelOpResult => ({ kind: 'probe', outcome } as KernelOpResult);
  switch (action) {
    case RET.KILL_THREAD: return probe({ kind: 'kill_thread' });
    case RET.TRAP: return probe({ kind: 'trap', data, nr: NR.getpid, arch: AUDIT_ARCH_X86_64 });
    case RET.ERRNO: return data === 0 ? probe({ kind: 'returned', ret: 0 }) : errno(Math.min(data, 4095));
    case RET.USER_NOTIF: case RET.TRACE: return errno(E.ENOSYS); // no listener, no tracer
    case RET.LOG: case RET.ALLOW: return probe({ kind: 'returned' });
    default: return probe({ kind: 'kill_process', signal: 'SIGSYS', alone: false }); // KILL_PROCESS or unknown
  }
}

describe('seccomp: evaluation (spec §3)', () => {
  // the 11 values of p02: the 8 actions and three unknown ones
  const VALUES = [RET.KILL_PROCESS, 0x90000000, RET.KILL_THREAD, RET.TRAP, 0x40000, RET.ERRNO, 0x10000000, RET.USER_NOTIF, RET.TRACE, RET.LOG, RET.ALLOW];

  test('5/7. precedence over all 121 ordered pairs, from a second thread: the minimum signed action wins, the newer on ties', async (ctx) => {
    ctx.skip(!f.pidfdThread, 'needs PIDFD_THREAD to tell a thread kill from a process kill');
    for (const older of VALUES) {
      for (const newer of VALUES) {
        const a = (older | 17) >>> 0;
        const b = (newer | 34) >>> 0;
        const t = await run([thread(0), filter(1, onNr(NR.getpid, a)), filter(1, onNr(NR.getpid, b)), sys(1, NR.getpid), observe(0)]);
        const rank = (v: number): number => (v & 0xffff0000) | 0; // (s32)(ret & SECCOMP_RET_ACTION_FULL)
        const win = rank(b) <= rank(a) ? b : a; // seccomp_run_filters replaces only on strictly-less
        const exp = expected(win);
        const got = t.steps[3]!.result;
        expect(got, `older 0x${older.toString(16)} newer 0x${newer.toString(16)}`).toMatchObject(exp);
        // the leader survives exactly when the winner does not kill the process
        const processKilled = exp.kind === 'probe' && exp.outcome.kind === 'kill_process';
        expect(t.steps[4]!.result.kind, `leader after 0x${older.toString(16)}/0x${newer.toString(16)}`).toBe(processKilled ? 'invalid' : 'observe');
      }
    }
  });

  test('6. tie data comes from the newest filter; ERRNO 0 returns 0 without running; data above 4095 is 4095', async () => {
    const two = (a: number, b: number): Op[] => [filter(0, onNr(NR.getpid, a)), filter(0, onNr(NR.getpid, b)), sys(0, NR.getpid)];
    expect((await run(two(RET.ERRNO | 17, RET.ERRNO | 34))).steps[2]!.result).toEqual(errno(34));
    expect((await run(two(RET.TRAP | 17, RET.TRAP | 34))).steps[2]!.result).toEqual({
      kind: 'probe', outcome: { kind: 'trap', data: 34, nr: NR.getpid, arch: AUDIT_ARCH_X86_64 },
    });
    expect((await run(two(RET.TRAP | 17, RET.ERRNO | 34))).steps[2]!.result).toEqual({
      kind: 'probe', outcome: { kind: 'trap', data: 17, nr: NR.getpid, arch: AUDIT_ARCH_X86_64 },
    });
    const t = await run([filter(0, onNr(NR.getpid, RET.ERRNO | 0)), sys(0, NR.getpid), filter(0, onNr(NR.getppid, RET.ERRNO | 0xffff)), sys(0, NR.getppid)]);
    expect(t.steps[1]!.result).toEqual({ kind: 'probe', outcome: { kind: 'returned', ret: 0 } });
    expect(t.steps[3]!.result).toEqual(errno(4095));
  });

  test('7. an unknown value that wins kills the process (single thread)', async () => {
    const t = await run([filter(0, onNr(NR.getpid, 0x40000)), sys(0, NR.getpid), observe(0)]);
    expect(t.steps[1]!.result).toEqual({ kind: 'probe', outcome: { kind: 'kill_process', signal: 'SIGSYS', alone: true } });
    expect(t.steps[2]!.result.kind).toBe('invalid');
  });

  test('22. no filter blocks uprobe (336: ENXIO) or uretprobe (335: SIGILL); 334 gets the filter\'s ERRNO', async () => {
    const t = await run([filter(0, allowOnly(PLUMBING, RET.ERRNO | 99)), sys(0, NR.rseq), sys(0, NR.getpid), sys(0, NR.uprobe), sys(0, NR.uretprobe)]);
    expect(results(t).slice(1)).toEqual([
      errno(99), errno(99), errno(E.ENXIO),
      { kind: 'probe', outcome: { kind: 'kill_process', signal: 'SIGILL', alone: true } },
    ]);
  });

  test('23. a filter that kills every call: seccomp(2) returns 0, and the task dies at its next syscall (issue 13 item 5)', async (ctx) => {
    // KILL_THREAD of a lone thread and KILL_PROCESS: the call's own result is the op's; the death
    // is the executor's reply's (the filter applies from the next syscall entry on)
    const killed = { scope: 'process', signal: 'SIGSYS', alone: true };
    for (const action of [RET.KILL_THREAD, RET.KILL_PROCESS]) {
      const t = await run([fork(0), filter(1, ret(action)), sys(0, NR.getpid)]);
      expect(results(t).slice(1, 2)).toEqual([{ kind: 'ok', ret: 0, thenKilled: killed }]);
    }
    // a thread with a sibling: only it dies
    const t2 = await run([fork(0), thread(1), filter(2, ret(RET.KILL_THREAD)), observe(1)]);
    expect(t2.steps[2]!.result).toMatchObject({ kind: 'ok', ret: 0, thenKilled: { scope: 'thread' } });
    // and in an exec'd image, which maps the returns page again
    ctx.skip(!f.execMemfd, 'the exec helper image cannot be exec\'d on this machine');
    const t3 = await run([fork(0), exec(1), filter(1, ret(RET.KILL_PROCESS))]);
    expect(t3.steps[2]!.result).toEqual({ kind: 'ok', ret: 0, thenKilled: killed });
  });

  test('i386 calls are filtered by arch (int $0x80 reaches seccomp as AUDIT_ARCH_I386)', async (ctx) => {
    ctx.skip(!f.ia32, 'no IA32 emulation on this kernel');
    const t = await run([filter(0, onArch(AUDIT_ARCH_I386, RET.ERRNO | 5)), sys(0, 20, [], AUDIT_ARCH_I386), sys(0, NR.getpid)]);
    expect(t.steps[1]!.result).toEqual(errno(5));
    expect(t.steps[2]!.result).toMatchObject({ kind: 'probe', outcome: { kind: 'returned' } });
  });
});

describe('seccomp: installing (spec §2, §4)', () => {
  test('8. length 0 and 4097 give EINVAL, 4096 is accepted', async () => {
    const t = await run([filter(0, []), filter(0, Array(4097).fill(ret(RET.ALLOW)[0])), filter(0, Array(4096).fill(ret(RET.ALLOW)[0])), observe(0)]);
    expect(results(t)).toEqual([{ kind: 'err', errno: E.EINVAL }, { kind: 'err', errno: E.EINVAL }, ok(), obs(2, 1, false)]);
  });

  test('8. 1-instruction filters fit 3641 times, then ENOMEM, and the count is unchanged', async () => {
    const ops: Op[] = [];
    for (let k = 0; k < 3642; k++) ops.push(filter(0, ret(RET.ALLOW)));
    ops.push(observe(0));
    const t = await kx.run(ops, {}, { scenarioTimeoutMs: 60_000 });
    expect(t.status).toBe('ok');
    expect(t.steps.slice(0, 3641).every((s) => s.result.kind === 'ok')).toBe(true);
    expect(t.steps[3641]!.result).toEqual({ kind: 'err', errno: E.ENOMEM });
    expect(t.steps[3642]!.result).toEqual(obs(2, 3641, false));
  }, 90_000);

  test('9. no NNP and no CAP_SYS_ADMIN: EACCES; with NNP, or as root, 0 (and NNP stays 0)', async () => {
    const t = await run([dropCap(0), filter(0, ret(RET.ALLOW)), setNnp(0), filter(0, ret(RET.ALLOW)), observe(0)]);
    expect(results(t)).toEqual([ok(), { kind: 'err', errno: E.EACCES }, ok(), ok(), obs(2, 1, true)]);
    const w = await run([filter(0, ret(RET.ALLOW)), observe(0)], { capSysAdmin: false });
    expect(results(w)).toEqual([{ kind: 'err', errno: E.EACCES }, obs(0, 0, false)]);
    const root = await run([filter(0, ret(RET.ALLOW)), observe(0)]);
    expect(results(root)).toEqual([ok(), obs(2, 1, false)]);
  });

  test('9. root gets CAP_SYS_ADMIN back at exec (security/commoncap.c), so the EACCES goes away', async (ctx) => {
    ctx.skip(!f.execMemfd, 'needs the exec helper');
    const t = await run([dropCap(0), filter(0, ret(RET.ALLOW)), exec(0), filter(0, ret(RET.ALLOW)), observe(0)]);
    expect(results(t)).toEqual([ok(), { kind: 'err', errno: E.EACCES }, ok(), ok(), obs(2, 1, false)]);
  });

  test('10. filter then strict: EINVAL; PR_GET_SECCOMP says 2', async () => {
    const t = await run([filter(0, ret(RET.ALLOW)), strict(0), sys(0, NR.prctl, [21])]);
    expect(results(t)).toEqual([ok(), { kind: 'err', errno: E.EINVAL }, { kind: 'probe', outcome: { kind: 'returned', ret: 2 } }]);
  });

  test('10. strict mode: Seccomp 1, write still works, any other call (exit_group too) is SIGKILL', async () => {
    const t = await run([strict(0), observe(0), sys(0, NR.write, [1, 0, 0]), sys(0, NR.getpid)]);
    expect(results(t)).toEqual([ok(), obs(1, 0, false), { kind: 'probe', outcome: { kind: 'returned', ret: 0 } },
      { kind: 'probe', outcome: { kind: 'kill_process', signal: 'SIGKILL', alone: true } }]);
    const g = await run([strict(0), sys(0, NR.exit_group, [0])]);
    expect(g.steps[1]!.result).toEqual({ kind: 'probe', outcome: { kind: 'kill_process', signal: 'SIGKILL', alone: true } });
    // an op's own syscall in strict mode: the thread dies (do_exit(SIGKILL)), its siblings live on
    const s = await run([thread(0), strict(1), setNnp(1), observe(0)]);
    expect(s.steps[2]!.result).toEqual({ kind: 'killed', scope: 'thread', signal: null, alone: false });
    expect(s.steps[3]!.result).toEqual(obs(0, 0, false));
  });

  test('11. seccomp(SET_MODE_FILTER, 1<<bit, NULL): EFAULT for known flags, EINVAL for unknown ones', async () => {
    const bits = [0, 1, 2, 3, 4, 5, 6, 7];
    const t = await run([...bits.map((b) => sys(0, NR.seccomp, [1, 2 ** b, 0])), sys(0, NR.seccomp, [1, 32 | 8, 0])]);
    expect(results(t)).toEqual([...[0, 1, 2, 3, 4].map(() => errno(E.EFAULT)), errno(E.EINVAL), errno(E.EINVAL), errno(E.EINVAL), errno(E.EFAULT)]);
    expect(f.seccompFilterFlags).toBe(63);
  });
});

describe('seccomp: TSYNC (spec §5)', () => {
  test('12. success: the sibling gets the caller\'s chain and count; mode 0 becomes 2; NNP only from an NNP caller', async (ctx) => {
    ctx.skip(!f.pidfdThread, 'needs PIDFD_THREAD');
    const t = await run([thread(0), filter(0, onNr(NR.getpid, RET.ERRNO | 77), FLAG.TSYNC), observe(1), sys(1, NR.getpid)]);
    expect(results(t)).toEqual([ok(101), ok(), obs(2, 1, false), errno(77)]);
    const n = await run([thread(0), setNnp(0), filter(0, ret(RET.ALLOW), FLAG.TSYNC), observe(1)]);
    expect(n.steps[3]!.result).toEqual(obs(2, 1, true));
    // a lagging sibling (1 filter, the caller 2) gains the earlier filter too: 1 -> 3
    const lag = await run([filter(0, ret(RET.ALLOW)), thread(0), filter(0, onNr(NR.getuid, RET.ERRNO | 66)), observe(1),
      filter(0, ret(RET.ALLOW), FLAG.TSYNC), observe(1), sys(1, NR.getuid)]);
    expect([lag.steps[3]!.result, lag.steps[5]!.result, lag.steps[6]!.result]).toEqual([obs(2, 1, false), obs(2, 3, false), errno(66)]);
  });

  test('13. failure: a diverged or strict sibling\'s tid (or ESRCH); the caller is unchanged; TSYNC|NEW_LISTENER needs ESRCH', async (ctx) => {
    ctx.skip(!f.pidfdThread, 'needs PIDFD_THREAD');
    const d = await run([thread(0), filter(1, ret(RET.ALLOW)), filter(0, ret(RET.ALLOW), FLAG.TSYNC), observe(0),
      filter(0, ret(RET.ALLOW), FLAG.TSYNC | FLAG.TSYNC_ESRCH)]);
    expect(results(d).slice(2)).toEqual([{ kind: 'tsync_fail', tid: 101 }, obs(0, 0, false), { kind: 'err', errno: E.ESRCH }]);
    const s = await run([thread(0), strict(1), filter(0, ret(RET.ALLOW), FLAG.TSYNC)]);
    expect(s.steps[2]!.result).toEqual({ kind: 'tsync_fail', tid: 101 });
    ctx.skip(!f.userNotif, 'user notification does not work here');
    const l = await run([filter(0, ret(RET.ALLOW), FLAG.TSYNC | FLAG.NEW_LISTENER),
      filter(0, ret(RET.ALLOW), FLAG.TSYNC | FLAG.NEW_LISTENER | FLAG.TSYNC_ESRCH)]);
    expect(results(l)).toEqual([{ kind: 'err', errno: E.EINVAL }, ok(3)]);
  });
});

describe('seccomp: user notification (spec §6)', () => {
  const notif = onNr(NR.getpid, RET.USER_NOTIF);

  test('14. a second listener anywhere in the chain: EBUSY (a forked child too)', async (ctx) => {
    ctx.skip(!f.userNotif, 'user notification does not work here');
    const t = await run([filter(0, notif, FLAG.NEW_LISTENER), filter(0, notif, FLAG.NEW_LISTENER), fork(0), filter(1, notif, FLAG.NEW_LISTENER)]);
    expect(results(t)).toEqual([ok(3), { kind: 'err', errno: E.EBUSY }, ok(101), { kind: 'err', errno: E.EBUSY }]);
  });

  test('15. USER_NOTIF with no listener, a closed one, or a newer listener-less one: ENOSYS', async (ctx) => {
    ctx.skip(!f.userNotif, 'user notification does not work here');
    expect((await run([filter(0, notif), sys(0, NR.getpid)])).steps[1]!.result).toEqual(errno(E.ENOSYS));
    expect((await run([filter(0, notif, FLAG.NEW_LISTENER), closeFd(0, 0), sys(0, NR.getpid)])).steps[2]!.result).toEqual(errno(E.ENOSYS));
    expect((await run([filter(0, notif, FLAG.NEW_LISTENER), filter(0, notif), sys(0, NR.getpid)])).steps[2]!.result).toEqual(errno(E.ENOSYS));
  });

  test('6. the listener belongs to the filter: the task and its later forks report to it', async (ctx) => {
    ctx.skip(!f.userNotif, 'user notification does not work here');
    const notify = { kind: 'probe', outcome: { kind: 'notify', listener: 1, errno: E.ECANCELED } };
    const t = await run([filter(0, notif, FLAG.NEW_LISTENER), sys(0, NR.getpid), fork(0), closeFd(0, 0), sys(1, NR.getpid)]);
    expect(results(t)).toEqual([ok(3), notify, ok(101), ok(), notify]);
  });

  test('14. a listener whose every descriptor is closed frees the chain for a new one (seccomp_notify_detach)', async (ctx) => {
    ctx.skip(!f.userNotif, 'user notification does not work here');
    const t = await run([filter(0, notif, FLAG.NEW_LISTENER), fork(0), closeFd(0, 0), filter(0, notif, FLAG.NEW_LISTENER), closeFd(1, 0),
      filter(0, notif, FLAG.NEW_LISTENER)]);
    expect(results(t)).toEqual([ok(3), ok(101), ok(), { kind: 'err', errno: E.EBUSY }, ok(), ok(3)]);
  });

  test('17. a stricter filter above USER_NOTIF wins and the supervisor is not asked', async (ctx) => {
    ctx.skip(!f.userNotif, 'user notification does not work here');
    const t = await run([filter(0, notif, FLAG.NEW_LISTENER), filter(0, onNr(NR.getpid, RET.ERRNO | E.EACCES)), sys(0, NR.getpid)]);
    expect(t.steps[2]!.result).toEqual(errno(E.EACCES));
  });
});

test('exit: a thread leaves, the last thread ends the process with status 0', async (ctx) => {
  ctx.skip(!f.pidfdThread, 'needs PIDFD_THREAD');
  const t = await run([thread(0), exit(0), observe(0), exit(0), observe(0)]);
  expect(t.steps.map((s) => [s.tid, s.result])).toEqual([
    [100, ok(101)], [100, ok()], [101, obs(0, 0, false)], [101, ok()], [0, { kind: 'invalid', reason: 'observe: no live task' }],
  ]);
});

test('exit: a filter\'s KILL_PROCESS on exit(2) ends the whole group, siblings too; its KILL_THREAD looks like the exit', async (ctx) => {
  ctx.skip(!f.pidfdThread, 'needs PIDFD_THREAD');
  const kp = await run([setNnp(0), filter(0, onNr(NR.exit, RET.KILL_PROCESS)), thread(0), exit(0), observe(0)]);
  expect(kp.steps.map((s) => [s.tid, s.result]).slice(3)).toEqual([
    [100, { kind: 'killed', scope: 'process', signal: 'SIGSYS', alone: false }], [0, { kind: 'invalid', reason: 'observe: no live task' }],
  ]);
  const kt = await run([setNnp(0), filter(0, onNr(NR.exit, RET.KILL_THREAD)), thread(0), exit(0), observe(0)]);
  expect(kt.steps.map((s) => [s.tid, s.result]).slice(3)).toEqual([[100, ok()], [101, obs(2, 1, true)]]);
});

describe('seccomp: an op\'s own syscall goes through the filters too (model/seccomp/op-gate.ts)', () => {
  /** `action` for clone whose flags (args[0], low word at offset 16) equal `flags`. */
  const onClone = (flags: number, action: number): Insn[] => [
    [0x20, 0, 0, 0], [0x15, 0, 3, 56], [0x20, 0, 0, 16], [0x15, 0, 1, flags], [0x06, 0, 0, action >>> 0], [0x06, 0, 0, RET.ALLOW],
  ];

  test('fork is clone(SIGCHLD) and thread clone(VM|FS|FILES|SIGHAND|THREAD|SYSVSEM): a filter on the flags tells them apart', async (ctx) => {
    ctx.skip(!f.pidfdThread, 'needs PIDFD_THREAD');
    const t = await run([filter(0, onClone(17, RET.ERRNO | 1)), fork(0), thread(0), filter(0, onClone(0x50f00, RET.ERRNO | 2)), thread(0), fork(0)]);
    expect(results(t)).toEqual([ok(), { kind: 'err', errno: 1 }, ok(101), ok(), { kind: 'err', errno: 2 }, { kind: 'err', errno: 1 }]);
  });

  test('RET_ERRNO with data 0 skips the op\'s syscall: fork, thread and exec return 0 and nothing happens', async (ctx) => {
    ctx.skip(!f.pidfdThread || !f.execMemfd, 'needs PIDFD_THREAD and the exec helper');
    const t = await run([thread(0), filter(0, onNr(56, RET.ERRNO | 0)), filter(0, onNr(59, RET.ERRNO | 0)), fork(0), thread(0), exec(0), observe(2), sys(1, NR.getpid)]);
    expect(results(t).slice(3, 6)).toEqual([ok(0), ok(0), ok(0)]);
    // the layer-count oracle needs a clone of its own, which the same filter skips
    expect(t.steps[6]!.result).toEqual({ kind: 'observe', state: { seccompMode: 2, filterCount: 2, nnp: false, landlockLayers: null,
      landlockError: 'the layer oracle\'s clone was skipped by a filter of the task (RET_ERRNO 0)' } });
    expect(t.steps[6]!.tid).toBe(100); // only 100 and 101 live: reference 2 is 100 again
    expect(t.steps[7]).toMatchObject({ tid: 101, result: { kind: 'probe', outcome: { kind: 'returned' } } });
  });

  test('a trap or a user notification on the op\'s syscall stops the op; a kill kills the task', async (ctx) => {
    ctx.skip(!f.userNotif, 'user notification does not work here');
    const trap = await run([filter(0, onNr(NR.prctl, RET.TRAP | 7)), setNnp(0), observe(0)]);
    expect(results(trap)).toEqual([ok(), { kind: 'stopped', outcome: { kind: 'trap', data: 7, nr: NR.prctl, arch: AUDIT_ARCH_X86_64 } }, obs(2, 1, false)]);
    const notify = await run([filter(0, onNr(NR.prctl, RET.USER_NOTIF), FLAG.NEW_LISTENER), setNnp(0), observe(0)]);
    expect(results(notify)).toEqual([ok(3), { kind: 'stopped', outcome: { kind: 'notify', listener: 1, errno: E.ECANCELED } }, obs(2, 1, false)]);
    const kill = await run([thread(0), filter(1, onNr(56, RET.KILL_THREAD)), fork(1), observe(0)]);
    expect(results(kill).slice(2)).toEqual([{ kind: 'killed', scope: 'thread', signal: null, alone: false }, obs(0, 0, false)]);
  });

  test('the executor\'s own closes are not close(2): a filter on close decides close_fd only', async (ctx) => {
    ctx.skip(f.landlockAbi < 1, 'needs Landlock');
    const t = await run([filter(0, onNr(NR.close, RET.ERRNO | 9)),
      { op: 'ruleset_create', task: 0, fs: 1 << 11, net: 0, scoped: 0 }, { op: 'probe', task: 0, request: { kind: 'fs', access: 'read_file', path: '/a/f' } },
      { op: 'ruleset_create', task: 0, fs: 1 << 11, net: 0, scoped: 0 }, closeFd(0, 0)]);
    expect(results(t)).toEqual([ok(), ok(3), { kind: 'probe', outcome: { kind: 'returned', ret: 0 } }, ok(4), { kind: 'err', errno: 9 }]);
  });
});

describe('the executor\'s own calls are not the op\'s', () => {
  test('strict mode kills only the exec\'ing thread before execve runs (leader or not): its siblings live on', async (ctx) => {
    ctx.skip(!f.pidfdThread || !f.execMemfd, 'needs PIDFD_THREAD and the exec helper');
    const killedThread = { kind: 'killed', scope: 'thread', signal: null, alone: false };
    const leader = await run([thread(0), strict(0), exec(0), observe(0)]);
    expect(leader.steps.map((s) => [s.tid, s.result]).slice(2)).toEqual([[100, killedThread], [101, obs(0, 0, false)]]);
    const other = await run([thread(0), strict(1), exec(1), observe(0)]);
    expect(other.steps.map((s) => [s.tid, s.result]).slice(2)).toEqual([[101, killedThread], [100, obs(0, 0, false)]]);
  });

  test('a thread killed inside landlock_add_rule leaves no descriptor of the executor behind in its group', async (ctx) => {
    ctx.skip(f.landlockAbi < 1 || !f.pidfdThread, 'needs Landlock and PIDFD_THREAD');
    const t = await run([filter(0, onNr(445, RET.KILL_THREAD)), thread(0),
      { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/c/f', access: 4 } },
      { op: 'ruleset_create', task: 0, fs: 1 << 13, net: 0, scoped: 0 }]);
    expect(t.steps.map((s) => [s.tid, s.result]).slice(2)).toEqual([[100, { kind: 'killed', scope: 'thread', signal: null, alone: false }], [101, ok(3)]]);
    // a strict sibling is not asked to close anything (close_range would kill it)
    const s = await run([thread(0), strict(1), strict(0),
      { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: 4 } }, observe(0)]);
    expect(s.steps.map((x) => [x.tid, x.result]).slice(3)).toEqual([[100, { kind: 'killed', scope: 'thread', signal: null, alone: false }], [101, obs(1, 0, false)]]);
  });

  test('send_fd: a trap on its sendmsg stops it; a RET_ERRNO(0) skips it (returns 0, nothing arrives)', async (ctx) => {
    ctx.skip(f.landlockAbi < 1, 'needs Landlock');
    const rs = { op: 'ruleset_create', task: 0, fs: 1 << 8, net: 0, scoped: 0 } as const;
    const trap = await run([rs, fork(0), filter(0, onNr(NR.sendmsg, RET.TRAP | 7)), { op: 'send_fd', task: 0, fd: 0, to: 1 }, observe(0)]);
    expect(results(trap).slice(3)).toEqual([{ kind: 'stopped', outcome: { kind: 'trap', data: 7, nr: NR.sendmsg, arch: AUDIT_ARCH_X86_64 } }, obs(2, 1, false)]);
    const skip = await run([rs, fork(0), filter(0, onNr(NR.sendmsg, RET.ERRNO | 0)), { op: 'send_fd', task: 0, fd: 0, to: 1 }, { ...rs, task: 1 }]);
    expect(results(skip).slice(3)).toEqual([ok(0), ok(4)]); // the child's next descriptor is 4: nothing arrived
  });

  test('a notification from the layer oracle\'s child is not the op\'s: strict after a filter is EINVAL', async (ctx) => {
    ctx.skip(!f.userNotif || f.landlockAbi < 1, 'needs user notification and Landlock');
    const t = await run([filter(0, onNr(446, RET.USER_NOTIF), FLAG.NEW_LISTENER), strict(0)]);
    expect(results(t)).toEqual([ok(3), { kind: 'err', errno: E.EINVAL }]);
  });

  test('send_fd to a strict task: skipped with the reason (its recvmsg would kill it), the receiver lives', async (ctx) => {
    ctx.skip(f.landlockAbi < 1, 'needs Landlock');
    const t = await run([{ op: 'ruleset_create', task: 0, fs: 1 << 8, net: 0, scoped: 0 }, fork(0), strict(1), { op: 'send_fd', task: 0, fd: 0, to: 1 }, observe(1)]);
    expect(results(t).slice(3)).toEqual([
      { kind: 'skip', reason: 'the receiving task 101 is in strict mode: the recvmsg(2) that takes the descriptor would kill it' }, obs(1, 0, false),
    ]);
  });

  test('a trap on the layer oracle\'s exit(2) (its child shares the task\'s memory) is not reported as the op\'s', async () => {
    const t = await run([filter(0, onNr(NR.exit, RET.TRAP | 7)), strict(0), observe(0), fork(0)]);
    expect(results(t)).toEqual([ok(), { kind: 'err', errno: E.EINVAL }, obs(2, 1, false), ok(101)]);
  });
});

describe('group leaders', () => {
  test('KILL_THREAD of a leader whose thread lives on: only the leader dies', async (ctx) => {
    ctx.skip(!f.pidfdThread, 'needs PIDFD_THREAD');
    const t = await run([thread(0), filter(0, onNr(NR.getpid, RET.KILL_THREAD)), sys(0, NR.getpid), observe(0), sys(0, NR.getpid)]);
    expect(t.steps.map((s) => [s.tid, s.result])).toEqual([
      [100, ok(101)], [100, ok()], [100, { kind: 'probe', outcome: { kind: 'kill_thread' } }],
      [101, obs(0, 0, false)], [101, { kind: 'probe', outcome: { kind: 'returned', ret: expect.any(Number) } }],
    ]);
  });

  test('exec by the last thread of a group whose leader exited: the survivor takes the leader\'s tid', async (ctx) => {
    ctx.skip(!f.pidfdThread || !f.execMemfd, 'needs PIDFD_THREAD and the exec helper');
    const t = await run([thread(0), exit(0), exec(0), observe(0), fork(0)]);
    expect(t.steps.map((s) => [s.tid, s.result])).toEqual([
      [100, ok(101)], [100, ok()], [101, ok()], [100, obs(0, 0, false)], [100, ok(102)],
    ]);
  });

  test('a strict task: its layer count and abstract listener were taken when it entered strict mode', async (ctx) => {
    ctx.skip(f.landlockAbi < 6, 'needs Landlock ABI 6');
    const t = await run([
      { op: 'ruleset_create', task: 0, fs: 1 << 11, net: 0, scoped: 0 }, { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      fork(0), strict(1), observe(1), { op: 'probe', task: 0, request: { kind: 'abstract_unix', target: 1 } }, observe(1),
    ]);
    expect(t.steps.slice(3).map((s) => s.result)).toEqual([
      ok(), obs(1, 0, false, 1), { kind: 'probe', outcome: { kind: 'returned', ret: 0 } }, obs(1, 0, false, 1),
    ]);
  });
});

describe('seccomp: queries (spec §7, item 21)', () => {
  test('21. SECCOMP_GET_ACTION_AVAIL accepts exactly the eight actions the model knows (model/seccomp/action.ts)', () => {
    expect(f.seccompActions).toEqual(KNOWN_ACTIONS.map((v) => actionKind(v)));
  });

  test('21/M5. seccomp_action_avail as an op [V p06, d11]: 0 for the eight actions; EOPNOTSUPP with data bits or an unknown value; flags ≠ 0 → EINVAL first; the call meets the task\'s filters', async () => {
    const avail = (action: number, flags = 0, task = 0): Op => ({ op: 'seccomp_action_avail', task, action, flags });
    const odd = [0x50005, 0x7fc00001, 0x7fff0001, 0x10000000, 0x00040000];
    const ops: Op[] = [...KNOWN_ACTIONS.map((a) => avail(a)), ...odd.map((a) => avail(a)), avail(0x7fff0000, 1), avail(0x10000000, 1),
      // a filter that makes seccomp(2) fail EPERM decides the query too (the op gate: nr 317)
      filter(0, onNr(NR.seccomp, RET.ERRNO | E.EPERM)), avail(0x7fff0000)];
    const t = await run(ops);
    const eopnotsupp = { kind: 'err', errno: 95 };
    expect(results(t)).toEqual([...KNOWN_ACTIONS.map(() => ok()), ...odd.map(() => eopnotsupp), { kind: 'err', errno: E.EINVAL }, { kind: 'err', errno: E.EINVAL },
      ok(), { kind: 'err', errno: E.EPERM }]);
    // and the model says the same, step by step (the last: its op gate stops the call with the
    // filter's errno, which the kernel shows as the call's error)
    const m = runTrace(LINUX, ops);
    expect(m.steps.map((s) => s.out.result.kind === 'ok' ? 'ok' : s.out.result.kind === 'err' ? s.out.result.errno : s.out.result.kind)).toEqual(
      [...KNOWN_ACTIONS.map(() => 'ok'), ...odd.map(() => 95), E.EINVAL, E.EINVAL, 'ok', 'stopped']);
  });
});
