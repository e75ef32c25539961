// The amalgamation takes exactly the C files conformance/build.sh links into the executor: a
// native/ file added for something else (the guest init, the QEMU guard) must be left out in
// both places, or a reproducer has two main()s.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { NOT_EXECUTOR, executorSources } from './amalgamate.js';

describe('the amalgamated executor', () => {
  it('leaves out exactly the native/ files build.sh leaves out of the executor', () => {
    const build = readFileSync(fileURLToPath(new URL('../conformance/build.sh', import.meta.url)), 'utf8');
    const line = build.split('\n').find((l) => l.includes('"$n/helper.c"') && l.trim().endsWith(';;'));
    expect(line, 'build.sh has the case line that leaves files out of the executor').toBeDefined();
    const skipped = [...line!.matchAll(/"\$n\/([a-z0-9_-]+\.c)"/g)].map((m) => m[1]).sort();
    expect(skipped).toEqual([...NOT_EXECUTOR].sort());
    const names = executorSources().map((p) => basename(p));
    expect(names[0]).toBe('executor.c');
    for (const n of NOT_EXECUTOR) expect(names).not.toContain(n);
  });
});
