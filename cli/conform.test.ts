// strata conform and strata replay --target kernel end to end, through the real executable:
// exit statuses, bad input as one line, the executor missing, a clean run on this kernel, and —
// with a stand-in executor that lies about getpid() — a discrepancy written before any output,
// printed side by side, and replayed on the kernel (reproduced by the liar, not by the kernel).
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strata } from './test-helpers.js';
import { loadScenario } from '../scenario/load.js';
import { formatScenario } from '../scenario/format.js';
import { scenarioOf } from '../scenario/make.js';
import { DEFAULT_BINARY } from '../conformance/runner.js';
import { executorUnavailableReason } from '../conformance/availability.js';
import { tempDir } from '../test/tmp.js';
import { lyingExecutor } from './lying-executor.js';

const tmp = (): string => tempDir('strata-conform-');
const unavailable = executorUnavailableReason(DEFAULT_BINARY);

describe('strata conform: usage', () => {
  it('--help: the options and exit statuses, exit 0', async () => {
    const r = await strata(['conform', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: strata conform \[options\]/);
    for (const o of ['--runs', '--seed', '--max-ops', '--time-budget', '--out', '--kernel-budget', '--op-timeout', '--scenario-timeout', '--variant', '--no-table', '--tree']) expect(r.stdout).toContain(o);
    expect(r.stdout).toContain('Exit status: 0 no unexplained discrepancy, every kernel run finished and enough was compared;');
    for (const o of ['--fail-unreproduced', 'not reproduced', 'did not finish', '130, 143, 129']) expect(r.stdout).toContain(o);
  });

  const BAD: readonly [readonly string[], string][] = [
    [['--runs', '0'], 'strata conform: --runs must be an integer in 1..10000000 (got 0)'],
    [['--runs', 'many'], 'strata conform: --runs must be an integer in 1..10000000 (got "many")'],
    [['--kernel-budget', '0'], 'strata conform: --kernel-budget must be an integer in 1..1000000 (got 0)'],
    [['--op-timeout', 'soon'], 'strata conform: --op-timeout must be a positive duration such as 30s, 1500ms or 2m (got "soon")'],
    [['--run', '3'], 'strata conform: unknown option --run (did you mean --runs?)'],
    [['extra'], 'strata conform: unexpected argument "extra"'],
    [['--tree', 'forest'], 'strata conform: --tree must be one of default, mounts (got "forest")'],
    [['--variant', 'nope'], 'strata conform: variant nope: is neither a built-in variant (linux, linux-abi8, v5-2017, v5-2017-maps, lutomirski-2017, mutable-domains-rfc, live-ruleset, tsync-overwrite, exec-reset, newest-filter-wins, no-trace-recheck, notif-overrides, keyring-drops-domain, fown-group-head, linux-abi<N>) nor a module path'],
    [['--out', '/proc/self/status/x'], 'strata conform: --out /proc/self/status/x: /proc/self/status is not a directory'],
    [['--executor', '/nonexistent/strata-exec'], 'strata conform: the live-kernel executor is not built (/nonexistent/strata-exec is missing): run "sh conformance/build.sh" (npm ci runs it)'],
  ];
  for (const [args, line] of BAD) {
    it(`bad input ${args.join(' ')}: one line, exit 2`, async () => {
      const r = await strata(['conform', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${line}\n`);
    });
  }
});

describe('strata conform on this kernel', () => {
  it('a clean run: the report, and exit 0', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const dir = tmp();
    const r = await strata(['conform', '--runs', '120', '--seed', '9', '--out', 'out'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^strata conform: kernel \S+ \(Landlock ABI \d+\) · model linux\S* · seed 9 · 120 runs · up to 20 ops · /);
    expect(r.stdout).toMatch(/\ncompared: \d+ steps the same, \d+ steps? explained \(\d+ of \d+ steps compared\)\n/);
    expect(r.stdout).toMatch(/\nfull tables: \d+ entries \(every live task × every request, after observes and at the end\): [1-9]\d* the same, \d+ explained( \([^)]*\))?, \d+ not compared\n/);
    expect(lines.at(-1)).toMatch(/^ok: no unexplained discrepancy in 120 scenarios/);
    expect(existsSync(join(dir, 'out'))).toBe(false); // nothing to write
  });
});

/** A user variant module (conformance/altered-variant.ts's design): linux, except that a layer
 * made by a non-leader thread forgets TRUNCATE. Written with absolute imports of the model, with
 * no package.json beside it (variants/module-loader.ts imports it as it is). */
function alteredModule(dir: string): string {
  const repo = fileURLToPath(new URL('..', import.meta.url));
  writeFileSync(join(dir, 'altered.ts'), `import { taskWith, worldWith } from ${JSON.stringify(join(repo, 'model/state.js'))};
import { LINUX_SEMANTICS } from ${JSON.stringify(join(repo, 'model/semantics.js'))};
import { linuxOps } from ${JSON.stringify(join(repo, 'variants/op-kinds.js'))};
const TRUNCATE = 1 << 14;
export default {
  id: 'test-altered-truncate', title: 'linux whose non-leader threads forget TRUNCATE', source: 'test', semantics: LINUX_SEMANTICS, abi: 7, opKinds: linuxOps(7),
  wrap: (inner) => (world, op) => {
    const out = inner(world, op);
    if (op.op !== 'restrict_self' || out.result.kind !== 'ok') return out;
    const tasks = out.world.tasks.mapAll((t) => {
      if (t.tid !== out.tid || t.tid === t.tgid || !t.domain || (t.domain.layer.handledFs & TRUNCATE) === 0) return t;
      return taskWith(t, { domain: { ...t.domain, layer: { ...t.domain.layer, handledFs: t.domain.layer.handledFs & ~TRUNCATE } } });
    });
    return { ...out, world: worldWith(out.world, { tasks }) };
  },
};
`);
  return './altered.ts';
}

describe('--variant: a user design that departs from Linux where no generated probe asks', () => {
  it('full tables find it: exit 1, the file written, and replay --target kernel shows the differing entry', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const dir = tmp();
    const mod = alteredModule(dir);
    const r = await strata(['conform', '--variant', mod, '--runs', '100', '--seed', '3', '--kernel-budget', '20', '--max-discrepancies', '1', '--out', 'out', '--no-traces'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/· model test-altered-truncate · seed 3 · 100 runs/);
    const files = readdirSync(join(dir, 'out'));
    expect(files).toHaveLength(1);
    const file = `out/${files[0]}`;
    expect(r.stdout).toContain(`  ${file}  table fs: allow | errno  (fast-check seed 3`);
    const s = loadScenario(join(dir, file));
    expect(s.variant).toEqual({ id: 'test-altered-truncate', module: '../altered.ts' });
    expect(s.discrepancy!.steps).toEqual([]);
    expect(s.discrepancy!.table!.length).toBeGreaterThan(0);
    const replay = await strata(['replay', '--target', 'kernel', file], { cwd: dir });
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/\n {4}✗ table end, t\d+ fs truncate \/c\/f: model \{"kind":"allow"\}, kernel \{"kind":"errno","errno":13\}\n/);
    expect(replay.stdout).toMatch(/\ndiscrepancy: the \d+ recorded full-table entr(y differs|ies differ) again\n/);
  }, 120_000);
});

describe('a discrepancy (a stand-in executor that refuses getpid)', () => {
  let dir = '';
  let liar = '';
  let run: Awaited<ReturnType<typeof strata>>;
  let file = '';

  beforeAll(async () => {
    if (unavailable) return;
    dir = tmp();
    liar = lyingExecutor(dir);
    run = await strata(['conform', '--executor', liar, '--runs', '40', '--seed', '1', '--max-ops', '12', '--kernel-budget', '60', '--out', 'out'], {
      cwd: dir,
      onFirstStdout: () => (existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []),
    });
    file = `out/${readdirSync(join(dir, 'out'))[0]}`;
  });

  it('exits 1 and writes the shrunk scenario before printing anything', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.firstChunkCheck).toEqual([file.slice(4)]);
    expect(file).toMatch(/^out\/linux\S*\.conform\.seed1\.run\d+\.json$/);
  });

  it('prints the file, the replay command, the seed and path, and both traces side by side', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const s = loadScenario(join(dir, file));
    const out = run.stdout;
    expect(out).toContain(`discrepancies (replay one with strata replay --target kernel <file>):\n  ${file}  probe: allow | errno  (fast-check seed 1, path "${s.discrepancy!.path}")\n`);
    expect(out).toContain('✗ the kernel differs from the model in 1 op: probe: allow | errno\n');
    expect(out).toContain(`  replay:     strata replay --target kernel ${file}\n`);
    expect(out).toContain(`  fast-check: seed 1, path "${s.discrepancy!.path}"\n`);
    expect(out).toMatch(/ {4}✗ #0 t100 probe getpid\(39\)[^\n]*\n +model {2}allow +│ kernel {2}EPERM\n +≠ model /);
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^FAIL: \d+ scenarios? of 40 with an unexplained discrepancy \(1 kind, 1 shrunk and written\)$/);
    expect(s).toMatchObject({ kind: 'trace', target: 'model', discrepancy: { seed: 1, steps: [0] }, kernel: { status: 'ok', results: [{ tid: 100 }] } });
  });

  it('replay --target kernel with the same stand-in reproduces it: exit 1, discrepancy and kernel results reproduced', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const r = await strata(['replay', '--target', 'kernel', '--executor', liar, file], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^strata replay --target kernel out\/\S+\n/);
    expect(r.stdout).toMatch(/\n {2}✗ #0 t100 probe getpid\(39\)[^\n]*\n +model {2}allow +│ kernel {2}EPERM\n/);
    expect(r.stdout).toContain('\nkernel: 1 of 1 steps differ from the model (steps #0)\n');
    expect(r.stdout).toContain('\ndiscrepancy: reproduced at #0\n');
    expect(r.stdout).toContain('\nrecorded kernel results: all 1 reproduced\n');
  });

  it('replay --target kernel on the real kernel: it agrees with the model, and the recording is not reproduced: exit 1', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const r = await strata(['replay', '--target', 'kernel', file], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('\nkernel: agrees with the model on every compared step\n');
    expect(r.stdout).toContain('\ndiscrepancy: NOT reproduced — recorded at #0, now none\n');
    expect(r.stdout).toMatch(/\nrecorded kernel results: 1 of 1 not reproduced \(steps #0\)\n {2}#0 recorded EPERM; now returned \d+\n/);
  });
});

describe('a difference that does not come back (a stand-in executor that refuses getpid once)', () => {
  it('is re-run, listed as not reproduced with its file, and does not fail the run: exit 0', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const dir = tmp();
    const liar = lyingExecutor(dir, true);
    const r = await strata(['conform', '--executor', liar, '--runs', '40', '--seed', '1', '--max-ops', '12', '--no-traces', '--out', 'out'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    const files = readdirSync(join(dir, 'out'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^linux\S*\.conform\.seed1\.run\d+\.not-reproduced\.json$/);
    expect(r.stdout).toContain(`\n  ? out/${files[0]}  probe: allow | errno  (run ${/run(\d+)/.exec(files[0]!)![1]}; the re-run showed no unexplained difference)\n`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ok: no unexplained discrepancy in 40 scenarios( \(\d+ explained differences?, listed above\))?; 1 difference not reproduced, listed above$/);
    const s = loadScenario(join(dir, 'out', files[0]!));
    // the original generated scenario (not shrunk), its differing step a getpid probe
    expect(s.discrepancy).toMatchObject({ seed: 1, path: /run(\d+)/.exec(files[0]!)![1] });
    expect(s.discrepancy!.steps).toHaveLength(1);
    expect(s.ops[s.discrepancy!.steps[0]!]).toMatchObject({ op: 'probe', request: { kind: 'syscall', nr: 39 } });
  });

  it('fails the run with --fail-unreproduced: exit 1', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const dir = tmp();
    const liar = lyingExecutor(dir, true);
    const r = await strata(['conform', '--executor', liar, '--runs', '40', '--seed', '1', '--max-ops', '12', '--no-traces', '--fail-unreproduced', '--out', 'out'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('FAIL: 1 discrepancy not reproduced by a re-run (--fail-unreproduced)');
  });
});

describe('strata replay --target kernel', () => {
  it('a script the kernel and the model agree on: exit 0', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const dir = tmp();
    const s = scenarioOf({ variant: { id: 'linux' }, ops: [{ op: 'fork', task: 0 }, { op: 'observe', task: 1 }, { op: 'probe', task: 1, request: { kind: 'fs', access: 'read_file', path: '/a/f' } }] });
    writeFileSync(join(dir, 's.json'), formatScenario(s));
    const r = await strata(['replay', '--target', 'kernel', 's.json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n {4}#0 t100 fork\(\)\n +model {2}ok, child t101 +│ kernel {2}ok, child t101\n/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('kernel: agrees with the model on every compared step');
  });

  it('bad usage: an unknown target, a missing executor: one line, exit 2', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 's.json'), formatScenario(scenarioOf({ variant: { id: 'linux' }, ops: [{ op: 'fork', task: 0 }] })));
    const t = await strata(['replay', '--target', 'qemu', 's.json'], { cwd: dir });
    expect([t.code, t.stdout, t.stderr]).toEqual([2, '', 'strata replay: --target must be model or kernel (got "qemu")\n']);
    const m = await strata(['replay', '--target', 'kernel', '--executor', '/nonexistent/x', 's.json'], { cwd: dir });
    expect(m.code).toBe(2);
    expect(m.stdout).toBe('');
    expect(m.stderr.split('\n')).toHaveLength(2);
    expect(m.stderr).toMatch(/^strata replay: the live-kernel executor (is not built|needs root)/);
  });
});
