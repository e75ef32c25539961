// A trace as a readable, step-by-step account: which task did what (op in words, resolved tid),
// what came of it (errno names, new tids and fds), which layers changed (each task's seccomp and
// Landlock stacks before → after), which decisions became weaker and for which request, and —
// for `strata replay` — the world's change and any difference from the recorded results.
import type { Task } from '../model/state.js';
import type { OpResult } from '../model/result.js';
import type { ModelTrace, TraceStep } from '../properties/trace.js';
import type { TraceStep as RecordedStep } from '../scenario/types.js';
import type { Sink } from './sink.js';
import { emit } from './sink.js';
import { opWords, tidWords } from './op-words.js';
import { resultWords } from './result-words.js';
import { layerChanges } from './layers.js';
import { decisionDiff, changeWords, stricterSummary } from './weaker.js';
import { worldDiff } from './state.js';
import { taskChanges } from './task-changes.js';
import { resolveTask } from '../model/step.js';

export interface TraceReportOptions {
  /** Show the world's change after every step (strata replay). */
  readonly state?: boolean;
  /** Results recorded in the scenario file: steps whose re-run differs are marked. */
  readonly recorded?: readonly RecordedStep[];
  /** The step at which a property failed, and its id, to mark it. */
  readonly failure?: { readonly atStep: number; readonly property: string };
  /** Most weaker decisions listed per step (default 8); the rest are counted. */
  readonly maxWeaker?: number;
  /** Prefix of every line (default two spaces). */
  readonly indent?: string;
}

export interface TraceReportSummary {
  /** Steps whose re-run result or tid differs from the recorded one. */
  readonly mismatches: readonly number[];
}

const WRAP_AT = 110;

/** The initial world in one line: ABI, the first task's credentials, the universe size. */
export function worldWords(trace: ModelTrace): string {
  const first = trace.initial.tasks.at(0);
  const who = first ? `t${first.tid} ${first.capSysAdmin ? 'with' : 'without'} CAP_SYS_ADMIN, no_new_privs ${first.nnp ? 1 : 0}` : 'no task';
  const u = trace.universe;
  return `Landlock ABI ${trace.world.abi}; ${who}; decisions over ${u.syscalls.length} syscalls + ${u.landlock.length} Landlock requests`;
}

/** Render every step of `trace`. Returns the steps that differ from `opts.recorded`. */
export function renderTrace(trace: ModelTrace, sink: Sink, opts: TraceReportOptions = {}): TraceReportSummary {
  const r = new StepRenderer(trace, sink, trace.steps.length, opts);
  for (const step of trace.steps) r.render(step);
  return r.summary();
}

/**
 * The rendering of one step at a time, for a trace whose steps are not all kept (strata replay
 * of a long scenario renders each step as the model makes it). `trace` supplies the decision
 * memo and universe; its `steps` are not read. `count` is the number of steps (for the width
 * of step numbers).
 */
export class StepRenderer {
  private readonly ind: string;
  private readonly sub: string;
  private readonly width: number;
  private readonly mismatches: number[] = [];

  constructor(private readonly trace: ModelTrace, private readonly sink: Sink, count: number, private readonly opts: TraceReportOptions = {}) {
    this.ind = opts.indent ?? '  ';
    this.sub = `${this.ind}     `;
    this.width = String(Math.max(0, count - 1)).length;
    if (count === 0) emit(sink, `${this.ind}(no operations)`);
  }

  render(step: TraceStep): void {
    const { sink, opts, sub } = this;
    const head = `${this.ind}#${String(step.index).padStart(this.width)} ${stepWords(step)}`;
    const res = `→ ${resultWords(step.op, step.out.result)}`;
    if (head.length + res.length + 1 <= WRAP_AT) emit(sink, `${head} ${res}`);
    else {
      emit(sink, head);
      emit(sink, `${sub}${res}`);
    }
    const rec = opts.recorded?.[step.index];
    if (rec && (rec.tid !== step.out.tid || !sameResult(rec.result, step.out.result))) {
      this.mismatches.push(step.index);
      emit(sink, `${sub}≠ recorded: ${tidWords(rec.tid)} → ${resultWords(step.op, rec.result)}`);
    }
    if (step.before === step.after) {
      if (opts.failure && opts.failure.atStep === step.index) emit(sink, `${sub}✗ ${opts.failure.property} fails here`);
      return;
    }
    // Which tasks the step touched, worked out once for the three reports below.
    const changes = taskChanges(step.before, step.after);
    for (const l of layerChanges(step.before, step.after, changes)) emit(sink, `${sub}layers: ${l}`);
    const d = decisionDiff(this.trace, step, changes);
    const max = opts.maxWeaker ?? 8;
    d.weaker.slice(0, max).forEach((c) => emit(sink, `${sub}weaker: ${changeWords(this.trace, c)}`));
    if (d.weaker.length > max) emit(sink, `${sub}weaker: … and ${d.weaker.length - max} more`);
    if (d.stricter.length) emit(sink, `${sub}stricter: ${stricterSummary(d.stricter)}`);
    if (opts.state) for (const l of worldDiff(step.before, step.after, changes)) emit(sink, `${sub}state: ${l}`);
    if (opts.failure && opts.failure.atStep === step.index) emit(sink, `${sub}✗ ${opts.failure.property} fails here`);
  }

  /** The steps rendered so far that differ from `opts.recorded`. */
  summary(): TraceReportSummary {
    return { mismatches: this.mismatches.slice() };
  }
}

/** `t100 fork()` — the acting task (as resolved) and the op in words. */
export function stepWords(step: TraceStep): string {
  return `${tidWords(step.out.tid)} ${opWords(step.op, step.before, actorBefore(step))}`;
}

/** The acting task in the world before the step: the task the op's reference resolves to
 * (model/step.ts:resolveTask), else found by tid. */
function actorBefore(step: TraceStep): Task | undefined {
  const tid = step.out.tid;
  if (tid === 0) return undefined;
  const ref = (step.op as { task?: unknown }).task;
  const byRef = typeof ref === 'number' ? resolveTask(step.before, ref) : undefined;
  if (byRef && byRef.tid === tid) return byRef;
  return step.before.tasks.find((t) => t.tid === tid);
}

/** Results equal as JSON values (key order aside). */
export function sameResult(a: OpResult, b: OpResult): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const rec = v as Record<string, unknown>;
    return `{${Object.keys(rec).filter((k) => rec[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(rec[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
