// What a conformance comparison is worth: which of a scenario's uncompared steps are covered by a
// documented reason, which were lost because the kernel run failed, and the rule that turns a
// run's tallies into a verdict. `strata conform` and `strata replay --target kernel` both use it,
// so "nothing compared" is never "ok".
//
// Documented reasons for not comparing a step:
//   - skipped: the kernel lacks a feature or the op is unsafe to run (skips.ts);
//   - layer count unknown: a filter of the task decides the layer oracle's calls (protocol.md);
//   - not observable: the kernel does not show what tells the model's outcomes apart (a lone
//     process's exit status before Linux 6.15, compare.ts);
//   - an executor error protocol.md documents as a consequence of the scenario's own filters
//     (an abstract-socket target's listener that could not be made, a task whose filters deny
//     its channel, a descriptor a filter kept open);
//   - after an earlier step that was not compared for one of these reasons, or whose difference
//     explained.ts explains and parts the worlds.
// Anything else — an op or scenario timeout, an executor that failed or was killed, a step with
// no result, a kernel run whose status is not `ok` — means the kernel run failed: those steps
// are lost, and the run that lost them is unfinished.
import type { KernelRunStatus } from '../scenario/kernel-result.js';
import type { ScenarioDiff, StepStatus } from './diff.js';
import type { TableDiff, TableEntryDiff } from './table-diff.js';

/** Executor errors protocol.md documents as the scenario's own doing (its filters). */
const DOCUMENTED_EXECUTOR_ERRORS: readonly RegExp[] = [
  /the target's listener/,
  /no longer answers/,
  /descriptor numbers no longer match/,
];

export type NotComparedCause = 'documented' | 'lost';

/** Why each step was not compared (null for a compared step), and whether the run finished. */
export interface Coverage {
  /** Steps compared: the same, explained, or different. */
  readonly compared: number;
  /** Not compared for a documented reason. */
  readonly documented: number;
  /** Not compared because the kernel run failed (timeout, executor failure, no result). */
  readonly lost: number;
  /** The kernel run did not finish: its status is not `ok`, or a step of it was lost. */
  readonly unfinished: boolean;
  readonly causes: readonly (NotComparedCause | null)[];
}

function causeOf(s: Extract<StepStatus, { status: 'not_compared' }>): NotComparedCause {
  switch (s.category) {
    case 'skipped':
    case 'layer count unknown':
    case 'not observable':
      return 'documented';
    case 'executor':
      return DOCUMENTED_EXECUTOR_ERRORS.some((r) => r.test(s.why)) ? 'documented' : 'lost';
    case 'timeout':
      return 'lost';
    case 'after an earlier step':
      return 'lost'; // resolved by the caller from the step that parted the worlds
  }
}

/** Classify a scenario's uncompared steps. `status`: the kernel run's status. */
export function coverage(diff: ScenarioDiff, status: KernelRunStatus): Coverage {
  const causes: (NotComparedCause | null)[] = [];
  let compared = 0;
  let documented = 0;
  let lost = 0;
  // The cause of the latest step that was not an "after an earlier step": diff.ts parts the
  // worlds at such a step, and every later step is "after" it.
  let parting: NotComparedCause = status === 'ok' ? 'documented' : 'lost';
  for (const s of diff.steps) {
    let cause: NotComparedCause | null = null;
    if (s.status === 'not_compared') {
      cause = s.category === 'after an earlier step' ? parting : causeOf(s);
      if (s.category !== 'after an earlier step') parting = cause;
    } else {
      compared++;
      // a compared step parts nothing by itself; an explained step may ('stop'): documented
      parting = s.status === 'explained' || status === 'ok' ? 'documented' : 'lost';
    }
    if (cause === 'documented') documented++;
    if (cause === 'lost') lost++;
    causes.push(cause);
  }
  return { compared, documented, lost, unfinished: status !== 'ok' || lost > 0, causes };
}

/** Classify a scenario's full-table entries as `coverage` does its steps. Documented: a skip (what
 * a disposable child cannot stand for, a feature the kernel lacks), an executor error protocol.md
 * documents as the scenario's own doing, an entry after the worlds parted (the step that parted
 * them is accounted for by `coverage`) or on a task or target the model does not have there.
 * (An entry whose task died while its disposable child probed is a difference, table-diff.ts.)
 * Lost: an entry the kernel lost to a timeout or an executor failure, or not run in a kernel run
 * that did not finish; it makes the run unfinished, as a lost step does. */
