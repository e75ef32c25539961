// The guest is disposable: after a run, a boot that fails or takes too long, a guest that stops
// answering, an interrupt (Ctrl-C: SIGINT) and even a SIGKILL of strata itself, no QEMU process
// is left, nothing in TMPDIR, nothing in strata's cache but the initramfs; and the kernel
// fetch (kernels.sh) leaves no extraction behind when it is interrupted. Through the real
// executable where the CLI's behaviour is the point. Skips where QEMU, the guest's binaries or a
// matrix kernel are missing (.ci/run provides them all).
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO, strata } from '../../cli/test-helpers.js';
import { tempDir } from '../../test/tmp.js';
import { alive, childrenOf, waitFor } from '../process-watch.js';
import { KernelExecutor } from '../runner.js';
import { GuestTransport } from './transport.js';
import { guestsUnavailable, matrixKernels, skipOrFail } from './matrix.js';
import { fork, observe } from '../fixtures.js';

const noGuests = guestsUnavailable();
const kernel = matrixKernels().find((k) => k.image !== null);
const skipWhy = noGuests ?? (kernel ? null : matrixKernels()[0]!.missing);

/** A fresh TMPDIR and cache directory for one command. */
function dirs(): { dir: string; tmp: string; cache: string } {
  const dir = tempDir('strata-guest-');
  const tmp = join(dir, 'tmp');
  const cache = join(dir, 'cache');
  mkdirSync(tmp);
  return { dir, tmp, cache };
}

/** What a run may leave: an empty TMPDIR (tsx's own cache aside), the initramfs in the cache. */
function expectNothingLeft(tmp: string, cache: string): void {
  expect(readdirSync(tmp).filter((e) => !e.startsWith('tsx'))).toEqual([]);
  if (existsSync(cache)) for (const e of readdirSync(cache)) expect(e).toMatch(/^initramfs-[0-9a-f]{64}\.cpio$/);
}

function isQemu(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!.endsWith('qemu-system-x86_64');
  } catch {
    return false;
  }
}

