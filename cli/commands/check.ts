// strata check: generated scenarios × variants × properties on the model, compared with the
// expectation matrix. Every counterexample is written to disk before anything is printed; one
// that cannot be written (disk full) is said so on stderr and in the report, which still goes to
// stdout. The engine runs on a worker thread (cli/check-in-worker.ts) so that an interrupt
// (SIGINT, SIGTERM, SIGHUP) is answered at once: the engine is stopped and the partial report
// printed. (An Io with `inProcessEngine` runs it on this thread with Io.now as its clock: tests.)
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { EXIT } from '../errors.js';
import { parseCommandArgs, nonEmptyListOption, lastValue, intOption, durationOption } from '../args.js';
import { resolveVariants, resolveProperties } from '../resolve.js';
import { checkOutDir } from '../out-dir.js';
import { Progress } from '../progress.js';
import type { CheckReport, ProgressEvent } from '../../properties/check.js';
import { runCheck } from '../../properties/check.js';
import { expectationOf } from '../../variants/variant.js';
import { isPropertyId } from '../../properties/ids.js';
import { CheckInWorker, mergeReports } from '../check-in-worker.js';
import type { CheckOutcome } from '../check-in-worker.js';
import { watchInterrupts, interruptStatus } from '../interrupt.js';
import { replayScenario } from '../../properties/trace.js';
import type { Variant } from '../../variants/variant.js';
import { DEFAULT_OUT_DIR, scenarioFileName } from '../../scenario/write.js';
import { Saver, moduleFromOutDir } from '../saver.js';
import type { FindingReport, CrashReport } from '../../reports/index.js';
import { renderCheck } from '../../reports/index.js';

/** `npm start`'s run: every variant × every property, in well under a minute on 2 cores. */
export const DEFAULT_SEED = 1;
export const DEFAULT_RUNS = 5000;
export const DEFAULT_MAX_OPS = 20;

