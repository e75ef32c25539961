import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenario, scenarioFileName } from './write.js';
import { loadScenario, parseScenario } from './load.js';
import { formatScenario } from './format.js';
import { scenarioOf } from './make.js';
import { sampleScenario, sampleDiscrepancy, SAMPLE_OPS } from './sample.js';
import { tempDir } from '../test/tmp.js';

const tmp = (): string => tempDir('strata-write-');

describe('writeScenario', () => {
  it('round-trips: write then load gives an equal document', () => {
    const dir = tmp();
    const s = sampleScenario();
    const file = writeScenario(s, { dir });
    expect(loadScenario(file)).toEqual(s);
    // and the text is a fixpoint of format ∘ parse
    const text = readFileSync(file, 'utf8');
    expect(formatScenario(parseScenario(text, file))).toBe(text);
  });

  it('round-trips a script (no results, no finding)', () => {
    const dir = tmp();
    const s = scenarioOf({ variant: { id: 'linux' }, ops: SAMPLE_OPS.slice(0, 5) });
    expect(s.kind).toBe('script');
    expect(loadScenario(writeScenario(s, { dir }))).toEqual(s);
  });

  it('round-trips a conformance discrepancy under its own name', () => {
    const dir = tmp();
    const s = sampleDiscrepancy();
    const file = writeScenario(s, { dir });
    expect(file).toBe(join(dir, 'linux.conform.seed42.run17.json'));
    expect(loadScenario(file)).toEqual(s);
    const text = readFileSync(file, 'utf8');
    expect(formatScenario(parseScenario(text, file))).toBe(text);
    // the kernel's results one per line after the model's, the discrepancy near the top
    expect(text.indexOf('"discrepancy"')).toBeLessThan(text.indexOf('"ops"'));
    expect(text).toContain('  "kernel": {\n    "release": "6.18.0-sample",');
    expect(text).toContain('\n      {"tid": 100, "result": {"kind": "ok", "ret": 101}},\n');
  });

  it('leaves no temporary file behind and creates the directory', () => {
    const dir = join(tmp(), 'deep', 'out');
    writeScenario(sampleScenario(), { dir });
    writeScenario(sampleScenario(), { dir });
    expect(readdirSync(dir)).toEqual(['my-design.I2.seed-1234.json']);
  });

  it('uses a stable, readable name', () => {
    expect(scenarioFileName(sampleScenario())).toBe('my-design.I2.seed-1234.json');
    const a = scenarioOf({ variant: { id: 'e2 tsync/overwrite' }, ops: SAMPLE_OPS.slice(0, 2) });
    const b = scenarioOf({ variant: { id: 'e2 tsync/overwrite' }, ops: SAMPLE_OPS.slice(0, 3) });
    expect(scenarioFileName(a)).toMatch(/^e2-tsync-overwrite\.script\.[0-9a-f]{10}\.json$/);
    expect(scenarioFileName(a)).toBe(scenarioFileName(scenarioOf({ variant: { id: 'e2 tsync/overwrite' }, ops: SAMPLE_OPS.slice(0, 2) })));
    expect(scenarioFileName(a)).not.toBe(scenarioFileName(b));
  });

  it('writes to strata-out by default, or under the given name', () => {
    const dir = tmp();
    expect(writeScenario(sampleScenario(), { dir, name: 'x.json' })).toBe(join(dir, 'x.json'));
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      expect(writeScenario(sampleScenario())).toBe(join('strata-out', 'my-design.I2.seed-1234.json'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('reports an unwritable directory in one line', () => {
    expect(() => writeScenario(sampleScenario(), { dir: '/proc/strata-cannot' })).toThrowError(/^\/proc\/strata-cannot\/my-design\.I2\.seed-1234\.json: cannot write: .*\([A-Z]+\)$/);
  });
});
