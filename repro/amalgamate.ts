// The conformance executor's C sources as one translation unit: conformance/executor.c and
// conformance/native/*.c (the files build.sh leaves out of the executor aside: NOT_EXECUTOR), each local
// header inlined once where first included (every header has an include guard; every .c file's
// private functions are static and their names do not collide, which `cc -Wall -Werror` on the
// result checks). The executor's main() is renamed strata_exec_main; the reproducer brings its
// own (repro/driver.c). Nothing is rewritten, so a reproducer behaves as the executor by
// construction.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CONFORMANCE = fileURLToPath(new URL('../conformance/', import.meta.url));
const NATIVE = `${CONFORMANCE}native/`;
const LOCAL_INCLUDE = /^#include "(?:native\/)?([a-z_]+\.h)"\s*$/;

/** native/ files that are not part of the executor (conformance/build.sh builds each apart): the
 * libc-free exec image's entry, and `strata conform --kernel`'s guest init and QEMU guard. */
export const NOT_EXECUTOR: readonly string[] = ['helper.c', 'guest-init.c', 'vm-guard.c'];

/** The executor's sources in the order the amalgamation takes them. */
export function executorSources(): string[] {
  const native = readdirSync(NATIVE).filter((f) => f.endsWith('.c') && !NOT_EXECUTOR.includes(f)).sort();
  return [`${CONFORMANCE}executor.c`, ...native.map((f) => `${NATIVE}${f}`)];
}

let cached: string | null = null;

/** The amalgamated executor (cached: the sources do not change while strata runs). */
export function amalgamatedExecutor(): string {
  if (cached !== null) return cached;
  const inlined = new Set<string>();
  const out: string[] = ['#define _GNU_SOURCE'];
  const take = (path: string, name: string): void => {
    out.push(`/* ==== ${name} ${'='.repeat(Math.max(3, 88 - name.length))} */`);
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const m = LOCAL_INCLUDE.exec(line);
      if (m) {
        const h = m[1]!;
        if (!inlined.has(h)) {
          inlined.add(h);
          take(`${NATIVE}${h}`, `conformance/native/${h}`);
          out.push(`/* ==== (back in ${name}) */`);
        }
        continue;
      }
      if (/^#define _GNU_SOURCE\s*$/.test(line)) continue; // once, at the top
      out.push(line);
    }
  };
  for (const path of executorSources()) {
    const name = path.slice(CONFORMANCE.length - 'conformance/'.length).replace(/^.*conformance\//, 'conformance/');
    if (name === 'conformance/executor.c') {
      out.push('#define main strata_exec_main /* the reproducer has its own main() */');
      take(path, name);
      out.push('#undef main');
    } else take(path, name);
  }
  cached = `${out.join('\n')}\n`;
  return cached;
}

/** The reproducer's driver (repro/driver.c), split at the scenario's place. */
export function driverParts(): { head: string; tail: string } {
  const text = readFileSync(fileURLToPath(new URL('./driver.c', import.meta.url)), 'utf8');
  const at = text.indexOf('/* @@SCENARIO@@ */');
  if (at < 0) throw new Error('repro/driver.c: the scenario marker is missing');
  return { head: text.slice(0, at), tail: text.slice(at + '/* @@SCENARIO@@ */'.length) };
}
