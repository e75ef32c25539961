// Comparing a model trace with a kernel run (diff.ts) and the explained differences
// (explained.ts), without a kernel: the kernel results are written by hand.
import { describe, expect, test } from 'vitest';
import type { Op } from '../model/ops.js';
import type { KernelOpResult, KernelStep } from '../scenario/kernel-result.js';
import { runTrace } from '../properties/trace.js';
import { LINUX } from '../variants/linux.js';
import { diffScenario, discrepancySignature, stepMarks } from './diff.js';
import { EXPLAINED, explainedById } from './explained.js';
import { E, NR, RET, filter, fork, observe, onNr, probe, ret, sys } from './fixtures.js';

const k = (tid: number, result: KernelOpResult): KernelStep => ({ tid, result });
const returned = (ret = 0): KernelOpResult => ({ kind: 'probe', outcome: { kind: 'returned', ret } });
const obs = (filterCount: number): KernelOpResult => ({ kind: 'observe', state: { seccompMode: filterCount ? 2 : 0, filterCount, nnp: false, landlockLayers: 0 } });

function diff(ops: Op[], kernel: KernelStep[]) {
  const model = runTrace(LINUX, ops);
  return { model, d: diffScenario({ ops, model, kernel }) };
}

describe('diffScenario', () => {
  test('the same results and tids: every step the same, no discrepancy', () => {
    const { d } = diff([fork(0), sys(1, NR.getpid), observe(1)], [k(100, { kind: 'ok', ret: 101 }), k(101, returned(4242)), k(101, obs(0))]);
    expect(d.steps.map((s) => s.status)).toEqual(['same', 'same', 'same']);
    expect(d.unexplained).toEqual([]);
  });

  test('a different result, or the same result by another task, is a discrepancy with a signature', () => {
    const ops = [filter(0, onNr(NR.getpid, RET.ERRNO | E.EPERM)), sys(0, NR.getpid), fork(0)];
    const { model, d } = diff(ops, [k(100, { kind: 'ok', ret: 0 }), k(100, returned(7)), k(101, { kind: 'ok', ret: 101 })]);
    expect(d.unexplained).toEqual([1, 2]);
    expect(d.steps[1]).toMatchObject({ status: 'different', why: expect.stringContaining('"errno":1') });
    expect(d.steps[2]).toEqual({ status: 'different', why: 'model tid 100, kernel tid 101' });
    expect(discrepancySignature(ops, model, [k(100, { kind: 'ok', ret: 0 }), k(100, returned(7)), k(101, { kind: 'ok', ret: 101 })], d)).toBe('probe: errno | returned');
    expect(stepMarks(d).map((m) => m.mark)).toEqual(['same', 'different', 'different']);
  });

  test('a filter op that returned and then killed its task at the executor\'s reply: compared, then the worlds part', () => {
    const ops = [fork(0), filter(1, ret(RET.KILL_PROCESS)), sys(1, NR.getpid), observe(0)];
    const dead = { kind: 'ok', ret: 0, thenKilled: { scope: 'process', signal: 'SIGSYS', alone: true } } as const;
    const { d } = diff(ops, [k(100, { kind: 'ok', ret: 101 }), k(101, dead), k(100, returned(1)), k(100, obs(0))]);
    expect(d.steps.map((s) => s.status)).toEqual(['same', 'same', 'not_compared', 'not_compared']);
    expect(d.steps[2]).toMatchObject({ category: 'after an earlier step', why: expect.stringContaining('the executor\'s reply') });
    expect(d.parted).toMatchObject({ after: 1 });
    // the same op without the death keeps comparing (the kernel's t101 lives on)
    const live = diff(ops, [k(100, { kind: 'ok', ret: 101 }), k(101, { kind: 'ok', ret: 0 }), k(101, { kind: 'probe', outcome: { kind: 'kill_process', signal: 'SIGSYS', alone: true } }), k(100, obs(0))]);
    expect(live.d.steps.map((s) => s.status)).toEqual(['same', 'same', 'same', 'same']);
  });

  test('a skipped probe that changed nothing leaves the worlds together; a skipped fork parts them', () => {
    const skip: KernelOpResult = { kind: 'skip', reason: 'the executor cannot make a call from a chosen instruction pointer' };
    const a = diff([probe(0, { kind: 'syscall', nr: 39, arch: 0xc000003e, ip: 8, args: [0, 0, 0, 0, 0, 0] }), observe(0)], [k(100, skip), k(100, obs(0))]);
    expect(a.d.steps.map((s) => s.status)).toEqual(['not_compared', 'same']);
    expect(a.d.steps[0]).toMatchObject({ category: 'skipped', why: expect.stringContaining('instruction pointer') });
    const b = diff([fork(0), observe(1)], [k(100, skip), k(100, obs(0))]);
    expect(b.d.steps[1]).toEqual({ status: 'not_compared', why: 'after step #0, which the kernel did not carry out (skipped)', category: 'after an earlier step' });
  });

  test('executor errors, timeouts and unknown layer counts are not compared; only a harmless probe error keeps comparing', () => {
    const listener: KernelOpResult = { kind: 'error', message: 'abstract_unix: the target\'s listener: errno 1' };
    const mute: KernelOpResult = { kind: 'error', message: 'the task no longer answers its channel: …' };
    const req = { kind: 'abstract_unix', target: 0 } as const;
    expect(diff([probe(0, req), observe(0)], [k(100, listener), k(100, obs(0))]).d.steps.map((s) => s.status)).toEqual(['not_compared', 'same']);
    expect(diff([probe(0, req), observe(0)], [k(100, mute), k(100, obs(0))]).d.steps.map((s) => s.status)).toEqual(['not_compared', 'not_compared']);
    const t = diff([fork(0), observe(0)], [k(100, { kind: 'timeout', ms: 2000, scope: 'op' }), k(0, { kind: 'not_run', reason: 'an earlier operation timed out' })]);
    expect(t.d.steps).toMatchObject([{ category: 'timeout' }, { category: 'after an earlier step' }]);
    const unknown: KernelOpResult = { kind: 'observe', state: { seccompMode: 0, filterCount: 0, nnp: false, landlockLayers: null, landlockError: 'x' } };
    expect(diff([observe(0)], [k(100, unknown)]).d.steps[0]).toMatchObject({ status: 'not_compared', category: 'layer count unknown' });
    // a count that differs is a difference even when the layer count is unknown
    const wrong: KernelOpResult = { kind: 'observe', state: { seccompMode: 2, filterCount: 1, nnp: false, landlockLayers: null } };
    expect(diff([observe(0)], [k(100, wrong)]).d.unexplained).toEqual([0]);
  });
});

