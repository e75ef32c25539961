// The verdict of a conformance run: which uncompared steps are documented and which were lost to
// a failed kernel run (coverage), the rule that makes a run fail (verdict), and the engine's use
// of both — a discrepancy re-run before it counts, an executor that fails every scenario, an
// interrupt (ConformOptions.signal).
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import type { Op } from '../model/ops.js';
import type { KernelFeatures, KernelTableEntry, KernelTrace } from './result.js';
import type { KernelRunOptions, KernelWorld } from './runner.js';
import { KernelExecutor, DEFAULT_BINARY } from './runner.js';
import { executorUnavailableReason } from './availability.js';
import type { KernelTarget } from './conform.js';
import { runConform } from './conform.js';
import type { ScenarioDiff, StepStatus } from './diff.js';
import { EXPLAINED } from './explained.js';
import { coverage, tableCoverage, verdict, MIN_COMPARED_FRACTION } from './verdict.js';
import type { TableDiff } from './table-diff.js';
import type { VerdictCounts } from './verdict.js';

const same: StepStatus = { status: 'same' };
const nc = (category: Extract<StepStatus, { status: 'not_compared' }>['category'], why = 'x'): StepStatus => ({ status: 'not_compared', category, why });
const diffOf = (...steps: StepStatus[]): ScenarioDiff => ({ steps, unexplained: steps.flatMap((s, i) => (s.status === 'different' ? [i] : [])), parted: null });

describe('coverage: why each uncompared step was not compared', () => {
  it('skips and unknown layer counts are documented; the steps after a skip that parted the worlds too', () => {
    const c = coverage(diffOf(same, nc('skipped'), nc('after an earlier step'), nc('layer count unknown')), 'ok');
    expect(c).toMatchObject({ compared: 1, documented: 3, lost: 0, unfinished: false, causes: [null, 'documented', 'documented', 'documented'] });
  });

  it('an op timeout and everything after it is lost: the run did not finish, though its status is ok', () => {
    const c = coverage(diffOf(same, same, nc('timeout', 'timed out on the kernel after 1 ms (op)'), nc('after an earlier step'), nc('after an earlier step')), 'ok');
    expect(c).toMatchObject({ compared: 2, documented: 0, lost: 3, unfinished: true, causes: [null, null, 'lost', 'lost', 'lost'] });
  });

  it('executor errors: documented when protocol.md says the scenario\'s filters cause them, else lost', () => {
    expect(coverage(diffOf(nc('executor', "executor error: abstract_unix: the target's listener: errno 13")), 'ok').documented).toBe(1);
    expect(coverage(diffOf(nc('executor', 'executor error: task 101 no longer answers')), 'ok').documented).toBe(1);
    const failed = coverage(diffOf(nc('executor', 'executor error: the executor failed: exited (SIGKILL)'), nc('after an earlier step')), 'executor_failed');
    expect(failed).toMatchObject({ documented: 0, lost: 2, unfinished: true });
  });

  it('after an explained difference that parts the worlds: documented', () => {
    const entry = EXPLAINED[0]!;
    const c = coverage(diffOf(same, { status: 'explained', why: 'w', entry }, nc('after an earlier step')), 'ok');
    expect(c).toMatchObject({ compared: 2, documented: 1, lost: 0, unfinished: false });
  });

  it('a run whose status is not ok did not finish, even with every step compared', () => {
    expect(coverage(diffOf(same, same), 'timeout').unfinished).toBe(true);
    expect(coverage(diffOf(same, same), 'ok').unfinished).toBe(false);
  });
});

