// One scenario's model trace against its kernel run, step by step: which steps agree, which
// differ (and whether a documented model decision explains the difference, explained.ts), and
// which the kernel's run says nothing about (a skip, an executor error, a timeout, an unknown
// layer count). Once the kernel did not carry out a step that changed the model's world (or the
// executor lost track of the task), the two worlds part and no later step is compared (each is
// reported as not compared, with the step it follows).
import type { Op } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import type { ModelTrace } from '../properties/trace.js';
import type { KernelOpResult, KernelStep } from '../scenario/kernel-result.js';
import { compareResult, answeringOp } from './compare.js';
import type { ExplainedDifference } from './explained.js';
import { EXPLAINED } from './explained.js';

export type StepStatus =
  | { readonly status: 'same' }
  /** A difference no documented model decision explains: a discrepancy. */
  | { readonly status: 'different'; readonly why: string }
  /** A difference a documented model decision explains (explained.ts). */
  | { readonly status: 'explained'; readonly why: string; readonly entry: ExplainedDifference }
  /** Nothing to compare: `category` groups the reasons in reports (skip, executor error, …). */
  | { readonly status: 'not_compared'; readonly why: string; readonly category: NotComparedCategory };

export type NotComparedCategory =
  /** The kernel lacks a feature, or the op is unsafe to run there (conformance/skips.ts). */
  | 'skipped'
  /** The op or the scenario ran out of time. */
  | 'timeout'
  /** The executor could not carry the op out (a plumbing call failed, a task stopped answering). */
  | 'executor'
  /** observe: the Landlock layer oracle could not run (a filter of the task decides its calls). */
  | 'layer count unknown'
  /** The op ran, but the kernel does not show what tells the model's outcomes apart (compare.ts:
   * a lone process's exit status before Linux 6.15). */
  | 'not observable'
  /** An earlier step the kernel did not carry out as the model did. */
  | 'after an earlier step';

export interface ScenarioDiff {
  /** One per op. */
  readonly steps: readonly StepStatus[];
  /** Indices of the steps that differ unexplained (the discrepancy), in order. */
  readonly unexplained: readonly number[];
  /** The step after which the two worlds parted (nothing later is compared), with the reason;
   * null when they never did. */
  readonly parted: { readonly after: number; readonly why: string } | null;
}

export interface DiffInput {
  readonly ops: readonly Op[];
  readonly model: ModelTrace;
  readonly kernel: readonly KernelStep[];
  /** The documented model decisions to consult (default: explained.ts EXPLAINED). */
  readonly explained?: readonly ExplainedDifference[];
}

/** Kernel results that say the kernel did not carry the op out. */
function notCarriedOut(k: KernelOpResult): NotComparedCategory | null {
  switch (k.kind) {
    case 'skip': return 'skipped';
    case 'timeout': return 'timeout';
    case 'not_run': return 'after an earlier step';
    case 'error': return 'executor';
    default: return null;
  }
}

/** Compare a scenario's model trace with its kernel run. */
export function diffScenario(input: DiffInput): ScenarioDiff {
  const { ops, model, kernel } = input;
  const explained = input.explained ?? EXPLAINED;
  const steps: StepStatus[] = [];
  const unexplained: number[] = [];
  let parted: string | null = null;
  let partedAfter = -1;
  const modelSteps = model.steps.map((s) => ({ tid: s.out.tid, result: s.out.result }));
  for (let i = 0; i < ops.length; i++) {
    if (parted !== null && partedAfter < 0) partedAfter = i - 1;
    const m = model.steps[i];
    const k = kernel[i];
    if (!m || !k) {
      steps.push({ status: 'not_compared', why: 'no result recorded for this step', category: 'executor' });
      continue;
    }
    if (parted !== null) {
      steps.push({ status: 'not_compared', why: parted, category: 'after an earlier step' });
      continue;
    }
    const missing = notCarriedOut(k.result);
    if (missing !== null) {
      steps.push({ status: 'not_compared', why: notComparableWhy(k.result), category: missing });
      if (parts(missing, ops[i]!, k.result, m.after !== m.before)) parted = `after step #${i}, which the kernel did not carry out (${missing})`;
      continue;
    }
    const v = compareResult(m.out.result, k.result, answeringOp(ops, modelSteps, i) ?? ops[i]);
    if (v.verdict === 'not_comparable') {
      steps.push({ status: 'not_compared', why: v.why, category: v.unobservable ? 'not observable' : 'layer count unknown' });
      continue;
    }
    const killed = thenKilled(k.result);
    if (killed !== null) parted = `after step #${i}: ${killed}`;
    let why: string | null = v.verdict === 'different' ? v.why : null;
    if (why === null && m.out.tid !== k.tid) why = `model tid ${m.out.tid}, kernel tid ${k.tid}`;
    if (why === null) {
      steps.push({ status: 'same' });
      continue;
    }
    const entry = explained.find((e) => e.matches({ index: i, op: ops[i]!, model: m, trace: model, kernel: k }));
    if (entry) {
      steps.push({ status: 'explained', why, entry });
      if (entry.after === 'stop') parted = `after step #${i}, whose difference is explained (${entry.id}) and parts the worlds`;
      continue;
    }
    steps.push({ status: 'different', why });
    unexplained.push(i);
  }
  if (parted !== null && partedAfter < 0) partedAfter = ops.length - 1;
  return { steps, unexplained, parted: parted === null ? null : { after: partedAfter, why: parted } };
}

