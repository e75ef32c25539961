// The result document of a `strata check` run, built from the engine's report and the findings
// as the CLI wrote them (files, traces): every variant × property with its expectation, outcome,
// runs and finding, the corpus replay, and the verdict.
import type { CheckReport, PairResult } from '../properties/check.js';
import type { Variant } from '../variants/variant.js';
import { propertyById } from '../properties/all.js';
import type { FindingReport, CrashReport } from '../reports/index.js';
import { shellWord, worldWords } from '../reports/index.js';
import type { CheckResult, FindingDoc, PairDoc, PairStatus, ResultDocument, VariantDoc, Verdict } from './types.js';
import { RESULT_VERSION } from './types.js';
import { fingerprint, stepDocs, taskTree, stacksAfter } from './trace-doc.js';
import { REFERENCE_ABI } from '../variants/linux.js';

export interface CheckResultInput {
  readonly strataVersion: string;
  readonly report: CheckReport;
  /** Findings in report order, then those of an interrupted variant. */
  readonly findings: readonly FindingReport[];
  readonly crashes: readonly CrashReport[];
  readonly variants: ReadonlyMap<string, Variant>;
  /** Module paths as given on the command line, by variant id. */
  readonly modules: Readonly<Record<string, string>>;
  readonly variantsAsked: number;
  readonly strict: boolean;
  readonly timeBudgetMs: number | null;
  readonly path: string | null;
  readonly outDir: string;
  /** The default --max-ops (left out of reproduce commands). */
  readonly defaultMaxOps: number;
  readonly corpus: { readonly dir: string; readonly files: number } | null;
  readonly interruptedBy: string | null;
  readonly verdict: Verdict;
  readonly coverage?: Readonly<Record<string, unknown>>;
}

/** The sentence a report prints for an expected violation not found within the budget. */
export function notSearchedNote(r: Pick<PairResult, 'runs' | 'budget'>): string {
  return r.budget === 'time'
    ? `expected violation not found in ${r.runs} runs before the time budget ran out — raise --time-budget`
    : `expected violation not found in ${r.runs} runs — raise --runs`;
}

function statusOf(r: PairResult): PairStatus {
  if (r.matches) return 'as-expected';
  if (r.unsearched === true) return 'not-searched-enough';
  return r.outcome === 'violated' ? 'unexpected-violation' : 'violation-not-found';
}

export function findingDoc(f: FindingReport, in_: Pick<CheckResultInput, 'report' | 'modules' | 'defaultMaxOps'>): FindingDoc {
  const s = f.scenario;
  const fd = s.finding!;
  const origin = f.origin ?? 'generated';
  const opKinds = s.ops.map((o) => o.op);
  const variant = s.variant.id;
  // a strata explore finding (a corpus file may hold one) has a scope and depth instead
  const fromFastCheck = fd.seed !== undefined && fd.path !== undefined && (origin !== 'corpus' || fd.path !== '');
  const maxOps = in_.report.maxOps !== in_.defaultMaxOps ? ` --max-ops ${in_.report.maxOps}` : '';
  return {
    variant,
    property: fd.property,
    expected: f.expected,
    origin,
    file: f.file,
    unwritten: f.unwritten ?? null,
    ops: s.ops.length,
    opKinds,
    shrinks: null,
    atStep: fd.atStep,
    message: fd.message,
    seed: fromFastCheck ? fd.seed ?? null : null,
    path: fromFastCheck ? fd.path ?? null : null,
    replay: `strata replay ${shellWord(f.file)}`,
    reproduce: fromFastCheck && origin !== 'corpus'
      ? `strata check --variant ${shellWord(in_.modules[variant] ?? variant)} --property ${fd.property} --seed ${String(fd.seed)} --path ${JSON.stringify(fd.path)}${maxOps}`
      : null,
    fingerprint: fingerprint([variant, fd.property], opKinds),
    world: worldWords(f.trace),
    steps: stepDocs(f.trace, { atStep: fd.atStep, property: fd.property }),
    tasks: taskTree(f.trace),
    stacks: stacksAfter(f.trace, fd.atStep),
    scenario: s,
  };
}

