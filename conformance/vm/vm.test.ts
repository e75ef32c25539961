// The guest's pieces that need no QEMU: the cpio archive the kernel unpacks, the initramfs cache
// (by content, what it removes and what it keeps), the kernel image check, the ELF check that
// keeps a dynamic executor out of a guest, the QEMU command line, and the Landlock `lsm=` retry.
import { describe, expect, test } from 'vitest';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/tmp.js';
import { cpioArchive } from './cpio.js';
import { dynamicallyLinked, guestBinariesProblem, guestInitramfs } from './initramfs.js';
import { guestCmdline, qemuArgs, kvmStartsHere, kvmUsable } from './qemu.js';
import { DEFAULT_GUEST_BINARIES, GuestTransport, guestLandlockProblem, kernelImageProblem, prepareGuest } from './transport.js';
import type { KernelFeatures } from '../result.js';
import { strata } from '../../cli/test-helpers.js';

/** The entries of a newc archive: name, mode, size, rdev, data. */
function unpack(a: Buffer): { name: string; mode: number; size: number; rmajor: number; rminor: number; data: Buffer }[] {
  const out = [];
  let at = 0;
  for (;;) {
    expect(a.toString('ascii', at, at + 6)).toBe('070701');
    const field = (k: number): number => parseInt(a.toString('ascii', at + 6 + 8 * k, at + 14 + 8 * k), 16);
    const [mode, size, rmajor, rminor, nameSize] = [field(1), field(6), field(9), field(10), field(11)];
    const name = a.toString('utf8', at + 110, at + 110 + nameSize - 1);
    expect(a[at + 110 + nameSize - 1]).toBe(0);
    const dataAt = Math.ceil((at + 110 + nameSize) / 4) * 4;
    const data = a.subarray(dataAt, dataAt + size);
    at = Math.ceil((dataAt + size) / 4) * 4;
    if (name === 'TRAILER!!!') {
      expect(at).toBe(a.length);
      return out;
    }
    out.push({ name, mode, size, rmajor, rminor, data });
  }
}

describe('cpio newc (init/initramfs.c)', () => {
  test('directories, files and a character device, 4-byte aligned, then the trailer', () => {
    const a = cpioArchive([
      { kind: 'dir', path: 'dev', mode: 0o755 },
      { kind: 'char', path: '/dev/console', mode: 0o600, major: 5, minor: 1 },
      { kind: 'file', path: 'init', mode: 0o755, data: Buffer.from('12345') },
    ]);
    expect(a.length % 4).toBe(0);
    const e = unpack(a);
    expect(e.map((x) => x.name)).toEqual(['dev', 'dev/console', 'init']);
    expect(e[0]!.mode).toBe(0o040755);
    expect(e[1]).toMatchObject({ mode: 0o020600, rmajor: 5, rminor: 1, size: 0 });
    expect(e[2]).toMatchObject({ mode: 0o100755, size: 5 });
    expect(e[2]!.data.toString()).toBe('12345');
    // the same entries, the same bytes (the cache is by content)
    expect(cpioArchive([{ kind: 'file', path: 'init', mode: 0o755, data: Buffer.from('x') }]))
      .toEqual(cpioArchive([{ kind: 'file', path: 'init', mode: 0o755, data: Buffer.from('x') }]));
  });

  test('paths that would leave the archive\'s root are refused', () => {
    for (const path of ['', '/', 'a/../b', './a', 'a//b']) {
      expect(() => cpioArchive([{ kind: 'dir', path, mode: 0o755 }])).toThrow(/bad path/);
    }
  });
});

