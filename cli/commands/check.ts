// strata check: generated scenarios × variants × properties on the model, compared with the
// expectation matrix. Every counterexample is written to disk before anything is printed; one
// that cannot be written (disk full) is said so on stderr and in the report, which still goes to
// stdout. The engine runs on a worker thread (cli/check-in-worker.ts) so that an interrupt
// (SIGINT, SIGTERM, SIGHUP) is answered at once: the engine is stopped and the partial report
// printed. (An Io with `inProcessEngine` runs it on this thread with Io.now as its clock: tests.)
import { treeGenerator, treeOption } from '../trees.js';
import type { TreeName } from '../trees.js';
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { EXIT, UsageError } from '../errors.js';
import { parseCommandArgs, nonEmptyListOption, lastValue, intOption, durationOption } from '../args.js';
import { resolveVariants, resolveProperties } from '../resolve.js';
import { checkOutDir } from '../out-dir.js';
import { Progress } from '../progress.js';
import type { CheckReport, ProgressEvent, CoverageObserver } from '../../properties/check.js';
import { runCheck } from '../../properties/check.js';
import { expectationOf } from '../../variants/variant.js';
import { isPropertyId } from '../../properties/ids.js';
import { CheckInWorker, mergeReports } from '../check-in-worker.js';
import type { CheckOutcome } from '../check-in-worker.js';
import { watchInterrupts, interruptStatus } from '../interrupt.js';
import { replayScenario } from '../../properties/trace.js';
import type { Variant } from '../../variants/variant.js';
import type { Scenario } from '../../scenario/types.js';
import { ScenarioError } from '../../scenario/errors.js';
import { DEFAULT_OUT_DIR, scenarioFileName } from '../../scenario/write.js';
import { Saver, moduleFromOutDir } from '../saver.js';
import type { FindingReport, CrashReport } from '../../reports/index.js';
import { renderCheck, verdict } from '../../reports/index.js';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseReporters, writeReports } from '../reporters.js';
import { loadCorpus, DEFAULT_CORPUS_DIR } from '../corpus.js';
import type { Corpus } from '../corpus.js';
import { buildCheckResult } from '../../result/check.js';
import { strataVersion } from '../version.js';
import type { Verdict, ShardDoc, ShardPlan } from '../../result/types.js';
import { CheckPool, defaultWorkers } from '../check-pool.js';
import type { PoolInput, VariantWork } from '../check-pool.js';
import { shardSlice } from '../../properties/check-range.js';
import type { InterruptSignal } from '../interrupt.js';
import type { ResolvedVariant } from '../resolve.js';

