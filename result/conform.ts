// The result document of a `strata conform` run, built from the view its text report renders
// (reports/conform.ts): the kernel, the counts (agreed, explained, not compared, discrepancies),
// each shrunk discrepancy with its side-by-side trace, and the verdict. Also the document of a
// run that could not start because the executor cannot run here (`unavailable`).
import type { ConformView } from '../reports/conform.js';
import { shellWord, worldWords, stepWords, kernelResultWords } from '../reports/index.js';
import { resultWords } from '../reports/result-words.js';
import type { ConformResult, DiscrepancyDoc, ResultDocument, Verdict } from './types.js';
import { RESULT_VERSION } from './types.js';
import { fingerprint, taskTree, stacksAfter } from './trace-doc.js';

function discrepancyDoc(d: ConformView['discrepancies'][number], variant: string): DiscrepancyDoc {
  const s = d.scenario;
  const disc = s.discrepancy!;
  const kernel = s.kernel?.results ?? [];
  const opKinds = s.ops.map((o) => o.op);
  return {
    signature: d.signature,
    file: d.file,
    scenarios: d.scenarios,
    ops: s.ops.length,
    opKinds,
    originalOps: d.originalOps,
    shrinks: d.shrinks,
    kernelRuns: d.kernelRuns,
    budgetSpent: d.budgetSpent,
    reproduced: d.reproduced,
    seed: disc.seed,
    path: disc.path,
    steps: disc.steps,
    message: disc.message,
    replay: `strata replay --target kernel ${shellWord(d.file)}`,
    fingerprint: fingerprint([variant, d.signature], opKinds),
    world: `${worldWords(d.trace)}; kernel ${s.kernel?.release ?? '?'} (Landlock ABI ${s.kernel?.landlockAbi ?? '?'})`,
    trace: d.trace.steps.map((st) => {
      const k = kernel[st.index];
      const m = d.marks[st.index];
      return {
        index: st.index,
        tid: st.out.tid,
        op: stepWords(st),
        model: resultWords(st.op, st.out.result),
        kernel: k ? kernelResultWords(st.op, k.result) : '(no result)',
        mark: m ? (m.mark === 'same' ? 'same' : `${m.mark.replace('_', ' ')}${m.note ? `: ${m.note}` : ''}`) : 'not compared: no kernel result',
      };
    }),
    tasks: taskTree(d.trace),
    stacks: stacksAfter(d.trace, disc.steps[0]),
    table: d.table ?? [],
    scenario: s,
  };
}

export interface ConformResultInput {
  readonly strataVersion: string;
  readonly view: ConformView;
  readonly fullTable: boolean;
  readonly verdict: Verdict;
}

export function buildConformResult(in_: ConformResultInput): ResultDocument {
  const v = in_.view;
  const explainedSteps = v.explained.reduce((a, e) => a + e.steps, 0);
  const conform: ConformResult = {
    kernel: { release: v.kernel, landlockAbi: v.landlockAbi },
    unavailable: null,
    variant: v.variant,
    seed: v.seed,
    runs: v.runs,
    maxOps: v.maxOps,
    fullTable: in_.fullTable,
    scenarios: v.scenarios,
    ops: v.ops,
    kernelRuns: v.kernelRuns,
    elapsedMs: v.elapsedMs,
    timeBudgetSpent: v.interrupted,
    counts: {
      agreed: v.sameSteps,
      explained: explainedSteps,
      notCompared: v.notCompared.reduce((a, c) => a + c.steps, 0),
      discrepancies: v.unexplainedScenarios,
      steps: v.steps ?? 0,
      compared: v.comparedSteps ?? 0,
      incompleteRuns: v.incompleteRuns,
    },
    table: v.table ? { entries: v.table.entries, same: v.table.same, explained: v.table.explained, notCompared: v.table.notCompared.reduce((a, c) => a + c.steps, 0) } : null,
    explained: v.explained.map((e) => ({ id: e.id, title: e.title, reason: e.reason, citation: e.citation, steps: e.steps, scenarios: e.scenarios })),
    notCompared: v.notCompared.map((c) => ({ category: c.category, steps: c.steps, reasons: c.reasons.map((r) => ({ reason: r.reason, steps: r.steps })) })),
    discrepancies: v.discrepancies.map((d) => discrepancyDoc(d, v.variant)),
    unshrunk: v.unshrunk.map((u) => ({ signature: u.signature, scenarios: u.scenarios })),
    notReproduced: (v.notReproduced ?? []).map((n) => ({ file: n.file, signature: n.signature, run: n.run, rerun: n.rerun })),
    unfinished: (v.unfinished ?? []).map((u) => ({ file: u.file, run: u.run, why: u.why })),
  };
  return {
    strata: 'result', version: RESULT_VERSION, command: 'conform', strataVersion: in_.strataVersion,
    interrupted: v.interruptedBy !== undefined ? { signal: v.interruptedBy } : null,
    verdict: in_.verdict,
    conform,
  };
}

/** The document of a conform run that could not start: the executor cannot run here. */
export function unavailableConformResult(strataVersion: string, reason: string, opts: { readonly variant: string; readonly seed: number; readonly runs: number; readonly maxOps: number; readonly fullTable: boolean }): ResultDocument {
  return {
    strata: 'result', version: RESULT_VERSION, command: 'conform', strataVersion,
    interrupted: null,
    verdict: { status: 'unavailable', exitCode: 2, summary: `the live-kernel executor cannot run here: ${reason}`, problems: [reason] },
    conform: {
      kernel: null, unavailable: reason, variant: opts.variant, seed: opts.seed, runs: opts.runs, maxOps: opts.maxOps, fullTable: opts.fullTable,
      scenarios: 0, ops: 0, kernelRuns: 0, elapsedMs: 0, timeBudgetSpent: false,
      counts: { agreed: 0, explained: 0, notCompared: 0, discrepancies: 0, steps: 0, compared: 0, incompleteRuns: 0 },
      table: null, explained: [], notCompared: [], discrepancies: [], unshrunk: [], notReproduced: [], unfinished: [],
    },
  };
}
