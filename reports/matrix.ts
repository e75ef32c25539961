// The variant × property matrix of a check: one row per variant, one column per property; each
// cell compares the observed outcome with the expectation matrix. ✓ holds as expected, ✗ violated
// as expected, !✗ violated although expected to hold, !✓ held although a violation was expected,
// ? an expected violation not found because the time budget ran out (not searched enough).
import type { CheckReport, PairResult } from '../properties/check.js';
import type { Sink } from './sink.js';
import { emit } from './sink.js';

/** Short column labels for the long property ids (the legend spells them out). */
const SHORT: Readonly<Record<string, string>> = {
  'I2-thread': 'I2t',
  'children-never-weakened': 'CNW',
  'tracer-bounded': 'TB',
  'non-interference': 'NI',
};

export function propertyLabel(id: string): string {
  return SHORT[id] ?? (id.length <= 4 ? id : id.split(/[-_ ]/).map((w) => w[0]?.toUpperCase() ?? '').join(''));
}

/** The cell text of one result. */
export function cellOf(r: PairResult): string {
  const violated = r.outcome === 'violated';
  if (r.matches) return violated ? '✗' : '✓';
  if (r.unsearched === true) return '?';
  return violated ? '!✗' : '!✓';
}

/** Render the matrix, its legend, and one line per variant that crashed or ran out of time. */
export function renderMatrix(report: Pick<CheckReport, 'results' | 'variants'>, sink: Sink): void {
  const variants = report.variants.map((v) => v.id);
  const properties: string[] = [];
  for (const r of report.results) if (!properties.includes(r.property)) properties.push(r.property);
  const byKey = new Map<string, PairResult>(report.results.map((r) => [`${r.variant}\u0000${r.property}`, r]));
  const labels = properties.map(propertyLabel);
  const widths = labels.map((l) => Math.max(l.length, 2));
  const first = Math.max(7, ...variants.map((v) => v.length));
  emit(sink, `${'variant'.padEnd(first)}  ${labels.map((l, i) => l.padEnd(widths[i]!)).join(' ')}`.trimEnd());
  for (const v of report.variants) {
    const cells = properties.map((p, i) => {
      const r = byKey.get(`${v.id}\u0000${p}`);
      return (r ? cellOf(r) : '·').padEnd(widths[i]!);
    });
    const notes: string[] = [];
    if (v.crash) notes.push('MODEL ERROR');
    if (v.interrupted) notes.push(`interrupted after ${v.scenarios} scenarios`);
    emit(sink, `${v.id.padEnd(first)}  ${cells.join(' ')}${notes.length ? `  (${notes.join('; ')})` : ''}`.trimEnd());
  }
  const legend = properties.filter((p) => propertyLabel(p) !== p).map((p) => `${propertyLabel(p)} = ${p}`);
  emit(sink, '');
  const cut = report.results.filter((r) => r.unsearched === true);
  const unsearched = cut.length === 0 ? ''
    : cut.every((r) => r.budget !== 'runs') ? ' · ? expected a violation, not searched enough (time budget ran out)'
    : cut.every((r) => r.budget === 'runs') ? ' · ? expected a violation, not searched enough (not found in --runs scenarios)'
    : ' · ? expected a violation, not searched enough (--runs or the time budget ran out)';
  emit(sink, `✓ holds as expected · ✗ violated as expected · !✗ violated, expected to hold · !✓ held, expected a violation${unsearched} · · not checked`);
  if (legend.length) emit(sink, legend.join(' · '));
}

/** One line per unexpected result, then one hint per kind of problem found. */
export function renderMismatches(report: Pick<CheckReport, 'results' | 'runs' | 'maxOps' | 'variants'>, sink: Sink): void {
  const bad = report.results.filter((r) => !r.matches && r.unsearched !== true);
  const crashes = report.variants.filter((v) => v.crash);
  if (bad.length === 0 && crashes.length === 0) return;
  emit(sink, `unexpected results (${bad.length + crashes.length}):`);
  for (const r of bad) {
    if (r.outcome === 'violated') emit(sink, `  !✗ ${r.variant} × ${r.property}: violated, but the expectation matrix says it holds`);
    else emit(sink, `  !✓ ${r.variant} × ${r.property}: expected a violation, none found in ${r.runs} scenarios`);
  }
  for (const v of crashes) emit(sink, `  !! ${v.id}: the model threw: ${v.crash!.message}`);
  if (bad.some((r) => r.outcome === 'holds')) emit(sink, `  hint: raise --runs (now ${report.runs}) or --max-ops (now ${report.maxOps}), or try another --seed`);
  if (bad.some((r) => r.outcome === 'violated')) {
    emit(sink, '  hint: replay an unexpected violation\'s scenario file (listed at the top) to see the failing step; fix the');
    emit(sink, "        variant, the model or the property, or, if it is the design's real behaviour, mark the property");
    emit(sink, "        'violates' in the variant's expectations");
  }
  if (crashes.length) emit(sink, '  hint: a model error is a bug in strata or in the variant: replay its scenario with STRATA_DEBUG=1');
}

/** One line per expected violation the time budget left unsearched, and what to do about it. */
export function renderUnsearched(report: Pick<CheckReport, 'results'>, sink: Sink, strict: boolean): void {
  const cut = report.results.filter((r) => r.unsearched === true);
  if (cut.length === 0) return;
  emit(sink, `not searched enough (${cut.length}${strict ? ', a failure under --strict' : ''}):`);
  for (const r of cut) {
    if (r.budget === 'runs') emit(sink, `  ? ${r.variant} × ${r.property}: expected violation not found in ${r.runs} runs — raise --runs`);
    else emit(sink, `  ? ${r.variant} × ${r.property}: expected a violation, none found in ${r.runs} scenarios before the time budget ran out`);
  }
  const raise = cut.every((r) => r.budget === 'runs') ? 'raise --runs (or --max-ops), or try another --seed' : cut.some((r) => r.budget === 'runs') ? 'raise --runs and --time-budget (or leave the budget out)' : 'raise --time-budget, or leave it out';
  emit(sink, `  hint: ${raise}${strict ? '' : '; --strict makes this a failure'}`);
}
