// What the HTML report draws of a trace (reports/html-svg.ts): per column (the initial world,
// then the world after each step) every live task's seccomp and Landlock stacks as layer ids,
// newest first; who acted at each step; fork/thread births and execs. Plain data, so the SVG
// is a function of it alone (and its golden test needs no model run).
import type { ModelTrace } from '../properties/trace.js';
import type { World } from '../model/state.js';
import type { LayerNode } from '../properties/stacks.js';
import type { TaskNode } from '../result/types.js';
import { layerKeys } from '../result/trace-doc.js';

export interface LaneCell {
  readonly tid: number;
  /** 0 off, 1 strict, 2 filter. */
  readonly seccompMode: number;
  /** Layer keys, newest first: `s<id>` / `l<id>` (`@rev` once changed in place). */
  readonly seccomp: readonly string[];
  readonly landlock: readonly string[];
}

export interface ProcessPicture {
  readonly tids: readonly number[];
  /** columns[0]: the initial world; columns[i + 1]: after step i. */
  readonly columns: readonly (readonly LaneCell[])[];
  /** Per step: the acting task, the op kind, and its result in words. */
  readonly steps: readonly { readonly tid: number; readonly op: string; readonly result: string; readonly exec: boolean }[];
  readonly births: readonly { readonly tid: number; readonly parent: number; readonly via: 'fork' | 'thread'; readonly step: number }[];
  /** Steps to highlight (the failing step, or the differing steps of a discrepancy). */
  readonly failing: readonly number[];
  /** The weakened request(s) at the failing step, in words. */
  readonly weakened: readonly string[];
}

const MAX_LAYERS = 6;

function chain(top: LayerNode | null, prefix: string): string[] {
  return layerKeys(top, prefix, MAX_LAYERS);
}

function cells(w: World): LaneCell[] {
  const out: LaneCell[] = [];
  for (const t of w.tasks) out.push({ tid: t.tid, seccompMode: t.seccompMode, seccomp: chain(t.filter, 's'), landlock: chain(t.domain, 'l') });
  return out;
}

export function pictureOf(trace: ModelTrace, tasks: readonly TaskNode[], steps: readonly { readonly op: string; readonly result: string; readonly notes?: readonly string[] }[], failing: readonly number[]): ProcessPicture {
  const columns = [cells(trace.initial), ...trace.steps.map((s) => cells(s.after))];
  const tids = [...new Set(columns.flatMap((c) => c.map((x) => x.tid)))].sort((a, b) => a - b);
  const weakened = failing.flatMap((i) => (steps[i]?.notes ?? []).filter((n) => n.startsWith('weaker:')).map((n) => n.slice('weaker:'.length).trim()));
  return {
    tids,
    columns,
    steps: trace.steps.map((s, i) => ({
      tid: s.out.tid, op: (steps[i]?.op ?? s.op.op).replace(/^t\d+ /, ''), result: steps[i]?.result ?? s.out.result.kind,
      exec: s.op.op === 'exec' && s.out.result.kind === 'ok',
    })),
    births: tasks.flatMap((t) => (t.parent !== null && t.bornAt !== null && t.via !== 'initial' ? [{ tid: t.tid, parent: t.parent, via: t.via, step: t.bornAt }] : [])),
    failing,
    weakened: weakened.slice(0, 4),
  };
}
