// strata replay --target kernel <scenario.json>: run the scenario on this machine's kernel and
// print the model's result beside the kernel's for every step, each differing step marked; for
// a file that recorded a kernel run (strata conform), check that the new run reproduces it.
// "Agrees" needs something compared: the run's coverage goes through the same rule as strata
// conform's (conformance/verdict.ts), each reason it fails on a FAIL line.
import type { Io } from '../io.js';
import { EXIT, UsageError } from '../errors.js';
import type { Scenario } from '../../scenario/types.js';
import type { Variant } from '../../variants/variant.js';
import type { ModelTrace } from '../../properties/trace.js';
import { KernelExecutor } from '../../conformance/runner.js';
import { kernelFeatures, runBoth, ExecutorUnavailable, tableDifferenceLines } from '../../conformance/conform.js';
import { stepMarks } from '../../conformance/diff.js';
import { sameKernelResult } from '../../conformance/compare.js';
import { executorUnavailableReason, worldUnavailableReason } from '../../conformance/availability.js';
import { coverage, tableCoverage, verdict } from '../../conformance/verdict.js';
import { watchInterrupts, interruptStatus, interruptOnExecutorSignal } from '../interrupt.js';
import type { Guest } from '../../conformance/vm/guest.js';
import { bootGuest, guestExecutor, GUEST_TIMEOUTS } from '../../conformance/vm/guest.js';
import { renderSideBySide, shellWord, worldWords, taskWords, kernelResultWords } from '../../reports/index.js';

export interface KernelReplayInput {
  readonly file: string;
  readonly scenario: Scenario;
  readonly variant: Variant;
  readonly trace: ModelTrace;
  readonly binary: string;
  /** Run it in a guest booted from this kernel image instead (conformance/vm/). */
  readonly kernelImage?: string;
  readonly bootTimeoutMs?: number;
  readonly opTimeoutMs?: number;
  readonly scenarioTimeoutMs?: number;
}

/** Exit 0 iff the kernel agrees with the model (explained differences aside), the kernel run
 * finished, enough was compared (verdict.ts), and any recorded kernel run is reproduced; 1
 * otherwise; 128 + n when interrupted by signal n; a UsageError when the executor cannot run here. */