describe('tableCoverage: full-table entries not compared', () => {
  const entry = (result: KernelTableEntry['result']): KernelTableEntry => ({ point: 'end', tid: 100, request: 0, result });
  const table = (...e: [KernelTableEntry['result'], StepStatus][]): TableDiff => ({ entries: e.map(([r, status]) => ({ entry: entry(r), status })), unexplained: [] });
  const probe: KernelTableEntry['result'] = { kind: 'probe', outcome: { kind: 'returned' } } as KernelTableEntry['result'];

  it('skips, documented executor errors and entries after the worlds parted are documented', () => {
    const c = tableCoverage(table(
      [probe, same],
      [{ kind: 'skip', reason: 'the task is in strict mode' }, nc('skipped')],
      [{ kind: 'error', message: 'the task no longer answers its channel' }, nc('executor')],
      [probe, nc('after an earlier step')],
    ), 'ok');
    expect(c).toEqual({ compared: 1, documented: 3, lost: 0 });
  });

  it('a timeout or an executor failure loses the entry, as it would a step', () => {
    const c = tableCoverage(table(
      [{ kind: 'timeout', ms: 2000, scope: 'op' }, nc('timeout')],
      [{ kind: 'error', message: 'the task itself died while its disposable child probed: SIGKILL' }, nc('executor')],
      [{ kind: 'not_run', reason: 'the scenario timed out' }, nc('after an earlier step')],
    ), 'timeout');
    expect(c).toEqual({ compared: 0, documented: 0, lost: 3 });
  });


  it('lost entries are named in the unfinished-run problem; the compared fraction stays over steps', () => {
    const counts: VerdictCounts = { kernelRuns: 10, unfinishedRuns: 1, steps: 100, compared: 90, documented: 10, lost: 0, unexplained: 0, notReproduced: 0, tableEntries: 1000, tableCompared: 10, tableDocumented: 989, tableLost: 1 };
    expect(verdict(counts).problems).toEqual(['1 kernel run of 10 did not finish (timeout or executor failure): 1 full-table entry not compared because of it']);
    expect(verdict({ ...counts, unfinishedRuns: 0, tableLost: 0 }).ok).toBe(true);
  });
});

describe('verdict: the rule', () => {
  const clean: VerdictCounts = { kernelRuns: 10, unfinishedRuns: 0, steps: 100, compared: 90, documented: 10, lost: 0, unexplained: 0, notReproduced: 0 };

  it('ok: every run finished, most steps compared, no discrepancy', () => {
    expect(verdict(clean)).toEqual({ ok: true, problems: [] });
  });

  it('a reproduced discrepancy fails the run', () => {
    expect(verdict({ ...clean, unexplained: 2 })).toEqual({ ok: false, problems: ['2 scenarios with an unexplained discrepancy (reproduced by a re-run)'] });
  });

  it('one unfinished kernel run fails the run, with the steps it lost', () => {
    expect(verdict({ ...clean, unfinishedRuns: 1, lost: 4, compared: 86 })).toEqual({
      ok: false, problems: ['1 kernel run of 10 did not finish (timeout or executor failure): 4 steps not compared because of it'],
    });
  });

  it('nothing compared is never ok, not even with no steps at all', () => {
    expect(verdict({ ...clean, compared: 0, documented: 100 }).problems).toEqual(['nothing was compared: 0 of 100 steps']);
    expect(verdict({ ...clean, steps: 0, compared: 0, documented: 0 }).ok).toBe(false);
  });

  it(`under ${MIN_COMPARED_FRACTION * 100}% compared is not searched enough, even for documented reasons`, () => {
    expect(verdict({ ...clean, compared: 49, documented: 51 }).problems).toEqual(['not searched enough: 49 of 100 steps compared (the rule asks for at least 50%)']);
    expect(verdict({ ...clean, compared: 50, documented: 50 }).ok).toBe(true);
  });

  it('a discrepancy a re-run did not reproduce fails only with failUnreproduced', () => {
    expect(verdict({ ...clean, notReproduced: 1 }).ok).toBe(true);
    expect(verdict({ ...clean, notReproduced: 1 }, { failUnreproduced: true }).problems).toEqual(['1 discrepancy not reproduced by a re-run (--fail-unreproduced)']);
  });
});

// ---- the engine, with stand-in kernels ----

