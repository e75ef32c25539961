// The whole report of a `strata check`: first what a replay needs (seed, each counterexample's
// file, fast-check path and `strata replay` command), then the matrix, the unexpected results
// with hints, every minimal counterexample as a readable trace, and a one-line verdict.
import type { CheckReport } from '../properties/check.js';
import type { Sink } from './sink.js';
import { emit } from './sink.js';
import type { FindingReport } from './finding.js';
import { renderFinding, shellWord } from './finding.js';
import { renderMatrix, renderMismatches, renderUnsearched } from './matrix.js';
import { renderCoverage } from './coverage.js';

/** A model error of one variant, with the file its shrunk scenario was written to. */
export interface CrashReport {
  readonly variant: string;
  readonly message: string;
  readonly file: string;
  /** Why the file could not be written (disk full, I/O error); absent when it was. */
  readonly unwritten?: string;
}

export interface CheckView {
  readonly report: CheckReport;
  /** One per counterexample, in report order, already written to disk. */
  readonly findings: readonly FindingReport[];
  readonly crashes: readonly CrashReport[];
  /** Print each counterexample's trace (default true). */
  readonly traces?: boolean;
  /** Expected violations not searched enough (time budget) count as failures (default false). */
  readonly strict?: boolean;
  /** The signal that interrupted the check: the report covers the variants finished before it
   * (the matrix so far) and every counterexample written; no verdict. */
  readonly interruptedBy?: string;
  /** Variants the check was asked for (for the interrupted line). */
  readonly variantsTotal?: number;
  /** The regression corpus replayed before generating (absent: none). */
  readonly corpus?: { readonly dir: string; readonly files: number };
}

/** One line on the corpus replay, and one per corpus file whose recorded finding changed. */
function renderCorpus(corpus: { readonly dir: string; readonly files: number }, report: CheckReport, sink: Sink): void {
  const replayed = report.variants.reduce((a, v) => a + (v.corpusReplayed ?? 0), 0);
  const decided = report.results.filter((r) => r.corpusFile !== undefined).length;
  emit(sink, `corpus: ${corpus.dir} — ${corpus.files} file${corpus.files === 1 ? '' : 's'}, ${replayed} replayed before generating (those of the variants checked), deciding ${decided} result${decided === 1 ? '' : 's'}`);
  for (const c of report.variants.flatMap((v) => v.corpusChanged ?? [])) {
    emit(sink, `  ≠ ${shellWord(c.file)}: ${c.property} recorded to fail at ${c.was.replace(/^fails at /, '')}; now ${c.now} (the bug it guards is fixed, or the model changed: strata replay it)`);
  }
}

export function renderCheck(view: CheckView, sink: Sink): void {
  const { report } = view;
  const nProps = new Set(report.results.map((r) => r.property)).size;
  emit(sink, `strata check: seed ${report.seed} · ${report.runs} runs per variant · up to ${report.maxOps} ops · ${report.variants.length} variant${report.variants.length === 1 ? '' : 's'} × ${nProps} propert${nProps === 1 ? 'y' : 'ies'} · ${seconds(report.elapsedMs)}`);
  if (view.findings.length || view.crashes.length) {
    emit(sink, `counterexamples (replay one with strata replay <file>):`);
    const w = Math.max(...view.findings.map((f) => label(f).length), ...view.crashes.map((c) => `${c.variant} model error`.length));
    for (const f of view.findings) {
      const fd = f.scenario.finding!;
      emit(sink, `  ${label(f).padEnd(w)}  ${fileWords(f)}  (${f.origin === 'corpus' ? 'corpus' : fd.explore ? `explore depth ${fd.explore.depth}` : `fast-check seed ${String(fd.seed)}, path "${String(fd.path)}"`})`);
    }
    for (const c of view.crashes) emit(sink, `  ${`${c.variant} model error`.padEnd(w)}  ${fileWords(c)}`);
  } else {
    emit(sink, 'no counterexamples');
  }
  emit(sink, '');
  renderMatrix(report, sink);
  if (report.mismatches > 0 || view.crashes.length > 0) {
    emit(sink, '');
    renderMismatches(report, sink);
  }
  if (report.unsearched > 0) {
    emit(sink, '');
    renderUnsearched(report, sink, view.strict ?? false);
  }
  for (const v of report.variants) {
    if (v.coverage === undefined) continue;
    emit(sink, '');
    renderCoverage(v.coverage, sink);
  }
  if (view.traces ?? true) renderTraces(view.findings, view.crashes, sink);
  emit(sink, '');
  if (view.interruptedBy !== undefined) {
    const files = view.findings.length + view.crashes.length;
    emit(sink, `INTERRUPTED by ${view.interruptedBy} after ${report.variants.length} of ${view.variantsTotal ?? report.variants.length} variants: no verdict (the matrix above covers the finished variants; ${files} counterexample file${files === 1 ? '' : 's'} written, listed above)`);
    return;
  }
  const unwritten = [...view.findings, ...view.crashes].filter((r) => r.unwritten !== undefined).length;
  if (view.corpus) renderCorpus(view.corpus, report, sink);
  emit(sink, verdict(report, view.crashes.length, view.strict ?? false, unwritten));
}