describe('the guest initramfs', () => {
  const built = guestBinariesProblem(DEFAULT_GUEST_BINARIES);

  test('holds /init, the executor and its exec image, /dev/console; cached by content', (ctx) => {
    if (built) ctx.skip(built);
    const cache = tempDir('strata-vm-cache-');
    const file = guestInitramfs(DEFAULT_GUEST_BINARIES, cache);
    const e = unpack(readFileSync(file));
    expect(e.map((x) => x.name)).toEqual(['dev', 'dev/console', 'proc', 'sys', 'tmp', 'strata', 'init', 'strata/strata-exec', 'strata/strata-task']);
    expect(e.find((x) => x.name === 'init')!.data).toEqual(readFileSync(DEFAULT_GUEST_BINARIES.init));
    // a second build reuses the file (same name, not rewritten: its inode stays)
    const ino = statSync(file).ino;
    expect(guestInitramfs(DEFAULT_GUEST_BINARIES, cache)).toBe(file);
    expect(statSync(file).ino).toBe(ino);
    expect(readdirSync(cache)).toEqual([file.slice(cache.length + 1)]);
  });

  test('an earlier run\'s leftovers go: a temporary file of a dead process, an old archive of other binaries; nothing else', (ctx) => {
    if (built) ctx.skip(built);
    const cache = tempDir('strata-vm-cache-');
    const other = join(cache, `initramfs-${'a'.repeat(64)}.cpio`);
    const recent = join(cache, `initramfs-${'b'.repeat(64)}.cpio`);
    const deadTmp = join(cache, `initramfs-${'c'.repeat(64)}.cpio.999999999.tmp`);
    const liveTmp = join(cache, `initramfs-${'d'.repeat(64)}.cpio.${process.pid}.tmp`);
    const mine = join(cache, 'notes.txt');
    for (const f of [other, recent, deadTmp, liveTmp, mine]) writeFileSync(f, 'x');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(other, old, old);
    utimesSync(mine, old, old);
    const file = guestInitramfs(DEFAULT_GUEST_BINARIES, cache);
    expect(existsSync(other)).toBe(false);
    expect(existsSync(deadTmp)).toBe(false);
    expect(existsSync(recent)).toBe(true); // another run may be booting it
    expect(existsSync(liveTmp)).toBe(true); // a live process is writing it
    expect(existsSync(mine)).toBe(true); // not strata's
    expect(existsSync(file)).toBe(true);
  });

  test('a dynamically linked binary cannot go into a guest (no libc there)', () => {
    const nodeHead = Buffer.alloc(65536);
    const fd = openSync(process.execPath, 'r');
    readSync(fd, nodeHead, 0, nodeHead.length, 0);
    closeSync(fd);
    expect(dynamicallyLinked(nodeHead)).toBe(true);
    if (existsSync(DEFAULT_GUEST_BINARIES.executor)) expect(dynamicallyLinked(readFileSync(DEFAULT_GUEST_BINARIES.executor))).toBe(false);
    expect(dynamicallyLinked(Buffer.from('#!/bin/sh\n'))).toBe(false);
    const problem = guestBinariesProblem({ ...DEFAULT_GUEST_BINARIES, executor: process.execPath });
    if (!built) expect(problem).toMatch(/dynamically linked, and a guest has no libc: install the static C library/);
  });
});

describe('the kernel image and the QEMU command line', () => {
  test('only an x86 bzImage is taken, with one line saying what is wrong', () => {
    const dir = tempDir('strata-vm-image-');
    const elf = join(dir, 'vmlinux');
    writeFileSync(elf, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(0x300)]));
    expect(kernelImageProblem(elf)).toMatch(/not an x86 bzImage .*ELF vmlinux; give arch\/x86\/boot\/bzImage/);
    expect(kernelImageProblem(join(dir, 'none'))).toMatch(/no such kernel image/);
    expect(kernelImageProblem(dir)).toMatch(/not a regular file/);
    const bz = join(dir, 'bzImage');
    const head = Buffer.alloc(0x400);
    head.write('HdrS', 0x202, 'latin1');
    writeFileSync(bz, head);
    expect(kernelImageProblem(bz)).toBeNull();
  });

  test('no disk, no network, a memory cap, the console and the protocol on two serial ports; panic ends it', () => {
    const a = qemuArgs({ kernel: '/k', initramfs: '/i', accel: 'tcg', append: ['lsm=landlock,yama'] });
    const at = (flag: string): string => a[a.indexOf(flag) + 1]!;
    expect(a).toEqual(expect.arrayContaining(['-nodefaults', '-nographic', '-no-reboot']));
    expect(at('-nic')).toBe('none');
    expect(at('-m')).toBe('512');
    expect(at('-accel')).toBe('tcg');
    expect(at('-kernel')).toBe('/k');
    expect(at('-initrd')).toBe('/i');
    expect(at('-append')).toBe('console=ttyS0 panic=-1 quiet rdinit=/init lsm=landlock,yama');
    expect(a.filter((x) => x.startsWith('chardev:'))).toEqual(['chardev:console', 'chardev:proto']);
    expect(a.some((x) => x.startsWith('-drive') || x.startsWith('-hd'))).toBe(false);
    expect(guestCmdline()).toMatch(/panic=-1/);
  });

  test('KVM counts only where QEMU starts a KVM guest: a QEMU that aborts at the vCPU reset (nested MSRs) means TCG', () => {
    const dir = tempDir('strata-vm-kvm-');
    const fake = (name: string, body: string): string => {
      const p = join(dir, name);
      writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return p;
    };
    // as QEMU did on this machine: kvm_buf_set_msrs's assertion, SIGABRT at once
    const aborts = fake('qemu-aborts', 'echo "failed to set MSR 0x10a" >&2; kill -ABRT $$');
    const waits = fake('qemu-waits', 'exec sleep 30');
    expect(kvmStartsHere(aborts)).toBe(false);
    expect(kvmStartsHere(waits)).toBe(true);
    // no /dev/kvm to open: no probe at all
    expect(kvmUsable(join(dir, 'no-kvm'), waits)).toBe(false);
  });
});

