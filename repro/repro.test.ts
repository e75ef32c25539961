// strata repro end to end: generated `linux` scenarios (the conformance profile strata conform
// draws from) as stand-alone C, compiled with `cc -Wall -Werror`, run on this kernel; each
// step's KTAP verdict must be the executor's verdict for the same step (conformance/diff.ts +
// verdict.ts coverage: same or explained → ok, different or lost → not ok, not compared for a
// documented reason → skip). And a conform-found model bug: the reproducer written from the
// pre-fix model marks exactly the steps where that model differs from the kernel `not ok`.
// Needs root and the built executor (conformance/availability.ts); skipped with the reason
// otherwise.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { KernelFeatures } from '../conformance/result.js';
import { DEFAULT_BINARY, KernelExecutor } from '../conformance/runner.js';
import { executorUnavailableReason, environmentProblem } from '../conformance/availability.js';
import { conformWorlds, runBoth, variantForKernel } from '../conformance/conform.js';
import { conformanceProfile } from '../generators/options.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import { replayScenario } from '../properties/trace.js';
import { loadScenario } from '../scenario/load.js';
import { reproducerSource } from './source.js';
import { compileAndRun, executorVerdicts } from './test-kit.js';
import { prefixPtraceVariant } from './prefix-variant.js';

const SCENARIOS = 200;
const unavailable = executorUnavailableReason(DEFAULT_BINARY);

describe.skipIf(unavailable !== null)(`strata repro on this kernel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let kx: KernelExecutor;
  let f: KernelFeatures;
  let dir: string;
  beforeAll(async () => {
    kx = new KernelExecutor();
    f = await kx.features();
    dir = mkdtempSync(join(tmpdir(), 'strata-repro-test-'));
  });
  afterAll(async () => {
    await kx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`agrees with the executor step by step on ${SCENARIOS} generated linux scenarios`, async (ctx) => {
    const problem = environmentProblem(f);
    if (problem) ctx.skip(problem);
    const variant = variantForKernel(f);
    const arb = fc.oneof(...conformWorlds(f).map((w) => scenarioArbitrary(variant, { ...conformanceProfile(), maxOps: 12, world: w })));
    const scenarios = fc.sample(arb, { seed: 16, numRuns: SCENARIOS });
    const tally = { ok: 0, 'not ok': 0, skip: 0 };
    const mismatches: string[] = [];
    const exec = { withExec: 0 };
    // two compilers at a time (the machine has two cores)
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let k = next++; k < scenarios.length; k = next++) {
        const s = scenarios[k]!;
        const trace = replayScenario(s, variant);
        const source = reproducerSource(s, trace, { features: f, featuresFrom: 'the test kernel' });
        if (s.ops.some((op) => op.op === 'exec')) exec.withExec++;
        const repro = await compileAndRun(dir, `s${k}`, source);
        const expected = await executorVerdicts(kx, variant, s);
        for (const v of repro.verdicts) tally[v]++;
        if (JSON.stringify(repro.verdicts) !== JSON.stringify(expected)) {
          // a second executor run tells a flaky kernel run from a disagreement
          const again = await executorVerdicts(kx, variant, s);
          if (JSON.stringify(repro.verdicts) !== JSON.stringify(again)) mismatches.push(`scenario ${k}: repro ${repro.verdicts.join(',')} executor ${expected.join(',')}\n${repro.out}`);
        }
        const failed = repro.verdicts.includes('not ok');
        const compared = repro.verdicts.some((v) => v !== 'skip');
        expect(repro.status, repro.out).toBe(failed ? 1 : compared ? 0 : 4);
      }
    };
    await Promise.all([worker(), worker()]);
    expect(mismatches.slice(0, 3).join('\n\n')).toBe('');
    // the sample exercises what it should: steps compared, skips, and exec through the task image
    expect(tally.ok).toBeGreaterThan(SCENARIOS);
    expect(exec.withExec).toBeGreaterThan(10);
    console.log(`strata repro: ${SCENARIOS} scenarios, ${tally.ok} ok, ${tally['not ok']} not ok, ${tally.skip} skipped steps; ${exec.withExec} exec`);
  }, 900_000);

  it('marks exactly the differing steps of a conform-found model bug, written from the pre-fix model', async () => {
    // corpus/conform/model-ptrace-own-thread-group.json: before commit e2a4841 the model let a
    // task PTRACE_ATTACH to its own thread group (prefix-variant.ts); the kernel says EPERM
    const s = loadScenario(new URL('../corpus/conform/model-ptrace-own-thread-group.json', import.meta.url).pathname);
    const prefix = prefixPtraceVariant(variantForKernel(f));
    const old = replayScenario({ ...s, variant: { id: prefix.id } }, prefix);
    const trace = replayScenario(s, variantForKernel(f));
    const o = await runBoth(kx, prefix, { ...s, variant: { id: prefix.id } });
    expect(o.diff.unexplained).toEqual([1, 2]);
    const repro = await compileAndRun(dir, 'prefix', reproducerSource(s, trace, {
      features: f, featuresFrom: 'the test kernel', expected: old.steps.map((st) => st.out.result),
    }));
    expect(repro.verdicts).toEqual(['ok', 'not ok', 'not ok']);
    expect(repro.status).toBe(1);
    expect(repro.out).toMatch(/^not ok 2 step_1_probe_ptrace - expected allow, observed probe errno 1$/m);
    // and from today's model, every step is ok
    const fixed = await compileAndRun(dir, 'fixed', reproducerSource(s, trace, { features: f, featuresFrom: 'the test kernel' }));
    expect(fixed.verdicts).toEqual(['ok', 'ok', 'ok']);
    expect(fixed.status).toBe(0);
  }, 120_000);
});
