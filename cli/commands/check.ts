// strata check: generated scenarios × variants × properties on the model, compared with the
// expectation matrix. Every counterexample is written to disk before anything is printed. The
// engine runs on a worker thread (cli/check-in-worker.ts) so that an interrupt (SIGINT, SIGTERM,
// SIGHUP) is answered at once: the engine is stopped and the partial report printed.
import { relative, resolve, isAbsolute } from 'node:path';
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { EXIT, UsageError } from '../errors.js';
import { parseCommandArgs, listOption, lastValue, intOption, durationOption } from '../args.js';
import { resolveVariants, resolveProperties } from '../resolve.js';
import { checkOutDir } from '../out-dir.js';
import { Progress } from '../progress.js';
import type { CheckReport } from '../../properties/check.js';
import { expectationOf } from '../../variants/variant.js';
import { isPropertyId } from '../../properties/ids.js';
import { CheckInWorker, mergeReports } from '../check-in-worker.js';
import { watchInterrupts, interruptStatus } from '../interrupt.js';
import { replayScenario } from '../../properties/trace.js';
import type { Variant } from '../../variants/variant.js';
import type { Scenario } from '../../scenario/types.js';
import { ScenarioError } from '../../scenario/errors.js';
import { writeScenario, DEFAULT_OUT_DIR, scenarioFileName } from '../../scenario/write.js';
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
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: strata check [options]

Generate scenarios for each variant, run them on the model, check every property, and compare
what is found with the variant's expectation matrix. Each violation is shrunk to a minimal
counterexample, written to --out as a scenario file, and printed as a readable trace.

Options:
  -v, --variant ID|PATH  a built-in variant id (see strata list) or the path of a variant module
                         (default export: a Variant); repeatable or comma-separated
                         (default: every built-in variant)
  -p, --property ID      property ids (see strata list); repeatable or comma-separated
                         (default: every property)
  -n, --runs N           generated scenarios per variant (default ${DEFAULT_RUNS})
  -s, --seed N           fast-check seed, a 32-bit integer (default ${DEFAULT_SEED}); negative: --seed=-5
      --max-ops N        longest generated scenario, in ops (default ${DEFAULT_MAX_OPS})
      --time-budget T    stop generating after T (30s, 1500ms, 2m; default: none)
  -o, --out DIR          where counterexamples are written (default ${DEFAULT_OUT_DIR}/)
      --no-traces        print the matrix and file list only, not each counterexample's trace
  -h, --help             this text

Exit status: 0 every result matches the expectation matrix; 1 an unexpected result (a violation
the matrix does not expect, an expected violation not found, a model error); 2 bad usage;
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
  const properties = resolveProperties(listOption(values.property));
  const resolved = await resolveVariants(listOption(values.variant), io.cwd);
  checkOutDir(outDir, io.cwd);

  const variantModules: Record<string, string> = {};
  for (const r of resolved) if (r.module) variantModules[r.variant.id] = moduleFromOutDir(r.module, outDir, io.cwd);
  // the progress clock starts with the engine, not with the worker thread's start-up
  let progress = null as Progress | null;
  // A counterexample is written to disk the moment it is shrunk, before anything else can fail.
  const early = new EarlyWriter(outDir, io.cwd);
  const t0 = Date.now();
  const engine = new CheckInWorker();
  const interrupts = watchInterrupts(() => void engine.stop());
  let outcome;
  try {
    outcome = await engine.run({
      variants: resolved.map((r) => r.module ?? r.variant.id),
      properties: properties.map((p) => p.id),
      cwd: io.cwd,
      runs,
      seed,
      maxOps,
      deadline: timeBudgetMs !== undefined ? t0 + timeBudgetMs : null,
      variantModules,
    }, (e) => {
      if (e.type === 'shrunk' && e.counterexample) early.write(e.counterexample);
      progress ??= new Progress(io, resolved.length);
      progress.onEvent(e);
    });
  } finally {
    progress?.done();
    interrupts.dispose();
  }
  const report = mergeReports(outcome.parts, { seed, runs, maxOps, elapsedMs: Date.now() - t0 });

  // Write every counterexample before printing anything about it.
  const variants = new Map<string, Variant>(resolved.map((r) => [r.variant.id, r.variant]));
  const { findings, crashes } = writeAll(report, variants, outDir, io.cwd, early.files);
  const signal = interrupts.signal;
  if (signal !== null) {
    // the counterexamples of the variant that was running, written already
    const reported = new Set(report.results.flatMap((r) => (r.counterexample ? [scenarioFileName(r.counterexample)] : [])));
    for (const { scenario: s, file } of early.files.values()) {
      if (reported.has(scenarioFileName(s))) continue;
      const v = variants.get(s.variant.id);
      findings.push({ scenario: s, file: shownFile(file, outDir, io.cwd), trace: replayScenario(s, v), expected: v !== undefined && s.finding !== undefined && isPropertyId(s.finding.property) && expectationOf(v, s.finding.property) === 'violates' });
    }
  }
  renderCheck({
    report, findings, crashes, traces: values['no-traces'] !== true,
    ...(signal !== null ? { interruptedBy: signal, variantsTotal: resolved.length } : {}),
  }, io.out);
  if (signal !== null) return interruptStatus(signal);
  if (!outcome.complete) throw new Error('the check engine stopped without a report');
  return report.ok && crashes.length === 0 ? EXIT.OK : EXIT.FAIL;
}

