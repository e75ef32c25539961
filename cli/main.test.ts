// main() in-process with a fake Io: the internal-error path (exit 3, one line) and the progress
// line's timing.
import { describe, it, expect } from 'vitest';
import { tempDir } from '../test/tmp.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import type { Io } from './io.js';
import { Progress } from './progress.js';
import { formatScenario } from '../scenario/format.js';
import { scenarioOf } from '../scenario/make.js';

function fakeIo(cwd: string, tty = false, clock: { t: number } = { t: 0 }): Io & { outLines: string[]; errLines: string[]; statusLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  const statusLines: string[] = [];
  return {
    out: (l) => outLines.push(l),
    err: (l) => errLines.push(l),
    ...(tty ? { status: (t: string) => statusLines.push(t) } : {}),
    cwd,
    now: () => clock.t,
    env: {},
    outLines,
    errLines,
    statusLines,
  };
}

describe('main', () => {
  it('turns an unexpected exception into one line and exit 3', async () => {
    const dir = tempDir('strata-main-');
    writeFileSync(join(dir, 'throws.mjs'), `export default { id: 'throws', title: 't', source: 's', opKinds: ['fork'], wrap: () => { throw new Error('wrap exploded\\nsecond line'); } };\n`);
    writeFileSync(join(dir, 's.json'), formatScenario(scenarioOf({ variant: { id: 'throws', module: './throws.mjs' }, ops: [{ op: 'fork', task: 0 }] })));
    const io = fakeIo(dir);
    expect(await main(['replay', 's.json'], io)).toBe(3);
    expect(io.errLines).toEqual(['strata: internal error: wrap exploded']);
    expect(io.outLines).toEqual([]);
  });

  it('lists variants and properties', async () => {
    const io = fakeIo(process.cwd());
    expect(await main(['list'], io)).toBe(0);
    expect(io.outLines[0]).toBe('variants (--variant ID, or a module path):');
    expect(io.outLines.some((l) => /^ {2}I9 +After a successful TSYNC/.test(l))).toBe(true);
  });
});

describe('progress', () => {
  const start = { type: 'variant-start', variant: 'linux', index: 1, total: 8 } as const;
  const done = { type: 'variant-done', variant: 'linux', scenarios: 5000, ops: 1, elapsedMs: 1, interrupted: false } as const;

  it('says nothing for the first 2 s, then one line per variant on a non-terminal', () => {
    const clock = { t: 1000 };
    const io = fakeIo('.', false, clock);
    const p = new Progress(io, 8);
    p.onEvent(start);
    p.onEvent(done);
    expect(io.errLines).toEqual([]);
    clock.t = 3500;
    p.onEvent(start);
    p.onEvent({ type: 'violation', variant: 'linux', property: 'I1', run: 3, expected: 'holds' });
    p.onEvent(done);
    p.done();
    expect(io.errLines).toEqual(['strata check: linux done (5000 scenarios) 2.5 s']);
  });

  it('rewrites one status line on a terminal and clears it at the end', () => {
    const clock = { t: 0 };
    const io = fakeIo('.', true, clock);
    const p = new Progress(io, 8);
    clock.t = 2100;
    p.onEvent(start);
    p.done();
    expect(io.statusLines).toEqual(['strata check: [2/8] linux … 2.1 s', '']);
    expect(io.errLines).toEqual([]);
  });
});
