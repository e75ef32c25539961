// strata check --workers and --shard I/N with strata merge, through main() in this process (the
// engines still run on worker threads): the document of 2 workers, and the merge of shards 1/3,
// 2/3, 3/3, equal the one-worker run's byte for byte apart from timings; the text report too;
// and every bad input is one line, exit 2.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './main.js';
import { tempDir } from '../test/tmp.js';
import { fakeIo, untimedFile as untimed } from './test-helpers.js';



/** The text report without its first line (which gives the time). */
function textOf(io: { outLines: string[] }): string {
  return io.outLines.slice(1).join('\n');
}

const PLAN = ['--variant', 'tsync-overwrite,exec-reset,linux', '--runs', '240', '--seed', '2', '--no-corpus'];
let dir = '';
let serial: ReturnType<typeof fakeIo>;

beforeAll(async () => {
  dir = tempDir('strata-shard-');
  serial = fakeIo(dir);
  expect(await main(['check', ...PLAN, '--workers', '1', '--reporter', 'json=serial.json', '--reporter', 'text'], serial)).toBe(0);
});

describe('strata check --workers / --shard, strata merge', () => {
  it('2 workers give the one-worker document and text', async () => {
    const io = fakeIo(dir);
    expect(await main(['check', ...PLAN, '--workers', '2', '--reporter', 'json=w2.json', '--reporter', 'text'], io)).toBe(0);
    expect(untimed(join(dir, 'w2.json'))).toBe(untimed(join(dir, 'serial.json')));
    expect(textOf(io)).toBe(textOf(serial));
  });

  it('shards 1/3, 2/3, 3/3 merged give the unsharded document, text and counterexample files', async () => {
    for (const i of [1, 2, 3]) {
      const io = fakeIo(dir);
      expect(await main(['check', ...PLAN, '--shard', `${i}/3`, '--reporter', `json=shard-${i}.json`], io)).toBe(0);
      const doc = JSON.parse(readFileSync(join(dir, `shard-${i}.json`), 'utf8')) as { shard: { index: number; count: number } };
      expect(doc.shard).toMatchObject({ index: i, count: 3 });
      expect(io.outLines.at(-1)).toMatch(new RegExp(`^shard ${i}/3: .*strata merge`));
    }
    const io = fakeIo(dir);
    // given in any order
    expect(await main(['merge', 'shard-3.json', 'shard-1.json', 'shard-2.json', '--reporter', 'json=merged.json', '--reporter', 'text'], io)).toBe(0);
    const merged = untimed(join(dir, 'merged.json'));
    expect(merged).toBe(untimed(join(dir, 'serial.json')));
    expect(textOf(io)).toBe(textOf(serial));
    const files = (JSON.parse(merged) as { check: { variants: { results: { finding: { file: string } | null }[] }[] } }).check.variants.flatMap((v) => v.results.flatMap((r) => (r.finding ? [r.finding.file] : [])));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(existsSync(join(dir, f))).toBe(true);
  });

  it('bad input: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['check', '--shard', '3/2'], /--shard must be I\/N with 1 ≤ I ≤ N.*"3\/2"/],
      [['check', '--shard', '0/0'], /--shard must be I\/N.*"0\/0"/],
      [['check', '--workers', '0'], /--workers must be an integer in 1\.\.256 \(got 0\)/],
      [['check', '--shard', '1/2', '--coverage'], /--shard cannot count --coverage/],
      [['merge', 'shard-1.json', 'shard-1.json', 'shard-2.json'], /shard 1\/3 given twice/],
      [['merge', 'shard-1.json', 'shard-2.json'], /shard 3\/3 missing/],
      [['merge', 'serial.json'], /serial\.json: a result document of a whole run, not of a shard/],
      [['merge', 'nothing.json'], /nothing\.json: cannot be read/],
    ];
    for (const [argv, line] of cases) {
      const io = fakeIo(dir);
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.errLines, argv.join(' ')).toHaveLength(1);
      expect(io.errLines[0]).toMatch(line);
    }
    // a shard of another seed, and of other options
    for (const [flag, value, word] of [['--seed', '3', /seed 3 \(not 2\)/], ['--max-ops', '12', /max-ops 12 \(not 20\)/]] as const) {
      const other = PLAN.map((a, i) => (PLAN[i - 1] === flag ? value : a));
      if (!other.includes(flag)) other.push(flag, value);
      expect(await main(['check', ...other, '--runs', '6', '--shard', '2/3', '--reporter', 'json=other.json'], fakeIo(dir))).toBe(0);
      const io = fakeIo(dir);
      expect(await main(['merge', 'shard-1.json', 'other.json', 'shard-3.json'], io)).toBe(2);
      expect(io.errLines).toHaveLength(1);
      expect(io.errLines[0]).toMatch(/other\.json: not a shard of the same run as shard-1\.json/);
      if (flag === '--seed') expect(io.errLines[0]).toMatch(word);
    }
  });
});
