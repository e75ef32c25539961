// The executor in a guest: a kernel image booted under QEMU (qemu.ts) with strata's initramfs
// (initramfs.ts), the protocol on the guest's second serial port. To the runner
// (runner.ts KernelExecutor) it is one more transport: a request goes in, a reply comes out.
//
// The guest is disposable. QEMU runs under build/strata-vm-guard, so it dies with the Node
// process that started it; every exit path of the runner kills it (a reply that does not come
// within the scenario's deadline, an interrupt, close); it writes no file (the console goes to
// its stderr) and the guest's own files are in its memory. A guest that does not say
// `strata-guest ready` (native/guest-init.c) within the boot timeout is killed, and the reason
// is what its console said last (a panic, init's own line), never a silent failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExecutorChannel, ExecutorTransport } from '../transport.js';
import type { KernelFeatures } from '../result.js';
import type { Accel } from './qemu.js';
import { CONSOLE_FD, findQemu, kvmUsable, qemuArgs, qemuMissing } from './qemu.js';
import type { Readable } from 'node:stream';
import type { GuestBinaries } from './initramfs.js';
import { guestBinariesProblem, guestInitramfs, strataCacheDir } from './initramfs.js';

const BUILD = fileURLToPath(new URL('../build/', import.meta.url));

export const DEFAULT_GUEST_BINARIES: GuestBinaries = {
  init: `${BUILD}strata-init`,
  executor: `${BUILD}strata-exec`,
  task: `${BUILD}strata-task`,
};
export const DEFAULT_GUARD = `${BUILD}strata-vm-guard`;

/** What init says on the protocol port once it is raw (native/guest-init.c). */
export const READY_LINE = 'strata-guest ready';

/** Boot timeouts: TCG boots a distribution kernel in ~10 s on the test machine, KVM in ~1 s. */
export const DEFAULT_BOOT_TIMEOUT_MS: Readonly<Record<Accel, number>> = { kvm: 60_000, tcg: 180_000 };

export interface GuestTransportOptions {
  /** The kernel image (bzImage / vmlinuz). */
  readonly kernel: string;
  /** Default: KVM where /dev/kvm is usable, TCG otherwise. */
  readonly accel?: Accel;
  readonly memoryMb?: number;
  readonly cpus?: number;
  readonly bootTimeoutMs?: number;
  readonly binaries?: GuestBinaries;
  readonly guard?: string;
  /** Where the initramfs is cached (default: strataCacheDir()). */
  readonly cacheDir?: string;
  /** QEMU (default: qemu-system-x86_64 on PATH). */
  readonly qemu?: string;
}

/** Why `file` is not a kernel image QEMU can boot directly, or null. An x86 bzImage carries the
 * boot protocol's `HdrS` at 0x202 (Documentation/arch/x86/boot.rst); vmlinux (ELF) does not. */