describe('Landlock in a guest', () => {
  const base: KernelFeatures = {
    kernel: '6.1.0', landlockAbi: 0, landlockErrata: -1, seccompActions: ['allow'], seccompFilterFlags: 0, landlockRestrictFlags: 0,
    userNotif: true, pidfdThread: false, pidfdGetfd: true, ia32: true, mountns: true, netns: true, execMemfd: true,
  };

  /** A guest whose Landlock becomes active only with lsm= first naming it. */
  class Guest {
    boots: string[][] = [];
    constructor(private readonly t: GuestTransport, private readonly builtIn: boolean) {}
    features(): Promise<KernelFeatures> {
      const params = [...this.t.parameters];
      this.boots.push(params);
      const on = this.builtIn && params.some((p) => /^lsm=landlock,/.test(p));
      return Promise.resolve(on ? { ...base, landlockAbi: 2, landlockErrno: 0 } : { ...base, landlockErrno: this.builtIn ? 95 : 38, lsm: ['capability', 'yama', 'apparmor'] });
    }
    restart(): Promise<void> {
      return Promise.resolve();
    }
  }

  test('built in but not an active LSM: booted again with lsm=landlock,<the LSMs it had>', async () => {
    const t = new GuestTransport({ kernel: '/k', accel: 'tcg' });
    const g = new Guest(t, true);
    const f = await prepareGuest(g, t);
    expect(g.boots).toEqual([[], ['lsm=landlock,yama,apparmor']]);
    expect(f.landlockAbi).toBe(2);
    expect(guestLandlockProblem(f, '/k')).toBeNull();
  });

  test('not built in: one boot, and one line saying so (never a run without Landlock)', async () => {
    const t = new GuestTransport({ kernel: '/k', accel: 'tcg' });
    const g = new Guest(t, false);
    const f = await prepareGuest(g, t);
    expect(g.boots).toEqual([[]]);
    expect(guestLandlockProblem(f, '/k')).toMatch(/^\/k \(6\.1\.0\) has no Landlock \(landlock_create_ruleset: ENOSYS: build it with CONFIG_SECURITY_LANDLOCK=y\)/);
  });
});

describe('bad input to --kernel: one line, exit 2, nothing started', () => {
  const cases: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['a missing image', ['conform', '--kernel', '/nonexistent/bzImage'], /^strata conform: \/nonexistent\/bzImage: no such kernel image$/],
    ['an empty path', ['conform', '--kernel='], /--kernel needs a kernel image path/],
    ['--boot-timeout alone', ['conform', '--boot-timeout', '10s'], /--boot-timeout applies only with --kernel/],
    ['--executor with --kernel', ['conform', '--kernel', '/k', '--executor', '/e'], /--executor and --kernel cannot go together/],
    ['replay --kernel without --target kernel', ['replay', '--kernel', '/k', 'x.json'], /--kernel applies only with --target kernel/],
    ['replay --target kernel --kernel: a missing image', ['replay', '--target', 'kernel', '--kernel', '/nonexistent/bzImage', 'corpus/conform/model-ptrace-own-thread-group.json'], /^strata replay: \/nonexistent\/bzImage: no such kernel image$/],
  ];
  for (const [what, args, line] of cases) {
    test(what, async () => {
      const r = await strata(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
    });
  }
});
