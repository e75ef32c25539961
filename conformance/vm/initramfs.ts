// The initramfs a guest boots: no distribution's tools, only strata's own static binaries —
// /init (build/strata-init, native/guest-init.c), /strata/strata-exec and /strata/strata-task
// beside it (the executor finds its exec image there) — and the directories and the console
// node the kernel and init need before devtmpfs is mounted (init/main.c:console_on_rootfs
// opens /dev/console). Cached by content in strata's cache directory: the same binaries give
// the same archive, written once (to a temporary name, then renamed), reused by every run.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CpioEntry } from './cpio.js';
import { cpioArchive } from './cpio.js';

/** strata's cache directory: $STRATA_CACHE_DIR, else $XDG_CACHE_HOME/strata, else ~/.cache/strata. */
export function strataCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STRATA_CACHE_DIR) return env.STRATA_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'strata');
}

/** The binaries of a guest: build/strata-init, build/strata-exec, build/strata-task. */
export interface GuestBinaries {
  readonly init: string;
  readonly executor: string;
  readonly task: string;
}

/** Why these binaries cannot make a guest, one line, or null. */
export function guestBinariesProblem(b: GuestBinaries): string | null {
  for (const [what, file] of [['the guest init', b.init], ['the executor', b.executor], ['the exec helper', b.task]] as const) {
    if (!existsSync(file)) return `${what} ${file} is missing: run "sh conformance/build.sh" (npm ci runs it; see conformance/build/*.log)`;
    if (dynamicallyLinked(head(file))) {
      return `${what} ${file} is dynamically linked, and a guest has no libc: install the static C library (Debian: libc6-dev) and rerun "sh conformance/build.sh"`;
    }
  }
  return null;
}

/** The first 64 KiB of a file (an ELF's program headers are there). */
function head(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(65536);
    return b.subarray(0, readSync(fd, b, 0, b.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** An ELF file with a program interpreter (PT_INTERP) needs a dynamic loader. */
export function dynamicallyLinked(elf: Buffer): boolean {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return false; // ELF64 only
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  const phnum = elf.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > elf.length) return false;
    if (elf.readUInt32LE(at) === 3) return true; // PT_INTERP
  }
  return false;
}

/** The archive's entries, in order. */
export function guestEntries(b: GuestBinaries): CpioEntry[] {
  return [
    { kind: 'dir', path: 'dev', mode: 0o755 },
    { kind: 'char', path: 'dev/console', mode: 0o600, major: 5, minor: 1 },
    { kind: 'dir', path: 'proc', mode: 0o555 },
    { kind: 'dir', path: 'sys', mode: 0o555 },
    { kind: 'dir', path: 'tmp', mode: 0o1777 },
    { kind: 'dir', path: 'strata', mode: 0o755 },
    { kind: 'file', path: 'init', mode: 0o755, data: readFileSync(b.init) },
    { kind: 'file', path: 'strata/strata-exec', mode: 0o755, data: readFileSync(b.executor) },
    { kind: 'file', path: 'strata/strata-task', mode: 0o755, data: readFileSync(b.task) },
  ];
}

const NAME = /^initramfs-([0-9a-f]{64})\.cpio$/;
const TMP = /^initramfs-[0-9a-f]{64}\.cpio\.(\d+)\.tmp$/;
/** Archives of other binaries are removed once this old (another run may be booting one). */
const STALE_MS = 60 * 60 * 1000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The initramfs for these binaries, in `cacheDir` (created if missing): its path. Written only
 * when no archive of the same content is there. Also removes what earlier runs left: archives
 * of other binaries not touched for an hour, and temporary files of processes that are gone.
 */
export function guestInitramfs(b: GuestBinaries, cacheDir: string = strataCacheDir()): string {
  const archive = cpioArchive(guestEntries(b));
  const hash = createHash('sha256').update(archive).digest('hex');
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const file = join(cacheDir, `initramfs-${hash}.cpio`);
  sweep(cacheDir, file);
  try {
    if (statSync(file).size === archive.length) {
      utimesSync(file, new Date(), new Date()); // in use: not stale for another run's sweep
      return file;
    }
  } catch {
    // not cached yet
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, archive);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never made
    }
    throw e;
  }
  return file;
}

function sweep(cacheDir: string, keep: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const path = join(cacheDir, name);
    if (path === keep) continue;
    const tmp = TMP.exec(name);
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      if (tmp ? !pidAlive(Number(tmp[1])) : NAME.test(name) && now - st.mtimeMs > STALE_MS) unlinkSync(path);
    } catch {
      // gone meanwhile
    }
  }
}