const OPTIONS = {
  variant: { type: 'string', short: 'v', multiple: true },
  property: { type: 'string', short: 'p', multiple: true },
  runs: { type: 'string', short: 'n', multiple: true },
  seed: { type: 'string', short: 's', multiple: true },
  'max-ops': { type: 'string', multiple: true },
  'time-budget': { type: 'string', multiple: true },
  out: { type: 'string', short: 'o', multiple: true },
  'no-traces': { type: 'boolean' },
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: strata check [options]

Generate scenarios for each variant, run them on the model, check every property, and compare
what is found with the variant's expectation matrix. Each violation is shrunk to a minimal
counterexample, written to --out as a scenario file, and printed as a readable trace.

Options:
  -v, --variant ID|PATH  a built-in variant id (see strata list) or the path of a variant module
                         (.ts, .mts, .js or .mjs, anywhere; default export: a Variant);
                         repeatable or comma-separated
                         (default: every built-in variant)
  -p, --property ID      property ids (see strata list); repeatable or comma-separated
                         (default: every property)
  -n, --runs N           generated scenarios per variant (default ${DEFAULT_RUNS})
  -s, --seed N           fast-check seed, a 32-bit integer (default ${DEFAULT_SEED}); negative: --seed=-5
      --max-ops N        longest generated scenario, in ops (default ${DEFAULT_MAX_OPS})
      --time-budget T    stop generating after T (30s, 1500ms, 2m; default: none), shared
                         between the variants: each gets an equal share of what is left
                         when it starts, so time one leaves unused goes to the next
      --strict           an expected violation not found because the time budget ran out
                         (not searched enough) is a failure, exit 1 (default: reported, exit 0)
  -o, --out DIR          where counterexamples are written (default ${DEFAULT_OUT_DIR}/)
      --no-traces        print the matrix and file list only, not each counterexample's trace
  -h, --help             this text

A progress line goes to stderr after 2 s: on a terminal rewritten in place, elsewhere a line at
least every 10 s while a variant runs.

Exit status: 0 every result matches the expectation matrix, or the only difference is expected
violations not searched enough (the time budget ran out; listed in the report); 1 an unexpected
result (a violation the matrix does not expect, an expected violation not found in all --runs,
a model error), an expected violation not searched enough under --strict, or a counterexample
that could not be written (disk full: the report on stdout says which); 2 bad usage;
130, 143, 129 interrupted by SIGINT, SIGTERM, SIGHUP (128 + the signal number): the partial
report (the variants finished, the counterexamples written so far) is printed, without a verdict.

Examples:
  strata check
  strata check --variant linux,tsync-overwrite --property I9 --runs 5000
  strata check --variant ./my-design.ts --seed 42 --out findings/`;

export const checkCommand: Command = {
  name: 'check',
  help: HELP,
  run: runCheckCommand,
};

async function runCheckCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  const runs = intOption('runs', lastValue(values.runs) ?? String(DEFAULT_RUNS), 1, 10_000_000);
  const seed = intOption('seed', lastValue(values.seed) ?? String(DEFAULT_SEED), -2147483648, 2147483647);
  const maxOps = intOption('max-ops', lastValue(values['max-ops']) ?? String(DEFAULT_MAX_OPS), 1, 10_000);
  const budget = lastValue(values['time-budget']);
  const timeBudgetMs = budget === undefined ? undefined : durationOption('time-budget', budget);
  const outDir = lastValue(values.out) ?? DEFAULT_OUT_DIR;
  const strict = values.strict === true;
  const properties = resolveProperties(nonEmptyListOption('property', 'a property id', values.property));
  const variantNames = nonEmptyListOption('variant', 'a variant id or module path', values.variant);
  checkOutDir(outDir, io.cwd);
  const resolved = await resolveVariants(variantNames, io.cwd);

  const variantModules: Record<string, string> = {};
  for (const r of resolved) if (r.module) variantModules[r.variant.id] = moduleFromOutDir(r.module, outDir, io.cwd);
  // the progress clock starts with the engine, not with the worker thread's start-up
  let progress = null as Progress | null;
  // A counterexample is written to disk the moment it is shrunk, before anything else can fail.
  const saver = new Saver('check', outDir, io.cwd, (line) => (progress ? progress.say(line) : io.err(line)));
  const onEvent = (e: ProgressEvent): void => {
    if (e.type === 'shrunk' && e.counterexample) saver.save(e.counterexample);
    progress ??= new Progress(io, resolved.length);
    progress.onEvent(e);
  };
  const t0 = io.now();
  const engine = new CheckInWorker();
  const interrupts = watchInterrupts(() => void engine.stop());
  let outcome: CheckOutcome;
  try {
    if (io.inProcessEngine) {
      const r = runCheck({
        variants: resolved.map((x) => x.variant), properties, runs, seed, maxOps,
        ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}),
        variantModules, clock: io.now, onProgress: onEvent,
      });
      outcome = { parts: [r], complete: true };
    } else {
      outcome = await engine.run({
        variants: resolved.map((r) => r.module ?? r.variant.id),
        properties: properties.map((p) => p.id),
        cwd: io.cwd,
        runs,
        seed,
        maxOps,
        deadline: timeBudgetMs !== undefined ? Date.now() + timeBudgetMs : null,
        variantModules,
      }, onEvent);
    }
  } finally {
    (progress as Progress | null)?.done();
    interrupts.dispose();
  }
  const report = mergeReports(outcome.parts, { seed, runs, maxOps, elapsedMs: io.now() - t0 });

  // Write every counterexample before printing anything about it.
  const variants = new Map<string, Variant>(resolved.map((r) => [r.variant.id, r.variant]));
  const { findings, crashes } = writeAll(report, variants, saver);
  const signal = interrupts.signal;
  if (signal !== null) {
    // the counterexamples of the variant that was running, written already
    const reported = new Set(report.results.flatMap((r) => (r.counterexample ? [scenarioFileName(r.counterexample)] : [])));
    for (const { scenario: s, saved } of saver.all()) {
      if (reported.has(scenarioFileName(s))) continue;
      const v = variants.get(s.variant.id);
      findings.push({ scenario: s, ...saved, trace: replayScenario(s, v), expected: v !== undefined && s.finding !== undefined && isPropertyId(s.finding.property) && expectationOf(v, s.finding.property) === 'violates' });
    }
  }
  renderCheck({
    report, findings, crashes, traces: values['no-traces'] !== true, strict,
    ...(signal !== null ? { interruptedBy: signal, variantsTotal: resolved.length } : {}),
  }, io.out);
  if (signal !== null) return interruptStatus(signal);
  if (!outcome.complete) throw new Error('the check engine stopped without a report');
  const fine = report.ok && crashes.length === 0 && (!strict || report.unsearched === 0) && saver.failures === 0;
  return fine ? EXIT.OK : EXIT.FAIL;
}

function writeAll(report: CheckReport, variants: ReadonlyMap<string, Variant>, saver: Saver): { findings: FindingReport[]; crashes: CrashReport[] } {
  const findings: FindingReport[] = [];
  for (const r of report.results) {
    if (!r.counterexample) continue;
    const saved = saver.save(r.counterexample);
    const trace = replayScenario(r.counterexample, variants.get(r.variant));
    findings.push({ scenario: r.counterexample, ...saved, trace, expected: r.expected === 'violates' });
  }
  const crashes: CrashReport[] = [];
  for (const v of report.variants) {
    if (!v.crash) continue;
    const name = scenarioFileName(v.crash.scenario).replace(/\.(script|trace)\./, '.model-error.');
    crashes.push({ variant: v.id, message: v.crash.message, ...saver.save(v.crash.scenario, name) });
  }
  return { findings, crashes };
}
