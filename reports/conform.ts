// The report of `strata conform`, as plain text to a sink: the run in one line, every shrunk
// discrepancy (its file, the replay command, the fast-check seed and path, and the model's
// trace beside the kernel's), the differences a re-run did not reproduce (with their files),
// the explained differences by entry, what could not be compared and why, and the verdict: one
// closing line per reason the run fails (conformance/verdict.ts), or `ok`. An interrupted run's
// report is the same, marked partial.
import type { Scenario } from '../scenario/types.js';
import type { ModelTrace } from '../properties/trace.js';
import type { Sink } from './sink.js';
import { emit } from './sink.js';
import { shellWord } from './finding.js';
import { worldWords } from './text.js';
import type { MarkedStep } from './side-by-side.js';
import { renderSideBySide } from './side-by-side.js';

export interface ConformDiscrepancyView {
  /** Where the scenario was written (as the user should type it). */
  readonly file: string;
  /** The shrunk scenario (model results, kernel run, discrepancy). */
  readonly scenario: Scenario;
  /** The model's re-run of it, and the marks of its steps. */
  readonly trace: ModelTrace;
  readonly marks: readonly MarkedStep[];
  readonly signature: string;
  readonly originalOps: number;
  readonly shrinks: number;
  readonly kernelRuns: number;
  readonly budgetSpent: boolean;
  readonly reproduced: boolean;
  /** An interrupt ended its shrinking (the scenario is the smallest found so far). */
  readonly shrinkInterrupted?: boolean;
  /** Scenarios of the run with this signature. */
  readonly scenarios: number;
  /** The differing full-table entries, one line each (none: only steps differ). */
  readonly table?: readonly string[];
}

