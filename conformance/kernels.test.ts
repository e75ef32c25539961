// The kernel matrix: `strata conform`'s engine on Debian's 6.1 (Landlock ABI 2) and 6.12 (ABI 6)
// cloud kernels, each booted under QEMU (conformance/vm/), beside this machine's kernel, with the
// same modest budget. Each must end with no unexplained discrepancy, the model run at the guest's
// own ABI, and most steps compared. Where QEMU or the images are missing the rows skip with the
// reason (`sh conformance/kernels.sh` fetches the images; .ci/run installs QEMU and runs it, so CI
// never skips). The ≥ 2,000-scenario runs behind the model's ABI claims are made by hand
// (README.md "Check your own kernel").
import { describe, expect, test } from 'vitest';
import type { ConformReport } from './conform.js';
import { runConform } from './conform.js';
import { KernelExecutor, DEFAULT_BINARY } from './runner.js';
import { executorUnavailableReason } from './availability.js';
import { guestExecutor, bootGuest, GUEST_TIMEOUTS } from './vm/guest.js';
import { guestsUnavailable, matrixKernels, skipOrFail } from './vm/matrix.js';
import { alive } from './process-watch.js';
import type { KernelTarget } from './conform.js';
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import { FS, NR, RET, exit, filter, fork, onNr, restrict, ruleset, thread } from './fixtures.js';

/**
 * A listener whose filter loses its last user, supervised: a thread makes a filter with a
 * listener and exits; its group polls (POLLHUP) and RECVs. Two executor bugs met on 6.1 by the
 * generated matrix: the hung-up listener woke the coordinator's every poll, so a thread's exit on
 * a kernel without thread pidfds (before 6.9) ran to the op deadline; and RECV there sleeps
 * instead of ENOENT (before 6.11), so it is skipped with the reason, never timed out.
 */
async function hungUpListener(executor: KernelTarget, series: string): Promise<void> {
  const ops: Op[] = [
    { op: 'notif_supervise', task: 0 }, thread(0), filter(1, onNr(NR.uname, RET.USER_NOTIF), SECCOMP_FILTER_FLAG.NEW_LISTENER), exit(1),
    { op: 'notif_poll', task: 0, fd: 0 }, { op: 'notif_recv', task: 0, fd: 0 },
  ];
  const r = await executor.run(ops, { abi: 1, nnp: true, capSysAdmin: true }, { opTimeoutMs: 20_000 });
  const [minor] = series.split('.').slice(1).map(Number);
  const results = r.steps.map((s) => s.result);
  expect(r.status, JSON.stringify(results)).toBe('ok');
  expect(results.slice(3, 5)).toEqual([{ kind: 'ok', ret: 0 }, { kind: 'ok', ret: 0x10 }]);
  if (series.startsWith('6.') && minor! < 11) expect(results[5]).toMatchObject({ kind: 'skip' });
  else expect(results[5]).toEqual({ kind: 'err', errno: 2 });
}

/**
 * A sandboxed root task's open of an outsider's /proc/<pid>/environ: mm_access lets a
 * perfmon_capable caller past ptrace_may_access on 6.18 (model/landlock/procfs.ts) but not on
 * 6.1 or 6.12, so there the executor says so (feature environ_unchecked) and skips the probe with
 * the reason, never a discrepancy; where it matches the model, the open is made and allowed.
 */
async function environOfAnOutsider(executor: KernelTarget, series: string): Promise<void> {
  const f = await executor.features();
  const ops: Op[] = [fork(0), ruleset(1, FS.EXECUTE), restrict(1, 0), { op: 'probe', task: 1, request: { kind: 'proc', target: 0, file: 'environ' } }];
  const r = await executor.run(ops, { abi: 1, nnp: false, capSysAdmin: true });
  expect(r.status).toBe('ok');
  const [major, minor] = series.split('.').map(Number);
  if (major === 6 && minor! <= 12) expect(f.environment?.environUnchecked).toBe(false);
  if (major === 6 && minor === 18) expect(f.environment?.environUnchecked).toBe(true);
  // Debian's 6.12.118 has the fix for CVE-2026-72183 (6.12.101): a group owner set by the
  // group's head is recorded; 6.1 has no signal scope, so nothing differs there either
  expect(f.environment?.fownGroupRecorded).toBe(true);
  if (f.environment?.environUnchecked) expect(r.steps[3]!.result).toEqual({ kind: 'probe', outcome: { kind: 'returned', ret: 0 } });
  else expect(r.steps[3]!.result).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/^proc environ: this kernel's mm_access asks ptrace_may_access/) });
}

/** Scenarios per kernel: TCG runs ~2 a second on the test machine, after a ~10 s boot. */
const RUNS = 30;
const SEED = 20261206;

function why(r: ConformReport): string {
  return [...r.signatures].map(([s, n]) => `${n}× ${s}`).concat(r.verdict.problems).join('\n');
}

function expectConforms(r: ConformReport, abi: number): void {
  expect(r.unexplainedScenarios, why(r)).toBe(0);
  expect(r.ok, why(r)).toBe(true);
  expect(r.scenarios).toBe(RUNS);
  expect(r.incompleteRuns).toBe(0);
  expect(r.features.landlockAbi).toBe(abi);
  expect(r.variant).toBe(abi === 7 ? 'linux' : `linux-abi${abi}`);
  // nearly every step compared: no feature of the older kernel silently left out
  expect(r.comparedSteps).toBeGreaterThan(r.steps * 0.9);
}

describe('the kernel matrix: strata conform on each kernel', () => {
  const noGuests = guestsUnavailable();

  for (const k of matrixKernels()) {
    test(`Debian ${k.series} cloud kernel (Landlock ABI ${k.landlockAbi}) under QEMU: ${RUNS} scenarios, no unexplained discrepancy`, async (ctx) => {
      skipOrFail(ctx, noGuests);
      skipOrFail(ctx, k.missing);
      const g = guestExecutor({ kernel: k.image! });
      let qemu: number | undefined;
      try {
        const f = await bootGuest(g, k.image!);
        qemu = g.executor.pid;
        expect(f.kernel.startsWith(`${k.series}.`)).toBe(true);
        const t = GUEST_TIMEOUTS[g.transport.accel];
        const r = await runConform({ executor: g.executor, runs: RUNS, seed: SEED, maxOps: 16, kernelBudget: 40, opTimeoutMs: t.opMs, scenarioTimeoutMs: t.scenarioMs });
        expectConforms(r, k.landlockAbi);
        await hungUpListener(g.executor, k.series);
        await environOfAnOutsider(g.executor, k.series);
      } finally {
        await g.executor.close();
      }
      // the guest is gone with the run
      expect(qemu).toBeDefined();
      expect(alive(qemu!)).toBe(false);
    }, 600_000);
  }

  test(`this machine's kernel: the same ${RUNS} scenarios`, async (ctx) => {
    const unavailable = executorUnavailableReason(DEFAULT_BINARY);
    if (unavailable) ctx.skip(unavailable);
    const kx = new KernelExecutor();
    try {
      const r = await runConform({ executor: kx, runs: RUNS, seed: SEED, maxOps: 16, kernelBudget: 40 });
      expectConforms(r, r.features.landlockAbi);
      await hungUpListener(kx, r.features.kernel);
      await environOfAnOutsider(kx, r.features.kernel);
    } finally {
      await kx.close();
    }
  });
});