/** `npm start`'s run: every variant × every property, in well under a minute on 2 cores. */
export const DEFAULT_SEED = 1;
export const DEFAULT_RUNS = 5000;
export const DEFAULT_MAX_OPS = 20;
/** Below this many scenarios (runs × variants) --workers defaults to 1. */
export const SMALL_RUN = 4000;

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
  reporter: { type: 'string', short: 'r', multiple: true },
  corpus: { type: 'string', multiple: true },
  'no-corpus': { type: 'boolean' },
  'save-findings': { type: 'string', multiple: true },
  path: { type: 'string', multiple: true },
  coverage: { type: 'boolean' },
  tree: { type: 'string', multiple: true },
  workers: { type: 'string', short: 'j', multiple: true },
  shard: { type: 'string', multiple: true },
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
      --strict           an expected violation not found within the budget (not searched
                         enough: not found in --runs scenarios, or the time budget ran out)
                         is a failure, exit 1 (default: reported, exit 0)
  -o, --out DIR          where counterexamples are written (default ${DEFAULT_OUT_DIR}/)
      --no-traces        print the matrix and file list only, not each counterexample's trace
  -r, --reporter NAME[=FILE]
                         a report of the run, repeatable: text (default, to stdout), json (the
                         result document), junit, github (Markdown appended to FILE or to
                         $GITHUB_STEP_SUMMARY, and ::error/::notice lines on stdout), sarif,
                         ktap; without =FILE to stdout (the text report then goes nowhere
                         unless given a file: --reporter text=FILE)
      --corpus DIR       replay the scenario files under DIR before generating anything; a
                         property one of them violates is decided by it (default: ${DEFAULT_CORPUS_DIR}/ when
                         it exists)
      --no-corpus        do not replay a corpus
      --save-findings DIR
                         also write each new counterexample into DIR (a corpus), with a
                         description of what it guards
      --path P           replay one fast-check path (as a report prints it: seed S, path "P"):
                         needs exactly one --variant and one --property, and the --seed and
                         --max-ops of the run that printed it
      --coverage         also count, per variant, which corners of the spec its scenarios
                         reach (coverage/README.md lists them): print each corner's count,
                         the ones never reached, and how each op kind's calls ended
                         (Landlock add_rule / restrict_self success rates); slower
      --tree NAME        the scenarios' file tree: default, or mounts (the default tree with
                         /a/s bound on /c/m and a detached copy of /a named /d, its umount
                         and a universe that looks through them; --coverage then counts the
                         corners of rules seen through mounts too)
  -j, --workers N        worker threads (default: the number of cores, here ${defaultWorkers()}; 1 for a
                         run of fewer than ${SMALL_RUN} scenarios, runs × variants): the
                         variants' scenario streams are cut into run ranges that the
                         workers take from one queue; the result is the one-worker run's,
                         exactly (--coverage and --path run on one worker)
      --shard I/N        run only slice I of N of every variant's scenario stream (a CI
                         matrix job): its result document (--reporter json=FILE) carries
                         the plan and the slice's ranges; strata merge FILE... combines the N
                         documents into the report of the whole run. A shard exits 1 only
                         for what fails the whole run (an unexpected violation or a model
                         error in its slice, a file not written), else 0: the merge decides
                         the verdict
  -h, --help             this text

A progress line goes to stderr after 2 s: on a terminal rewritten in place, elsewhere a line at
least every 10 s while a variant runs.

Exit status: 0 every result matches the expectation matrix, or the only difference is expected
violations not searched enough (not found in --runs scenarios, or the time budget ran out;
listed in the report); 1 an unexpected result (a violation the matrix does not expect, a model
error), an expected violation not searched enough under --strict, or a counterexample or report
that could not be written (disk full: the report on stdout says which); 2 bad usage (also: an
unknown reporter, an unwritable report file, a malformed corpus file);
130, 143, 129 interrupted by SIGINT, SIGTERM, SIGHUP (128 + the signal number): the partial
report (the variants finished, the counterexamples written so far) is printed, without a verdict.

