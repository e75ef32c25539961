// strata check on every core: every built-in variant × every property on 1 worker (the serial
// engine on its worker thread: `strata check --workers 1`) and on N workers (the pool,
// cli/check-pool.ts), in the same run, alternating, best of two each; the two reports must be
// equal. And the cost of `strata merge` over 100 shard documents. STRATA_BENCH_WORKERS_RUNS sets
// the runs per variant (default 5000, npm start's: enough that each worker's start-up and warm-up are amortised).
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CheckInWorker, mergeReports } from '../cli/check-in-worker.js';
import { CheckPool } from '../cli/check-pool.js';
import type { CheckReport } from '../properties/check.js';
import { BUILTIN_VARIANTS } from '../variants/registry.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import { main } from '../cli/main.js';
import type { Io } from '../cli/io.js';

const SEED = 1;
const MAX_OPS = 20;

function untimed(r: CheckReport): string {
  return JSON.stringify(r, (k, v: unknown) => (k === 'elapsedMs' ? 0 : v));
}

/** CPU seconds of this process (every thread) since `c0`. */
function cpuSince(c0: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(c0);
  return (u.user + u.system) / 1e6;
}

let lastCpu = 0;

async function oneWorker(runs: number): Promise<[number, CheckReport]> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = await new CheckInWorker().run({
    variants: BUILTIN_VARIANTS.map((v) => v.id), properties: ALL_PROPERTIES.map((p) => p.id), cwd: process.cwd(),
    runs, seed: SEED, maxOps: MAX_OPS, deadline: null, variantModules: {}, corpus: [],
  }, () => {});
  const s = (performance.now() - t0) / 1000;
  lastCpu = cpuSince(c0);
  return [s, mergeReports(out.parts, { seed: SEED, runs, maxOps: MAX_OPS, elapsedMs: 0 })];
}

async function nWorkers(runs: number, n: number): Promise<[number, CheckReport]> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = await new CheckPool().run({
    variants: BUILTIN_VARIANTS.map((v) => v.id), properties: ALL_PROPERTIES.map((p) => p.id), cwd: process.cwd(),
    runs, seed: SEED, maxOps: MAX_OPS, deadline: null, variantModules: {}, corpus: [],
  }, BUILTIN_VARIANTS, ALL_PROPERTIES, { workers: n }, () => {});
  const s = (performance.now() - t0) / 1000;
  lastCpu = cpuSince(c0);
  return [s, mergeReports(out.parts, { seed: SEED, runs, maxOps: MAX_OPS, elapsedMs: 0 })];
}

function quietIo(cwd: string): Io {
  return { out: () => {}, err: () => {}, cwd, now: () => Date.now(), env: {}, inProcessEngine: true };
}

export async function benchWorkers(): Promise<string[]> {
  const runs = Number(process.env.STRATA_BENCH_WORKERS_RUNS ?? 5000);
  const n = Math.max(2, availableParallelism());
  const lines: string[] = [];
  const load0 = loadavg()[0]!;
  let t1 = Infinity;
  let tn = Infinity;
  let r1: CheckReport | null = null;
  let rn: CheckReport | null = null;
  let c1 = Infinity;
  let cn = Infinity;
  for (let round = 0; round < 2; round++) {
    const [a, ra] = await oneWorker(runs);
    c1 = Math.min(c1, lastCpu);
    const [b, rb] = await nWorkers(runs, n);
    cn = Math.min(cn, lastCpu);
    t1 = Math.min(t1, a);
    tn = Math.min(tn, b);
    r1 = ra;
    rn = rb;
  }
  const scenarios = r1!.variants.reduce((x, v) => x + v.scenarios, 0);
  const load1 = loadavg()[0]!;
  lines.push(`check, ${BUILTIN_VARIANTS.length} variants × ${ALL_PROPERTIES.length} properties, ${runs} runs each (seed ${SEED}, no corpus): ${scenarios} scenarios`);
  lines.push(`1 worker:  ${(scenarios / t1).toFixed(0)} scenarios/s (${t1.toFixed(1)} s, best of 2)`);
  lines.push(`${n} workers: ${(scenarios / tn).toFixed(0)} scenarios/s (${tn.toFixed(1)} s, best of 2)`);
  lines.push(`ratio ${n} workers / 1 worker: ${(t1 / tn).toFixed(2)} (target >= 1.7 on 2 cores); reports equal: ${untimed(r1!) === untimed(rn!) ? 'yes' : 'NO'}; load average ${load0.toFixed(2)} before, ${load1.toFixed(2)} after`);
  // on a busy machine the scheduler (autogroup) gives one process one share whatever its threads:
  // the CPU time says what the split itself costs
  lines.push(`CPU time (every thread): 1 worker ${c1.toFixed(1)} s, ${n} workers ${cn.toFixed(1)} s: the pool does ${(cn / c1).toFixed(2)}× the serial work; with ${n} idle cores the wall-clock ratio could reach ${((n * c1) / cn).toFixed(2)}`);

  // strata merge over 100 shard documents of one run (made in this process, one after another)
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-merge-'));
  try {
    const plan = ['--variant', 'linux,tsync-overwrite,exec-reset', '--runs', '400', '--seed', '1', '--no-corpus', '--out', join(dir, 'out')];
    const files: string[] = [];
    const ts = performance.now();
    for (let i = 1; i <= 100; i++) {
      const f = join(dir, `shard-${i}.json`);
      await main(['check', ...plan, '--shard', `${i}/100`, '--reporter', `json=${f}`], quietIo(dir));
      files.push(f);
    }
    const tShards = (performance.now() - ts) / 1000;
    const tm = performance.now();
    const status = await main(['merge', ...files, '--reporter', `json=${join(dir, 'merged.json')}`], quietIo(dir));
    const tMerge = (performance.now() - tm) / 1000;
    lines.push(`strata merge of 100 shard documents (3 variants × 400 runs; the 100 shards took ${tShards.toFixed(1)} s in all): ${(tMerge * 1000).toFixed(0)} ms, ${((tMerge * 1000) / 100).toFixed(1)} ms per document (exit ${status})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
