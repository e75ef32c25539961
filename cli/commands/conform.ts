// strata conform: generated `linux` scenarios on the model and on this machine's kernel. Wiring
// only: the engine is conformance/conform.ts, the report reports/conform.ts. Every shrunk
// discrepancy is written to disk the moment it is shrunk, before anything about it is printed;
// so is a difference a re-run did not reproduce. An interrupt (SIGINT, SIGTERM, SIGHUP) kills
// the executor and its scenario's processes and prints the partial report (cli/interrupt.ts).
import { basename, isAbsolute, relative, resolve } from 'node:path';
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { EXIT, UsageError } from '../errors.js';
import { namedTree, treeOption } from '../trees.js';
import { parseCommandArgs, lastValue, intOption, durationOption } from '../args.js';
import { checkOutDir } from '../out-dir.js';
import { ConformProgress } from '../conform-progress.js';
import { KernelExecutor, DEFAULT_BINARY } from '../../conformance/runner.js';
import type { ConformDiscrepancy, ConformReport, NotReproduced, UnfinishedRun } from '../../conformance/conform.js';
import { runConform, kernelFeatures, ExecutorUnavailable, DEFAULT_KERNEL_BUDGET, DEFAULT_MAX_DISCREPANCIES, variantForKernel, tableDifferenceLines } from '../../conformance/conform.js';
import { diffTables } from '../../conformance/table-diff.js';
import { resolveVariant } from '../resolve.js';
import { diffScenario, stepMarks } from '../../conformance/diff.js';
import { environmentAdaptations, executorUnavailableReason } from '../../conformance/availability.js';
import { traceScenario } from '../../properties/trace.js';
import { ScenarioError } from '../../scenario/errors.js';
import { writeScenario, DEFAULT_OUT_DIR, scenarioFileName } from '../../scenario/write.js';
import type { Scenario } from '../../scenario/types.js';
import { MIN_COMPARED_FRACTION } from '../../conformance/verdict.js';
import { watchInterrupts, interruptStatus, interruptOnExecutorSignal } from '../interrupt.js';
import type { ConformDiscrepancyView, ConformView } from '../../reports/index.js';
import { renderConform } from '../../reports/index.js';
import type { Guest } from '../../conformance/vm/guest.js';
import { bootGuest, guestExecutor, GUEST_TIMEOUTS } from '../../conformance/vm/guest.js';
import { parseReporters, writeReports } from '../reporters.js';
import type { Reporters } from '../reporters.js';
import { buildConformResult, unavailableConformResult } from '../../result/conform.js';
import { strataVersion } from '../version.js';

export const DEFAULT_SEED = 1;
export const DEFAULT_RUNS = 1000;
export const DEFAULT_MAX_OPS = 20;

