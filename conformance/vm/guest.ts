// A conformance executor in a guest, for `strata conform --kernel` and `strata replay --target
// kernel --kernel`: the transport checked before anything starts, then booted, its features
// detected (Landlock activated with `lsm=` where it is built but not listed), and what it lacks
// said in one line (ExecutorUnavailable: exit 2), never run as if it were there.
import { KernelExecutor } from '../runner.js';
import type { KernelFeatures } from '../result.js';
import { ExecutorUnavailable, kernelFeatures } from '../conform.js';
import type { GuestTransportOptions } from './transport.js';
import { GuestTransport, guestLandlockProblem, prepareGuest } from './transport.js';
import type { Accel } from './qemu.js';

/** Default per-op and per-scenario timeouts in a guest: TCG runs a scenario ~25× slower than the
 * live kernel on the test machine (npm run bench); KVM close to it. */
export const GUEST_TIMEOUTS: Readonly<Record<Accel, { readonly opMs: number; readonly scenarioMs: number }>> = {
  kvm: { opMs: 4_000, scenarioMs: 20_000 },
  tcg: { opMs: 20_000, scenarioMs: 120_000 },
};

export interface Guest {
  readonly executor: KernelExecutor;
  readonly transport: GuestTransport;
}

/** The executor and its guest transport; throws ExecutorUnavailable when QEMU, the image or the
 * guest's binaries are missing or unusable (nothing is started then). */
export function guestExecutor(o: GuestTransportOptions): Guest {
  const transport = new GuestTransport(o);
  const why = transport.unavailableReason();
  if (why) throw new ExecutorUnavailable(why);
  return { executor: new KernelExecutor({ transport }), transport };
}

/** Boot the guest and detect its features; ExecutorUnavailable with the reason when it did not
 * boot, or lacks seccomp filters or Landlock. `onBoot` hears how long the boot took. */
export async function bootGuest(g: Guest, kernel: string, onBoot?: (f: KernelFeatures, ms: number) => void): Promise<KernelFeatures> {
  const t0 = performance.now();
  let f: KernelFeatures;
  try {
    f = await prepareGuest(g.executor, g.transport);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/^strata-exec: feature detection failed: /, '');
    throw new ExecutorUnavailable(`${kernel}: ${msg}`);
  }
  onBoot?.(f, performance.now() - t0);
  const landlock = guestLandlockProblem(f, kernel);
  if (landlock) throw new ExecutorUnavailable(landlock);
  return kernelFeatures(g.executor); // seccomp and the executor's own set-up (availability.ts)
}
