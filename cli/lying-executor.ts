// A test stand-in for strata-exec (cli/conform.test.ts, cli/reporters.test.ts): the real
// executor, except that it lies about getpid().
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BINARY } from '../conformance/runner.js';

/** An executable stand-in for strata-exec: the real executor, except that every getpid()
 * probe that returned is reported as refused with EPERM (a kernel bug, as it were); with `once`,
 * only the first (a flaky observation). */
export function lyingExecutor(dir: string, once = false): string {
  const file = join(dir, once ? 'lying-once-exec.mjs' : 'lying-exec.mjs');
  writeFileSync(file, `#!${process.execPath}
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
const real = spawn(${JSON.stringify(DEFAULT_BINARY)}, [], { stdio: ['pipe', 'pipe', 'inherit'] });
let ops = [];
let lies = 0;
createInterface({ input: process.stdin }).on('line', (l) => {
  if (l.startsWith('scenario ')) ops = [];
  else if (l.startsWith('op ')) ops.push(l);
  real.stdin.write(l + '\\n');
}).on('close', () => real.stdin.end());
createInterface({ input: real.stdout }).on('line', (l) => {
  const m = /^r (\\d+) (\\d+) probe returned /.exec(l);
  if (m && /^op probe \\S+ \\S+ sys 39 /.test(ops[Number(m[1])] ?? '') && !(${once} && lies > 0)) {
    l = 'r ' + m[1] + ' ' + m[2] + ' probe errno 1';
    lies++;
  }
  process.stdout.write(l + '\\n');
});
real.on('exit', (code) => process.exit(code ?? 0));
`);
  chmodSync(file, 0o755);
  return file;
}

