// strata replay of a script whose ops name tasks that are no longer alive: the steps the model
// could not run are listed after the trace; exit 0, or 1 under --strict.
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './main.js';
import type { Io } from './io.js';
import { formatScenario } from '../scenario/format.js';
import { scenarioOf } from '../scenario/make.js';
import { tempDir } from '../test/tmp.js';

function fakeIo(cwd: string): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { out: (l) => outLines.push(l), err: (l) => errLines.push(l), cwd, now: () => 0, env: {}, outLines, errLines };
}

let dir = '';
beforeAll(() => {
  dir = tempDir('strata-replay-invalid-');
  const dead = scenarioOf({ variant: { id: 'linux' }, ops: [{ op: 'fork', task: 0 }, { op: 'exit', task: 0, tid: 100 }, { op: 'fork', task: 0, tid: 100 }, { op: 'exit', task: 0 }, { op: 'fork', task: 0 }] });
  writeFileSync(join(dir, 'dead.json'), formatScenario(dead));
  writeFileSync(join(dir, 'alive.json'), formatScenario(scenarioOf({ variant: { id: 'linux' }, ops: [{ op: 'fork', task: 0 }, { op: 'exit', task: 1 }] })));
});

const LINE = 'invalid: 2 of 5 steps could not run on the model, they changed nothing (#2 fork: task 100 is not alive; #4 fork: no live task)';

describe('replay of ops that point at dead tasks', () => {
  it('says which steps could not run, exit 0', async () => {
    const io = fakeIo(dir);
    expect(await main(['replay', 'dead.json', '--no-state'], io)).toBe(0);
    expect(io.outLines.at(-1)).toBe(`${LINE}; --strict makes this a failure`);
  });

  it('exits 1 under --strict', async () => {
    const io = fakeIo(dir);
    expect(await main(['replay', 'dead.json', '--no-state', '--strict'], io)).toBe(1);
    expect(io.outLines.at(-1)).toBe(LINE);
  });

  it('a script whose every step runs passes --strict', async () => {
    const io = fakeIo(dir);
    expect(await main(['replay', 'alive.json', '--strict'], io)).toBe(0);
    expect(io.outLines.some((l) => l.startsWith('invalid:'))).toBe(false);
  });
});