export async function replayOnKernel(input: KernelReplayInput, io: Io): Promise<number> {
  const { file, scenario, variant, trace } = input;
  let guest: Guest | null = null;
  if (input.kernelImage !== undefined) {
    try {
      guest = guestExecutor({ kernel: input.kernelImage, ...(input.bootTimeoutMs !== undefined ? { bootTimeoutMs: input.bootTimeoutMs } : {}) });
    } catch (e) {
      if (e instanceof ExecutorUnavailable) throw new UsageError(e.message);
      throw e;
    }
  } else {
    const unavailable = executorUnavailableReason(input.binary);
    if (unavailable) throw new UsageError(unavailable);
  }
  const executor = guest?.executor ?? new KernelExecutor({ binary: input.binary });
  const timeouts = guest ? GUEST_TIMEOUTS[guest.transport.accel] : null;
  const opTimeoutMs = input.opTimeoutMs ?? timeouts?.opMs;
  const scenarioTimeoutMs = input.scenarioTimeoutMs ?? timeouts?.scenarioMs;
  const interrupts = watchInterrupts(() => void executor.kill(), () => void executor.kill());
  let run: Awaited<ReturnType<typeof runBoth>> | undefined;
  let f: Awaited<ReturnType<typeof kernelFeatures>> | undefined;
  try {
    f = guest ? await bootGuest(guest, input.kernelImage!) : await kernelFeatures(executor);
    // a first task this executor cannot start (e.g. with CAP_SYS_ADMIN in a container): exit 2
    const world = worldUnavailableReason(scenario.world, f);
    if (world) throw new ExecutorUnavailable(world);
    run = await runBoth(interruptOnExecutorSignal(executor, interrupts), variant, scenario, {
      ...(opTimeoutMs !== undefined ? { opTimeoutMs } : {}),
      ...(scenarioTimeoutMs !== undefined ? { scenarioTimeoutMs } : {}),
    }, scenario.kernel?.tables !== undefined);
  } catch (e) {
    if (interrupts.signal === null && e instanceof ExecutorUnavailable) throw new UsageError(e.message);
    if (interrupts.signal === null) throw e;
  } finally {
    await executor.close();
    interrupts.dispose();
  }
  if (interrupts.signal !== null || run === undefined || f === undefined) {
    const signal = interrupts.signal ?? 'SIGINT';
    io.out(`strata replay --target kernel ${shellWord(file)}: interrupted by ${signal}: the executor was stopped, no verdict`);
    return interruptStatus(signal);
  }

  io.out(`strata replay --target kernel ${shellWord(file)}`);
  io.out(`  scenario:   ${scenario.kind}, ${scenario.ops.length} op${scenario.ops.length === 1 ? '' : 's'}${scenario.kernel ? `, with a kernel run recorded on ${scenario.kernel.release}` : ''}${scenario.description ? ` — ${scenario.description}` : ''}`);
  io.out(`  variant:    ${variant.id} — ${variant.title} (the model's side)`);
  io.out(`  kernel:     ${f.kernel}${input.kernelImage !== undefined ? ` (${input.kernelImage}, booted under QEMU ${guest!.transport.accel.toUpperCase()})` : ''}, Landlock ABI ${f.landlockAbi}${f.landlockAbi !== scenario.world.abi ? ` (the scenario's world has ABI ${scenario.world.abi}: rights the two disagree on are skipped)` : ''}`);
  const d = scenario.discrepancy;
  if (d) io.out(`  recorded:   discrepancy${d.steps.length ? ` at ${d.steps.map((i) => `#${i}`).join(', ')}` : ''}${d.table ? ` (${d.table.length} full-table entr${d.table.length === 1 ? 'y' : 'ies'})` : ''}: ${d.message} (fast-check seed ${d.seed}, path "${d.path}")`);
  io.out(`  world:      ${worldWords(trace)}`);
  for (const t of trace.initial.tasks) io.out(`  initially:  ${taskWords(t)}`);
  renderSideBySide(trace, run.kernel.steps, stepMarks(run.diff), io.out);
  const tableLines = tableDifferenceLines(run);
  if (scenario.kernel?.tables !== undefined) {
    const same = run.table.entries.filter((e) => e.status.status === 'same').length;
    io.out(`  full tables: ${run.table.entries.length} entries, ${same} the same, ${tableLines.length} differ`);
    for (const line of tableLines.slice(0, 20)) io.out(`    ✗ ${line}`);
    if (tableLines.length > 20) io.out(`    … and ${tableLines.length - 20} more`);
  }

  // The recorded kernel run, if any, against this one.
  const recorded = scenario.kernel?.results;
  const unreproduced: number[] = [];
  if (recorded) {
    recorded.forEach((r, i) => {
      const now = run.kernel.steps[i];
      if (!now || now.tid !== r.tid || !sameKernelResult(r.result, now.result)) unreproduced.push(i);
    });
  }

  io.out('');
  if (run.kernel.status !== 'ok') io.out(`kernel run: ${run.kernel.status}${run.kernel.message ? ` — ${run.kernel.message}` : ''}`);
  const explained = run.diff.steps.flatMap((s, i) => (s.status === 'explained' ? [`#${i} ${s.entry.id}`] : []));
  const notCompared = run.diff.steps.filter((s) => s.status === 'not_compared').length;
  const u = run.diff.unexplained;
  if (u.length === 0) io.out(`kernel: agrees with the model on every compared step${explained.length ? ` (explained: ${explained.join(', ')})` : ''}${notCompared ? `; ${notCompared} not compared` : ''}`);
  else io.out(`kernel: ${u.length} of ${scenario.ops.length} steps differ from the model (steps ${u.map((i) => `#${i}`).join(', ')})${explained.length ? `; explained: ${explained.join(', ')}` : ''}${notCompared ? `; ${notCompared} not compared` : ''}`);
  if (d) {
    const same = d.steps.length === u.length && d.steps.every((s, i) => s === u[i]);
    const key = (e: { point: number | 'end'; tid: number; request: unknown }): string => JSON.stringify([e.point, e.tid, e.request]);
    const now = new Set(run.table.unexplained.map((i) => key(run.table.entries[i]!.entry)));
    const tableSame = (d.table ?? []).every((e) => now.has(key(e)));
    if (d.steps.length > 0) io.out(same ? `discrepancy: reproduced at ${u.map((i) => `#${i}`).join(', ')}` : `discrepancy: NOT reproduced — recorded at ${d.steps.map((i) => `#${i}`).join(', ')}, now ${u.length ? u.map((i) => `#${i}`).join(', ') : 'none'}`);
    if (d.table) io.out(tableSame ? `discrepancy: the ${d.table.length} recorded full-table entr${d.table.length === 1 ? 'y differs' : 'ies differ'} again` : `discrepancy: full-table entries NOT reproduced (${d.table.filter((e) => !now.has(key(e))).length} of ${d.table.length} agree now)`);
  }
  const c = coverage(run.diff, run.kernel.status);
  const tc = tableCoverage(run.table, run.kernel.status);
  const v = verdict({
    kernelRuns: 1, unfinishedRuns: c.unfinished || tc.lost > 0 ? 1 : 0, steps: run.diff.steps.length, compared: c.compared,
    documented: c.documented, lost: c.lost, unexplained: u.length > 0 || tableLines.length > 0 ? 1 : 0, notReproduced: 0,
    tableEntries: run.table.entries.length, tableCompared: tc.compared, tableDocumented: tc.documented, tableLost: tc.lost,
  });
  if (recorded) {
    if (unreproduced.length === 0) io.out(`recorded kernel results: all ${recorded.length} reproduced`);
    else {
      io.out(`recorded kernel results: ${unreproduced.length} of ${recorded.length} not reproduced (steps ${unreproduced.map((i) => `#${i}`).join(', ')})`);
      for (const i of unreproduced.slice(0, 5)) {
        io.out(`  #${i} recorded ${kernelResultWords(scenario.ops[i]!, recorded[i]!.result)}; now ${run.kernel.steps[i] ? kernelResultWords(scenario.ops[i]!, run.kernel.steps[i]!.result) : '(no result)'}`);
      }
    }
  }
  for (const p of v.problems) if (!/unexplained discrepancy/.test(p)) io.out(`FAIL: ${p}`);
  return v.ok && tableLines.length === 0 && unreproduced.length === 0 ? EXIT.OK : EXIT.FAIL;
}
