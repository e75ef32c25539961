// `strata conform --kernel` under QEMU: the boot (QEMU start to the guest's feature reply) and the
// rate of generated conformance scenarios in the guest, beside the same scenarios (same seed,
// same budget) on the live kernel in the same run — the baseline. Each matrix kernel that
// conformance/kernels.sh fetched is measured; a missing piece is a `skipped` line.
import { runConform } from '../conformance/conform.js';
import { DEFAULT_BINARY, KernelExecutor } from '../conformance/runner.js';
import { executorUnavailableReason } from '../conformance/availability.js';
import { bootGuest, guestExecutor, GUEST_TIMEOUTS } from '../conformance/vm/guest.js';
import { guestsUnavailable, matrixKernels } from '../conformance/vm/matrix.js';

const RUNS = 40;
const SEED = 20261206;
const MAX_OPS = 16;

/** Scenarios per second of one conform run (model + kernel, full tables as `strata conform`). */
async function rate(executor: KernelExecutor, timeouts?: { opMs: number; scenarioMs: number }): Promise<{ perSec: number; ok: boolean }> {
  const t0 = performance.now();
  const r = await runConform({
    executor, runs: RUNS, seed: SEED, maxOps: MAX_OPS, kernelBudget: 1,
    ...(timeouts ? { opTimeoutMs: timeouts.opMs, scenarioTimeoutMs: timeouts.scenarioMs } : {}),
  });
  return { perSec: r.scenarios / ((performance.now() - t0) / 1000), ok: r.ok };
}

export async function benchGuest(): Promise<string[]> {
  const none = guestsUnavailable();
  if (none) return [`skipped: ${none}`];
  const lines: string[] = [`${RUNS} generated scenarios (seed ${SEED}, up to ${MAX_OPS} ops, full tables) per kernel`];
  let live: number | null = null;
  const liveWhy = executorUnavailableReason(DEFAULT_BINARY);
  if (liveWhy) lines.push(`live kernel: skipped (${liveWhy})`);
  else {
    const kx = new KernelExecutor();
    try {
      const f = await kx.features();
      const r = await rate(kx);
      live = r.perSec;
      lines.push(`live kernel ${f.kernel}: ${r.perSec.toFixed(1)} scenarios/s${r.ok ? '' : ' (the run was not ok)'}`);
    } finally {
      await kx.close();
    }
  }
  for (const k of matrixKernels()) {
    if (!k.image) {
      lines.push(`Debian ${k.series}: skipped (${k.missing})`);
      continue;
    }
    const g = guestExecutor({ kernel: k.image });
    try {
      let bootMs = 0;
      const f = await bootGuest(g, k.image, (_f, ms) => (bootMs = ms));
      const r = await rate(g.executor, GUEST_TIMEOUTS[g.transport.accel]);
      lines.push(
        `Debian ${k.series} (${f.kernel}, ABI ${f.landlockAbi}) under QEMU ${g.transport.accel.toUpperCase()}: boot ${(bootMs / 1000).toFixed(1)} s; ${r.perSec.toFixed(2)} scenarios/s${r.ok ? '' : ' (the run was not ok)'}` +
          (live !== null ? `; guest/live ${(r.perSec / live).toFixed(3)}` : ''),
      );
    } finally {
      await g.executor.close();
    }
  }
  return lines;
}
