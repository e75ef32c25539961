// strata check when the disk fills up under --out: the counterexample cannot be written, which
// is said on stderr and in the report; the report still goes to stdout, and the exit status is
// 1, not "bad usage". A full 64 KiB tmpfs in a private mount namespace (root, unshare -m).
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, run } from './test-helpers.js';
import { tempDir } from '../test/tmp.js';

/** Whether this machine lets us mount a tmpfs in a private mount namespace. */
const CAN_MOUNT = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;

function checkOnFullDisk(mnt: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = 'mount -t tmpfs -o size=64k tmpfs "$1" && { cat /dev/zero > "$1/fill" 2>/dev/null; shift; exec "$@"; }';
  const args = [BIN, 'check', '-v', 'tsync-overwrite', '-p', 'I9,I1', '-n', '300', '-s', '8', '--no-corpus', '--out', mnt];
  return run('unshare', ['-m', 'sh', '-c', script, 'sh', mnt, process.execPath, ...args]);
}

describe.skipIf(!CAN_MOUNT)('disk full under --out', () => {
  it('says which file could not be written and why, keeps the report on stdout, exit 1', async () => {
    const mnt = tempDir('strata-full-');
    const r = await checkOnFullDisk(mnt);
    const file = `${mnt}/tsync-overwrite.I9.seed8.json`;
    expect(r.stderr).toBe(`strata check: cannot write ${file}: no space left on device (ENOSPC); the report on stdout still shows this counterexample\n`);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^strata check: seed 8 · 300 runs per variant/);
    expect(lines[2]).toMatch(new RegExp(`^  tsync-overwrite × I9  NOT WRITTEN to ${file}: no space left on device \\(ENOSPC\\)  \\(fast-check seed 8, path "[0-9:]+"\\)$`));
    expect(r.stdout).toContain(`  scenario:   NOT WRITTEN to ${file}: no space left on device (ENOSPC)\n`);
    expect(r.stdout).toMatch(/#\d t\d+ seccomp\(SET_MODE_FILTER, flags TSYNC/);
    expect(lines.filter((l) => l !== '').pop()).toBe('FAILED: 1 counterexample file not written (see NOT WRITTEN above)');
    expect(r.code).toBe(1);
  });
});
