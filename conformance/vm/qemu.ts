// QEMU for `strata conform --kernel`: where it is, whether KVM can be used, and the command
// line of a disposable guest. The guest has no disk, no network and no display: a kernel image,
// strata's initramfs, a memory cap, and two 8250 serial ports — ttyS0 the kernel console (on
// descriptor 3), ttyS1 the executor's protocol (QEMU's stdin and stdout). `panic=-1` and
// `-no-reboot`: a guest that panics or powers off ends the QEMU process.
import { accessSync, closeSync, constants, openSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';

export const QEMU = 'qemu-system-x86_64';

/** The QEMU binary on PATH, or null. */
export function findQemu(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, QEMU);
    try {
      if (statSync(p).isFile()) {
        accessSync(p, constants.X_OK);
        return p;
      }
    } catch {
      // not there
    }
  }
  return null;
}

/** One line saying QEMU is missing and how to get it. */
export function qemuMissing(): string {
  return `${QEMU} is not installed (Debian: apt-get install qemu-system-x86)`;
}

/** Whether KVM is usable here: /dev/kvm opens read-write (virt/kvm/kvm_main.c: kvm_dev_ioctl)
 * and QEMU can reset a KVM vCPU as strata's guests use it (kvmStartsHere). */
export function kvmUsable(device = '/dev/kvm', qemu: string | null = findQemu()): boolean {
  try {
    closeSync(openSync(device, constants.O_RDWR));
  } catch {
    return false;
  }
  return qemu === null || kvmStartsHere(qemu);
}

/** How long a KVM guest held at its first instruction (-S) must stay up to count as started. */
export const KVM_PROBE_MS = 1_000;
const kvmStarts = new Map<string, boolean>();

/**
 * Whether QEMU starts a KVM guest with `-cpu host` here, once per process: a guest held stopped
 * at its first instruction (-S) that is still up after KVM_PROBE_MS. Under nested
 * virtualisation /dev/kvm may open while the outer hypervisor refuses MSRs QEMU sets at the
 * vCPU's reset (seen here: "failed to set MSR 0x10a", IA32_ARCH_CAPABILITIES, and QEMU aborts
 * in kvm_buf_set_msrs): every guest would die before its init, so TCG it is.
 */
export function kvmStartsHere(qemu: string): boolean {
  const known = kvmStarts.get(qemu);
  if (known !== undefined) return known;
  const r = spawnSync(qemu, ['-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'none', '-accel', 'kvm', '-cpu', 'host', '-m', '16', '-S'], { timeout: KVM_PROBE_MS, stdio: 'ignore' });
  // still running when the timeout killed it: the vCPU was reset and the guest waits
  const starts = r.signal === 'SIGTERM' && r.status === null;
  kvmStarts.set(qemu, starts);
  return starts;
}

export type Accel = 'kvm' | 'tcg';

export interface GuestOptions {
  /** The kernel image (bzImage / vmlinuz). */
  readonly kernel: string;
  readonly initramfs: string;
  readonly accel: Accel;
  /** Guest memory, MiB (default 512). */
  readonly memoryMb?: number;
  /** Virtual CPUs (default 1). */
  readonly cpus?: number;
  /** Extra kernel parameters (`lsm=landlock,...`). */
  readonly append?: readonly string[];
}

export const DEFAULT_GUEST_MEMORY_MB = 512;

/** The descriptor QEMU inherits for the console (a socket: the chardev socket backend takes
 * one, where a file backend cannot open a socket's /proc/self/fd link). */
export const CONSOLE_FD = 3;

/** The kernel command line of a guest. */
export function guestCmdline(extra: readonly string[] = []): string {
  return ['console=ttyS0', 'panic=-1', 'quiet', 'rdinit=/init', ...extra].join(' ');
}

/** QEMU's arguments for one guest (the program itself not included). */
export function qemuArgs(o: GuestOptions): string[] {
  return [
    '-nodefaults', '-no-user-config', '-nographic', '-monitor', 'none', '-no-reboot',
    '-accel', o.accel,
    '-cpu', o.accel === 'kvm' ? 'host' : 'max',
    '-m', String(o.memoryMb ?? DEFAULT_GUEST_MEMORY_MB),
    '-smp', String(o.cpus ?? 1),
    '-nic', 'none',
    '-kernel', o.kernel,
    '-initrd', o.initramfs,
    '-append', guestCmdline(o.append),
    // ttyS0: the console, on a socket QEMU inherits as descriptor 3 (no file to remove)
    '-chardev', `socket,id=console,fd=${CONSOLE_FD},server=off`, '-serial', 'chardev:console',
    // ttyS1: the protocol, on QEMU's stdin and stdout
    '-chardev', 'stdio,id=proto,signal=off', '-serial', 'chardev:proto',
  ];
}