/** strata conform --kernel in the background: its pid, QEMU's once it runs, and the result. */
function startConform(args: readonly string[], d: { dir: string; tmp: string; cache: string }) {
  const child = spawn(process.execPath, [BIN, 'conform', '--kernel', kernel!.image!, '--no-traces', '--out', 'out', ...args], {
    cwd: d.dir,
    env: { ...process.env, CI: '', STRATA_DEBUG: '', TMPDIR: d.tmp, STRATA_CACHE_DIR: d.cache },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let done = false;
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const result = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    pid: child.pid!,
    result,
    stderr: () => stderr,
    /** QEMU, once the guest has booted and run a scenario. */
    booted: () => waitFor(() => (/\d+\/\d+ scenarios/.test(stderr) || /booted /.test(stderr) ? childrenOf(child.pid!).find(isQemu) : null), () => done),
  };
}

describe('a guest leaves nothing behind', () => {
  test('a kernel image that does not boot: one line naming the reason, exit 2, no QEMU left', async (ctx) => {
    skipOrFail(ctx, noGuests);
    const d = dirs();
    const image = join(d.dir, 'bzImage');
    const head = Buffer.alloc(0x10000, 0xff);
    head.write('HdrS', 0x202, 'latin1'); // a boot header, then nothing a kernel is made of
    writeFileSync(image, head);
    const r = await strata(['conform', '--kernel', image, '--runs', '5', '--out', 'out'], { cwd: d.dir, env: { TMPDIR: d.tmp, STRATA_CACHE_DIR: d.cache } });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^strata conform: .*bzImage: the guest (ended before its init was ready|did not boot within)/);
    expect(r.stdout).not.toMatch(/\nok: /);
    expectNothingLeft(d.tmp, d.cache);
  }, 120_000);

  test('a boot that takes longer than --boot-timeout: the guest is killed, exit 2 with the reason', async (ctx) => {
    skipOrFail(ctx, skipWhy);
    const d = dirs();
    const r = await strata(['conform', '--kernel', kernel!.image!, '--boot-timeout', '300ms', '--out', 'out'], { cwd: d.dir, env: { TMPDIR: d.tmp, STRATA_CACHE_DIR: d.cache } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(/^strata conform: .*vmlinuz: the guest did not boot within 300 ms \((console: .*|the console said nothing)\)$/);
    expectNothingLeft(d.tmp, d.cache);
  }, 120_000);

  test('a guest that stops answering mid-run: the run says the executor failed, and QEMU is killed', async (ctx) => {
    skipOrFail(ctx, skipWhy);
    const d = dirs();
    const kx = new KernelExecutor({ transport: new GuestTransport({ kernel: kernel!.image!, cacheDir: d.cache }), graceMs: 500, tmpDir: d.tmp });
    try {
      await kx.features();
      const qemu = kx.pid!;
      expect(isQemu(qemu)).toBe(true);
      process.kill(qemu, 'SIGSTOP'); // a hung guest: nothing comes back
      const t = await kx.run([fork(0), observe(1)], {}, { scenarioTimeoutMs: 1000, opTimeoutMs: 500 });
      expect(t.status).toBe('executor_failed');
      expect(t.message).toMatch(/no reply within \d+ ms: executor killed/);
      expect(await waitFor(() => (alive(qemu) ? null : true))).toBe(true);
    } finally {
      await kx.close();
    }
    expectNothingLeft(d.tmp, d.cache);
  }, 180_000);

  test('Ctrl-C (SIGINT) during a run: partial report, exit 130, QEMU killed', async (ctx) => {
    skipOrFail(ctx, skipWhy);
    const d = dirs();
    const run = startConform(['--runs', '100000'], d);
    const qemu = await run.booted();
    expect(qemu, run.stderr()).toBeDefined();
    process.kill(run.pid, 'SIGINT');
    const r = await run.result;
    expect(r.code, r.stdout).toBe(130);
    expect(r.stdout).toMatch(/INTERRUPTED by SIGINT/);
    expect(alive(qemu!)).toBe(false);
    expectNothingLeft(d.tmp, d.cache);
  }, 180_000);

  test('strata itself killed (SIGKILL): QEMU dies with it (strata-vm-guard)', async (ctx) => {
    skipOrFail(ctx, skipWhy);
    const d = dirs();
    const run = startConform(['--runs', '100000'], d);
    const qemu = await run.booted();
    expect(qemu, run.stderr()).toBeDefined();
    process.kill(run.pid, 'SIGKILL');
    await run.result;
    expect(await waitFor(() => (alive(qemu!) ? null : true))).toBe(true);
    expectNothingLeft(d.tmp, d.cache);
  }, 180_000);
});

describe('conformance/kernels.sh', () => {
  test('interrupted while fetching: its temporary extraction directory is removed', async () => {
    const d = dirs();
    // stand-ins for apt: the package is named at once, the download hangs
    const bin = join(d.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'apt-cache'), '#!/bin/sh\necho "Depends: linux-image-6.1.0-99-cloud-amd64 (= 6.1.999-1)"\n');
    writeFileSync(join(bin, 'apt-get'), '#!/bin/sh\ntouch partial.deb\nexec sleep 60\n');
    chmodSync(join(bin, 'apt-cache'), 0o755);
    chmodSync(join(bin, 'apt-get'), 0o755);
    const child = spawn('sh', [join(REPO, 'conformance/kernels.sh')], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STRATA_CACHE_DIR: d.cache },
      stdio: 'ignore',
      detached: true,
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const kernels = join(d.cache, 'kernels');
    const fetching = await waitFor(() => (existsSync(kernels) && readdirSync(kernels).some((e) => e.startsWith('.fetch.')) && existsSync(join(kernels, readdirSync(kernels)[0]!, 'partial.deb')) ? true : null));
    expect(fetching).toBe(true);
    process.kill(-child.pid!, 'SIGINT'); // Ctrl-C reaches the job's whole process group
    await exited;
    expect(readdirSync(kernels)).toEqual([]);
  }, 60_000);
});
