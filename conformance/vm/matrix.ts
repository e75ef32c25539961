// The kernel matrix `npm test` runs `strata conform` on beside the live kernel: Debian's cloud
// kernels as conformance/kernels.sh leaves them in strata's cache directory. Each row says where
// its image is, or why it is not there (a test then skips with that reason; .ci/run fetches them,
// so CI never does).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { strataCacheDir } from './initramfs.js';
import { findQemu, qemuMissing } from './qemu.js';
import { DEFAULT_GUARD, DEFAULT_GUEST_BINARIES } from './transport.js';
import { guestBinariesProblem } from './initramfs.js';

export interface MatrixKernel {
  /** The series: `6.1`, `6.12`. */
  readonly series: string;
  /** The Landlock ABI a kernel of the series has (Documentation/userspace-api/landlock.rst). */
  readonly landlockAbi: number;
  /** The image, or null with `missing` saying why. */
  readonly image: string | null;
  readonly missing: string | null;
}

const SERIES: readonly { readonly series: string; readonly landlockAbi: number; readonly pattern: RegExp }[] = [
  { series: '6.1', landlockAbi: 2, pattern: /^linux-image-6\.1\.\d+-\d+-cloud-amd64$/ },
  { series: '6.12', landlockAbi: 6, pattern: /^linux-image-6\.12\.\d+\+deb\d+-cloud-amd64$/ },
];

/** The matrix's kernels in `cacheDir`/kernels (kernels.sh). */
export function matrixKernels(cacheDir: string = strataCacheDir()): MatrixKernel[] {
  const dir = join(cacheDir, 'kernels');
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // none fetched
  }
  return SERIES.map(({ series, landlockAbi, pattern }) => {
    const found = names.filter((n) => pattern.test(n)).map((n) => join(dir, n, 'vmlinuz')).find((p) => existsSync(p));
    return found
      ? { series, landlockAbi, image: found, missing: null }
      : { series, landlockAbi, image: null, missing: `no Debian ${series} cloud kernel in ${dir}: run "sh conformance/kernels.sh" (.ci/run does)` };
  });
}

/** Skip a guest test with `reason` — except in CI (CI=true), which .ci/run provisions with QEMU
 * and the matrix's kernels: there a missing piece fails the test instead of hiding it. */
export function skipOrFail(ctx: { skip: (note?: string) => void }, reason: string | null | undefined): void {
  if (!reason) return;
  if (process.env.CI === 'true') throw new Error(`CI must run the kernel matrix, but ${reason}`);
  ctx.skip(reason);
}

/** Why no guest can run here at all (QEMU or strata's guest binaries missing), or null. */
export function guestsUnavailable(): string | null {
  if (findQemu() === null) return qemuMissing();
  if (!existsSync(DEFAULT_GUARD)) return `${DEFAULT_GUARD} is missing: run "sh conformance/build.sh"`;
  return guestBinariesProblem(DEFAULT_GUEST_BINARIES);
}
