// strata explore on the command line: its report and result files, check's exit contract (0 a
// matching matrix, 1 a disagreement, 2 bad input in one line, 128+n interrupted with a partial
// report), the time budget's "not searched enough", a user variant module.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './main.js';
import type { Io } from './io.js';
import { strata, BIN, REPO } from './test-helpers.js';
import { tempDir } from '../test/tmp.js';
import { loadScenario } from '../scenario/load.js';

function fakeIo(cwd: string, clock?: () => number): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  let t = 0;
  return { out: (l) => outLines.push(l), err: (l) => errLines.push(l), cwd, now: clock ?? (() => (t += 1)), env: {}, outLines, errLines };
}

describe('strata explore', () => {
  it('finds a violation at its least depth, writes it first, replays it, exit 0', async () => {
    const dir = tempDir('strata-explore-');
    const file = join(dir, 'out', 'tsync-overwrite.I9.explore-small.json');
    const r = await strata(['explore', '-v', 'tsync-overwrite', '-p', 'I9', '--depth', '4', '--out', join(dir, 'out')], { cwd: dir, onFirstStdout: () => existsSync(file) });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.firstChunkCheck, 'the file exists before the first line of the report').toBe(true);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^strata explore: scope small · every op sequence up to depth 4 · 1 variant × 1 property · /);
    expect(r.stdout).toContain(`  tsync-overwrite × I9  ${file}  (depth 3)\n`);
    expect(r.stdout).toMatch(/\nvariant +depth +worlds +transitions +worlds\/s +time\ntsync-overwrite +2\/4 +[\d ]+ +[\d ]+ +[\d ]+ +\S+ s?\S* +stopped at depth 3: every property violated\n/);
    expect(r.stdout).toMatch(/\nvariant +I9\ntsync-overwrite +✗\n/);
    expect(r.stdout).toContain('  explore:    scope small, depth 3: no shorter sequence of the scope violates it\n');
    expect(lines.at(-2)).toBe('ok: all 1 results match the expectation matrix (holds: no violating sequence up to the depth reached)');
    const s = loadScenario(file);
    expect(s.kind).toBe('trace');
    expect(s.ops).toHaveLength(3);
    expect(s.finding).toMatchObject({ property: 'I9', explore: { scope: 'small', depth: 3 }, atStep: 2 });
    const replay = await strata(['replay', file], { cwd: dir });
    expect(replay.code, replay.stdout).toBe(0);
    expect(replay.stdout).toContain('  explore:    scope small, depth 3: no shorter sequence of the scope violates it\n');
  }, 60_000);

  it('an expected violation deeper than --depth is not searched enough (as check\'s --runs): exit 0; --strict exit 1', async () => {
    const args = ['explore', '-v', 'linux-abi8', '-p', 'I2', '--depth', '3', '--no-traces'];
    const io = fakeIo(tempDir('strata-explore-'));
    expect(await main(args, io)).toBe(0);
    expect(io.outLines).toContain('  ? linux-abi8 × I2: expected a violation, none in any sequence up to depth 3 of scope small — raise --depth');
    expect(io.outLines).toContain('  hint: raise --depth (now 3), or try a wider --scope; --strict makes this a failure');
    expect(io.outLines.at(-1)).toBe('ok: no result disagrees with the expectation matrix, but 1 expected violation not searched enough (not found up to --depth: raise --depth; --strict makes this a failure)');
    const strict = fakeIo(tempDir('strata-explore-'));
    expect(await main([...args, '--strict'], strict)).toBe(1);
    expect(strict.outLines.at(-1)).toBe('FAILED: 1 expected violation not searched enough (--strict)');
  }, 60_000);

  it('an expected violation in no world of an exhausted scope is a disagreement: exit 1', async () => {
    // exec-reset without seccomp or Landlock ops in reach: a variant module whose API is the
    // task ops alone, so the scope's worlds run out (3 tasks at most)
    const dir = tempDir('strata-explore-');
    writeFileSync(join(dir, 'tasks.ts'), `import { LINUX_SEMANTICS } from ${JSON.stringify(join(REPO, 'model/semantics.ts'))};
export default { id: 'tasks-only', title: 'fork and exec only', source: 'test', semantics: LINUX_SEMANTICS, opKinds: ['fork', 'exec'], expectations: { I3: 'violates' } };
`);
    const io = fakeIo(dir);
    expect(await main(['explore', '-v', './tasks.ts', '-p', 'I3', '--depth', '9', '--no-traces'], io)).toBe(1);
    expect(io.outLines.find((l) => l.startsWith('tasks-only '))).toMatch(/exhausted: no new world after depth \d+ \(every world of the scope seen\)$/);
    expect(io.outLines).toContain('  hint: the scope has no violating sequence at all: try a wider --scope, or strata check');
    expect(io.outLines.at(-1)).toBe('FAILED: 1 result disagrees with the expectation matrix');
  }, 60_000);

  it('a violation the matrix does not expect, of a user module: exit 1, its file names the module', async () => {
    const dir = tempDir('strata-explore-');
    const module = join(dir, 'reset.ts');
    writeFileSync(module, `import { LINUX_SEMANTICS } from ${JSON.stringify(join(REPO, 'model/semantics.ts'))};
import { linuxOps } from ${JSON.stringify(join(REPO, 'variants/op-kinds.ts'))};
export default { id: 'my-reset', title: 'exec empties the layers', source: 'test', semantics: { ...LINUX_SEMANTICS, execResetsLayers: true }, opKinds: linuxOps(7) };
`);
    const io = fakeIo(dir);
    expect(await main(['explore', '-v', './reset.ts', '-p', 'I10', '--depth', '3', '--out', 'out', '--no-traces'], io)).toBe(1);
    expect(io.outLines).toContain('  !✗ my-reset × I10: violated in 2 ops, but the expectation matrix says it holds');
    const s = loadScenario(join(dir, 'out', 'my-reset.I10.explore-small.json'));
    expect(s.variant).toEqual({ id: 'my-reset', module: '../reset.ts' });
    expect(s.ops.map((o) => o.op)).toEqual(['seccomp_filter', 'exec']);
  }, 60_000);

  it('an expected violation the time budget left unfound: not searched enough, exit 0; --strict exit 1', async () => {
    const args = ['explore', '-v', 'tsync-overwrite', '-p', 'I9', '--time-budget', '1s', '--no-traces'];
    let t = 0;
    const io = fakeIo(tempDir('strata-explore-'), () => (t += 1000));
    expect(await main(args, io)).toBe(0);
    expect(io.outLines).toContain('  ? tsync-overwrite × I9: expected a violation, none up to depth 0 before the search was stopped (time budget)');
    expect(io.outLines).toContain('  hint: raise --time-budget, or leave it out; --strict makes this a failure');
    expect(io.outLines.at(-1)).toBe('ok: no result disagrees with the expectation matrix, but 1 expected violation not searched enough (the search was stopped; --strict makes this a failure)');
    let u = 0;
    const strict = fakeIo(tempDir('strata-explore-'), () => (u += 1000));
    expect(await main([...args, '--strict'], strict)).toBe(1);
    expect(strict.outLines.at(-1)).toBe('FAILED: 1 expected violation not searched enough (--strict)');
  });

  for (const [args, line] of [
    [['--depth', '0'], 'strata explore: --depth must be an integer in 1..64 (got 0)'],
    [['--depth', 'deep'], 'strata explore: --depth must be an integer in 1..64 (got "deep")'],
    [['--scope', 'huge'], 'strata explore: unknown scope "huge" (known: tiny, small, wide)'],
    [['--variant', 'nope'], /^strata explore: variant nope: is neither a built-in variant/],
    [['--property', 'I99'], /^strata explore: unknown property "I99"/],
    [['--depth'], /^strata explore: /],
    [['--runs', '5'], /^strata explore: /],
  ] as const) {
    it(`bad input ${args.join(' ')}: one line, exit 2`, async () => {
      const r = await strata(['explore', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const err = r.stderr.trimEnd().split('\n');
      expect(err).toHaveLength(1);
      if (typeof line === 'string') expect(err[0]).toBe(line);
      else expect(err[0]).toMatch(line);
    });
  }

  it('SIGINT mid-search: the partial report, the files written, exit 130', async () => {
    const dir = tempDir('strata-explore-');
    // tsync-overwrite's I9 is found at depth 3 (then its search is done); linux then searches on
    // for far longer than the test may take
    const child = spawn(process.execPath, [BIN, 'explore', '-v', 'tsync-overwrite,linux', '-p', 'I9', '--depth', '12', '--no-traces', '--out', 'out'], {
      cwd: dir, env: { ...process.env, CI: '', STRATA_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const out = join(dir, 'out');
    for (let i = 0; i < 600 && !(existsSync(out) && readdirSync(out).some((f) => f.endsWith('.json'))); i++) await new Promise((r) => setTimeout(r, 100));
    // linux is searching now: the file of tsync-overwrite was written when it was found
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(-child.pid!, 'SIGINT');
    const code = await done;
    expect(code, stdout + stderr).toBe(130);
    expect(stdout).toContain('  tsync-overwrite × I9  out/tsync-overwrite.I9.explore-small.json  (depth 3)\n');
    expect(stdout).toMatch(/\nlinux +\d+\/12 .*interrupted in depth \d+\n/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('INTERRUPTED by SIGINT after 2 of 2 variants (the last one partly): no verdict (1 counterexample file written, listed above)');
    expect(readdirSync(out)).toEqual(['tsync-overwrite.I9.explore-small.json']);
  }, 90_000);
});