export interface ConformView {
  readonly kernel: string;
  readonly landlockAbi: number;
  readonly variant: string;
  readonly seed: number;
  readonly runs: number;
  readonly maxOps: number;
  readonly scenarios: number;
  readonly ops: number;
  readonly kernelRuns: number;
  readonly elapsedMs: number;
  readonly interrupted: boolean;
  readonly discrepancies: readonly ConformDiscrepancyView[];
  /** Signatures found but not shrunk (past the limit of shrunk discrepancies). */
  readonly unshrunk: readonly { readonly signature: string; readonly scenarios: number }[];
  readonly unexplainedScenarios: number;
  readonly explained: readonly {
    readonly id: string; readonly title: string; readonly reason: string; readonly citation: string;
    readonly steps: number; readonly scenarios: number;
  }[];
  readonly notCompared: readonly { readonly category: string; readonly steps: number; readonly reasons: readonly { readonly reason: string; readonly steps: number }[] }[];
  readonly sameSteps: number;
  /** Full-table observes, when they ran: entries, the same, explained, and not compared by category. */
  readonly table?: { readonly entries: number; readonly same: number; readonly explained: number; readonly lost?: number; readonly explainedBy: readonly { readonly id: string; readonly entries: number }[]; readonly notCompared: readonly { readonly category: string; readonly steps: number; readonly reasons: readonly { readonly reason: string; readonly steps: number }[] }[] };
  readonly incompleteRuns: number;
  /** Steps of the run, and those compared (same, explained or different). */
  readonly steps?: number;
  readonly comparedSteps?: number;
  /** Differences a re-run did not show again, each written to `file`. */
  readonly notReproduced?: readonly { readonly file: string; readonly signature: string; readonly run: number; readonly rerun: string }[];
  /** Kernel runs that did not finish (the first few), each written to `file` to replay. */
  readonly unfinished?: readonly { readonly file: string; readonly run: number; readonly why: string }[];
  /** They fail the run (--fail-unreproduced). */
  readonly failUnreproduced?: boolean;
  /** The verdict's reasons to fail (conformance/verdict.ts); empty: ok. */
  readonly problems?: readonly string[];
  /** The signal that interrupted the run (SIGINT, ...): the report is partial. */
  readonly interruptedBy?: string;
  /** Print each discrepancy's side-by-side trace (default true). */
  readonly traces?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Render the whole report. */
export function renderConform(v: ConformView, sink: Sink): void {
  emit(sink, `strata conform: kernel ${v.kernel} (Landlock ABI ${v.landlockAbi}) · model ${v.variant} · seed ${v.seed} · ${v.runs} runs · up to ${v.maxOps} ops · ${(v.elapsedMs / 1000).toFixed(1)} s`);
  const stop = v.interruptedBy !== undefined ? ` — interrupted by ${v.interruptedBy}: partial report` : v.interrupted ? ' — interrupted by the time budget' : '';
  emit(sink, `  ${plural(v.scenarios, 'scenario')} (${plural(v.ops, 'op')}) on both sides, ${plural(v.kernelRuns, 'kernel run')} in all${stop}`);
  if (v.discrepancies.length > 0) {
    emit(sink, 'discrepancies (replay one with strata replay --target kernel <file>):');
    for (const d of v.discrepancies) {
      emit(sink, `  ${d.file}  ${d.signature}  (fast-check seed ${d.scenario.discrepancy!.seed}, path "${d.scenario.discrepancy!.path}")`);
    }
  }
  for (const d of v.discrepancies) {
    emit(sink, '');
    renderDiscrepancy(d, sink, v.traces !== false);
  }
  for (const u of v.unshrunk) {
    emit(sink, '');
    emit(sink, `✗ also: ${u.signature} in ${plural(u.scenarios, 'scenario')} (not shrunk: the limit of shrunk discrepancies was reached)`);
  }
  const nr = v.notReproduced ?? [];
  if (nr.length > 0) {
    emit(sink, '');
    emit(sink, `not reproduced (a re-run of the same scenario did not differ the same way; ${v.failUnreproduced === true ? 'they fail the run: --fail-unreproduced' : 'they do not fail the run'}):`);
    for (const n of nr) emit(sink, `  ? ${n.file}  ${n.signature}  (run ${n.run}; the re-run showed ${n.rerun})`);
  }
  emit(sink, '');
  if (v.explained.length > 0) {
    emit(sink, 'explained differences (documented model decisions, conformance/explained.ts):');
    for (const e of v.explained) {
      emit(sink, `  ≈ ${e.id}: ${e.steps || e.scenarios ? `${plural(e.steps, 'step')} in ${plural(e.scenarios, 'scenario')}` : 'full-table entries only'} — ${e.title}`);
      emit(sink, `      why: ${e.reason}`);
      emit(sink, `      see: ${e.citation}`);
    }
  } else emit(sink, 'explained differences: none');
  if (v.notCompared.length > 0) {
    emit(sink, 'not compared (the kernel\'s run says nothing about these steps):');
    for (const c of v.notCompared) {
      emit(sink, `  · ${c.category}: ${plural(c.steps, 'step')}`);
      for (const r of c.reasons.slice(0, 3)) emit(sink, `      ${r.steps}× ${r.reason}`);
      if (c.reasons.length > 3) emit(sink, `      … and ${plural(c.reasons.length - 3, 'other reason')}`);
    }
  }
  if (v.incompleteRuns > 0) {
    emit(sink, `  ${plural(v.incompleteRuns, 'kernel run')} did not finish (timeout or executor failure): their remaining steps are not compared`);
    const u = v.unfinished ?? [];
    if (u.length > 0) emit(sink, `  replay one with strata replay --target kernel <file>${u.length < v.incompleteRuns ? ` (${u.length} of them are written)` : ''}:`);
    for (const x of u) emit(sink, `    ⧖ ${x.file}  (run ${x.run}) ${x.why}`);
  }
  const explainedSteps = v.explained.reduce((a, e) => a + e.steps, 0);
  const of = v.steps !== undefined && v.comparedSteps !== undefined ? ` (${v.comparedSteps} of ${plural(v.steps, 'step')} compared)` : '';
  emit(sink, `compared: ${plural(v.sameSteps, 'step')} the same, ${plural(explainedSteps, 'step')} explained${of}`);
  if (v.table) {
    const nc = v.table.notCompared.reduce((a, c) => a + c.steps, 0);
    const by = v.table.explainedBy.map((e) => `${e.id} ${e.entries}`).join(', ');
    emit(sink, `full tables: ${plural(v.table.entries, 'entry', 'entries')} (every live task × every request, after observes and at the end): ${v.table.same} the same, ${v.table.explained} explained${by ? ` (${by}; see above)` : ''}, ${nc} not compared`);
    for (const c of v.table.notCompared) {
      emit(sink, `  · ${c.category}: ${plural(c.steps, 'entry', 'entries')}`);
      for (const r of c.reasons.slice(0, 3)) emit(sink, `      ${r.steps}× ${r.reason}`);
      if (c.reasons.length > 3) emit(sink, `      … and ${plural(c.reasons.length - 3, 'other reason')}`);
    }
    if ((v.table.lost ?? 0) > 0) emit(sink, `  ${plural(v.table.lost!, 'entry', 'entries')} lost to a timeout or an executor failure (their kernel runs count as not finished)`);
  } else emit(sink, 'full tables: off (--no-table)');
  emit(sink, '');
  if (v.interruptedBy !== undefined) {
    const files = v.discrepancies.length + nr.length;
    emit(sink, `INTERRUPTED by ${v.interruptedBy} after ${plural(v.scenarios, 'scenario')} of ${v.runs}: no verdict (${plural(files, 'scenario file')} written, listed above)`);
    for (const p of v.problems ?? []) emit(sink, `  so far: ${p}`);
    return;
  }
  // the rule's other reasons first; the discrepancy line (if any) closes the report
  const problems = (v.problems ?? []).filter((p) => !/with an unexplained discrepancy/.test(p));
  for (const p of problems) emit(sink, `FAIL: ${p}`);
  if (v.unexplainedScenarios === 0) {
    if (problems.length === 0) {
      const flaky = nr.length > 0 ? `; ${plural(nr.length, 'difference')} not reproduced, listed above` : '';
      emit(sink, `ok: no unexplained discrepancy in ${plural(v.scenarios, 'scenario')}${explainedSteps ? ` (${plural(explainedSteps, 'explained difference')}, listed above)` : ''}${flaky}`);
    }
  } else {
    const kinds = v.discrepancies.length + v.unshrunk.length;
    emit(sink, `FAIL: ${plural(v.unexplainedScenarios, 'scenario')} of ${v.scenarios} with an unexplained discrepancy (${plural(kinds, 'kind')}, ${v.discrepancies.length} shrunk and written)`);
  }
}

/** One shrunk discrepancy: where it is, how to replay it, and the two traces side by side. */
export function renderDiscrepancy(d: ConformDiscrepancyView, sink: Sink, traces = true): void {
  const s = d.scenario;
  const disc = s.discrepancy!;
  emit(sink, `✗ the kernel differs from the model in ${plural(s.ops.length, 'op')}: ${d.signature}`);
  emit(sink, `  scenario:   ${d.file}`);
  emit(sink, `  replay:     strata replay --target kernel ${shellWord(d.file)}`);
  emit(sink, `  fast-check: seed ${disc.seed}, path "${disc.path}"`);
  const shrink = d.shrinkInterrupted === true
    ? `from ${plural(d.originalOps, 'op')}, ${plural(d.shrinks, 'shrink')}, ${plural(d.kernelRuns, 'kernel run')} (interrupted: it may shrink further)`
    : d.reproduced
    ? `from ${plural(d.originalOps, 'op')}, ${plural(d.shrinks, 'shrink')}, ${plural(d.kernelRuns, 'kernel run')}${d.budgetSpent ? ' (the kernel budget was spent: it may shrink further)' : ''}`
    : `not shrunk: the generated scenario did not differ again when replayed (${plural(d.kernelRuns, 'kernel run')}); this is the original observation`;
  emit(sink, `  shrunk:     ${shrink}`);
  emit(sink, `  found in:   ${plural(d.scenarios, 'scenario')} of the run`);
  emit(sink, `  differs:    ${disc.steps.length ? `${disc.steps.map((i) => `#${i}`).join(', ')}: ` : ''}${disc.message}`);
  emit(sink, `  world:      ${worldWords(d.trace)}; kernel ${s.kernel?.release ?? '?'} (Landlock ABI ${s.kernel?.landlockAbi ?? '?'})`);
  if (traces) renderSideBySide(d.trace, s.kernel?.results ?? [], d.marks, sink, { indent: '    ' });
  const table = d.table ?? [];
  for (const line of table.slice(0, 10)) emit(sink, `    ✗ ${line}`);
  if (table.length > 10) emit(sink, `    … and ${table.length - 10} more full-table entries`);
}