Examples:
  strata check
  strata check --variant linux,tsync-overwrite --property I9 --runs 5000
  strata check --variant ./my-design.ts --seed 42 --out findings/
  strata check --reporter junit=r.xml --reporter sarif=r.sarif --reporter json=r.json
  strata check --variant tsync-overwrite --property I9 --seed 1 --path "6:3:5:6:4:6:8"
  strata check --variant linux --coverage --no-traces
  strata check --workers 4
  strata check --shard 2/3 --reporter json=shard-2.json   # then: strata merge shard-*.json`;

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
  const coverage = values.coverage === true;
  const tree = treeOption(lastValue(values.tree));
  const properties = resolveProperties(nonEmptyListOption('property', 'a property id', values.property));
  const variantNames = nonEmptyListOption('variant', 'a variant id or module path', values.variant);
  const reporters = parseReporters(reporterValues(values.reporter), io);
  const path = lastValue(values.path);
  if (path !== undefined) {
    if (!/^[0-9]+(:[0-9]+)*$/.test(path.trim())) throw new UsageError(`--path must be a fast-check path such as "81:1:1:5:8" (got ${JSON.stringify(path)})`);
    if (variantNames.length !== 1 || properties.length !== 1) throw new UsageError('--path replays one counterexample: give exactly one --variant and one --property (as its report names them)');
  }
  // default: every core, but one for a small run, where starting workers costs more than they save
  const givenWorkers = lastValue(values.workers);
  const workers = givenWorkers !== undefined ? intOption('workers', givenWorkers, 1, 256) : runs * Math.max(1, variantNames.length || 10) >= SMALL_RUN ? defaultWorkers() : 1;
  const shard = shardOption(lastValue(values.shard));
  if (shard && path !== undefined) throw new UsageError('--shard splits a generated run: it takes no --path');
  if (shard && coverage) throw new UsageError('--shard cannot count --coverage (a coverage count is not split by run range): run --coverage unsharded');
  const usePool = path === undefined && !coverage && (shard !== null || (workers > 1 && io.inProcessEngine !== true));
  checkOutDir(outDir, io.cwd);
  const saveDir = lastValue(values['save-findings']);
  if (saveDir !== undefined) checkOutDir(saveDir, io.cwd, 'save-findings');
  const resolved = await resolveVariants(variantNames, io.cwd);
  const corpus = corpusOf(values, io.cwd, resolved.map((r) => r.variant.id), path !== undefined);

  const variantModules: Record<string, string> = {};
  for (const r of resolved) if (r.module) variantModules[r.variant.id] = moduleFromOutDir(r.module, outDir, io.cwd);
  // the progress clock starts with the engine, not with the worker thread's start-up
  let progress = null as Progress | null;
  // A counterexample is written to disk the moment it is shrunk, before anything else can fail.
  const saver = new Saver('check', outDir, io.cwd, (line) => (progress ? progress.say(line) : io.err(line)));
  const keeper = saveDir !== undefined && path === undefined ? new Saver('check', saveDir, io.cwd, (line) => (progress ? progress.say(line) : io.err(line))) : null;
  const onEvent = (e: ProgressEvent): void => {
    if (e.type === 'shrunk' && e.counterexample) {
      saver.save(e.counterexample);
      const v = resolved.find((x) => x.variant.id === e.variant)?.variant;
      keeper?.keep(e.counterexample, v ? expectationOf(v, e.property) === 'violates' : undefined);
    }
    progress ??= new Progress(io, resolved.length);
    progress.onEvent(e);
  };
  const t0 = io.now();
  const engine = new CheckInWorker();
  const pool = new CheckPool();
  const interrupts = watchInterrupts(() => void (usePool ? pool.stop() : engine.stop()));
  let outcome: CheckOutcome;
  let work: readonly VariantWork[] = [];
  try {
    if (usePool) {
      const input: PoolInput = {
        variants: resolved.map((r) => r.module ?? r.variant.id), properties: properties.map((p) => p.id), cwd: io.cwd,
        runs, seed, maxOps, deadline: timeBudgetMs !== undefined ? Date.now() + timeBudgetMs : null, variantModules, corpus: corpus?.entries ?? [],
        ...(tree !== 'default' ? { tree } : {}),
      };
      const out = await pool.run(input, resolved.map((r) => r.variant), properties, { workers, ...(shard ? { slice: shardSlice(runs, shard.index, shard.count) } : {}), ...(io.inProcessEngine ? { inProcess: true } : {}) }, onEvent);
      outcome = { parts: out.parts, complete: out.complete };
      work = out.work;
    } else if (io.inProcessEngine) {
      const r = runCheck({
        variants: resolved.map((x) => x.variant), properties, runs, seed, maxOps,
        ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}),
        variantModules, clock: io.now, onProgress: onEvent,
        corpus: corpus?.entries ?? [], ...(path !== undefined ? { path: path.trim() } : {}),
        ...(coverage ? { coverage: await coverageCounters(tree) } : {}),
        generator: treeGenerator(tree),
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
        corpus: corpus?.entries ?? [],
        ...(path !== undefined ? { path: path.trim() } : {}),
        ...(coverage ? { coverage } : {}),
        ...(tree !== 'default' ? { tree } : {}),
      }, onEvent);
    }
  } finally {
    (progress as Progress | null)?.done();
    interrupts.dispose();
  }
  const report = mergeReports(outcome.parts, { seed, runs, maxOps, elapsedMs: io.now() - t0 });
  if (signal_(interrupts) === null && !outcome.complete) throw new Error('the check engine stopped without a report');
  const plan: ShardPlan | null = shard
    ? {
        strataVersion: strataVersion(), seed, runs, maxOps, timeBudgetMs: timeBudgetMs ?? null, strict, outDir,
        variants: resolved.map((r) => ({ id: r.variant.id, module: r.module ?? null })), properties: properties.map((p) => p.id),
        corpus: corpus ? { dir: corpus.dir, files: corpus.entries.map((e) => e.file) } : null,
      }
    : null;
  return finishCheck({
    io, report, resolved, saver, reporters, traces: values['no-traces'] !== true, strict, signal: interrupts.signal,
    timeBudgetMs: timeBudgetMs ?? null, path: path?.trim() ?? null, outDir,
    corpus: corpus ? { dir: corpus.dir, files: corpus.entries.length } : null,
    shard: shard && plan ? { ...shard, plan, variants: work } : null,
  });
}

