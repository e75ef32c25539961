// A scenario's model trace beside its live-kernel run: per step the op (as the model resolved
// it), the model's result and the kernel's, and a mark — ✗ the kernel differs (unexplained),
// ≈ it differs as a documented model decision explains, · nothing to compare — with the reason
// under a marked step. For `strata conform` and `strata replay --target kernel`.
import type { ModelTrace } from '../properties/trace.js';
import type { KernelStep } from '../scenario/kernel-result.js';
import type { Sink } from './sink.js';
import { emit } from './sink.js';
import { stepWords } from './text.js';
import { resultWords } from './result-words.js';
import { kernelResultWords } from './kernel-words.js';
import { tidWords } from './op-words.js';
import { layerChanges } from './layers.js';

export type StepMark = 'same' | 'different' | 'explained' | 'not_compared';

export interface MarkedStep {
  readonly mark: StepMark;
  /** Why the step is marked (the difference, the explaining entry, why nothing is compared). */
  readonly note?: string;
}

export interface SideBySideOptions {
  /** Prefix of every line (default two spaces). */
  readonly indent?: string;
  /** Widest model column before the kernel's result goes on a line of its own (default 56). */
  readonly modelWidth?: number;
}

const MARKS: Readonly<Record<StepMark, string>> = { same: ' ', different: '✗', explained: '≈', not_compared: '·' };

/** Render `trace` beside `kernel` (one KernelStep per op), with `marks` (one per op). */
export function renderSideBySide(trace: ModelTrace, kernel: readonly KernelStep[], marks: readonly MarkedStep[], sink: Sink, opts: SideBySideOptions = {}): void {
  const ind = opts.indent ?? '  ';
  const cap = opts.modelWidth ?? 56;
  if (trace.steps.length === 0) emit(sink, `${ind}(no operations)`);
  const width = String(Math.max(0, trace.steps.length - 1)).length;
  const sub = `${ind}  ${' '.repeat(width + 2)}`;
  const modelWords = trace.steps.map((s) => `model  ${resultWords(s.op, s.out.result)}`);
  const col = Math.min(cap, Math.max(0, ...modelWords.map((w) => w.length)));
  for (const step of trace.steps) {
    const i = step.index;
    const mark = marks[i] ?? { mark: 'not_compared', note: 'no kernel result' };
    emit(sink, `${ind}${MARKS[mark.mark]} #${String(i).padStart(width)} ${stepWords(step)}`);
    const k = kernel[i];
    const kTid = k && k.tid !== step.out.tid ? ` (${tidWords(k.tid)})` : '';
    const kWords = k ? `kernel${kTid}  ${kernelResultWords(step.op, k.result)}` : 'kernel  (no result)';
    const m = modelWords[i]!;
    if (m.length <= col) emit(sink, `${sub}${m.padEnd(col)} │ ${kWords}`);
    else {
      emit(sink, `${sub}${m}`);
      emit(sink, `${sub}${' '.repeat(col)} │ ${kWords}`);
    }
    if (mark.mark !== 'same' && mark.note) emit(sink, `${sub}${mark.mark === 'different' ? '≠' : mark.mark === 'explained' ? '≈' : '·'} ${mark.note}`);
    for (const l of layerChanges(step.before, step.after)) emit(sink, `${sub}layers (model): ${l}`);
  }
}
