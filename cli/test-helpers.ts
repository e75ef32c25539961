// Test helpers: run the real executable (bin/strata.mjs) in a child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