function signal_(w: { readonly signal: InterruptSignal | null }): InterruptSignal | null {
  return w.signal;
}

/** --shard I/N: 1 ≤ I ≤ N. */
function shardOption(v: string | undefined): { index: number; count: number } | null {
  if (v === undefined) return null;
  const m = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(v);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || count > 100_000) throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N, such as 2/3 (got ${JSON.stringify(v)})`);
  return { index, count };
}

export interface FinishInput {
  readonly io: Io;
  readonly report: CheckReport;
  readonly resolved: readonly ResolvedVariant[];
  readonly saver: Saver;
  readonly reporters: ReturnType<typeof parseReporters>;
  readonly traces: boolean;
  readonly strict: boolean;
  readonly signal: InterruptSignal | null;
  readonly timeBudgetMs: number | null;
  readonly path: string | null;
  readonly outDir: string;
  readonly corpus: { readonly dir: string; readonly files: number } | null;
  /** A shard of a run: its plan and work go into its result document (strata merge reads them). */
  readonly shard: ShardDoc | null;
  /** strata merge: the elapsed time of the merged run. */
  readonly note?: string;
}

/**
 * The end of a check (and of strata merge, from the shards' documents): write every
 * counterexample, render the text report, build the result document and its reports, and give
 * the exit status.
 */
export function finishCheck(f: FinishInput): number {
  const { io, report, resolved, saver, reporters, signal, path } = f;
  const shard = f.shard;
  // a shard judges only what fails the whole run whatever the other shards find
  const strict = shard ? false : f.strict;
  // Write every counterexample before printing anything about it.
  const variants = new Map<string, Variant>(resolved.map((r) => [r.variant.id, r.variant]));
  const { findings, crashes } = writeAll(report, variants, saver, path !== null);
  if (signal !== null) {
    // the counterexamples of the variant that was running, written already
    const reported = new Set(report.results.flatMap((r) => (r.counterexample ? [scenarioFileName(r.counterexample)] : [])));
    for (const { scenario: s, saved } of saver.all()) {
      if (reported.has(scenarioFileName(s))) continue;
      const v = variants.get(s.variant.id);
      findings.push({ scenario: s, ...saved, trace: replayScenario(s, v), expected: v !== undefined && s.finding !== undefined && isPropertyId(s.finding.property) && expectationOf(v, s.finding.property) === 'violates' });
    }
  }
  const textLines: string[] = [];
  renderCheck({
    report, findings, crashes, traces: f.traces, strict,
    ...(signal !== null ? { interruptedBy: signal, variantsTotal: resolved.length } : {}),
    ...(f.corpus ? { corpus: f.corpus } : {}),
  }, textLines);
  if (shard && signal === null) textLines.push(`shard ${shard.index}/${shard.count}: ${report.variants.reduce((a, v) => a + v.scenarios, 0)} scenarios of its slice checked; no verdict on the run: strata merge of the ${shard.count} shards' documents decides it`);
  if (reporters.textToStdout) for (const l of textLines) io.out(l);
  const fine = report.ok && crashes.length === 0 && (!strict || report.unsearched === 0) && saver.failures === 0;
  const status = signal !== null ? interruptStatus(signal) : fine ? EXIT.OK : EXIT.FAIL;
  const unwritten = [...findings, ...crashes].filter((r) => r.unwritten !== undefined).length;
  const summary = textLines.at(-1) ?? verdict(report, crashes.length, strict, unwritten);
  const built = buildCheckResult({
    strataVersion: strataVersion(),
    report, findings, crashes, variants,
    modules: Object.fromEntries(resolved.flatMap((r) => (r.module ? [[r.variant.id, r.module]] : []))),
    variantsAsked: resolved.length,
    strict,
    timeBudgetMs: f.timeBudgetMs,
    path,
    outDir: f.outDir,
    defaultMaxOps: DEFAULT_MAX_OPS,
    corpus: f.corpus,
    interruptedBy: signal,
    verdict: checkVerdict(status, signal !== null, summary, report, crashes, strict, unwritten),
  });
  const doc = shard ? { ...built, shard } : built;
  const reportFailures = writeReports(reporters, doc, io, textLines);
  if (signal !== null) return status;
  return reportFailures > 0 ? EXIT.FAIL : status;
}

