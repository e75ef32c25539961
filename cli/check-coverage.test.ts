// strata check --coverage through the real executable: the same check and verdict, then per
// variant the corners reached with their counts, the ones never reached, and how each op kind's
// calls ended (the Landlock success rates first). coverage/default-budget.test.ts holds the
// default run to reaching every corner.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strata } from './test-helpers.js';
import { tempDir } from '../test/tmp.js';
import { resultValidator } from '../result/schema.js';
import type { ResultDocument } from '../result/types.js';

describe('strata check --coverage', () => {
  let run: Awaited<ReturnType<typeof strata>>;
  let dir = '';

  beforeAll(async () => {
    dir = tempDir('strata-coverage-');
    run = await strata(['check', '--variant', 'linux,v5-2017', '--runs', '400', '--seed', '3', '--coverage', '--no-traces', '--out', 'out', '--reporter', 'text', '--reporter', 'json=result.json'], { cwd: dir });
  });

  it('checks as without it: exit 0, the verdict last', () => {
    // stderr holds at most the progress lines of a run past 2 s
    for (const l of run.stderr.split('\n').filter(Boolean)) expect(l).toMatch(/^strata check: /);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').pop()).toBe('ok: all 34 results match the expectation matrix');
  });

  it('prints each variant\'s coverage: corners reached, the Landlock success rates, counts by group', () => {
    const linux = run.stdout.match(/^coverage of linux: (\d+) of (\d+) corners reached in 400 scenarios \(\d+ ops\)$/m);
    expect(linux).not.toBeNull();
    expect(Number(linux![2])).toBeGreaterThan(200);
    expect(run.stdout).toMatch(/^ {2}Landlock calls: ruleset_add_rule \d+(\.\d)?% ok \(\d+ of \d+\), restrict_self \d+(\.\d)?% ok \(\d+ of \d+\)$/m);
    expect(run.stdout).toMatch(/^ {2}landlock depth \(landlock\.md §1 Layers\)\n {4}landlock\.depth\.\{1 \d+, 2 \d+/m);
    expect(run.stdout).toMatch(/^ {4}ruleset_add_rule +\d+ calls: /m);
    // v5-2017 has no Landlock calls: no rates line, no Landlock corners
    const v5 = run.stdout.slice(run.stdout.indexOf('coverage of v5-2017:'));
    expect(v5).toMatch(/^coverage of v5-2017: \d+ of \d+ corners reached in 400 scenarios/);
    expect(v5.split('\n')[1]).not.toContain('Landlock calls');
    expect(v5).not.toContain('landlock.depth');
  });

  it('names every corner never reached, with its spec section', () => {
    const linux = run.stdout.match(/^coverage of linux: (\d+) of (\d+)/m)!;
    const missing = Number(linux[2]) - Number(linux[1]);
    const section = run.stdout.slice(run.stdout.indexOf('coverage of linux:'), run.stdout.indexOf('coverage of v5-2017:'));
    if (missing === 0) {
      expect(section).toContain('  every corner reached\n');
    } else {
      expect(section).toContain(`  NEVER REACHED (${missing}):\n`);
      const names = section.slice(section.indexOf('NEVER REACHED')).split('\n').slice(1, missing + 1);
      for (const n of names) expect(n).toMatch(/^ {4}[a-z][\w.-]+ +.+ \[.+\]$/);
    }
  });

  it('puts the same coverage into the JSON result document, which the result schema accepts', () => {
    const doc = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as ResultDocument;
    const validate = resultValidator();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const linux = doc.check!.variants.find((v) => v.id === 'linux')!.coverage!;
    expect(linux.variant).toBe('linux');
    expect(linux.scenarios).toBe(400);
    expect(linux.corners.length).toBeGreaterThan(200);
    expect(linux.reached).toBe(linux.corners.filter((c) => c.count > 0).length);
    const add = linux.opResults.find((t) => t.op === 'ruleset_add_rule')!;
    expect(run.stdout).toContain(`ruleset_add_rule ${Math.round((100 * (add.results.ok ?? 0)) / add.calls)}% ok (${add.results.ok} of ${add.calls})`);
  });
});

describe('strata check --tree mounts --coverage', () => {
  it('generates on the tree with mounts: the mount corners and umount\'s results are counted, the default tree\'s run has none of them', async () => {
    const dir = tempDir('strata-coverage-mounts-');
    const r = await strata(['check', '--variant', 'linux', '--tree', 'mounts', '--runs', '600', '--seed', '3', '--coverage', '--no-traces', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(0);
    const m = r.stdout.match(/^coverage of linux: (\d+) of (\d+) corners reached in 600 scenarios/m);
    expect(m).not.toBeNull();
    expect(r.stdout).toMatch(/landlock\.mounts\.\{fs\.bind\.granted [1-9]\d*/);
    expect(r.stdout).toMatch(/^ {4}umount +\d+ calls: /m);
    const plain = await strata(['check', '--variant', 'linux', '--runs', '50', '--seed', '3', '--coverage', '--no-traces', '--out', 'out'], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(Number(plain.stdout.match(/^coverage of linux: \d+ of (\d+) corners/m)![1])).toBeLessThan(Number(m![2]));
    expect(plain.stdout).not.toContain('landlock.mounts');
  }, 300_000);
});
