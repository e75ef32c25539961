// strata conform as a non-root user in a directory it cannot write: the message is the one that
// matters (the executor needs root), not the --out check. Run as uid 65534 through setpriv. The
// checkout may sit in a directory uid 65534 cannot enter (a clone in a mode-0700 temp dir), so
// the child sees it through a bind mount in a world-readable directory, in a private mount
// namespace of its own (unshare -m): nothing outside it sees the mount, and it ends with it.
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { BIN, run } from './test-helpers.js';

const ROOT = dirname(dirname(BIN));
const VIEW = mkdtempSync(join(tmpdir(), 'strata-view-'));
chmodSync(VIEW, 0o755);
afterAll(() => rmSync(VIEW, { recursive: true, force: true }));

const CAN_DROP = process.getuid?.() === 0 && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0 &&
  spawnSync('unshare', ['-m', 'true']).status === 0;

function asNobody(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const script = 'root=$1; view=$2; node=$3; bin=$4; shift 4; mount --bind "$root" "$view" && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$node" "$view/$bin" "$@"';
    return run('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', ROOT, VIEW, process.execPath, relative(ROOT, BIN), ...args], { cwd, env: { HOME: '/tmp' } });
}

describe.skipIf(!CAN_DROP)('strata conform as a non-root user', () => {
  it('says the executor needs root even where the default --out is not writable', async () => {
    const r = await asNobody(['conform', '--runs', '1'], '/');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('strata conform: the live-kernel executor needs root (it creates a namespace per scenario); running as uid 65534\n');
    expect(r.code).toBe(2);
  });
});