function reporterValues(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
}

/** --corpus DIR, or corpus/ in the cwd when it exists; none with --no-corpus or --path. */
function corpusOf(values: Record<string, unknown>, cwd: string, checked: readonly string[], replayingPath: boolean): Corpus | null {
  const named = lastValue(values.corpus);
  if (values['no-corpus'] === true || replayingPath) {
    if (named !== undefined) throw new UsageError(values['no-corpus'] === true ? '--corpus and --no-corpus contradict each other' : '--path replays one path: it takes no --corpus');
    return null;
  }
  if (named !== undefined) return loadCorpus(named, cwd, checked);
  const dflt = resolve(cwd, DEFAULT_CORPUS_DIR);
  if (!existsSync(dflt) || !statSync(dflt).isDirectory()) return null;
  return loadCorpus(DEFAULT_CORPUS_DIR, cwd, checked);
}

/** The verdict of the result document: the status and one line per reason it fails. */
function checkVerdict(exitCode: number, interrupted: boolean, summary: string, report: CheckReport, crashes: readonly CrashReport[], strict: boolean, unwritten: number): Verdict {
  const problems: string[] = [];
  for (const r of report.results) {
    if (r.unsearched === true) {
      if (strict) problems.push(`${r.variant} × ${r.property}: expected violation not searched enough (--strict)`);
    } else if (!r.matches) {
      problems.push(r.outcome === 'violated' ? `${r.variant} × ${r.property}: violated, but the expectation matrix says it holds` : `${r.variant} × ${r.property}: expected a violation, none found in ${r.runs} scenarios`);
    }
  }
  for (const c of crashes) problems.push(`${c.variant}: the model threw: ${c.message}`);
  if (unwritten > 0) problems.push(`${unwritten} counterexample file${unwritten === 1 ? '' : 's'} not written`);
  return { status: interrupted ? 'interrupted' : exitCode === 0 ? 'ok' : 'fail', exitCode, summary, problems };
}

function writeAll(report: CheckReport, variants: ReadonlyMap<string, Variant>, saver: Saver, replayingPath: boolean): { findings: FindingReport[]; crashes: CrashReport[] } {
  const findings: FindingReport[] = [];
  for (const r of report.results) {
    if (!r.counterexample) continue;
    // a corpus file's finding is that file: nothing new to write
    const saved = r.corpusFile !== undefined ? { file: r.corpusFile } : saver.save(r.counterexample);
    const trace = replayScenario(r.counterexample, variants.get(r.variant));
    const origin = r.corpusFile !== undefined ? 'corpus' as const : replayingPath ? 'path' as const : 'generated' as const;
    findings.push({ scenario: r.counterexample, ...saved, trace, expected: r.expected === 'violates', origin });
  }
  const crashes: CrashReport[] = [];
  for (const v of report.variants) {
    if (!v.crash) continue;
    if (v.crash.corpusFile !== undefined) {
      crashes.push({ variant: v.id, message: v.crash.message, file: v.crash.corpusFile });
      continue;
    }
    const name = scenarioFileName(v.crash.scenario).replace(/\.(script|trace)\./, '.model-error.');
    crashes.push({ variant: v.id, message: v.crash.message, ...saver.save(v.crash.scenario, name) });
  }
  return { findings, crashes };
}

/** A coverage counter per variant (coverage/ is loaded only when --coverage asks for it). */
async function coverageCounters(tree: TreeName): Promise<(v: Variant) => CoverageObserver> {
  const { CoverageCounter } = await import('../../coverage/counter.js');
  return (v) => new CoverageCounter(v, { mounts: tree === 'mounts' });
}
