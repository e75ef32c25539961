// strata conform --workers 2: one executor per worker, run ranges from one queue; on the same
// seed the result document (counts, explained and not-compared steps, discrepancies, verdict) is
// the one-executor run's, apart from timings.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './main.js';
import { DEFAULT_BINARY } from '../conformance/runner.js';
import { executorUnavailableReason } from '../conformance/availability.js';
import { tempDir } from '../test/tmp.js';
import { fakeIo, untimedFile as untimed } from './test-helpers.js';

const unavailable = executorUnavailableReason(DEFAULT_BINARY);



describe.skipIf(unavailable !== null && process.env.CI !== 'true')('strata conform --workers', () => {
  it('2 executors give the one-executor document on the same seed', async () => {
    const dir = tempDir('strata-conform-workers-');
    const plan = ['conform', '--runs', '16', '--seed', '5', '--out', 'out'];
    const one = fakeIo(dir);
    const s1 = await main([...plan, '--reporter', 'json=one.json'], one);
    const two = fakeIo(dir);
    const s2 = await main([...plan, '--workers', '2', '--reporter', 'json=two.json'], two);
    expect(s1, one.errLines.join('\n')).toBe(0);
    expect(s2, two.errLines.join('\n')).toBe(s1);
    const doc = JSON.parse(readFileSync(join(dir, 'one.json'), 'utf8')) as { conform: { scenarios: number; counts: { compared: number } } };
    expect(doc.conform.scenarios).toBe(16);
    expect(doc.conform.counts.compared).toBeGreaterThan(0);
    expect(untimed(join(dir, 'two.json'))).toBe(untimed(join(dir, 'one.json')));
  });

  it('--workers with --kernel, or 0: one line, exit 2', async () => {
    for (const argv of [['conform', '--workers', '2', '--kernel', '/nonexistent'], ['conform', '--workers', '0']]) {
      const io = fakeIo(tempDir('strata-conform-workers-'));
      expect(await main(argv, io)).toBe(2);
      expect(io.errLines).toHaveLength(1);
    }
  });
});
