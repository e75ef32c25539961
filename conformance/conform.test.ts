// The conformance engine on this machine's kernel: a bounded generated run of the linux variant
// must end with no unexplained discrepancy (the CI conformance run); with a kernel that lies
// about one call the engine must find, shrink, bound and record the discrepancy.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Op } from '../model/ops.js';
import { KernelExecutor, DEFAULT_BINARY } from './runner.js';
import type { KernelRunOptions, KernelWorld } from './runner.js';
import type { KernelFeatures, KernelTrace } from './result.js';
import type { ConformReport, KernelTarget } from './conform.js';
import { runConform, ExecutorUnavailable } from './conform.js';
import { executorUnavailableReason } from './availability.js';
import { validateScenario } from '../scenario/validate.js';

const unavailable = executorUnavailableReason(DEFAULT_BINARY);
let kx: KernelExecutor;

beforeAll(() => {
  kx = new KernelExecutor();
});
afterAll(() => kx.close());

/** The run's discrepancies, readably, for a failing assertion's message. */
function why(r: ConformReport): string {
  const lines = [...r.signatures].map(([s, n]) => `${n}× ${s}`);
  for (const d of r.discrepancies) lines.push(`${d.signature}: ${JSON.stringify(d.scenario.ops)} → ${d.scenario.discrepancy!.message}`);
  return lines.join('\n');
}

/** The real kernel, except that getpid() is refused with EPERM: a stand-in for a kernel bug. */
class LyingKernel implements KernelTarget {
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
      const lie = op.op === 'probe' && op.request.kind === 'syscall' && op.request.nr === 39 && s.result.kind === 'probe' && s.result.outcome.kind === 'returned';
      return lie ? { ...s, result: { kind: 'probe' as const, outcome: { kind: 'errno' as const, errno: 1 } } } : s;
    });
    return { ...t, steps };
  }
}

describe('strata conform on this kernel', () => {
  test('a bounded generated run (seed 20261129, 400 scenarios): no unexplained discrepancy', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const r = await runConform({ executor: kx, runs: 400, seed: 20261129, maxOps: 20, kernelBudget: 60 });
    expect(r.unexplainedScenarios, why(r)).toBe(0);
    expect(r.ok).toBe(true);
    expect(r.scenarios).toBe(400);
    expect(r.interrupted).toBe(false);
    // the run compared a great deal, and little went uncompared
    expect(r.sameSteps).toBeGreaterThan(r.ops * 0.8);
    expect(r.variant).toBe(r.features.landlockAbi === 7 ? 'linux' : `linux-abi${r.features.landlockAbi}`);
  });

  test('a lying kernel: the discrepancy is found, shrunk within the kernel budget to one probe, and recorded', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const liar = new LyingKernel(kx);
    const events: string[] = [];
    const r = await runConform({
      executor: liar, runs: 60, seed: 1, maxOps: 12, kernelBudget: 80,
      onProgress: (e) => { if (e.type !== 'scenario' && e.type !== 'shrinking') events.push(e.type); },
    });
    expect(r.ok).toBe(false);
    expect(r.discrepancies).toHaveLength(1);
    const d = r.discrepancies[0]!;
    expect(d.signature).toBe('probe: allow | errno');
    expect(d.reproduced).toBe(true);
    expect(d.kernelRuns).toBeLessThanOrEqual(80);
    expect(d.scenario.ops).toHaveLength(1);
    expect(d.scenario.ops[0]).toMatchObject({ op: 'probe', task: 0, request: { kind: 'syscall', nr: 39, arch: 0xc000003e } });
    // the document: the model's result, the kernel's beside it, the differing step, seed and path
    const s = validateScenario(JSON.parse(JSON.stringify(d.scenario)), 'discrepancy');
    expect(s).toMatchObject({ kind: 'trace', target: 'model', variant: { id: r.variant } });
    expect(s.results![0]!.result).toMatchObject({ kind: 'probe', probe: { outcome: { kind: 'allow' } } });
    expect(s.kernel).toMatchObject({ release: r.features.kernel, landlockAbi: r.features.landlockAbi, status: 'ok', results: [{ tid: 100, result: { kind: 'probe', outcome: { kind: 'errno', errno: 1 } } }] });
    expect(s.discrepancy).toMatchObject({ seed: 1, steps: [0] });
    expect(s.discrepancy!.path).toMatch(new RegExp(`^${d.run}(:\\d+)*$`));
    // every later scenario with a getpid probe is counted under the same signature, not shrunk again
    expect(r.signatures.get('probe: allow | errno')).toBe(r.unexplainedScenarios);
    expect(events.filter((e) => e === 'shrunk')).toHaveLength(1);
    expect(events[0]).toBe('start');
  });

  test('the kernel budget bounds shrinking', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const liar = new LyingKernel(kx);
    const r = await runConform({ executor: liar, runs: 60, seed: 1, maxOps: 12, kernelBudget: 2, maxDiscrepancies: 1 });
    const d = r.discrepancies[0]!;
    expect(d.kernelRuns).toBe(2);
    expect(d.budgetSpent).toBe(true);
    // each scenario that differs is run again before it counts, then shrinking spends its budget
    expect(r.kernelRuns).toBe(r.scenarios + r.unexplainedScenarios + 2);
  });
});

test('an executor that cannot start is ExecutorUnavailable, one line', async () => {
  const missing = new KernelExecutor({ binary: '/nonexistent/strata-exec' });
  try {
    const e = await runConform({ executor: missing, runs: 1, seed: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExecutorUnavailable);
    expect((e as Error).message).toMatch(/^the live-kernel executor cannot run: strata-exec not found at \/nonexistent\/strata-exec/);
    expect((e as Error).message).not.toContain('\n');
  } finally {
    await missing.close();
  }
  expect(executorUnavailableReason('/nonexistent/strata-exec', 0)).toMatch(/is not built/);
  expect(executorUnavailableReason(DEFAULT_BINARY, 1000)).toMatch(/needs root.*uid 1000/);
});
