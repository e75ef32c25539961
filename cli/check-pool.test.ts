// strata check on N workers gives exactly the serial engine's report (same outcomes, shrunk
// counterexamples, counts), whatever the workers and the range size; a user variant module
// loads in every worker; a model error found in a later range is the serial run's.
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck } from '../properties/check.js';
import type { CheckReport } from '../properties/check.js';
import { CheckPool } from './check-pool.js';
import { mergeReports } from './check-in-worker.js';
import { resolveVariants, resolveProperties } from './resolve.js';
import { REPO } from './test-helpers.js';
import { tempDir } from '../test/tmp.js';

/** The report without its timings. */
function untimed(r: CheckReport): unknown {
  return JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'elapsedMs' ? 0 : v)));
}

let crashing = '';
beforeAll(() => {
  const dir = tempDir('strata-pool-');
  crashing = join(dir, 'crash-on-third-exec.ts');
  // throws on a scenario's third exec: rare, so the model error is found in a later range
  writeFileSync(crashing, `import { LINUX } from ${JSON.stringify(join(REPO, 'variants', 'linux.ts'))};
export default { ...LINUX, id: 'crash-on-third-exec', title: 'throws on the third exec',
  wrap: (inner: any) => (w: any, op: any) => { if (op.op === 'exec' && w.tasks.length >= 4) throw new Error('boom on exec with 4 tasks'); return inner(w, op); } };
`);
});

async function both(names: string[], properties: string[], runs: number, seed: number, workers: number, chunk?: number): Promise<[CheckReport, CheckReport]> {
  const resolved = await resolveVariants(names, REPO);
  const props = resolveProperties(properties);
  const variants = resolved.map((r) => r.variant);
  const variantModules = Object.fromEntries(resolved.flatMap((r) => (r.module ? [[r.variant.id, r.module]] : [])));
  const serial = runCheck({ variants, properties: props, runs, seed, variantModules, corpus: [] });
  const pool = new CheckPool();
  const out = await pool.run({ variants: names, properties, cwd: REPO, runs, seed, maxOps: 20, deadline: null, variantModules, corpus: [] }, variants, props, { workers, ...(chunk ? { chunk } : {}) }, () => {});
  expect(out.complete).toBe(true);
  return [serial, mergeReports(out.parts, { seed, runs, maxOps: 20, elapsedMs: 0 })];
}

describe('strata check --workers', () => {
  it('gives the serial report exactly: violations found and shrunk in later ranges, held properties, counts', async () => {
    const [serial, pool] = await both(['tsync-overwrite', 'exec-reset', 'linux'], [], 300, 7, 2, 13);
    expect(serial.results.some((r) => r.counterexample)).toBe(true);
    expect(untimed(pool)).toEqual(untimed(serial));
  });

  it('loads a user variant module in every worker, and finds its model error where the serial run does', async () => {
    const [serial, pool] = await both([crashing, 'v5-2017'], ['I1', 'I2', 'I4'], 400, 3, 2, 2);
    expect(serial.variants[0]!.crash?.message).toBe('boom on exec with 4 tasks');
    expect(serial.variants[0]!.scenarios).toBeGreaterThan(2);
    expect(untimed(pool)).toEqual(untimed(serial));
  });
});
