// The package as a user gets it: `npm pack` (prepack compiles dist/), installed offline into an
// empty project — its runtime dependencies from the npm cache `npm ci` filled, through a lock
// made from this repository's own lock entries — and used there: `import { check } from
// 'strata'` finds a user variant's violation, the installed `strata` executable checks the same
// module on 2 workers, `strata/vitest` turns it into failing and passing vitest tests, and the
// types compile. One pack and one install, shared by every check below.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './tmp.js';
import { BUILTIN_VARIANTS } from '../variants/registry.js';
import { ALL_PROPERTIES } from '../properties/all.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const NPM_ENV = { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', CI: '' };

let proj = '';
let tarball = '';

/** A lock for a project that depends on the tarball: strata's runtime dependencies, transitively,
 * as this repository's lock pins them (so npm ci takes them from the cache, offline). */
function projectLock(pkg: { version: string; dependencies: Record<string, string> }, spec: string): unknown {
  const repo = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }> };
  const want = new Map<string, unknown>();
  const queue = Object.keys(pkg.dependencies);
  while (queue.length > 0) {
    const key = `node_modules/${queue.shift()!}`;
    const e = repo.packages[key];
    if (want.has(key) || !e) continue;
    want.set(key, e);
    queue.push(...Object.keys(e.dependencies ?? {}), ...Object.keys(e.optionalDependencies ?? {}));
  }
  return {
    name: 'user-project', version: '1.0.0', lockfileVersion: 3, requires: true,
    packages: {
      '': { name: 'user-project', version: '1.0.0', dependencies: { strata: spec } },
      'node_modules/strata': { version: pkg.version, resolved: spec, dependencies: pkg.dependencies, bin: { strata: 'bin/strata.mjs' } },
      ...Object.fromEntries(want),
    },
  };
}

function node(args: string[], cwd = proj): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: '', STRATA_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const dir = tempDir('strata-pack-');
  const out = execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: REPO, encoding: 'utf8', env: NPM_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  tarball = join(dir, out.trim().split('\n').at(-1)!);
  proj = join(dir, 'user-project');
  mkdirSync(proj);
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  const spec = `file:${tarball}`;
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', type: 'module', private: true, dependencies: { strata: spec } }, null, 2));
  writeFileSync(join(proj, 'package-lock.json'), JSON.stringify(projectLock(pkg, spec), null, 2));
  // offline: every dependency comes from the cache; install scripts (the executor's C build)
  // are left out here for time: the package's files for it are checked below
  execFileSync('npm', ['ci', '--offline', '--ignore-scripts'], { cwd: proj, env: NPM_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  // the user's own design, importing strata by its package name
  writeFileSync(join(proj, 'my-variant.mjs'), `import { TSYNC_OVERWRITE } from 'strata';
export default { ...TSYNC_OVERWRITE, id: 'my-tsync', title: 'my design: TSYNC without the ancestor check', expectations: {} };
`);
}, 240_000);

