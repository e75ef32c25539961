// A model trace in the result document's terms: each step in the text report's words
// (reports/text.ts, so every reporter says what the terminal says) and the process tree the ops
// grew (fork and thread: who made whom, at which step, and when each task was gone).
import { createHash } from 'node:crypto';
import type { ModelTrace } from '../properties/trace.js';
import { StepRenderer, stepWords } from '../reports/text.js';
import { resultWords } from '../reports/result-words.js';
import type { StacksDoc, StepDoc, TaskNode } from './types.js';
import type { LayerNode } from '../properties/stacks.js';

/** Every step of `trace`, with the notes the text report prints under it. */
export function stepDocs(trace: ModelTrace, failure?: { readonly atStep: number; readonly property: string }): StepDoc[] {
  const out: StepDoc[] = [];
  for (const step of trace.steps) {
    const lines: string[] = [];
    new StepRenderer(trace, lines, trace.steps.length, { indent: '', ...(failure ? { failure } : {}) }).render(step);
    const notes = lines.slice(1).map((l) => l.trim()).filter((l) => !l.startsWith('→ ') && !/^✗ .* fails here$/.test(l));
    out.push({
      index: step.index,
      tid: step.out.tid,
      op: stepWords(step),
      result: resultWords(step.op, step.out.result),
      notes,
      failsHere: failure !== undefined && failure.atStep === step.index,
    });
  }
  return out;
}

/** The tasks of the trace: the initial ones, each one a fork or thread op made (its parent is
 * the acting task), and the step after which each was gone. */
export function taskTree(trace: ModelTrace): TaskNode[] {
  const nodes = new Map<number, { tid: number; parent: number | null; via: TaskNode['via']; bornAt: number | null; goneAt: number | null }>();
  for (const t of trace.initial.tasks) nodes.set(t.tid, { tid: t.tid, parent: null, via: 'initial', bornAt: null, goneAt: null });
  for (const step of trace.steps) {
    if (step.before === step.after) continue;
    const before = new Set<number>();
    for (const t of step.before.tasks) before.add(t.tid);
    const after = new Set<number>();
    for (const t of step.after.tasks) {
      after.add(t.tid);
      if (!before.has(t.tid) && !nodes.has(t.tid)) {
        nodes.set(t.tid, { tid: t.tid, parent: step.out.tid || null, via: step.op.op === 'thread' ? 'thread' : 'fork', bornAt: step.index, goneAt: null });
      }
    }
    for (const tid of before) {
      const n = nodes.get(tid);
      if (n && !after.has(tid) && n.goneAt === null) n.goneAt = step.index;
    }
  }
  return [...nodes.values()];
}

/** A stable identity for a finding: what was found (`parts`) and the shape of its witness. */
export function fingerprint(parts: readonly string[], opKinds: readonly string[]): string {
  return createHash('sha256').update([...parts, opKinds.join(',')].join('\u0000')).digest('hex').slice(0, 32);
}

/** A stack's layer keys, newest first: `<prefix><id>` and `@rev` once changed in place. */
export function layerKeys(top: LayerNode | null, prefix: string, max = Infinity): string[] {
  const out: string[] = [];
  for (let c = top; c && out.length < max; c = c.prev) out.push(`${prefix}${c.id}${c.rev ? `@${c.rev}` : ''}`);
  return out;
}

/** Every live task's stacks after step `index` (null when the trace has no such step). */
export function stacksAfter(trace: ModelTrace, index: number | undefined): StacksDoc | null {
  const step = index === undefined ? undefined : trace.steps[index];
  if (!step) return null;
  const tasks = [];
  for (const t of step.after.tasks) tasks.push({ tid: t.tid, seccomp: layerKeys(t.filter, 's'), landlock: layerKeys(t.domain, 'l') });
  return { afterStep: step.index, tasks };
}
