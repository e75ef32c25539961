// The amalgamation takes exactly the C files conformance/build.sh links into the executor: a
// native/ file added for something else (the guest init, the QEMU guard) must be left out in
// both places, or a reproducer has two main()s.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { NOT_EXECUTOR, executorSources } from './amalgamate.js';

/** The names a file declares as file-scope static objects (one-line declarations, not functions). */
function staticObjects(source: string): string[] {
  const names: string[] = [];
  for (const line of source.split('\n')) {
    const m = /^static\s+([^(=]*?)(\s*=.*)?;/.exec(line.replace(/\/\*.*?\*\//g, '').trimEnd());
    if (!m || line.includes('(')) continue;
    // "static <type> a[N], b, *c": the identifier of each declarator (the first one follows the type)
    for (const part of m[1]!.split(',')) {
      const id = /([A-Za-z_]\w*)\s*(\[[^\]]*\])*\s*$/.exec(part.trim());
      if (id) names.push(id[1]!);
    }
  }
  return names;
}

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

  // Two files' `static int n;` are one object in one translation unit (C's tentative definitions
  // merge without a warning): the reproducer's listener table once cleared its tracer links so.
  it('has no file-scope static object name in two source files', () => {
    const seen = new Map<string, string>();
    const dup: string[] = [];
    for (const path of executorSources()) {
      for (const name of new Set(staticObjects(readFileSync(path, 'utf8')))) {
        const other = seen.get(name);
        if (other) dup.push(`${name}: ${other} and ${basename(path)}`);
        else seen.set(name, basename(path));
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(dup).toEqual([]);
  });
});