describe('the packed package, installed offline into an empty project', () => {
  it('ships the compiled API with types, the executable, and the executor sources; not the tests', () => {
    const root = join(proj, 'node_modules', 'strata');
    for (const f of ['dist/api/index.js', 'dist/api/index.d.ts', 'dist/api/vitest.js', 'dist/api/vitest.d.ts', 'dist/cli/check-pool-worker.js', 'dist/scenario/scenario.schema.json', 'dist/result/result.schema.json', 'dist/conformance/build.sh', 'dist/conformance/executor.c', 'bin/strata.mjs']) expect(existsSync(join(root, f)), f).toBe(true);
    for (const f of ['cli/main.ts', 'dist/cli/check-pool.test.js', 'node_modules']) expect(existsSync(join(root, f)), f).toBe(false);
  });

  it("import { check } from 'strata' finds a user variant's violation; replay reproduces it", () => {
    writeFileSync(join(proj, 'run.mjs'), `import { check, loadVariant, replay, BUILTIN_VARIANTS, ALL_PROPERTIES } from 'strata';
const v = await loadVariant('./my-variant.mjs');
const r = await check({ variants: [v], properties: ['I9'], runs: 300, seed: 1 });
const f = r.results[0];
const rp = await replay(f.counterexample, v);
console.log(JSON.stringify({ outcome: f.outcome, matches: f.matches, ops: f.counterexample.ops.length, reproduced: rp.finding.reproduced, builtins: BUILTIN_VARIANTS.length, properties: ALL_PROPERTIES.length }));
`);
    const r = node(['run.mjs']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ outcome: 'violated', matches: false, ops: 3, reproduced: true, builtins: BUILTIN_VARIANTS.length, properties: ALL_PROPERTIES.length });
  });

  it('the installed strata executable checks the module on 2 workers', () => {
    const r = node([join('node_modules', 'strata', 'bin', 'strata.mjs'), 'check', '--variant', './my-variant.mjs', '--property', 'I9', '--runs', '300', '--workers', '2', '--no-traces']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/my-tsync × I9 \(unexpected\)  strata-out\/my-tsync\.I9\.seed1\.json/);
    expect(existsSync(join(proj, 'strata-out', 'my-tsync.I9.seed1.json'))).toBe(true);
  });

  it("strata/vitest: one test per property; the unexpected violation fails with its trace, its file written", () => {
    symlinkSync(join(REPO, 'node_modules', 'vitest'), join(proj, 'node_modules', 'vitest'));
    writeFileSync(join(proj, 'design.test.mjs'), `import { describeVariant } from 'strata/vitest';
import mine from './my-variant.mjs';
describeVariant('tsync-overwrite', { runs: 200, seed: 1, properties: ['I9', 'I1'] });
describeVariant(mine, { runs: 200, seed: 1, properties: ['I9', 'I1'], out: 'found' });
`);
    const r = node([join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', '.', '--reporter', 'json', '--outputFile', 'vitest.json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(readFileSync(join(proj, 'vitest.json'), 'utf8')) as { testResults: { assertionResults: { status: string; fullName: string; failureMessages: string[] }[] }[] };
    const tests = json.testResults.flatMap((t) => t.assertionResults);
    expect(tests.map((t) => `${t.status} ${t.fullName.split(':')[0]}:${t.fullName.split(':')[1]}`)).toEqual([
      'passed strata: tsync-overwrite I9', 'passed strata: tsync-overwrite I1', 'failed strata: my-tsync I9', 'passed strata: my-tsync I1',
    ]);
    const message = tests[2]!.failureMessages[0]!;
    expect(message).toMatch(/my-tsync violates I9 in 3 ops/);
    expect(message).toMatch(/✗ I9 fails here/);
    expect(message).toMatch(/replay: +strata replay found\/my-tsync\.I9\.seed1\.json/);
    expect(existsSync(join(proj, 'found', 'my-tsync.I9.seed1.json'))).toBe(true);
  });

  it('its types compile in a TypeScript project', () => {
    mkdirSync(join(proj, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', '@types', 'node'), join(proj, 'node_modules', '@types', 'node'));
    writeFileSync(join(proj, 'typed.ts'), `import { check, LINUX_SEMANTICS, linuxOps } from 'strata';
import type { Variant, StepFn, CheckReport } from 'strata';
import { describeVariant } from 'strata/vitest';
const wrap = (inner: StepFn): StepFn => (world, op) => inner(world, op);
const mine = { id: 'typed', title: 't', source: 's', semantics: LINUX_SEMANTICS, opKinds: linuxOps(7), wrap };
const r: Promise<CheckReport> = check({ variants: ['linux'], runs: 1 });
const v: Variant | undefined = undefined;
void r; void v; void describeVariant; void mine;
`);
    writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['typed.ts'] }));
    const r = node([join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
