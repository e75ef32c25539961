// The report of a `strata explore`: first what a replay needs (each counterexample's file and
// depth), then per variant how far the search went (depth completed, distinct worlds,
// transitions, time), the variant × property matrix, the unexpected results with hints, every
// counterexample as a readable trace, and a one-line verdict — check's report, with depths
// where check has seeds and runs.
import type { ExploreReport, ExploreVariantSummary } from '../explore/engine.js';
import type { PairResult } from '../properties/check.js';
import type { Sink } from './sink.js';
import { emit } from './sink.js';
import type { FindingReport } from './finding.js';
import { shellWord } from './finding.js';
import { renderMatrix } from './matrix.js';
import type { CrashReport } from './check.js';
import { renderTraces } from './check.js';

export interface ExploreView {
  readonly report: ExploreReport;
  /** The scope's one-line description. */
  readonly scopeSummary: string;
  /** One per counterexample, in report order, already written to disk. */
  readonly findings: readonly FindingReport[];
  readonly crashes: readonly CrashReport[];
  readonly traces?: boolean;
  readonly strict?: boolean;
  /** The signal that stopped the search: no verdict. */
  readonly interruptedBy?: string;
  readonly variantsTotal?: number;
}

export function renderExplore(view: ExploreView, sink: Sink): void {
  const { report } = view;
  const nProps = new Set(report.results.map((r) => r.property)).size;
  emit(sink, `strata explore: scope ${report.scope} · every op sequence up to depth ${report.depth} · ${report.variants.length} variant${report.variants.length === 1 ? '' : 's'} × ${nProps} propert${nProps === 1 ? 'y' : 'ies'} · ${seconds(report.elapsedMs)}`);
  emit(sink, `  scope ${report.scope}: ${view.scopeSummary}`);
  if (view.findings.length || view.crashes.length) {
    emit(sink, 'counterexamples, each as short as any in the scope (replay one with strata replay <file>):');
    const w = Math.max(...view.findings.map((f) => label(f).length), ...view.crashes.map((c) => `${c.variant} model error`.length));
    for (const f of view.findings) emit(sink, `  ${label(f).padEnd(w)}  ${fileWords(f)}  (depth ${f.scenario.ops.length})`);
    for (const c of view.crashes) emit(sink, `  ${`${c.variant} model error`.padEnd(w)}  ${fileWords(c)}`);
  } else {
    emit(sink, 'no counterexamples');
  }
  emit(sink, '');
  renderSearches(report, sink);
  emit(sink, '');
  const results: PairResult[] = report.results.map((r) => ({
    variant: r.variant, property: r.property, expected: r.expected, outcome: r.outcome, matches: r.matches, runs: 0,
    ...(r.unsearched ? { unsearched: true } : {}),
  }));
  const variants = report.variants.map((v) => ({ id: v.id, title: v.title, scenarios: 0, ops: 0, elapsedMs: v.elapsedMs, interrupted: false, ...(v.crash ? { crash: v.crash } : {}) }));
  renderMatrix({ results, variants }, sink);
  const bad = report.results.filter((r) => !r.matches && r.unsearched !== true);
  const crashed = report.variants.filter((v) => v.crash);
  if (bad.length || crashed.length) {
    emit(sink, '');
    emit(sink, `unexpected results (${bad.length + crashed.length}):`);
    for (const r of bad) {
      if (r.outcome === 'violated') emit(sink, `  !✗ ${r.variant} × ${r.property}: violated in ${r.depth} ops, but the expectation matrix says it holds`);
      else emit(sink, `  !✓ ${r.variant} × ${r.property}: expected a violation, none in any world of scope ${report.scope} (exhausted at depth ${r.depth})`);
    }
    for (const v of crashed) emit(sink, `  !! ${v.id}: the model threw: ${v.crash!.message}`);
    if (bad.some((r) => r.outcome === 'holds')) emit(sink, '  hint: the scope has no violating sequence at all: try a wider --scope, or strata check');
    if (bad.some((r) => r.outcome === 'violated')) {
      emit(sink, "  hint: replay the unexpected violation's scenario file (listed at the top) to see the failing step; fix the");
      emit(sink, "        variant, the model or the property, or, if it is the design's real behaviour, mark the property");
      emit(sink, "        'violates' in the variant's expectations");
    }
    if (crashed.length) emit(sink, '  hint: a model error is a bug in strata or in the variant: replay its scenario with STRATA_DEBUG=1');
  }
  const cut = report.results.filter((r) => r.unsearched === true);
  if (cut.length) {
    emit(sink, '');
    emit(sink, `not searched enough (${cut.length}${view.strict ? ', a failure under --strict' : ''}):`);
    for (const r of cut) {
      if (r.budget === 'depth') emit(sink, `  ? ${r.variant} × ${r.property}: expected a violation, none in any sequence up to depth ${r.depth} of scope ${report.scope} — raise --depth`);
      else emit(sink, `  ? ${r.variant} × ${r.property}: expected a violation, none up to depth ${r.depth} before the search was stopped (${r.budget === 'memory' ? 'memory' : r.budget === 'signal' ? 'interrupted' : 'time budget'})`);
    }
    const depthOnly = cut.every((r) => r.budget === 'depth');
    const hint = depthOnly ? `raise --depth (now ${report.depth}), or try a wider --scope` : cut.some((r) => r.budget === 'depth') ? 'raise --depth and --time-budget (or leave the budget out)' : 'raise --time-budget, or leave it out';
    emit(sink, `  hint: ${hint}${view.strict ? '' : '; --strict makes this a failure'}`);
  }
  if (view.traces ?? true) renderTraces(view.findings, view.crashes, sink);
  emit(sink, '');
  if (view.interruptedBy !== undefined) {
    const files = view.findings.length + view.crashes.length;
    emit(sink, `INTERRUPTED by ${view.interruptedBy} after ${report.variants.length} of ${view.variantsTotal ?? report.variants.length} variants (the last one partly): no verdict (${files} counterexample file${files === 1 ? '' : 's'} written, listed above)`);
    return;
  }
  const unwritten = [...view.findings, ...view.crashes].filter((r) => r.unwritten !== undefined).length;
  emit(sink, exploreVerdict(report, view.strict ?? false, unwritten));
}

