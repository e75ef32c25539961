// The --out directory: checked before a long run starts (so a typo fails in a second, with
// exit 2), created only when there is something to write.
import { statSync, accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

/** Throw a UsageError unless `dir` is, or could be created as, a writable directory (an empty
 * name is refused, not taken as the current directory). */
export function checkOutDir(dir: string, cwd: string, option = 'out'): void {
  if (dir.trim() === '') throw new UsageError(`--${option} needs a directory (got ${JSON.stringify(dir)}; for the current directory write --${option} .)`);
  let p = resolve(cwd, dir);
  for (;;) {
    let st;
    try {
      st = statSync(p);
    } catch {
      const up = dirname(p);
      if (up === p) break;
      p = up;
      continue;
    }
    if (!st.isDirectory()) throw new UsageError(`--${option} ${dir}: ${p} is not a directory`);
    try {
      accessSync(p, constants.W_OK);
    } catch {
      throw new UsageError(`--${option} ${dir}: ${p} is not writable`);
    }
    return;
  }
}
