// The executor against the seccomp facts of spec/seccomp.md ("Observable from user space"),
// with the values verified on this kernel ([V]) as expectations: not the model.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AUDIT_ARCH_I386, AUDIT_ARCH_X86_64 } from '../model/request.js';
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as FLAG } from '../model/ops.js';
import { KernelExecutor } from './runner.js';
import type { KernelFeatures, KernelOpResult, KernelTrace } from './result.js';
import {
  E, NR, PLUMBING, RET, allowOnly, closeFd, exec, filter, fork, observe, onArch, onNr, ret, setNnp, strict, sys, thread,
  dropCap, exit,
} from './fixtures.js';

let kx: KernelExecutor;
let f: KernelFeatures;

beforeAll(async () => {
  kx = new KernelExecutor();
  f = await kx.features();
});
afterAll(() => kx.close());

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
