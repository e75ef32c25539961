// strata/vitest's pair check (api/vitest.ts): an unexpected violation fails with the readable
// trace, the replay and reproduce commands, and its counterexample file already written; an
// expected violation passes, and fails only under strict when the runs did not find it.
import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkPair } from './vitest.js';
import { TSYNC_OVERWRITE } from '../variants/tsync-overwrite.js';
import { propertyById } from '../properties/all.js';
import type { Variant } from '../variants/variant.js';
import { expectViolations } from '../variants/variant.js';
import { tempDir } from '../test/tmp.js';

const I9 = propertyById('I9')!;

describe('strata/vitest checkPair', () => {
  it('fails an unexpected violation with its trace and commands, the file written first', () => {
    const out = tempDir('strata-vitest-');
    const claimed: Variant = { ...TSYNC_OVERWRITE, id: 'tsync-overwrite-claimed-safe', expectations: expectViolations([]) };
    let message = '';
    try {
      checkPair(claimed, I9, undefined, { runs: 300, seed: 1, out });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^tsync-overwrite-claimed-safe violates I9 in 3 ops/);
    expect(message).toMatch(/#2 t10\d seccomp\(SET_MODE_FILTER, flags TSYNC/);
    expect(message).toMatch(/✗ I9 fails here/);
    expect(message).toMatch(/replay: +strata replay /);
    expect(message).toMatch(/reproduce: +strata check --variant tsync-overwrite-claimed-safe --property I9 --seed 1 --path "/);
    const file = /strata replay (\S+)/.exec(message)![1]!;
    expect(existsSync(file.startsWith('/') ? file : join(process.cwd(), file))).toBe(true);
  });

  it('passes an expected violation; strict fails one the runs did not find', () => {
    const out = tempDir('strata-vitest-');
    expect(checkPair(TSYNC_OVERWRITE, I9, undefined, { runs: 300, out }).outcome).toBe('violated');
    expect(checkPair(TSYNC_OVERWRITE, I9, undefined, { runs: 1, out }).unsearched).toBe(true);
    expect(() => checkPair(TSYNC_OVERWRITE, I9, undefined, { runs: 1, out, strict: true })).toThrow(/expected violation not found in 1 runs/);
  });
});
