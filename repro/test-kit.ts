// Helpers of the repro tests (repro.test.ts, mounts.test.ts): compile and run one reproducer,
// and the executor's verdict for each step of the same scenario (conformance/diff.ts +
// verdict.ts coverage: same or explained → ok, different or lost → not ok, not compared for a
// documented reason → skip).
import { expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../variants/variant.js';
import type { KernelExecutor } from '../conformance/runner.js';
import { runBoth } from '../conformance/conform.js';
import { coverage } from '../conformance/verdict.js';
import { parseKtap, type KtapVerdict } from './ktap.js';

const run = promisify(execFile);

/** Compile and run one reproducer; its KTAP verdicts and exit status. */
export async function compileAndRun(dir: string, name: string, source: string): Promise<{ verdicts: KtapVerdict[]; status: number; out: string }> {
  const c = join(dir, `${name}.c`);
  const bin = join(dir, name);
  writeFileSync(c, source);
  await run('cc', ['-Wall', '-Werror', '-o', bin, c]);
  let out = '';
  let status = 0;
  try {
    out = (await run(bin, [], { timeout: 60_000 })).stdout;
  } catch (e) {
    const err = e as { stdout?: string; code?: number };
    out = err.stdout ?? '';
    status = typeof err.code === 'number' ? err.code : -1;
  }
  const { plan, points } = parseKtap(out);
  expect(plan, out).toBe(points.length);
  return { verdicts: points.map((p) => p.verdict), status, out };
}

/** The executor's verdict for each step of `s`, as the reproducer's KTAP words it. */
export async function executorVerdicts(kx: KernelExecutor, variant: Variant, s: Scenario): Promise<KtapVerdict[]> {
  const o = await runBoth(kx, variant, s);
  const c = coverage(o.diff, o.kernel.status);
  return o.diff.steps.map((st, i) => {
    if (st.status === 'same' || st.status === 'explained') return 'ok';
    if (st.status === 'different') return 'not ok';
    return c.causes[i] === 'documented' ? 'skip' : 'not ok';
  });
}
