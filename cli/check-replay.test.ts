// strata check and strata replay end to end, through the real executable: exit statuses, the
// scenario file on disk before any output, replay reproducing a saved failure exactly (and
// noticing when it does not), user variant modules, the default run of `npm start`.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strata, REPO } from './test-helpers.js';
import { loadScenario } from '../scenario/load.js';
import { formatScenario } from '../scenario/format.js';
import { scenarioOf } from '../scenario/make.js';
import { tempDir } from '../test/tmp.js';

const tmp = (): string => tempDir('strata-cli-');

/** A user variant module: seccomp TSYNC without the ancestry check, claiming to satisfy everything. */
const NAIVE = `export default {
  id: 'naive-tsync',
  title: 'seccomp TSYNC that overwrites siblings, wrongly expected to be safe',
  source: 'cli/check-replay.test.ts',
  semantics: { seccompTsyncAncestorCheck: false },
  opKinds: ['fork', 'thread', 'probe', 'seccomp_filter', 'seccomp_filter.tsync'],
};
`;

describe('strata check', () => {
  let dir = '';
  let run: Awaited<ReturnType<typeof strata>>;
  const file = 'out/tsync-overwrite.I9.seed8.json';

  beforeAll(async () => {
    dir = tmp();
    run = await strata(['check', '--variant', 'tsync-overwrite', '--property', 'I9,I1', '--runs', '300', '--seed', '8', '--out', 'out'], {
      cwd: dir,
      onFirstStdout: () => existsSync(join(dir, file)),
    });
  });

  it('exits 0 when every result matches the expectation matrix', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').pop()).toBe('ok: all 2 results match the expectation matrix');
  });

  it('writes the shrunk scenario before printing anything', () => {
    expect(run.firstChunkCheck).toBe(true);
    expect(readdirSync(join(dir, 'out'))).toEqual(['tsync-overwrite.I9.seed8.json']);
  });

  it('starts with the seed, the file, the fast-check path and the replay command', () => {
    const s = loadScenario(join(dir, file));
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^strata check: seed 8 · 300 runs per variant · up to 20 ops · 1 variant × 2 properties · /);
    expect(lines[1]).toBe('counterexamples (replay one with strata replay <file>):');
    expect(lines[2]).toBe(`  tsync-overwrite × I9  ${file}  (fast-check seed 8, path "${s.finding!.path}")`);
    expect(run.stdout).toContain(`  replay:     strata replay ${file}\n`);
    expect(s).toMatchObject({ kind: 'trace', target: 'model', variant: { id: 'tsync-overwrite' }, finding: { property: 'I9', seed: 8 } });
  });

  it('prints the matrix and the counterexample as a readable trace', () => {
    expect(run.stdout).toContain('\nvariant          I9 I1\ntsync-overwrite  ✗  ✓\n');
    expect(run.stdout).toMatch(/✗ I9 violated by tsync-overwrite in \d ops \(expected\)/);
    expect(run.stdout).toMatch(/#\d t10\d seccomp\(SET_MODE_FILTER, flags TSYNC/);
    expect(run.stdout).toContain('✗ I9 fails here');
  });

  it('replays the saved failure exactly: exit 0', async () => {
    const r = await strata(['replay', file], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = loadScenario(join(dir, file));
    expect(r.stdout).toContain(`results: all ${s.ops.length} recorded results reproduced`);
    expect(r.stdout).toContain(`finding: reproduced — I9 fails at step #${s.finding!.atStep}: ${s.finding!.message}`);
    expect(r.stdout).toContain('state: + t101 (thread of t100)');
  });

  it('notices a recording the model does not reproduce: exit 1', async () => {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    doc.results[0] = { tid: doc.results[0].tid, result: { kind: 'err', errno: 11 } };
    writeFileSync(join(dir, 'forged.json'), JSON.stringify(doc));
    const r = await strata(['replay', 'forged.json', '--no-state'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('≠ recorded: t100 → EAGAIN');
    expect(r.stdout).toContain('results: 1 of');
    expect(r.stdout).not.toContain('state:');
  });

  it('notices a finding that no longer holds: exit 1', async () => {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    doc.finding.message = 'something else';
    writeFileSync(join(dir, 'moved.json'), JSON.stringify(doc));
    const r = await strata(['replay', 'moved.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/finding: NOT reproduced — I9 now fails at step #\d+: /);
  });

  it('replays a script (no recording) with exit 0', async () => {
    const script = scenarioOf({ variant: { id: 'linux' }, ops: [{ op: 'fork', task: 0 }, { op: 'exit', task: 1 }] });
    writeFileSync(join(dir, 'script.json'), formatScenario(script));
    const r = await strata(['replay', 'script.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#0 t100 fork() → ok, child t101');
    expect(r.stdout).toContain('#1 t101 exit() → ok');
  });
});

describe('strata check with a user variant module', () => {
  let dir = '';
  let run: Awaited<ReturnType<typeof strata>>;

  beforeAll(async () => {
    dir = tmp();
    mkdirSync(join(dir, 'designs'));
    writeFileSync(join(dir, 'designs', 'naive.mjs'), NAIVE);
    run = await strata(['check', '-v', './designs/naive.mjs', '-p', 'I9', '-n', '300', '--no-traces'], { cwd: dir });
  });

  it('exits 1 on an unexpected violation, and says what to do', () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('naive-tsync × I9 (unexpected)  strata-out/naive-tsync.I9.seed1.json');
    expect(run.stdout).toContain('!✗ naive-tsync × I9: violated, but the expectation matrix says it holds\n');
    expect(run.stdout.trimEnd().split('\n').pop()).toBe('FAILED: 1 result disagrees with the expectation matrix');
  });

  it('records the module path relative to the scenario file, so replay finds it from anywhere', async () => {
    const s = loadScenario(join(dir, 'strata-out', 'naive-tsync.I9.seed1.json'));
    expect(s.variant).toEqual({ id: 'naive-tsync', module: '../designs/naive.mjs' });
    const r = await strata(['replay', join(dir, 'strata-out', 'naive-tsync.I9.seed1.json')], { cwd: REPO });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('variant:    naive-tsync — seccomp TSYNC that overwrites siblings, wrongly expected to be safe');
  });

  it('an expected violation not found in --runs: not searched enough, exit 0; exit 1 under --strict', async () => {
    const r = await strata(['check', '-v', 'tsync-overwrite', '-p', 'I9', '-n', '1', '--no-traces'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('? tsync-overwrite × I9: expected violation not found in 1 runs — raise --runs');
    const strict = await strata(['check', '-v', 'tsync-overwrite', '-p', 'I9', '-n', '1', '--no-traces', '--strict'], { cwd: dir });
    expect(strict.code).toBe(1);
  });
});

describe('the default run (npm start)', () => {
  it('checks every built-in variant × every property and exits 0', async () => {
    // From a directory without a corpus, and --strict: every expected violation is found by the
    // generator itself at npm start's default budget (in the checkout, corpus/ decides them).
    const dir = tmp();
    const r = await strata(['check', '--strict'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^strata check: seed 1 · 5000 runs per variant · up to 20 ops · 14 variants × 17 properties · /);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('ok: all 238 results match the expectation matrix');
    // one minimal counterexample per expected violation, each on disk and replayable
    const files = readdirSync(join(dir, 'strata-out'));
    const expected = (r.stdout.match(/ \(expected\)\n/g) ?? []).length;
    expect(files.length).toBe(expected);
    expect(expected).toBeGreaterThan(10);
  });
});