/** The last line: ok, or how many results disagree with the expectation matrix (and, under
 * `strict`, how many expected violations were not searched enough; how many counterexample
 * files could not be written). */
export function verdict(report: CheckReport, crashes: number, strict = false, unwritten = 0): string {
  const cut = report.interrupted ? ' (time budget spent: some variants ran fewer scenarios)' : '';
  const n = report.unsearched;
  const unsearched = `${n} expected violation${n === 1 ? '' : 's'} not searched enough`;
  if (report.mismatches === 0 && crashes === 0 && (n === 0 || !strict) && unwritten === 0) {
    if (n === 0) return `ok: all ${report.results.length} results match the expectation matrix${cut}`;
    const cutBy = report.results.some((r) => r.unsearched === true && r.budget === 'runs')
      ? (report.results.some((r) => r.unsearched === true && r.budget !== 'runs') ? 'the budget ran out: raise --runs or --time-budget' : 'not found in --runs scenarios: raise --runs')
      : 'the time budget ran out';
    return `ok: no result disagrees with the expectation matrix, but ${unsearched} (${cutBy}; --strict makes this a failure)`;
  }
  const parts: string[] = [];
  if (report.mismatches) parts.push(`${report.mismatches} result${report.mismatches === 1 ? '' : 's'} disagree${report.mismatches === 1 ? 's' : ''} with the expectation matrix`);
  if (crashes) parts.push(`${crashes} model error${crashes === 1 ? '' : 's'}`);
  if (n && (strict || parts.length > 0)) parts.push(`${unsearched}${strict ? ' (--strict)' : ''}`);
  if (unwritten) parts.push(`${unwritten} counterexample file${unwritten === 1 ? '' : 's'} not written (see NOT WRITTEN above)`);
  return `FAILED: ${parts.join(', ')}${cut}`;
}

/** The file, or that it could not be written and why. */
/** Each counterexample's trace, then each model error with its scenario (check, explore). */
export function renderTraces(findings: readonly FindingReport[], crashes: readonly CrashReport[], sink: Sink): void {
  for (const f of findings) {
    emit(sink, '');
    renderFinding(f, sink);
  }
  for (const c of crashes) {
    emit(sink, '');
    emit(sink, `!! ${c.variant}: the model threw: ${c.message}`);
    emit(sink, `  scenario:   ${fileWords(c)}`);
    if (c.unwritten === undefined) emit(sink, `  replay:     strata replay ${shellWord(c.file)}`);
  }
}

function fileWords(r: { readonly file: string; readonly unwritten?: string }): string {
  return r.unwritten === undefined ? shellWord(r.file) : `NOT WRITTEN to ${shellWord(r.file)}: ${r.unwritten}`;
}

function label(f: FindingReport): string {
  return `${f.scenario.variant.id} × ${f.scenario.finding!.property}${f.expected ? '' : ' (unexpected)'}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