const FEATURES: KernelFeatures = {
  kernel: '6.99.0-fake', landlockAbi: 7, landlockErrata: 0, seccompActions: ['kill_process', 'kill_thread', 'trap', 'errno', 'user_notif', 'trace', 'log', 'allow'],
  seccompFilterFlags: 0x3f, landlockRestrictFlags: 0x7, userNotif: true, pidfdThread: true, pidfdGetfd: true, ia32: true, mountns: true, netns: true, execMemfd: true,
};

/** An executor that dies on every scenario (what runner.ts reports then). */
class CrashingKernel implements KernelTarget {
  runs = 0;
  features(): Promise<KernelFeatures> {
    return Promise.resolve(FEATURES);
  }
  run(ops: readonly Op[]): Promise<KernelTrace> {
    this.runs++;
    const message = 'the executor failed: exited (SIGSEGV)';
    return Promise.resolve({ status: 'executor_failed', steps: ops.map(() => ({ tid: 0, result: { kind: 'error', message } })), elapsedUs: 0, cleanup: 'unknown', message });
  }
}

describe('runConform with an executor that fails every scenario', () => {
  test('not ok: every run unfinished, nothing compared', async () => {
    const k = new CrashingKernel();
    const r = await runConform({ executor: k, runs: 15, seed: 3, maxOps: 8 });
    expect(r.unexplainedScenarios).toBe(0);
    expect(r.ok).toBe(false);
    expect(r.incompleteRuns).toBe(15);
    expect(r.comparedSteps).toBe(0);
    expect(r.lostSteps).toBe(r.ops);
    expect(r.verdict.problems).toEqual([
      `15 kernel runs of 15 did not finish (timeout or executor failure): ${r.ops} steps not compared because of it`,
      `nothing was compared: 0 of ${r.ops} steps`,
    ]);
  });

  test('an abort (an interrupt) stops the run after the scenario in progress: partial, aborted', async () => {
    const k = new CrashingKernel();
    const controller = new AbortController();
    const r = await runConform({
      executor: k, runs: 1000, seed: 3, maxOps: 8, signal: controller.signal,
      onProgress: (e) => { if (e.type === 'scenario' && e.scenarios === 4) controller.abort('SIGINT'); },
    });
    expect(r.aborted).toBe(true);
    expect(r.scenarios).toBe(4);
    expect(k.runs).toBe(4);
  });
});

const unavailable = executorUnavailableReason(DEFAULT_BINARY);

/** The real kernel, except that the first getpid() probe it sees is refused with EPERM, once:
 * a difference that does not come back (a task killed from outside, a flaky observation). */
class OnceLyingKernel implements KernelTarget {
  lies = 0;
  runs = 0;
  constructor(private readonly real: KernelExecutor) {}
  features(): Promise<KernelFeatures> {
    return this.real.features();
  }
  async run(ops: readonly Op[], world?: KernelWorld, options?: KernelRunOptions): Promise<KernelTrace> {
    this.runs++;
    const t = await this.real.run(ops, world, options);
    const steps = t.steps.map((s, i) => {
      const op = ops[i]!;
      const lie = this.lies === 0 && op.op === 'probe' && op.request.kind === 'syscall' && op.request.nr === 39 && s.result.kind === 'probe' && s.result.outcome.kind === 'returned';
      if (!lie) return s;
      this.lies++;
      return { ...s, result: { kind: 'probe' as const, outcome: { kind: 'errno' as const, errno: 1 } } };
    });
    return { ...t, steps };
  }
}