export function buildCheckResult(in_: CheckResultInput): ResultDocument {
  const { report } = in_;
  const byPair = new Map<string, FindingReport>();
  const pairKey = (v: string, p: string): string => `${v}\u0000${p}`;
  const reported = new Set<FindingReport>();
  for (const r of report.results) {
    if (!r.counterexample) continue;
    const f = in_.findings.find((x) => x.scenario.variant.id === r.variant && x.scenario.finding?.property === r.property && !reported.has(x));
    if (f) {
      byPair.set(pairKey(r.variant, r.property), f);
      reported.add(f);
    }
  }
  const variants: VariantDoc[] = report.variants.map((v) => {
    const variant = in_.variants.get(v.id);
    const crash = in_.crashes.find((c) => c.variant === v.id);
    const results: PairDoc[] = report.results.filter((r) => r.variant === v.id).map((r) => {
      const p = propertyById(r.property);
      const f = byPair.get(pairKey(r.variant, r.property));
      const status = statusOf(r);
      return {
        property: r.property,
        statement: p?.statement ?? '',
        source: p?.source ?? '',
        expected: r.expected,
        outcome: r.outcome,
        status,
        runs: r.runs,
        budget: r.unsearched === true ? r.budget ?? 'time' : null,
        note: status === 'not-searched-enough' ? notSearchedNote(r) : null,
        finding: f ? { ...findingDoc(f, in_), shrinks: r.shrinks ?? null } : null,
      };
    });
    return {
      id: v.id,
      title: v.title,
      source: variant?.source ?? '',
      module: in_.modules[v.id] ?? null,
      abi: variant?.abi ?? REFERENCE_ABI,
      scenarios: v.scenarios,
      ops: v.ops,
      elapsedMs: v.elapsedMs,
      timeBudgetSpent: v.interrupted,
      crash: crash ? { message: crash.message, file: crash.file, unwritten: crash.unwritten ?? null, replay: `strata replay ${shellWord(crash.file)}` } : null,
      results,
      ...(v.coverage ? { coverage: v.coverage } : {}),
    };
  });
  const all = variants.flatMap((v) => v.results);
  const check: CheckResult = {
    seed: report.seed,
    runs: report.runs,
    maxOps: report.maxOps,
    timeBudgetMs: in_.timeBudgetMs,
    strict: in_.strict,
    path: in_.path,
    outDir: in_.outDir,
    elapsedMs: report.elapsedMs,
    corpus: in_.corpus
      ? {
          dir: in_.corpus.dir,
          files: in_.corpus.files,
          replayed: report.variants.reduce((a, v) => a + (v.corpusReplayed ?? 0), 0),
          decided: report.results.filter((r) => r.corpusFile !== undefined).length,
          changed: report.variants.flatMap((v) => v.corpusChanged ?? []),
        }
      : null,
    counts: {
      results: all.length,
      asExpected: all.filter((r) => r.status === 'as-expected').length,
      unexpected: all.filter((r) => r.status === 'unexpected-violation' || r.status === 'violation-not-found').length,
      notSearchedEnough: all.filter((r) => r.status === 'not-searched-enough').length,
      modelErrors: in_.crashes.length,
    },
    variants,
    variantsAsked: in_.variantsAsked,
    unfinishedFindings: in_.findings.filter((f) => !reported.has(f)).map((f) => findingDoc(f, in_)),
    ...(in_.coverage ? { coverage: in_.coverage } : {}),
  };
  return {
    strata: 'result',
    version: RESULT_VERSION,
    command: 'check',
    strataVersion: in_.strataVersion,
    interrupted: in_.interruptedBy !== null ? { signal: in_.interruptedBy } : null,
    verdict: in_.verdict,
    check,
  };
}
