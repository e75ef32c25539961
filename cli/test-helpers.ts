// Test helpers: run the real executable (bin/strata.mjs) in a child process.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Io } from './io.js';

export const BIN = fileURLToPath(new URL('../bin/strata.mjs', import.meta.url));
export const REPO = fileURLToPath(new URL('..', import.meta.url));

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Called with the first stdout chunk, before the process is done (for ordering checks). */
  readonly firstChunkCheck?: unknown;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly onFirstStdout?: () => unknown;
  readonly env?: Readonly<Record<string, string>>;
}

/** Run `node bin/strata.mjs ...args`; resolves when it exits. */
export function strata(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], opts);
}

/** Run `command ...args` (stdin closed, CI and STRATA_DEBUG cleared); resolves when it exits. */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? REPO,
      env: { ...process.env, CI: '', STRATA_DEBUG: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let firstChunkCheck: unknown;
    let first = true;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (first && opts.onFirstStdout) firstChunkCheck = opts.onFirstStdout();
      first = false;
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, firstChunkCheck }));
  });
}

/** An in-process Io that keeps what main() prints. */
export function fakeIo(cwd: string): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { out: (l) => outLines.push(l), err: (l) => errLines.push(l), cwd, now: () => Date.now(), env: {}, outLines, errLines };
}

/** A JSON document's file as text with every timing zeroed. */
export function untimedFile(file: string): string {
  return JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), (k, v: unknown) => (k === 'elapsedMs' ? 0 : v), 1);
}