describe('runConform: a discrepancy is re-run before it counts', () => {
  let kx: KernelExecutor;
  beforeAll(() => {
    kx = new KernelExecutor();
  });
  afterAll(() => kx.close());

  test('one that does not reproduce is reported with its scenario, and does not fail the run', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const liar = new OnceLyingKernel(kx);
    const events: string[] = [];
    const r = await runConform({ executor: liar, runs: 60, seed: 1, maxOps: 12, onProgress: (e) => { if (e.type === 'not-reproduced' || e.type === 'shrunk') events.push(e.type); } });
    expect(liar.lies).toBe(1);
    expect(r.unexplainedScenarios).toBe(0);
    expect(r.discrepancies).toEqual([]);
    expect(r.notReproduced).toHaveLength(1);
    const n = r.notReproduced[0]!;
    expect(n.signature).toBe('probe: allow | errno');
    expect(n.rerun).toBe('no unexplained difference');
    expect(n.scenario.discrepancy).toMatchObject({ seed: 1, path: String(n.run) });
    expect(n.scenario.description).toMatch(/not reproduced/);
    expect(events).toEqual(['not-reproduced']);
    expect(r.ok).toBe(true);
    expect(r.kernelRuns).toBe(r.scenarios + 1);
  });

  test('with failUnreproduced it fails the run', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const r = await runConform({ executor: new OnceLyingKernel(kx), runs: 60, seed: 1, maxOps: 12, failUnreproduced: true });
    expect(r.notReproduced).toHaveLength(1);
    expect(r.ok).toBe(false);
    expect(r.verdict.problems).toEqual(['1 discrepancy not reproduced by a re-run (--fail-unreproduced)']);
  });
});

/** The real kernel, except that its full tables are altered: `lieOnce` flips the first probe
 * entry that returned to EPERM, once; `timeOut` reports every table entry of the first run with
 * tables as timed out. */
class TableAlteringKernel implements KernelTarget {
  lies = 0;
  timeouts = 0;
  constructor(private readonly real: KernelExecutor, private readonly mode: 'lieOnce' | 'timeOut') {}
  features(): Promise<KernelFeatures> {
    return this.real.features();
  }
  async run(ops: readonly Op[], world?: KernelWorld, options?: KernelRunOptions): Promise<KernelTrace> {
    const t = await this.real.run(ops, world, options);
    if (!t.tables || t.tables.length === 0) return t;
    if (this.mode === 'timeOut') {
      if (this.timeouts > 0) return t;
      this.timeouts++;
      return { ...t, tables: t.tables.map((e) => ({ ...e, result: { kind: 'timeout' as const, ms: 2000, scope: 'op' as const } })) };
    }
    const tables = t.tables.map((e) => {
      const lie = this.lies === 0 && typeof e.request === 'number' && e.result.kind === 'probe' && e.result.outcome.kind === 'returned';
      if (!lie) return e;
      this.lies++;
      return { ...e, result: { kind: 'probe' as const, outcome: { kind: 'errno' as const, errno: 1 } } };
    });
    return { ...t, tables };
  }
}

describe('runConform: full-table differences and losses go through the same rule as steps', () => {
  let kx: KernelExecutor;
  beforeAll(() => {
    kx = new KernelExecutor();
  });
  afterAll(() => kx.close());

  test('a table difference a re-run does not show again is not reproduced, not counted', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const liar = new TableAlteringKernel(kx, 'lieOnce');
    const r = await runConform({ executor: liar, runs: 40, seed: 5, maxOps: 12 });
    expect(liar.lies).toBe(1);
    expect(r.unexplainedScenarios).toBe(0);
    expect(r.discrepancies).toEqual([]);
    expect(r.notReproduced).toHaveLength(1);
    expect(r.notReproduced[0]!.signature).toMatch(/^table /);
    expect(r.notReproduced[0]!.rerun).toBe('no unexplained difference');
    expect(r.notReproduced[0]!.scenario.discrepancy!.table!.length).toBe(1);
    expect(r.ok).toBe(true);
  }, 120_000);

  test('table entries lost to a timeout make their run unfinished: the run fails', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const k = new TableAlteringKernel(kx, 'timeOut');
    const r = await runConform({ executor: k, runs: 20, seed: 5, maxOps: 12 });
    expect(k.timeouts).toBe(1);
    expect(r.incompleteRuns).toBe(1);
    expect(r.tableLost).toBeGreaterThan(0);
    expect(r.ok).toBe(false);
    expect(r.verdict.problems[0]).toMatch(/^1 kernel run of \d+ did not finish \(timeout or executor failure\): .*full-table entr(y|ies) not compared because of it$/);
  }, 120_000);
});