export function tableCoverage(table: TableDiff, status: KernelRunStatus): { compared: number; documented: number; lost: number } {
  let compared = 0;
  let documented = 0;
  let lost = 0;
  for (const e of table.entries) {
    const cause = tableEntryCause(e, status);
    if (cause === null) compared++;
    else if (cause === 'documented') documented++;
    else lost++;
  }
  return { compared, documented, lost };
}

/** Why a full-table entry was not compared — a documented reason, or lost (a timeout, an
 * executor failure) — or null when it was compared. */
export function tableEntryCause({ entry, status: s }: TableEntryDiff, status: KernelRunStatus): NotComparedCause | null {
  if (s.status !== 'not_compared') return null;
  const k = entry.result;
  if (s.category === 'after an earlier step' && k.kind !== 'not_run') return 'documented';
  switch (k.kind) {
    case 'skip': return 'documented';
    case 'timeout': return 'lost';
    case 'not_run': return status === 'ok' ? 'documented' : 'lost';
    case 'error': return DOCUMENTED_EXECUTOR_ERRORS.some((r) => r.test(k.message)) ? 'documented' : 'lost';
    // a probe's outcome the comparison could not read (layer count unknown, …)
    case 'probe': return s.category === 'layer count unknown' || s.category === 'skipped' ? 'documented' : 'lost';
    default: return 'lost';
  }
}

/** The counts a verdict is made from (a whole conform run, or one replay). */
export interface VerdictCounts {
  /** Kernel runs made for comparison (the main run's scenarios and their re-runs). */
  readonly kernelRuns: number;
  readonly unfinishedRuns: number;
  readonly steps: number;
  readonly compared: number;
  readonly documented: number;
  readonly lost: number;
  /** Full-table entries (conform with tables; 0 or absent without): compared, not compared for a
   * documented reason, lost to a timeout or an executor failure (tableCoverage). The compared
   * fraction is over steps only; a lost entry counts in `unfinishedRuns` through its run. */
  readonly tableEntries?: number;
  readonly tableCompared?: number;
  readonly tableDocumented?: number;
  readonly tableLost?: number;
  /** Scenarios with an unexplained difference that a re-run reproduced. */
  readonly unexplained: number;
  /** Scenarios with an unexplained difference that a re-run did not reproduce. */
  readonly notReproduced: number;
}

export interface VerdictRule {
  /** Count a discrepancy that did not reproduce against the run (default false). */
  readonly failUnreproduced?: boolean;
}

/** Fewer steps compared than this fraction of all steps is "not searched enough". */
export const MIN_COMPARED_FRACTION = 0.5;

export interface Verdict {
  readonly ok: boolean;
  /** One line per reason the run fails, in a fixed order; empty when ok. */
  readonly problems: readonly string[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The rule: a run is ok only if
 *   1. no scenario has an unexplained difference that a re-run reproduced;
 *   2. every kernel run finished: no run with a status other than `ok`, no step lost to a
 *      timeout or an executor failure;
 *   3. something was compared, and at least MIN_COMPARED_FRACTION of all steps were;
 *   4. with failUnreproduced, no discrepancy failed to reproduce.
 */
export function verdict(c: VerdictCounts, rule: VerdictRule = {}): Verdict {
  const problems: string[] = [];
  if (c.unexplained > 0) problems.push(`${plural(c.unexplained, 'scenario')} with an unexplained discrepancy (reproduced by a re-run)`);
  if (c.unfinishedRuns > 0) {
    const lostParts = [...(c.lost > 0 ? [plural(c.lost, 'step')] : []), ...((c.tableLost ?? 0) > 0 ? [plural(c.tableLost!, 'full-table entry', 'full-table entries')] : [])];
    problems.push(`${plural(c.unfinishedRuns, 'kernel run')} of ${c.kernelRuns} did not finish (timeout or executor failure)${lostParts.length ? `: ${lostParts.join(' and ')} not compared because of it` : ''}`);
  }
  if (c.compared === 0) problems.push(`nothing was compared: 0 of ${plural(c.steps, 'step')}`);
  else if (c.compared < c.steps * MIN_COMPARED_FRACTION) {
    problems.push(`not searched enough: ${c.compared} of ${plural(c.steps, 'step')} compared (the rule asks for at least ${Math.round(MIN_COMPARED_FRACTION * 100)}%)`);
  }
  if (rule.failUnreproduced === true && c.notReproduced > 0) problems.push(`${plural(c.notReproduced, 'discrepancy', 'discrepancies')} not reproduced by a re-run (--fail-unreproduced)`);
  return { ok: problems.length === 0, problems };
}