describe('explained differences', () => {
  test('every entry is named, reasoned and cited', () => {
    for (const e of EXPLAINED) {
      expect(e.id).toMatch(/^[a-z0-9-]+$/);
      expect(e.title.length).toBeGreaterThan(10);
      expect(e.reason.length).toBeGreaterThan(40);
      expect(e.citation).toMatch(/\.(ts|c)\b|:[a-z_]+/);
      expect(explainedById(e.id)).toBe(e);
    }
  });

  // bit 0 of args[0] → ERRNO(EACCES), else ALLOW: kill(pid, 0) is decided by the real pid's parity
  const arg0Odd = [[0x20, 0, 0, 16], [0x45, 0, 1, 1], [0x06, 0, 0, (RET.ERRNO | E.EACCES) >>> 0], [0x06, 0, 0, RET.ALLOW]] as const;

  test('unknown-arguments: a filter that reads a Landlock-mediated call\'s arguments explains the kernel\'s other decision', () => {
    const ops = [filter(0, arg0Odd.map((i) => [...i] as [number, number, number, number])), probe(0, { kind: 'signal', target: 0 })];
    const { d } = diff(ops, [k(100, { kind: 'ok', ret: 0 }), k(100, { kind: 'probe', outcome: { kind: 'errno', errno: E.EACCES } })]);
    expect(d.unexplained).toEqual([]);
    expect(d.steps[1]).toMatchObject({ status: 'explained', entry: { id: 'unknown-arguments' } });
    // an outcome no other argument value could give stays a discrepancy
    const other = diff(ops, [k(100, { kind: 'ok', ret: 0 }), k(100, { kind: 'probe', outcome: { kind: 'errno', errno: E.EPERM } })]);
    expect(other.d.unexplained).toEqual([1]);
  });

  test('unknown-arguments does not explain a filter that decides by the number only, nor a raw syscall probe\'s exact arguments', () => {
    const byNr = diff([filter(0, onNr(62, RET.ERRNO | E.EACCES)), probe(0, { kind: 'signal', target: 0 })],
      [k(100, { kind: 'ok', ret: 0 }), k(100, returned(0))]);
    expect(byNr.d.unexplained).toEqual([1]);
    const raw = diff([filter(0, arg0Odd.map((i) => [...i] as [number, number, number, number])), sys(0, NR.getpid, [2])],
      [k(100, { kind: 'ok', ret: 0 }), k(100, { kind: 'probe', outcome: { kind: 'errno', errno: E.EACCES } })]);
    expect(raw.d.unexplained).toEqual([1]);
    const allow = diff([filter(0, ret(RET.ALLOW)), sys(0, NR.getpid)], [k(100, { kind: 'ok', ret: 0 }), k(100, { kind: 'probe', outcome: { kind: 'errno', errno: 1 } })]);
    expect(allow.d.unexplained).toEqual([1]);
  });

  test('mount-needs-cap-sys-admin: a mount the model allows is EPERM on the kernel for a task without CAP_SYS_ADMIN, and only then', () => {
    const mount = probe(0, { kind: 'mount' });
    const eperm = k(100, { kind: 'probe', outcome: { kind: 'errno', errno: E.EPERM } });
    const capless = diff([{ op: 'drop_cap', task: 0 }, mount], [k(100, { kind: 'ok', ret: 0 }), eperm]);
    expect(capless.d.unexplained).toEqual([]);
    expect(capless.d.steps[1]).toMatchObject({ status: 'explained', entry: { id: 'mount-needs-cap-sys-admin' } });
    // with the capability the kernel mounts: EPERM there is a discrepancy
    expect(diff([mount], [eperm]).d.unexplained).toEqual([0]);
    // and so is another errno for a capless one
    expect(diff([{ op: 'drop_cap', task: 0 }, mount], [k(100, { kind: 'ok', ret: 0 }), k(100, { kind: 'probe', outcome: { kind: 'errno', errno: E.EACCES } })]).d.unexplained).toEqual([1]);
  });
});
