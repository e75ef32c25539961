// strata conform as a non-root user in a directory it cannot write: the message is the one that
// matters (the executor needs root), not the --out check. Run as uid 65534 through setpriv.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { BIN } from './test-helpers.js';

const CAN_DROP = process.getuid?.() === 0 && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;

function asNobody(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args], {
      cwd,
      env: { ...process.env, HOME: '/tmp', CI: '', STRATA_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!CAN_DROP)('strata conform as a non-root user', () => {
  it('says the executor needs root even where the default --out is not writable', async () => {
    const r = await asNobody(['conform', '--runs', '1'], '/');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('strata conform: the live-kernel executor needs root (it creates a namespace per scenario); running as uid 65534\n');
    expect(r.code).toBe(2);
  });
});
