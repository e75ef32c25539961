// strata explore: every op sequence of a named scope up to a depth, breadth first with world
// de-duplication, every property checked at every step (explore/engine.ts); the first violation
// of each property is as short as any in the scope. Same exit contract and result files as
// check: every counterexample is written to disk when it is found, before anything is printed.
// The engine runs on this thread and yields to the event loop every few tens of milliseconds,
// so an interrupt (SIGINT, SIGTERM, SIGHUP) stops it at once and the partial report is printed.
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { EXIT, UsageError } from '../errors.js';
import { parseCommandArgs, nonEmptyListOption, lastValue, intOption, durationOption } from '../args.js';
import { resolveVariants, resolveProperties } from '../resolve.js';
import { checkOutDir } from '../out-dir.js';
import { ExploreProgress } from '../explore-progress.js';
import { watchInterrupts, interruptStatus } from '../interrupt.js';
import { Saver, moduleFromOutDir } from '../saver.js';
import type { ExploreEvent, ExploreReport } from '../../explore/engine.js';
import { runExplore } from '../../explore/engine.js';
import { SCOPES, DEFAULT_SCOPE, scopeByName } from '../../explore/scope.js';
import { replayScenario } from '../../properties/trace.js';
import type { Variant } from '../../variants/variant.js';
import { DEFAULT_OUT_DIR, scenarioFileName } from '../../scenario/write.js';
import type { FindingReport, CrashReport } from '../../reports/index.js';
import { renderExplore } from '../../reports/explore.js';

/** Deep enough for every expected violation of the built-in variants (linux-abi8's reach by
 * ptrace needs 5 ops). */
export const DEFAULT_DEPTH = 5;
const MAX_DEPTH = 64;

const OPTIONS = {
  variant: { type: 'string', short: 'v', multiple: true },
  property: { type: 'string', short: 'p', multiple: true },
  depth: { type: 'string', short: 'd', multiple: true },
  scope: { type: 'string', multiple: true },
  'time-budget': { type: 'string', multiple: true },
  out: { type: 'string', short: 'o', multiple: true },
  'no-traces': { type: 'boolean' },
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: strata explore [options]

Try every op sequence of a small named scope up to a depth, breadth first, on each variant,
checking every property after every step. Worlds are de-duplicated by a canonical form
(symmetric in task ids, and in layer, ruleset and listener ids), so a world reached twice is
explored once. The first violation of each property is as short as any sequence of the scope:
it is written to --out as a scenario file and printed as a readable trace, and the result is
compared with the variant's expectation matrix, as strata check does.

Options:
  -v, --variant ID|PATH  a built-in variant id (see strata list) or the path of a variant module;
                         repeatable or comma-separated (default: every built-in variant)
  -p, --property ID      property ids (see strata list); repeatable or comma-separated
                         (default: every property)
  -d, --depth N          the longest sequence tried, in ops (default ${DEFAULT_DEPTH})
      --scope NAME       the ops tried in every world (default ${DEFAULT_SCOPE}):
${SCOPES.map((s) => wrap(`${s.name}: ${s.summary}`, 25, 99)).join('\n')}
      --time-budget T    stop after T (30s, 1500ms, 2m; default: none), shared between the
                         variants as strata check shares it; the depths completed stand
      --strict           an expected violation not searched enough (not found up to --depth, or
                         before the time budget or memory ran out) is a failure, exit 1
                         (default: reported, exit 0)
  -o, --out DIR          where counterexamples are written (default ${DEFAULT_OUT_DIR}/)
      --no-traces        print the tables and file list only, not each counterexample's trace
  -h, --help             this text

A progress line goes to stderr after 2 s: on a terminal rewritten in place, elsewhere a line per
depth and at least every 10 s. A search whose next depth does not fit in memory stops there.

Exit status: 0 every result matches the expectation matrix ("holds" means no sequence of the
scope up to the depth reached violates it), or the only difference is expected violations not
searched enough (not found up to --depth, or before the time budget or memory ran out; listed
with what to raise); 1 an unexpected result (a violation the matrix does not expect, an expected
violation in no world of a scope the search exhausted), a model error, an expected violation
not searched enough under --strict, or a counterexample that could not be written; 2 bad usage
(--depth 0, an unknown scope, ...); 130, 143, 129 interrupted by SIGINT, SIGTERM, SIGHUP (128 +
the signal number): the partial report is printed, without a verdict.

Examples:
  strata explore --variant tsync-overwrite
  strata explore --variant linux --depth 6 --time-budget 10m
  strata explore --variant ./my-design.ts --scope wide --depth 4`;

export const exploreCommand: Command = {
  name: 'explore',
  help: HELP,
  run: runExploreCommand,
};

async function runExploreCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  const depth = intOption('depth', lastValue(values.depth) ?? String(DEFAULT_DEPTH), 1, MAX_DEPTH);
  const scopeName = lastValue(values.scope) ?? DEFAULT_SCOPE;
  const scope = scopeByName(scopeName);
  if (!scope) throw new UsageError(`unknown scope ${JSON.stringify(scopeName)} (known: ${SCOPES.map((s) => s.name).join(', ')})`);
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

  const progress = new ExploreProgress(io, resolved.length, depth);
  // A counterexample is written to disk the moment it is found, before anything else can fail.
  const saver = new Saver('explore', outDir, io.cwd, progress.say);
  const onProgress = (e: ExploreEvent): void => {
    if (e.type === 'found') saver.save(e.counterexample);
    if (e.type === 'crash') saver.save(e.scenario, crashFileName(e.scenario));
    progress.onEvent(e);
  };
  let stop = false;
  const interrupts = watchInterrupts(() => {
    stop = true;
  });
  let report: ExploreReport;
  try {
    report = await runExplore({
      variants: resolved.map((r) => r.variant), properties, scope, depth,
      ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}),
      clock: io.now, variantModules, onProgress, stopped: () => stop,
    });
  } finally {
    progress.done();
    interrupts.dispose();
  }

  const variants = new Map<string, Variant>(resolved.map((r) => [r.variant.id, r.variant]));
  const findings: FindingReport[] = [];
  for (const r of report.results) {
    if (!r.counterexample) continue;
    const saved = saver.save(r.counterexample);
    findings.push({ scenario: r.counterexample, ...saved, trace: replayScenario(r.counterexample, variants.get(r.variant)), expected: r.expected === 'violates' });
  }
  const crashes: CrashReport[] = [];
  for (const v of report.variants) if (v.crash) crashes.push({ variant: v.id, message: v.crash.message, ...saver.save(v.crash.scenario, crashFileName(v.crash.scenario)) });
  const signal = interrupts.signal;
  renderExplore({
    report, scopeSummary: scope.summary, findings, crashes, traces: values['no-traces'] !== true, strict,
    ...(signal !== null ? { interruptedBy: signal, variantsTotal: resolved.length } : {}),
  }, io.out);
  if (signal !== null) return interruptStatus(signal);
  const fine = report.ok && (!strict || report.unsearched === 0) && saver.failures === 0;
  return fine ? EXIT.OK : EXIT.FAIL;
}

function crashFileName(s: Parameters<typeof scenarioFileName>[0]): string {
  return scenarioFileName(s).replace(/\.(script|trace)\./, '.model-error.');
}

/** `text` wrapped at `width`, every line indented by `indent` spaces. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${' '.repeat(indent)}${l}`).join('\n');
}