const OPTIONS = {
  runs: { type: 'string', short: 'n', multiple: true },
  seed: { type: 'string', short: 's', multiple: true },
  'max-ops': { type: 'string', multiple: true },
  'time-budget': { type: 'string', multiple: true },
  out: { type: 'string', short: 'o', multiple: true },
  'kernel-budget': { type: 'string', multiple: true },
  'max-discrepancies': { type: 'string', multiple: true },
  'op-timeout': { type: 'string', multiple: true },
  'scenario-timeout': { type: 'string', multiple: true },
  executor: { type: 'string', multiple: true },
  kernel: { type: 'string', multiple: true },
  'boot-timeout': { type: 'string', multiple: true },
  'no-traces': { type: 'boolean' },
  variant: { type: 'string', multiple: true },
  'no-table': { type: 'boolean' },
  tree: { type: 'string', multiple: true },
  'fail-unreproduced': { type: 'boolean' },
  reporter: { type: 'string', short: 'r', multiple: true },
  workers: { type: 'string', short: 'j', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: strata conform [options]

Generate scenarios of the linux variant (at this kernel's Landlock ABI), run each on the model
and on the live kernel through the conformance executor, and compare every observation: op
results, probe outcomes, /proc status and Landlock layer counts, which task acted. Any
difference is a discrepancy, unless a documented model decision explains it (listed by name with
its reason). Each discrepancy is shrunk with a bounded number of kernel runs, written to --out as
a scenario file (the model's results with the kernel's beside them), and printed side by side.
Ops this kernel cannot run are skipped with their reason, never counted as agreeing. A scenario
that differs is run a second time before it counts: a difference the re-run does not show again
is reported as "not reproduced" (its file is written too) and does not fail the run unless
--fail-unreproduced is given.

Full tables: after every observe (for the observed task) and at the end of every scenario (for
every live task), the executor also reports each task's decision for every request of the
scenario's universe and for signal, abstract_unix and ptrace towards every other live task, each
made by a disposable child of the task, so a decision that no generated probe asks is compared
too. What a disposable child cannot stand for (a strict task; signal and ptrace within the task's
own thread group; at observe points, abstract_unix towards a non-strict target, which makes its
listener itself) is not compared, with the reason. --no-table turns them off (faster, blinder).

--variant V runs V (a built-in id or a variant module) as the model instead of linux: every place
where the design departs from this kernel is then a discrepancy, which is the point; it exits 1
with the report. Ops the kernel has no call for (modify, ...) are skipped.

Needs root and the built executor (npm ci builds it); README.md "Environment" lists what else
and what happens when a piece is missing.

--kernel PATH runs the executor on that kernel image (a bzImage / vmlinuz) instead of this
machine's: it boots it under QEMU (qemu-system-x86_64; KVM where /dev/kvm is usable, TCG
otherwise) with strata's own initramfs, no disk, no network, and runs the model at the guest's
Landlock ABI. No root is needed for it. A kernel that does not boot, or lacks seccomp filters or
Landlock, is one line and exit 2. The guest is killed on every way out (the run's end, a
timeout, an interrupt); nothing of it is left on disk but the cached initramfs.

Options:
  -n, --runs N              generated scenarios (default ${DEFAULT_RUNS})
  -s, --seed N              fast-check seed, a 32-bit integer (default ${DEFAULT_SEED}); negative: --seed=-5
      --max-ops N           longest generated scenario, in ops (default ${DEFAULT_MAX_OPS})
      --time-budget T       stop generating after T (30s, 1500ms, 2m; default: none)
  -o, --out DIR             where discrepancies and unfinished kernel runs are written (default ${DEFAULT_OUT_DIR}/)
      --kernel-budget N     most kernel runs spent shrinking one discrepancy (default ${DEFAULT_KERNEL_BUDGET})
      --max-discrepancies N distinct discrepancies shrunk; further ones are counted (default ${DEFAULT_MAX_DISCREPANCIES})
      --op-timeout T        longest wait for one op on the kernel (default 2s)
      --scenario-timeout T  longest run of one scenario on the kernel (default 10s)
      --executor PATH       the strata-exec binary (default conformance/build/strata-exec)
      --kernel PATH         boot this kernel image under QEMU and conform against it
      --boot-timeout T      longest boot of --kernel's guest (default 3m under TCG, 1m with KVM)
      --no-traces           list the discrepancies without their side-by-side traces
      --variant V           the model: a built-in variant id or a variant module path (default:
                            linux at this kernel's Landlock ABI)
      --no-table            no full-table observes (only the generated ops and probes compared)
      --tree NAME           the scenarios' file tree: default, or mounts (the default tree with
                            /a/s bound on /c/m and a detached copy of /a named /d: rules seen
                            through mounts; needs the executor's private mount namespace)
      --fail-unreproduced   a difference a re-run does not reproduce fails the run too
  -r, --reporter NAME[=FILE]
                            a report of the run, repeatable: text (default), json, junit,
                            github, sarif, ktap (as strata check --help says); when the
                            executor cannot run here, json, junit, github and ktap still say
                            so (skipped, with the reason) before the exit 2
  -j, --workers N           executors run at once (default 1), one per worker: the scenarios
                            are cut into run ranges each executor takes from one queue; the
                            counts and verdict are the one-executor run's (not with --kernel)
  -h, --help                this text

Exit status: 0 no unexplained discrepancy, every kernel run finished and enough was compared;
1 a result to look at, each reason on a FAIL line: an unexplained discrepancy reproduced by a
re-run (its file is written first); a kernel run that did not finish (a timeout, an executor that
failed or was killed: any step lost that way); nothing compared, or under ${Math.round(MIN_COMPARED_FRACTION * 100)}% of all steps
compared (documented skips and unknown layer counts are not compared); with --fail-unreproduced,
a difference a re-run did not reproduce. 2 bad usage, or the executor cannot run here (one line says
what is missing and how to get it). 130, 143, 129: interrupted by SIGINT, SIGTERM, SIGHUP (128 + the signal number): the
executor and its processes are killed and the partial report is printed, without a verdict.

Examples:
  strata conform
  strata conform --runs 20000 --seed 7 --max-ops 30 --out findings/
  strata conform --variant variants/examples/tsync-intersect.ts --runs 500
  strata conform --kernel arch/x86/boot/bzImage --runs 300
  strata replay --target kernel strata-out/linux.conform.seed1.run17.json`;

export const conformCommand: Command = {
  name: 'conform',
  help: HELP,
  run: runConformCommand,
};

async function runConformCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  const runs = intOption('runs', lastValue(values.runs) ?? String(DEFAULT_RUNS), 1, 10_000_000);
  const seed = intOption('seed', lastValue(values.seed) ?? String(DEFAULT_SEED), -2147483648, 2147483647);
  const maxOps = intOption('max-ops', lastValue(values['max-ops']) ?? String(DEFAULT_MAX_OPS), 1, 1000);
  const kernelBudget = intOption('kernel-budget', lastValue(values['kernel-budget']) ?? String(DEFAULT_KERNEL_BUDGET), 1, 1_000_000);
  const maxDiscrepancies = intOption('max-discrepancies', lastValue(values['max-discrepancies']) ?? String(DEFAULT_MAX_DISCREPANCIES), 1, 1000);
  const budget = lastValue(values['time-budget']);
  const timeBudgetMs = budget === undefined ? undefined : durationOption('time-budget', budget);
  const op = lastValue(values['op-timeout']);
  let opTimeoutMs = op === undefined ? undefined : durationOption('op-timeout', op);
  const sc = lastValue(values['scenario-timeout']);
  let scenarioTimeoutMs = sc === undefined ? undefined : durationOption('scenario-timeout', sc);
  const boot = lastValue(values['boot-timeout']);
  const bootTimeoutMs = boot === undefined ? undefined : durationOption('boot-timeout', boot);
  const outDir = lastValue(values.out) ?? DEFAULT_OUT_DIR;
  const exe = lastValue(values.executor);
  const binary = exe === undefined ? DEFAULT_BINARY : resolve(io.cwd, exe);
  const workers = intOption('workers', lastValue(values.workers) ?? '1', 1, 64);
  const image = lastValue(values.kernel);
  if (workers > 1 && image !== undefined) throw new UsageError('--workers runs executors on this machine\'s kernel: it cannot go with --kernel (one guest)');
  if (image === '') throw new UsageError('--kernel needs a kernel image path');
  if (bootTimeoutMs !== undefined && image === undefined) throw new UsageError('--boot-timeout applies only with --kernel');
  if (exe !== undefined && image !== undefined) throw new UsageError('--executor and --kernel cannot go together: a guest runs conformance/build/strata-exec');
  const reporters = parseReporters(Array.isArray(values.reporter) ? values.reporter.map(String) : [], io);
  const fullTable = values['no-table'] !== true;
  const tree = namedTree(treeOption(lastValue(values.tree)));
  const named = lastValue(values.variant);
  const runInfo = { variant: named ?? 'linux', seed, runs, maxOps, fullTable };
  // a guest: QEMU, the image and the guest's binaries are checked before anything starts; the
  // guest's executor runs as the guest's root, so this machine's root is not needed
  const guest = image === undefined ? null : openGuest(image, io.cwd, bootTimeoutMs, (why) => unavailableRun(reporters, io, why, runInfo));
  if (guest) {
    opTimeoutMs ??= GUEST_TIMEOUTS[guest.transport.accel].opMs;
    scenarioTimeoutMs ??= GUEST_TIMEOUTS[guest.transport.accel].scenarioMs;
  } else {
    // root first: a non-root user's --out is often unwritable too, and root is what they lack
    const unavailable = executorUnavailableReason(binary);
    if (unavailable) throw unavailableRun(reporters, io, unavailable, runInfo);
  }
  checkOutDir(outDir, io.cwd);
  const resolved = named === undefined ? undefined : await resolveVariant(named, io.cwd);

  const failUnreproduced = values['fail-unreproduced'] === true;
  const executor = guest?.executor ?? new KernelExecutor({ binary });
  // one executor per worker (--workers N): N - 1 more, each with its own work directory
  const more = Array.from({ length: workers - 1 }, () => new KernelExecutor({ binary }));
  const killAll = (): void => {
    void executor.kill();
    for (const e of more) void e.kill();
  };
  const progress = new ConformProgress(io);
  const writer = new DiscrepancyWriter(outDir, io.cwd);
  // the first signal stops the engine and kills the executor and its scenario's process group
  const interrupts = watchInterrupts(killAll, killAll);
  let report: ConformReport;
  try {
    // a guest boots first: its release and Landlock ABI pick the model (exit 2 if it cannot serve)
    if (guest) {
      await bootGuest(guest, image!, (f, ms) => io.err(`strata conform: booted ${image} (${f.kernel}, Landlock ABI ${f.landlockAbi}) under QEMU ${guest.transport.accel.toUpperCase()} in ${(ms / 1000).toFixed(1)} s${guest.transport.parameters.length ? ` with ${guest.transport.parameters.join(' ')}` : ''}`));
    }
    // what the executor runs with, checked before the first scenario (exit 2 if it cannot serve)
    for (const a of environmentAdaptations(await kernelFeatures(executor))) io.err(`strata conform: ${a}`);
    report = await runConform({
      executor: interruptOnExecutorSignal(executor, interrupts),
      runs,
      seed,
      maxOps,
      kernelBudget,
      maxDiscrepancies,
      fullTable,
      ...(tree ? { fs: tree.fs, generator: { universe: tree.universe } } : {}),
      ...(resolved ? { variant: resolved.variant } : {}),
      ...(resolved?.module ? { variantModule: moduleFromOutDir(resolved.module, outDir, io.cwd) } : {}),
      ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}),
      ...(opTimeoutMs !== undefined ? { opTimeoutMs } : {}),
      ...(scenarioTimeoutMs !== undefined ? { scenarioTimeoutMs } : {}),
      failUnreproduced,
      ...(more.length > 0 ? { moreExecutors: more.map((e) => interruptOnExecutorSignal(e, interrupts)) } : {}),
      signal: interrupts.abort,
      onProgress: (e) => {
        // the file first, before anything about the discrepancy can be printed or fail
        if (e.type === 'shrunk') writer.write(e.discrepancy);
        if (e.type === 'not-reproduced') writer.writeNotReproduced(e.observation);
        if (e.type === 'unfinished') writer.writeUnfinished(e.unfinished);
        progress.onEvent(e);
      },
    });
  } catch (e) {
    if (interrupts.signal !== null) {
      progress.done();
      io.out(`strata conform: interrupted by ${interrupts.signal} before the run started: no verdict`);
      return interruptStatus(interrupts.signal);
    }
    if (e instanceof ExecutorUnavailable) throw unavailableRun(reporters, io, e.message, { variant: named ?? 'linux', seed, runs, maxOps, fullTable });
    throw e;
  } finally {
    progress.done();
    await Promise.all([executor.close(), ...more.map((e) => e.close())]);
    interrupts.dispose();
  }
  const interruptedBy = interrupts.signal;

  const variant = resolved?.variant ?? variantForKernel(report.features);
  const discrepancies: ConformDiscrepancyView[] = report.discrepancies.map((d) => {
    const trace = traceScenario(d.scenario, variant);
    const diff = diffScenario({ ops: d.scenario.ops, model: trace, kernel: d.scenario.kernel!.results });
    const table = diffTables({ ops: d.scenario.ops, model: trace, tables: d.scenario.kernel!.tables ?? [], steps: diff });
    return {
      file: writer.shown(d),
      scenario: d.scenario,
      trace,
      marks: stepMarks(diff),
      signature: d.signature,
      originalOps: d.originalOps,
      shrinks: d.shrinks,
      kernelRuns: d.kernelRuns,
      budgetSpent: d.budgetSpent,
      reproduced: d.reproduced,
      shrinkInterrupted: d.shrinkInterrupted,
      scenarios: report.signatures.get(d.signature) ?? 1,
      table: tableDifferenceLines({ table }),
    };
  });
  const shrunk = new Set(report.discrepancies.map((d) => d.signature));
  const view: ConformView = {
    kernel: report.features.kernel,
    landlockAbi: report.features.landlockAbi,
    variant: report.variant,
    seed: report.seed,
    runs: report.runs,
    maxOps: report.maxOps,
    scenarios: report.scenarios,
    ops: report.ops,
    kernelRuns: report.kernelRuns,
    elapsedMs: report.elapsedMs,
    interrupted: report.interrupted,
    discrepancies,
    unshrunk: [...report.signatures].filter(([s]) => !shrunk.has(s)).map(([signature, scenarios]) => ({ signature, scenarios })),
    unexplainedScenarios: report.unexplainedScenarios,
    explained: [
      ...report.explained.map((e) => ({ id: e.entry.id, title: e.entry.title, reason: e.entry.reason, citation: e.entry.citation, steps: e.steps, scenarios: e.scenarios })),
      // documented decisions that explained full-table entries only are listed too
      ...[...report.table.explainedBy.keys()].filter((e) => !report.explained.some((x) => x.entry === e))
        .map((e) => ({ id: e.id, title: e.title, reason: e.reason, citation: e.citation, steps: 0, scenarios: 0 })),
    ],
    notCompared: [...report.notCompared].map(([category, c]) => ({
      category,
      steps: c.steps,
      reasons: [...c.reasons].sort((a, b) => b[1] - a[1]).map(([reason, steps]) => ({ reason, steps })),
    })),
    sameSteps: report.sameSteps,
    ...(report.fullTable ? {
      table: {
        entries: report.table.entries,
        same: report.table.same,
        explained: report.table.explained,
        lost: report.tableLost,
        explainedBy: [...report.table.explainedBy].map(([e, entries]) => ({ id: e.id, entries })),
        notCompared: [...report.table.notCompared].map(([category, c]) => ({
          category,
          steps: c.steps,
          reasons: [...c.reasons].sort((a, b) => b[1] - a[1]).map(([reason, steps]) => ({ reason, steps })),
        })),
      },
    } : {}),
    incompleteRuns: report.incompleteRuns,
    steps: report.steps,
    comparedSteps: report.comparedSteps,
    notReproduced: report.notReproduced.map((n) => ({ file: writer.shownNotReproduced(n), signature: n.signature, run: n.run, rerun: n.rerun })),
    unfinished: report.unfinished.map((u) => ({ file: writer.shownUnfinished(u), run: u.run, why: u.why })),
    failUnreproduced,
    problems: report.verdict.problems,
    ...(interruptedBy !== null ? { interruptedBy } : {}),
    traces: values['no-traces'] !== true,
  };
  const textLines: string[] = [];
  renderConform(view, textLines);
  if (reporters.textToStdout) for (const l of textLines) io.out(l);
  const status = interruptedBy !== null ? interruptStatus(interruptedBy) : report.ok ? EXIT.OK : EXIT.FAIL;
  const doc = buildConformResult({
    strataVersion: strataVersion(),
    view,
    fullTable,
    verdict: {
      status: interruptedBy !== null ? 'interrupted' : report.ok ? 'ok' : 'fail',
      exitCode: status,
      summary: textLines.at(-1) ?? '',
      problems: report.verdict.problems,
    },
  });
  const failures = writeReports(reporters, doc, io, textLines);
  if (interruptedBy !== null) return status;
  return failures > 0 ? EXIT.FAIL : status;
}

/** The executor cannot run here: the document reporters say so (skipped, with the reason), then
 * the run ends with one line and exit 2. */
function unavailableRun(reporters: Reporters, io: Io, reason: string, opts: { variant: string; seed: number; runs: number; maxOps: number; fullTable: boolean }): UsageError {
  const documents = reporters.specs.filter((s) => s.name !== 'text');
  if (documents.length > 0) writeReports({ ...reporters, specs: documents }, unavailableConformResult(strataVersion(), reason, opts), io, []);
  return new UsageError(reason);
}

/** The guest of --kernel, checked (QEMU, the image, the guest's binaries) but not started. */
function openGuest(image: string, cwd: string, bootTimeoutMs: number | undefined, unavailable: (why: string) => UsageError): Guest {
  try {
    return guestExecutor({ kernel: resolve(cwd, image), ...(bootTimeoutMs !== undefined ? { bootTimeoutMs } : {}) });
  } catch (e) {
    if (e instanceof ExecutorUnavailable) throw unavailable(e.message);
    throw e;
  }
}

/** A variant module's path as a discrepancy file in `outDir` records it (relative to that file). */
function moduleFromOutDir(module: string, outDir: string, cwd: string): string {
  if (isAbsolute(module)) return module;
  const rel = relative(resolve(cwd, outDir), resolve(cwd, module));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Writes each discrepancy the moment the engine reports it shrunk (and each difference that
 * did not reproduce, as `<name>.not-reproduced.json`); remembers the files. */
class DiscrepancyWriter {
  private readonly files = new Map<ConformDiscrepancy | NotReproduced | UnfinishedRun, string>();
  constructor(private readonly outDir: string, private readonly cwd: string) {}

  write(d: ConformDiscrepancy): void {
    this.files.set(d, this.save(d.scenario));
  }

  writeNotReproduced(n: NotReproduced): void {
    this.files.set(n, this.save(n.scenario, basename(scenarioFileName(n.scenario), '.json') + '.not-reproduced.json'));
  }

  /** `<variant>.conform.run<k>.unfinished.json` (the document has no discrepancy to name it by). */
  writeUnfinished(u: UnfinishedRun): void {
    this.files.set(u, this.save(u.scenario, `${u.scenario.variant.id}.conform.run${u.run}.unfinished.json`));
  }

  private save(s: Scenario, name?: string): string {
    const dir = isAbsolute(this.outDir) ? this.outDir : resolve(this.cwd, this.outDir);
    try {
      return writeScenario(s, { dir, ...(name !== undefined ? { name } : {}) });
    } catch (e) {
      if (e instanceof ScenarioError) throw new UsageError(e.message);
      throw e;
    }
  }

  /** The file as the user should type it (relative to the cwd when --out was). */
  shown(d: ConformDiscrepancy): string {
    return this.display(this.files.get(d));
  }

  shownNotReproduced(n: NotReproduced): string {
    return this.display(this.files.get(n));
  }

  shownUnfinished(u: UnfinishedRun): string {
    return this.display(this.files.get(u));
  }

  private display(file: string | undefined): string {
    const abs = file ?? '(not written)';
    return isAbsolute(this.outDir) ? abs : relative(this.cwd, abs) || abs;
  }
}
