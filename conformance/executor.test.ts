// The executor's own guarantees: nothing outlives a scenario (processes, temporary trees),
// every wait is bounded, a dead or hung executor never wedges Node, the op references and fd
// numbers follow the model's conventions, and unsafe or unsupported ops are skipped with a reason.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Insn, Op } from '../model/ops.js';
import { KernelExecutor } from './runner.js';
import type { KernelFeatures, KernelTrace } from './result.js';
import { E, FS, NR, RET, closeFd, exec, exit, filter, fork, observe, onNr, restrict, ruleset, sendFd, sys, thread } from './fixtures.js';

const TAG = `STRATA_TEST_TAG=${randomUUID()}`;
let dir: string;
let kx: KernelExecutor;
let f: KernelFeatures;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-exec-test-'));
  kx = new KernelExecutor({ tmpDir: dir, env: { STRATA_TEST_TAG: TAG.split('=')[1]! } });
  f = await kx.features();
});
afterAll(async () => {
  await kx.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Pids of live processes started by this file's executors (they carry TAG in their environment). */
function tagged(): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/environ`, 'latin1').split('\0').includes(TAG)) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Child pids of `pid` (any thread). */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    const c = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
    if (c) out.push(...c.split(' ').map(Number));
  }
  return out;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

/** The executor's work directory (each scenario's tree is a tmpfs over it, in the scenario's
 * own mount namespace) is all there is, and it holds only its marker (native/workdir.h). */
function assertNoTree(): void {
  const work = readdirSync(dir);
  expect(work).toHaveLength(1);
  expect(work[0]).toMatch(new RegExp(`^strata-exec\\.${kx.pid}\\.[A-Za-z0-9]{6}$`));
  expect(readdirSync(join(dir, work[0]!))).toEqual(['.strata-exec']);
}

function assertNothingLeft(): void {
  assertNoTree();
  expect(children(kx.pid!)).toEqual([]);
  expect(tagged()).toEqual([kx.pid]);
}

describe('safety', () => {
  test('a task killed by SIGSYS midway: later ops are reported, references shift as in the model', async () => {
    const t = await kx.run([
      fork(0), filter(1, onNr(NR.getpid, RET.KILL_PROCESS)), sys(1, NR.getpid), observe(1), { op: 'observe', task: 0, tid: 101 }, sys(0, NR.getpid),
    ]);
    expect(t.status).toBe('ok');
    expect(t.steps.map((s) => s.tid)).toEqual([100, 101, 101, 100, 0, 100]);
    expect(t.steps[2]!.result).toEqual({ kind: 'probe', outcome: { kind: 'kill_process', signal: 'SIGSYS', alone: true } });
    expect(t.steps[3]!.result.kind).toBe('observe');
    expect(t.steps[4]!.result).toEqual({ kind: 'invalid', reason: 'observe: task 101 is not alive' });
    expect(t.steps[5]!.result).toMatchObject({ kind: 'probe', outcome: { kind: 'returned' } });
    assertNothingLeft();
  });

  test('a blocking probe is stopped by the op timeout, with the rest not run, and nothing is left behind', async () => {
    const t0 = Date.now();
    const t = await kx.run([fork(0), thread(1), sys(1, NR.pause), observe(0), sys(0, NR.getpid)], {}, { opTimeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(t.status).toBe('ok');
    expect(t.cleanup).toBe('clean');
    expect(t.steps.map((s) => s.result.kind)).toEqual(['ok', 'ok', 'timeout', 'not_run', 'not_run']);
    expect(t.steps[2]!.result).toEqual({ kind: 'timeout', ms: 300, scope: 'op' });
    assertNothingLeft();
  });

  test('a USER_NOTIF nobody answers hangs the task until the op timeout', async (ctx) => {
    ctx.skip(!f.userNotif, 'user notification does not work here');
    const t = await kx.run([filter(0, onNr(NR.getpid, RET.USER_NOTIF), 8), sys(0, NR.getpid), observe(0)], {}, { opTimeoutMs: 300, answerNotifications: false });
    expect(t.steps.map((s) => s.result.kind)).toEqual(['ok', 'timeout', 'not_run']);
    assertNothingLeft();
  });

  test('the scenario deadline kills the whole process group even when the op timeout is longer', async () => {
    const t0 = Date.now();
    const t = await kx.run([fork(0), fork(1), sys(2, NR.pause), observe(0)], {}, { opTimeoutMs: 20_000, scenarioTimeoutMs: 400 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(t.status).toBe('timeout');
    expect(t.cleanup).toBe('clean');
    expect(t.steps.map((s) => s.result)).toEqual([
      { kind: 'ok', ret: 101 }, { kind: 'ok', ret: 102 }, { kind: 'timeout', ms: 400, scope: 'scenario' },
      { kind: 'not_run', reason: 'the scenario timed out' },
    ]);
    assertNothingLeft();
  });

  test('the scenario deadline kills tasks that left the coordinator\'s process group (setpgid): the session is swept', async () => {
    const t = await kx.run([fork(0), { op: 'setpgid', task: 1 }, fork(1), { op: 'setpgid', task: 2 }, thread(2), sys(2, NR.pause), observe(0)], {}, { opTimeoutMs: 20_000, scenarioTimeoutMs: 600 });
    expect(t.status).toBe('timeout');
    expect(t.cleanup).toBe('clean');
    expect(t.steps.map((s) => s.result.kind)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'timeout', 'not_run']);
    assertNothingLeft();
  });

  test('an executor killed while a task of another process group pauses: Node kills the scenario\'s session', async () => {
    const before = kx.pid!;
    // the pausing process has no other thread to see its channel close: only a kill ends it
    const pending = kx.run([fork(0), { op: 'setpgid', task: 1 }, fork(1), sys(2, NR.pause)], {}, { opTimeoutMs: 20_000 });
    await until(() => tagged().length >= 5, 5000);
    process.kill(before, 'SIGKILL');
    const t = await pending;
    expect(t.status).toBe('executor_failed');
    expect(await until(() => tagged().length === 0, 3000)).toBe(true);
    const next = await kx.run([observe(0)]);
    expect(next.status).toBe('ok');
  });

  test('an executor killed mid-scenario: the run reports it, its tasks die with it, the next run starts a new executor', async () => {
    const before = kx.pid!;
    const pending = kx.run([fork(0), fork(0), thread(1), sys(1, NR.pause)], {}, { opTimeoutMs: 20_000 });
    await until(() => tagged().length >= 4, 5000);
    process.kill(before, 'SIGKILL');
    const t = await pending;
    expect(t.status).toBe('executor_failed');
    expect(t.steps.every((s) => s.result.kind === 'error')).toBe(true);
    // the coordinator dies with the executor (PDEATHSIG), the tasks with the coordinator
    expect(await until(() => tagged().length === 0, 3000)).toBe(true);
    const next = await kx.run([observe(0)]);
    expect(next.status).toBe('ok');
    expect(kx.pid).not.toBe(before);
    // the new executor removes the dead one's work directory when it starts
    assertNoTree();
  });

  test('an executor that stops answering is killed by the Node-side timeout and replaced', async () => {
    const stuck = new KernelExecutor({ tmpDir: dir, graceMs: 200 });
    await stuck.features();
    const pid = stuck.pid!;
    process.kill(pid, 'SIGSTOP');
    const t0 = Date.now();
    const t = await stuck.run([observe(0)], {}, { scenarioTimeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(t.status).toBe('executor_failed');
    const again = await stuck.run([observe(0)]);
    expect(again.status).toBe('ok');
    expect(stuck.pid).not.toBe(pid);
    await stuck.close();
  });

  test('probes that could reach outside the scenario are skipped, never made', async () => {
    const t = await kx.run([sys(0, NR.setsid), sys(0, NR.kill, [0x7fffffff, 9]), sys(0, NR.kill, [0x7fffffff, 0]), sys(0, 169), sys(0, NR.close, [501])]);
    expect(t.steps.map((s) => s.result.kind)).toEqual(['skip', 'skip', 'probe', 'skip', 'skip']);
    expect(t.steps[0]!.result).toMatchObject({ reason: expect.stringContaining('leaves the session the executor kills') });
    expect(t.steps[2]!.result).toEqual({ kind: 'probe', outcome: { kind: 'errno', errno: E.ESRCH } });
  });
});

describe('model conventions', () => {
  test('fds start at 3, the lowest free number is reused, close-on-exec ones vanish at exec, SCM_RIGHTS copies survive it', async (ctx) => {
    ctx.skip(f.landlockAbi < 1 || !f.execMemfd, 'needs Landlock and the exec helper');
    const t: KernelTrace = await kx.run([
      ruleset(0, FS.MAKE_BLOCK), ruleset(0, FS.MAKE_BLOCK), closeFd(0, 0), ruleset(0, FS.MAKE_BLOCK), // 3, 4, close 3, 3
      fork(0), sendFd(0, 1, 1), exec(1), restrict(1, 0), closeFd(1, 0), restrict(1, 0), // child: the received 5 survives exec
      exec(0), ruleset(0, FS.MAKE_BLOCK), // parent: 3 and 4 were close-on-exec
    ]);
    expect(t.steps.map((s) => s.result)).toEqual([
      { kind: 'ok', ret: 3 }, { kind: 'ok', ret: 4 }, { kind: 'ok', ret: 0 }, { kind: 'ok', ret: 3 },
      { kind: 'ok', ret: 101 }, { kind: 'ok', ret: 5 }, { kind: 'ok', ret: 0 }, { kind: 'ok', ret: 0 }, { kind: 'ok', ret: 0 },
      { kind: 'err', errno: E.EBADF }, { kind: 'ok', ret: 0 }, { kind: 'ok', ret: 3 },
    ]);
  });

  test('tids are numbered in creation order from 100; killed ones are not reused; no live task gives invalid', async (ctx) => {
    ctx.skip(!f.pidfdThread, 'needs PIDFD_THREAD');
    const t = await kx.run([thread(0), fork(1), exit(2), fork(0), exit(0), exit(0), exit(0), observe(0)]);
    expect(t.steps.map((s) => [s.tid, s.result.kind === 'ok' ? s.result.ret : s.result.kind])).toEqual([
      [100, 101], [101, 102], [102, 0], [100, 103], [100, 0], [101, 0], [103, 0], [0, 'invalid'],
    ]);
  });

  test('unknown or malformed ops are invalid; variant-only ops and fields are skipped with a reason', async () => {
    const ops = [
      { op: 'bogus', task: 0 }, { op: 'observe', task: 0.5 }, { op: 'modify', task: 0, layer: 0 },
      { op: 'seccomp_filter', task: 0, flags: 0, program: [[6, 0, 0, RET.ALLOW]], mutability: 'any' }, observe(0),
    ] as unknown as Op[];
    const t = await kx.run(ops);
    expect(t.steps.map((s) => s.result.kind)).toEqual(['invalid', 'invalid', 'skip', 'skip', 'observe']);
    expect(t.steps[2]!.result).toEqual({ kind: 'skip', reason: 'variant-only operation: Linux has no modify' });
  });
});

describe('filters that deny the executor\'s own calls', () => {
  test('a task whose filter denies read/write is reported deaf quickly; it stays alive, other tasks go on', async () => {
    const t0 = Date.now();
    const t = await kx.run([fork(0), filter(1, [[6, 0, 0, RET.ERRNO | 1]]), observe(1), sys(1, NR.getpid), sys(0, NR.getpid),
      { op: 'probe', task: 0, request: { kind: 'signal', target: 1 } }, fork(0), observe(2)], {}, { opTimeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(t.status).toBe('ok');
    const r = t.steps.map((s) => s.result);
    expect(r[1]).toMatchObject({ kind: 'error', message: expect.stringContaining('no longer answers') });
    expect(r[2]).toMatchObject({ kind: 'observe', state: { seccompMode: 2, filterCount: 1, landlockLayers: null } });
    expect(r[3]).toMatchObject({ kind: 'error' });
    expect(r[4]).toMatchObject({ kind: 'probe', outcome: { kind: 'returned' } });
    expect(r[5]).toEqual({ kind: 'probe', outcome: { kind: 'returned', ret: 0 } });
    expect(r[6]).toEqual({ kind: 'ok', ret: 102 });
    expect(t.steps[7]!.tid).toBe(102);
    assertNothingLeft();
  });

  test('a filter that keeps the executor\'s received descriptor open is reported; the op still took effect', async () => {
    // close and close_range denied
    const noClose: Insn[] = [[0x20, 0, 0, 0], [0x15, 1, 0, NR.close], [0x15, 0, 1, 436], [6, 0, 0, RET.ERRNO | 1], [6, 0, 0, RET.ALLOW]];
    const t = await kx.run([filter(0, noClose), fork(0), observe(1),
      { op: 'ruleset_create', task: 0, fs: FS.MAKE_BLOCK, net: 0, scoped: 0 }]);
    expect(t.steps[1]!.result).toEqual({ kind: 'error', message: 'a filter of the task kept the executor\'s descriptor 3 open, so descriptor numbers no longer match the model (the op: ok 101)' });
    expect(t.steps[2]!.tid).toBe(101);
    expect(t.steps[3]!.result).toEqual({ kind: 'ok', ret: 4 });
  });

  test('the arg0-bit-0 program of the generators leaves the executor working (channel fds are even)', async () => {
    const t = await kx.run([filter(0, [[0x20, 0, 0, 16], [0x45, 0, 1, 1], [6, 0, 0, RET.ERRNO | 13], [6, 0, 0, RET.ALLOW]]), sys(0, NR.getpid), sys(0, NR.getpid, [1]), observe(0)]);
    expect(t.steps.map((s) => s.result.kind)).toEqual(['ok', 'probe', 'probe', 'observe']);
    expect(t.steps[2]!.result).toEqual({ kind: 'probe', outcome: { kind: 'errno', errno: 13 } });
  });
});
