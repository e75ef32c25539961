// strata repro on a tree with mounts (model/landlock/fstree.ts mountsFsTree: /a/s bound on /c/m,
// /a detached as /d): the reproducer carries the request's `mount` lines as MOUNTS[] (the executor
// makes them as `strata conform` does) and the umount op; compiled with `cc -Wall -Werror`, run on
// this kernel, each step's KTAP verdict is the executor's for the same step. Needs root and the
// built executor (conformance/availability.ts); skipped with the reason otherwise.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Op } from '../model/ops.js';
import type { Scenario } from '../scenario/types.js';
import type { KernelFeatures } from '../conformance/result.js';
import { mountsFsTree } from '../model/landlock/fstree.js';
import { mountsUniverse } from '../model/universe.js';
import { LANDLOCK_ABI_MAX } from '../model/limits.js';
import { DEFAULT_BINARY, KernelExecutor } from '../conformance/runner.js';
import { executorUnavailableReason, environmentProblem } from '../conformance/availability.js';
import { conformWorlds, variantForKernel } from '../conformance/conform.js';
import { conformanceProfile } from '../generators/options.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import { replayScenario } from '../properties/trace.js';
import { reproducerSource } from './source.js';
import { compileAndRun, executorVerdicts } from './test-kit.js';

const SCENARIOS = 16;
const unavailable = executorUnavailableReason(DEFAULT_BINARY);

const fsProbe = (access: string, path: string, task = 0): Op => ({ op: 'probe', task, request: { kind: 'fs', access, path } }) as Op;
const umount = (path: string, task = 0): Op => ({ op: 'umount', task, path }) as Op;

describe.skipIf(unavailable !== null)(`strata repro with the tree's mounts${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let kx: KernelExecutor;
  let f: KernelFeatures;
  let dir: string;
  beforeAll(async () => {
    kx = new KernelExecutor();
    f = await kx.features();
    dir = mkdtempSync(join(tmpdir(), 'strata-repro-mounts-test-'));
  });
  afterAll(async () => {
    await kx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries the mounts and the umount op: probes through /c/m and /d, umount errors, then /c/m/g is gone', async (ctx) => {
    const problem = environmentProblem(f);
    if (problem) ctx.skip(problem);
    ctx.skip(!f.mountns, 'no private mount namespace here: every op is a skip');
    const variant = variantForKernel(f);
    const s: Scenario = {
      strata: 'scenario', version: 1, kind: 'script', variant: { id: variant.id },
      world: { abi: Math.min(Math.max(f.landlockAbi, 1), LANDLOCK_ABI_MAX), nnp: false, capSysAdmin: true, fs: mountsFsTree() },
      universe: mountsUniverse(),
      ops: [
        fsProbe('read_file', '/c/m/g'), fsProbe('read_file', '/d/s/g'), umount('/nope'), umount('/d'), umount('/a'),
        { op: 'fork', task: 0 }, { op: 'chdir', task: 1, path: '/c/m' } as Op, umount('/c/m'),
        { op: 'chdir', task: 1, path: '/' } as Op, umount('/c/m'), fsProbe('read_file', '/c/m/g'), fsProbe('read_file', '/d/s/g'),
      ],
    };
    const trace = replayScenario(s, variant);
    const source = reproducerSource(s, trace, { features: f, featuresFrom: 'the test kernel' });
    expect(source).toContain('static struct fsmount MOUNTS[] = {\n\t{0, (char *)"/a/s", (char *)"/c/m"}, /* bind */\n\t{1, (char *)"/a", (char *)"/d"}, /* detached */\n};');
    expect(source).toMatch(/\tsc->mounts = MOUNTS;\n\tsc->nmounts = 2;\n\tsc->ndetached = 1;\n/);
    expect(source).toMatch(/static void step_9_umount\(struct op \*o\)\n\{\n\to->kind = OP_UMOUNT;\n\to->task = 0;\n\to->s1 = \(char \*\)"\/c\/m";/);
    const repro = await compileAndRun(dir, 'umount', source);
    expect(repro.verdicts, repro.out).toEqual(Array(s.ops.length).fill('ok'));
    expect(repro.status).toBe(0);
    expect(repro.out).toMatch(/^ok 8 step_7_umount - model EBUSY, kernel err 16$/m);
    expect(repro.out).toMatch(/^ok 10 step_9_umount - model ok, kernel ok 0$/m);
    expect(repro.out).toMatch(/^ok 11 step_10_probe_fs - .*kernel probe errno 2$/m);
    expect(await executorVerdicts(kx, variant, s)).toEqual(repro.verdicts);
  }, 120_000);

  it(`agrees with the executor step by step on ${SCENARIOS} generated linux scenarios on the mounts tree`, async (ctx) => {
    const problem = environmentProblem(f);
    if (problem) ctx.skip(problem);
    ctx.skip(!f.mountns, 'no private mount namespace here: every op is a skip');
    const variant = variantForKernel(f);
    const universe = mountsUniverse();
    const arb = fc.oneof(...conformWorlds(f).map((w) => scenarioArbitrary(variant, { ...conformanceProfile(), maxOps: 12, world: { ...w, fs: mountsFsTree() }, universe })));
    // the generators put a umount of a mount point in ~2% of these (generators/segments.ts): the
    // sample takes up to a quarter of its scenarios from those, the rest as drawn
    const drawn = fc.sample(arb, { seed: 23, numRuns: 400 });
    const hasUmount = (s: Scenario): boolean => s.ops.some((op) => op.op === 'umount');
    const umounts = drawn.filter(hasUmount).slice(0, SCENARIOS / 4);
    const scenarios = [...umounts, ...drawn.filter((s) => !hasUmount(s)).slice(0, SCENARIOS - umounts.length)];
    const withUmount = umounts.length;
    expect(withUmount).toBeGreaterThan(0);
    const mismatches: string[] = [];
    const tally = { ok: 0, 'not ok': 0, skip: 0 };
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let k = next++; k < scenarios.length; k = next++) {
        const s = scenarios[k]!;
        const source = reproducerSource(s, replayScenario(s, variant), { features: f, featuresFrom: 'the test kernel' });
        expect(source).toContain('sc->nmounts = 2;');
        const repro = await compileAndRun(dir, `m${k}`, source);
        const expected = await executorVerdicts(kx, variant, s);
        for (const v of repro.verdicts) tally[v]++;
        if (JSON.stringify(repro.verdicts) !== JSON.stringify(expected)) {
          const again = await executorVerdicts(kx, variant, s);
          if (JSON.stringify(repro.verdicts) !== JSON.stringify(again)) mismatches.push(`scenario ${k}: repro ${repro.verdicts.join(',')} executor ${expected.join(',')}\n${repro.out}`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
    expect(mismatches.slice(0, 3).join('\n\n')).toBe('');
    expect(tally.ok).toBeGreaterThan(SCENARIOS);
    console.log(`strata repro (mounts tree): ${SCENARIOS} scenarios, ${withUmount} with a umount; ${tally.ok} ok, ${tally['not ok']} not ok, ${tally.skip} skipped steps`);
  }, 600_000);
});
