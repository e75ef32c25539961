// strata check's time budget and progress, in-process with a fake Io whose clock moves a second
// every time it is read (so the budget runs out and ticks come deterministically), and once
// through the real executable with a real budget shared by several variants.
import { describe, it, expect } from 'vitest';
import { main } from './main.js';
import type { Io } from './io.js';
import { strata } from './test-helpers.js';
import { tempDir } from '../test/tmp.js';

function fakeIo(cwd: string): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  let t = 0;
  return { out: (l) => outLines.push(l), err: (l) => errLines.push(l), cwd, now: () => (t += 1000), env: {}, inProcessEngine: true, outLines, errLines };
}

describe('an expected violation the time budget left unfound', () => {
  const args = ['check', '-v', 'tsync-overwrite', '-p', 'I9,I1', '--time-budget', '1s', '--no-traces'];

  it('is reported as not searched enough, exit 0', async () => {
    const io = fakeIo(tempDir('strata-budget-'));
    expect(await main(args, io)).toBe(0);
    expect(io.outLines).toContain('tsync-overwrite  ?  ✓   (interrupted after 0 scenarios)');
    expect(io.outLines).toContain('not searched enough (1):');
    expect(io.outLines).toContain('  ? tsync-overwrite × I9: expected a violation, none found in 0 scenarios before the time budget ran out');
    expect(io.outLines).not.toContain('unexpected results (1):');
    expect(io.outLines.at(-1)).toBe('ok: no result disagrees with the expectation matrix, but 1 expected violation not searched enough (the time budget ran out; --strict makes this a failure)');
  });

  it('is a failure under --strict, exit 1', async () => {
    const io = fakeIo(tempDir('strata-budget-'));
    expect(await main([...args, '--strict'], io)).toBe(1);
    expect(io.outLines).toContain('not searched enough (1, a failure under --strict):');
    expect(io.outLines.at(-1)).toBe('FAILED: 1 expected violation not searched enough (--strict) (time budget spent: some variants ran fewer scenarios)');
  });

  it('an expected violation not found in all --runs is not searched enough too: said plainly, exit 0; --strict keeps it a failure', async () => {
    const io = fakeIo(tempDir('strata-budget-'));
    expect(await main(['check', '-v', 'tsync-overwrite', '-p', 'I9', '-n', '1', '--no-traces'], io)).toBe(0);
    expect(io.outLines).toContain('  ? tsync-overwrite × I9: expected violation not found in 1 runs — raise --runs');
    expect(io.outLines.at(-1)).toBe('ok: no result disagrees with the expectation matrix, but 1 expected violation not searched enough (not found in --runs scenarios: raise --runs; --strict makes this a failure)');
    const strict = fakeIo(tempDir('strata-budget-'));
    expect(await main(['check', '-v', 'tsync-overwrite', '-p', 'I9', '-n', '1', '--no-traces', '--strict'], strict)).toBe(1);
    expect(strict.outLines.at(-1)).toBe('FAILED: 1 expected violation not searched enough (--strict)');
  });
});

describe('progress of a single long variant', () => {
  it('prints progress lines on a non-terminal while the variant runs, not only when it is done', async () => {
    const io = fakeIo(tempDir('strata-progress-'));
    expect(await main(['check', '-v', 'linux', '-p', 'I1', '-n', '300', '--no-traces'], io)).toBe(0);
    const running = io.errLines.filter((l) => /^strata check: \[1\/1\] linux … \d+ scenarios, \d+\.\d s$/.test(l));
    expect(running.length).toBeGreaterThan(0);
    expect(io.errLines.indexOf(running[0]!)).toBeLessThan(io.errLines.findIndex((l) => l.startsWith('strata check: linux done')));
  });
});

describe('--time-budget across several variants (real executable)', () => {
  it('every variant gets a share of the budget', async () => {
    const r = await strata(['check', '-v', 'linux,lutomirski-2017,mutable-domains-rfc', '-p', 'I1', '-n', '10000000', '--time-budget', '3s', '--no-traces'], { cwd: tempDir('strata-budget-') });
    expect(r.code).toBe(0);
    const counts = [...r.stdout.matchAll(/^(\S+) +✓ +\(interrupted after (\d+) scenarios\)$/gm)].map((m) => [m[1], Number(m[2]) > 0]);
    expect(counts).toEqual([['linux', true], ['lutomirski-2017', true], ['mutable-domains-rfc', true]]);
  });
});