export function kernelImageProblem(file: string): string | null {
  let st;
  try {
    st = statSync(file);
  } catch {
    return `${file}: no such kernel image`;
  }
  if (!st.isFile()) return `${file}: not a regular file (give a bzImage or vmlinuz)`;
  const head = Buffer.alloc(0x206);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    return `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', 0x202, 0x206) !== 'HdrS') {
    const elf = head.readUInt32BE(0) === 0x7f454c46;
    return `${file}: not an x86 bzImage (no "HdrS" boot header)${elf ? ': an ELF vmlinux; give arch/x86/boot/bzImage' : ''}`;
  }
  return null;
}

/** Escape sequences and carriage returns out of console text (SeaBIOS clears the screen). */
function plain(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1bc|\r/g, '').trimEnd();
}

/** Console lines worth a diagnostic: init's and the executor's own, QEMU's, a panic or oops. */
const WORTH = /^(strata-|qemu-system|Kernel panic|BUG:|Oops|WARNING:|.*Out of memory)/;

/** The guest as a channel. */
class GuestChannel implements ExecutorChannel {
  private ready = false;
  private held = '';
  private pre = '';
  private readonly console: string[] = [];
  private consolePart = '';
  private exited = false;
  private reason: string | undefined;
  private readonly bootTimer: NodeJS.Timeout;
  private readonly dataListeners: ((chunk: string) => void)[] = [];
  private readonly diagListeners: ((text: string) => void)[] = [];
  private readonly exitListeners: ((code: number | null, signal: string | null, reason?: string) => void)[] = [];
  private readonly child: ChildProcess;

  constructor(program: string, args: readonly string[], env: NodeJS.ProcessEnv, bootTimeoutMs: number) {
    // stdin/stdout: the protocol port; stderr: QEMU's own messages; descriptor 3: the console
    // its own process group: a terminal's Ctrl-C reaches strata, which kills the guest itself
    this.child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env, detached: true });
    const child = this.child;
    const console = child.stdio[CONSOLE_FD] as Readable;
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    console.setEncoding('utf8');
    child.stdin!.on('error', () => undefined);
    console.on('error', () => undefined);
    child.stdout!.on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr!.on('data', (chunk: string) => this.onConsole(chunk));
    console.on('data', (chunk: string) => this.onConsole(chunk));
    child.on('error', (e) => this.finish(null, null, `${program}: ${e.message}`));
    child.on('exit', (code, signal) => this.finish(code, signal));
    this.bootTimer = setTimeout(() => {
      if (this.ready || this.exited) return;
      this.reason = `the guest did not boot within ${bootTimeoutMs < 1000 ? `${bootTimeoutMs} ms` : `${Math.round(bootTimeoutMs / 1000)} s`}${this.lastWords()}`;
      child.kill('SIGKILL');
    }, bootTimeoutMs);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get ended(): boolean {
    return this.exited || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  write(text: string): void {
    if (this.ready) this.child.stdin!.write(text);
    else this.held += text;
  }

  /** The guest is disposable: nothing in it is kept, so ending it is stopping QEMU. */
  end(): void {
    this.child.kill('SIGTERM');
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  onData(l: (chunk: string) => void): void {
    this.dataListeners.push(l);
  }

  onDiagnostic(l: (text: string) => void): void {
    this.diagListeners.push(l);
  }

  onExit(l: (code: number | null, signal: string | null, reason?: string) => void): void {
    this.exitListeners.push(l);
  }

  private onStdout(chunk: string): void {
    if (this.ready) {
      for (const l of this.dataListeners) l(chunk);
      return;
    }
    this.pre += chunk;
    const at = this.pre.indexOf(`${READY_LINE}\n`);
    if (at < 0) {
      this.pre = this.pre.slice(-READY_LINE.length - 1);
      return;
    }
    this.ready = true;
    clearTimeout(this.bootTimer);
    const rest = this.pre.slice(at + READY_LINE.length + 1);
    this.pre = '';
    if (this.held) this.child.stdin!.write(this.held);
    this.held = '';
    if (rest) for (const l of this.dataListeners) l(rest);
  }

  private onConsole(chunk: string): void {
    const text = this.consolePart + chunk;
    const lines = text.split('\n');
    this.consolePart = lines.pop() ?? '';
    for (const raw of lines) {
      const line = plain(raw);
      if (!line) continue;
      this.console.push(line);
      if (this.console.length > 200) this.console.shift();
      if (WORTH.test(line)) for (const l of this.diagListeners) l(`${line}\n`);
    }
  }

  /** The console's most telling line, as a message suffix. */
  private lastWords(): string {
    if (this.consolePart) this.onConsole('\n');
    const telling = [...this.console].reverse().find((l) => WORTH.test(l));
    const line = telling ?? this.console.at(-1);
    return line ? ` (console: ${JSON.stringify(line.slice(0, 300))})` : ' (the console said nothing)';
  }

  private finish(code: number | null, signal: string | null, reason?: string): void {
    if (this.exited) return;
    this.exited = true;
    clearTimeout(this.bootTimer);
    let why = reason ?? this.reason;
    if (why === undefined && !this.ready) why = `the guest ended before its init was ready (QEMU ${signal ?? `exit ${code}`})${this.lastWords()}`;
    if (why === undefined && signal === null) why = `the guest powered off (QEMU exit ${code})${this.lastWords()}`;
    for (const l of this.exitListeners) l(code, signal, why);
  }
}

/** A transport that boots `kernel` for every executor it starts. `setAppend` changes the kernel
 * parameters of the next boot (Landlock not among the active LSMs: prepareGuest). */
export class GuestTransport implements ExecutorTransport {
  readonly accel: Accel;
  readonly startupMs: number;
  private append: string[] = [];
  private initramfs: string | null = null;
  private readonly qemu: string | null;

  constructor(private readonly o: GuestTransportOptions) {
    this.accel = o.accel ?? (kvmUsable() ? 'kvm' : 'tcg');
    this.startupMs = o.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS[this.accel];
    this.qemu = o.qemu ?? findQemu();
  }

  get name(): string {
    return `the guest kernel ${this.o.kernel} (QEMU, ${this.accel.toUpperCase()})`;
  }

  /** Kernel parameters added for the next boot. */
  get parameters(): readonly string[] {
    return this.append;
  }

  setAppend(params: readonly string[]): void {
    this.append = [...params];
  }

  unavailableReason(): string | null {
    if (this.qemu === null) return qemuMissing();
    const guard = this.o.guard ?? DEFAULT_GUARD;
    if (!existsSync(guard)) return `the QEMU guard ${guard} is missing: run "sh conformance/build.sh" (npm ci runs it; see conformance/build/vm.log)`;
    return kernelImageProblem(this.o.kernel) ?? guestBinariesProblem(this.o.binaries ?? DEFAULT_GUEST_BINARIES);
  }

  start(env: NodeJS.ProcessEnv): ExecutorChannel {
    this.initramfs ??= guestInitramfs(this.o.binaries ?? DEFAULT_GUEST_BINARIES, this.o.cacheDir ?? strataCacheDir(env));
    const args = qemuArgs({
      kernel: this.o.kernel,
      initramfs: this.initramfs,
      accel: this.accel,
      ...(this.o.memoryMb !== undefined ? { memoryMb: this.o.memoryMb } : {}),
      ...(this.o.cpus !== undefined ? { cpus: this.o.cpus } : {}),
      append: this.append,
    });
    return new GuestChannel(this.o.guard ?? DEFAULT_GUARD, [String(process.pid), this.qemu!, ...args], env, this.startupMs);
  }

  /** The scenario's processes are the guest's: they die with it. */
  killScenarioGroup(): void {}

  /** Nothing of a guest is left on this machine. */
  afterAbnormalEnd(): void {}
}

/** EOPNOTSUPP: landlock_create_ruleset of a kernel whose Landlock is built but not active. */
const EOPNOTSUPP = 95;

/** What the guest's features say is missing for a conformance run there, one line, or null:
 * Landlock (seccomp is environmentProblem's, availability.ts). */
export function guestLandlockProblem(f: KernelFeatures, kernel: string): string | null {
  if (f.landlockAbi > 0) return null;
  if (f.landlockErrno === EOPNOTSUPP) {
    return `${kernel} (${f.kernel}): Landlock is built in but not active even with lsm=landlock,... on the command line (landlock_create_ruleset: EOPNOTSUPP)`;
  }
  return `${kernel} (${f.kernel}) has no Landlock (landlock_create_ruleset: ${f.landlockErrno === 38 ? 'ENOSYS: build it with CONFIG_SECURITY_LANDLOCK=y' : `errno ${f.landlockErrno ?? 'unknown'}`}): strata conform --kernel checks seccomp and Landlock together`;
}

/** What prepareGuest needs of the executor (runner.ts KernelExecutor). */
export interface RestartableTarget {
  features(): Promise<KernelFeatures>;
  restart(): Promise<void>;
}

/**
 * Boot the guest and detect its features; if its Landlock is built in but not among the active
 * LSMs (security/security.c: ordered_lsm_parse follows `lsm=`), boot it again with Landlock
 * first in `lsm=` before the LSMs it had. The features of the guest that stays up.
 */
export async function prepareGuest(executor: RestartableTarget, transport: GuestTransport): Promise<KernelFeatures> {
  const f = await executor.features();
  if (f.landlockAbi > 0 || f.landlockErrno !== EOPNOTSUPP || transport.parameters.some((p) => p.startsWith('lsm='))) return f;
  const active = (f.lsm ?? []).filter((l) => l !== 'landlock' && l !== 'capability');
  transport.setAppend([...transport.parameters, `lsm=${['landlock', ...active].join(',')}`]);
  await executor.restart();
  return executor.features();
}