/** One line per variant: how far the search went. */
function renderSearches(report: ExploreReport, sink: Sink): void {
  const rows = report.variants.map((v) => [v.id, `${v.depthCompleted}/${report.depth}`, count(v.worlds), count(v.transitions), count(rate(v.worlds, v.elapsedMs)), seconds(v.elapsedMs), howFar(v, report.depth)]);
  const head = ['variant', 'depth', 'worlds', 'transitions', 'worlds/s', 'time', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  emit(sink, line(head));
  for (const r of rows) emit(sink, line(r));
}

/** Why a variant's search ended where it did. */
function howFar(v: ExploreVariantSummary, depth: number): string {
  if (v.crash) return 'stopped: model error';
  if (v.allViolated) return `stopped at depth ${v.depthCompleted + 1}: every property violated`;
  if (v.exhausted) return `exhausted: no new world after depth ${v.depthCompleted} (every world of the scope seen)`;
  if (v.stoppedBy === 'memory') return `stopped in depth ${v.depthCompleted + 1}: its worlds do not fit in memory`;
  if (v.stoppedBy === 'time-budget') return `stopped in depth ${v.depthCompleted + 1}: time budget`;
  if (v.stoppedBy === 'signal') return `interrupted in depth ${v.depthCompleted + 1}`;
  return v.depthCompleted === depth ? '' : `stopped at depth ${v.depthCompleted + 1}`;
}

/** The last line: ok, or what disagrees. */
export function exploreVerdict(report: ExploreReport, strict: boolean, unwritten = 0): string {
  const crashes = report.variants.filter((v) => v.crash).length;
  const n = report.unsearched;
  const unsearched = `${n} expected violation${n === 1 ? '' : 's'} not searched enough`;
  if (report.mismatches === 0 && crashes === 0 && (n === 0 || !strict) && unwritten === 0) {
    if (n === 0) return `ok: all ${report.results.length} results match the expectation matrix (holds: no violating sequence up to the depth reached)`;
    const cut = report.results.filter((r) => r.unsearched === true);
    const why = cut.every((r) => r.budget === 'depth') ? 'not found up to --depth: raise --depth' : cut.some((r) => r.budget === 'depth') ? 'the budget ran out: raise --depth or --time-budget' : 'the search was stopped';
    return `ok: no result disagrees with the expectation matrix, but ${unsearched} (${why}; --strict makes this a failure)`;
  }
  const parts: string[] = [];
  if (report.mismatches) parts.push(`${report.mismatches} result${report.mismatches === 1 ? '' : 's'} disagree${report.mismatches === 1 ? 's' : ''} with the expectation matrix`);
  if (crashes) parts.push(`${crashes} model error${crashes === 1 ? '' : 's'}`);
  if (n && (strict || parts.length > 0)) parts.push(`${unsearched}${strict ? ' (--strict)' : ''}`);
  if (unwritten) parts.push(`${unwritten} counterexample file${unwritten === 1 ? '' : 's'} not written (see NOT WRITTEN above)`);
  return `FAILED: ${parts.join(', ')}`;
}

function label(f: FindingReport): string {
  return `${f.scenario.variant.id} × ${f.scenario.finding!.property}${f.expected ? '' : ' (unexpected)'}`;
}

function fileWords(r: { readonly file: string; readonly unwritten?: string }): string {
  return r.unwritten === undefined ? shellWord(r.file) : `NOT WRITTEN to ${shellWord(r.file)}: ${r.unwritten}`;
}

function rate(n: number, ms: number): number {
  return ms > 0 ? Math.round((n * 1000) / ms) : n;
}

/** 1234567 → "1 234 567". */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
