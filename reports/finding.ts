// A finding (a property violated on a shrunk counterexample) as message + details + hints. The
// first lines hold all a replay needs: the scenario file, the `strata replay` command, and the
// fast-check seed and path.
import type { Scenario, Finding } from '../scenario/types.js';
import type { ModelTrace } from '../properties/trace.js';
import type { Sink } from './sink.js';
import { emit } from './sink.js';
import { renderTrace, worldWords } from './text.js';

export interface FindingReport {
  readonly scenario: Scenario;
  /** Where the scenario was written (relative to the cwd as the user typed it). */
  readonly file: string;
  /** Why the file could not be written (disk full, I/O error); absent when it was. */
  readonly unwritten?: string;
  /** The model re-run of the scenario. */
  readonly trace: ModelTrace;
  /** Whether the expectation matrix expected this violation. */
  readonly expected: boolean;
  /** generated (default): found and shrunk by this run; corpus: a corpus file's replay found it
   * (`file` is the corpus file); path: `strata check --path` reproduced it. */
  readonly origin?: 'generated' | 'corpus' | 'path';
}

/** The shell word for a path: quoted when it has anything but safe characters. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Where a finding came from, as a label and its words: a fast-check seed and path (strata
 * check) or a bounded-exhaustive search's scope and depth (strata explore). */
export function findingOrigin(f: Finding): { readonly label: string; readonly words: string } {
  if (f.explore) return { label: 'explore', words: `scope ${f.explore.scope}, depth ${f.explore.depth}: no shorter sequence of the scope violates it` };
  return { label: 'fast-check', words: `seed ${String(f.seed)}, path "${String(f.path)}"` };
}

/** Render one finding. */
export function renderFinding(r: FindingReport, sink: Sink): void {
  const f = r.scenario.finding;
  const variant = r.scenario.variant.id;
  if (!f) {
    emit(sink, `${variant}: ${r.file} has no finding`);
    return;
  }
  const mark = r.expected ? '✗' : '✗ UNEXPECTED:';
  emit(sink, `${mark} ${f.property} violated by ${variant} in ${r.scenario.ops.length} op${r.scenario.ops.length === 1 ? '' : 's'}${r.expected ? ' (expected)' : ''}`);
  if (r.unwritten !== undefined) {
    emit(sink, `  scenario:   NOT WRITTEN to ${r.file}: ${r.unwritten}`);
    emit(sink, `  replay:     free the space and re-run this strata ${f.explore ? 'explore' : 'check (same seed)'} to write it`);
  } else {
    emit(sink, `  scenario:   ${r.file}`);
    emit(sink, `  replay:     strata replay ${shellWord(r.file)}`);
  }
  if (r.origin === 'corpus') {
    const when = f.explore
      ? ` (found by strata explore: scope ${f.explore.scope}, depth ${f.explore.depth})`
      : f.path !== undefined && f.path !== '' ? ` (fast-check seed ${String(f.seed)}, path "${f.path}" when it was found)` : '';
    emit(sink, `  corpus:     replayed from the corpus before generating${when}`);
  } else {
    const origin = findingOrigin(f);
    emit(sink, `  ${`${origin.label}:`.padEnd(11)} ${origin.words}`);
  }
  emit(sink, `  property:   ${f.statement}`);
  emit(sink, `  failed:     ${f.atStep >= 0 ? `at step #${f.atStep}` : 'in the initial world'}: ${f.message}`);
  emit(sink, `  world:      ${worldWords(r.trace)}`);
  renderTrace(r.trace, sink, { failure: { atStep: f.atStep, property: f.property }, indent: '    ' });
  if (!r.expected) {
    emit(sink, `  hint: ${variant} is expected to satisfy ${f.property}. Replay the file to see the failing step, then fix`);
    emit(sink, `        the variant, the model or the property — or, if this is the design's real behaviour, mark`);
    emit(sink, `        ${f.property} 'violates' in the variant's expectations.`);
  }
}