/**
 * Whether a step the kernel did not carry out parts the two worlds. A skipped op, or a probe the
 * executor could not make (e.g. an abstract-socket target's listener), leaves them together when
 * it changed nothing in the model; a timeout, a task that stopped answering, a descriptor a filter
 * kept open (later descriptor numbers differ), or any op the model carried out, parts them.
 */
function parts(category: NotComparedCategory, op: Op, k: KernelOpResult, modelChanged: boolean): boolean {
  if (modelChanged) return true;
  if (category === 'skipped') return false;
  if (category !== 'executor' || op.op !== 'probe' || k.kind !== 'error') return true;
  return /no longer answers|descriptor numbers no longer match/.test(k.message);
}

/**
 * The task's call returned and the task then died at its next system call, the executor's reply,
 * killed by the filter the op had just installed (ops.c:op_filter): the model's task makes no such
 * call and lives on, so the worlds part after this step.
 */
function thenKilled(k: KernelOpResult): string | null {
  if ((k.kind !== 'ok' && k.kind !== 'err') || !k.thenKilled) return null;
  const d = k.thenKilled;
  return `the task's call returned, then the filter it had just installed killed it (${d.scope}${d.signal ? `, ${d.signal}` : ''}) ` +
    'at its next system call, the executor\'s reply, which the model\'s task does not make';
}

function notComparableWhy(k: KernelOpResult): string {
  switch (k.kind) {
    case 'skip': return `skipped on the kernel: ${k.reason}`;
    case 'timeout': return `timed out on the kernel after ${k.ms} ms (${k.scope})`;
    case 'not_run': return `not run on the kernel: ${k.reason}`;
    case 'error': return `executor error: ${k.message}`;
    default: return k.kind;
  }
}

/**
 * A short, stable name for a scenario's first unexplained difference: the op and the two
 * results' kinds (`probe: allow | errno`). Shrinking keeps to one signature, so it minimises
 * the discrepancy it started from; a long run shrinks each signature once.
 */
export function discrepancySignature(ops: readonly Op[], model: ModelTrace, kernel: readonly KernelStep[], diff: ScenarioDiff): string | null {
  const i = diff.unexplained[0];
  if (i === undefined) return null;
  const m = model.steps[i]!.out;
  const k = kernel[i]!;
  const tid = m.tid !== k.tid ? ' (tid)' : '';
  return `${ops[i]!.op}: ${modelKind(m.result)} | ${kernelKind(k.result)}${tid}`;
}

function modelKind(r: OpResult): string {
  if (r.kind === 'probe') return r.probe.outcome.kind;
  if (r.kind === 'stopped') return `stopped ${r.outcome.kind}`;
  if (r.kind === 'killed') return `killed ${r.scope}`;
  return r.kind;
}

function kernelKind(r: KernelOpResult): string {
  if (r.kind === 'probe') return r.outcome.kind;
  if (r.kind === 'stopped') return `stopped ${r.outcome.kind}`;
  if (r.kind === 'killed') return `killed ${r.scope}`;
  return r.kind;
}

/** The marks of a side-by-side report (reports/side-by-side.ts MarkedStep), one per step. */
export function stepMarks(diff: ScenarioDiff): { readonly mark: 'same' | 'different' | 'explained' | 'not_compared'; readonly note?: string }[] {
  return diff.steps.map((s) => {
    switch (s.status) {
      case 'same': return { mark: 'same' };
      case 'different': return { mark: 'different', note: s.why };
      case 'explained': return { mark: 'explained', note: `explained (${s.entry.id}): ${s.why}` };
      case 'not_compared': return { mark: 'not_compared', note: `not compared (${s.category}): ${s.why}` };
    }
  });
}

/**
 * The signature of a scenario's first unexplained full-table difference (conformance/
 * table-diff.ts): `table <request kind>: <model> | <kernel>`, as discrepancySignature names a
 * step's. A scenario with an unexplained step difference is named by that step instead.
 */
export function tableSignature(table: { readonly entries: readonly { readonly status: StepStatus; readonly model?: OpResult; readonly request?: { readonly kind: string }; readonly entry: { readonly result: KernelOpResult } }[]; readonly unexplained: readonly number[] }): string | null {
  const i = table.unexplained[0];
  if (i === undefined) return null;
  const e = table.entries[i]!;
  return `table ${e.request?.kind ?? '?'}: ${e.model ? modelKind(e.model) : '?'} | ${kernelKind(e.entry.result)}`;
}