function shownFile(abs: string, outDir: string, cwd: string): string {
  return isAbsolute(outDir) ? abs : relative(cwd, abs) || abs;
}

/** Writes each counterexample as soon as the engine reports it shrunk; remembers the files, by
 * file name (the report's scenarios are copies of the events', from the worker thread). */
class EarlyWriter {
  readonly files = new Map<string, { scenario: Scenario; file: string }>();
  constructor(private readonly outDir: string, private readonly cwd: string) {}
  write(s: Scenario): void {
    const dir = isAbsolute(this.outDir) ? this.outDir : resolve(this.cwd, this.outDir);
    try {
      this.files.set(scenarioFileName(s), { scenario: s, file: writeScenario(s, { dir }) });
    } catch (e) {
      if (e instanceof ScenarioError) throw new UsageError(e.message);
      throw e;
    }
  }
}

function writeAll(report: CheckReport, variants: ReadonlyMap<string, Variant>, outDir: string, cwd: string, written: ReadonlyMap<string, { file: string }>): { findings: FindingReport[]; crashes: CrashReport[] } {
  const dir = isAbsolute(outDir) ? outDir : resolve(cwd, outDir);
  const shown = (abs: string): string => (isAbsolute(outDir) ? abs : relative(cwd, abs) || abs);
  const write = (s: Scenario, name?: string): string => {
    try {
      return shown(writeScenario(s, { dir, ...(name ? { name } : {}) }));
    } catch (e) {
      if (e instanceof ScenarioError) throw new UsageError(e.message);
      throw e;
    }
  };
  const findings: FindingReport[] = [];
  for (const r of report.results) {
    if (!r.counterexample) continue;
    const already = written.get(scenarioFileName(r.counterexample));
    const file = already !== undefined ? shown(already.file) : write(r.counterexample);
    const trace = replayScenario(r.counterexample, variants.get(r.variant));
    findings.push({ scenario: r.counterexample, file, trace, expected: r.expected === 'violates' });
  }
  const crashes: CrashReport[] = [];
  for (const v of report.variants) {
    if (!v.crash) continue;
    const name = scenarioFileName(v.crash.scenario).replace(/\.(script|trace)\./, '.model-error.');
    const file = write(v.crash.scenario, name);
    crashes.push({ variant: v.id, message: v.crash.message, file });
  }
  return { findings, crashes };
}

/** A module path as seen from the directory the scenario files go to (replay resolves it there). */
function moduleFromOutDir(module: string, outDir: string, cwd: string): string {
  if (isAbsolute(module)) return module;
  const abs = resolve(cwd, module);
  const rel = relative(resolve(cwd, outDir), abs);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

