// Which layers a step changed: each task's seccomp and Landlock stacks (layer ids, `id@rev`
// once a layer's content was changed in place), before vs after, for the tasks whose stacks
// differ — plus the stacks a new task starts with. A run of tasks with the very same change
// (TSYNC moves every thread of a group alike) is one line; a long stack shows its newest
// layers and a count.
import type { World, Task } from '../model/state.js';
import type { LayerNode } from '../properties/stacks.js';
import { sameLayers } from '../properties/stacks.js';
import type { TaskChanges } from './task-changes.js';
import { taskChanges } from './task-changes.js';

const MODE = ['off', 'strict', 'filter'] as const;

/** Layers of a stack shown in full; a longer stack shows its newest CHAIN_SHOWN and a count. */
export const CHAIN_SHOWN = 8;
/** Tasks named in a grouped line; the rest are counted. */
export const GROUP_SHOWN = 3;

/** `[4, 2@1, 1]`, newest first; `[40, 39, 38, 37, 36, 35, 34, 33, … 32 more]` past CHAIN_SHOWN layers. */
export function chainWords(top: LayerNode | null): string {
  const out: string[] = [];
  let c = top;
  for (; c && out.length < CHAIN_SHOWN; c = c.prev) out.push(c.rev === 0 ? `${c.id}` : `${c.id}@${c.rev}`);
  if (c) out.push(`… ${c.depth} more`);
  return `[${out.join(', ')}]`;
}

/** `seccomp [4, 1] · landlock [2]` (newest first); strict mode shown as such. */
export function stacksWords(t: Task): string {
  const seccomp = t.seccompMode === 1 ? 'seccomp strict' : `seccomp ${chainWords(t.filter)}`;
  return `${seccomp} · landlock ${chainWords(t.domain)}`;
}

/** One line per task whose layers changed (or that is new), in task order; consecutive tasks
 * with the same change share a line. */
export function layerChanges(before: World, after: World, changes: TaskChanges = taskChanges(before, after)): string[] {
  const out: string[] = [];
  const run: number[] = [];
  let text = '';
  let pb: Task | undefined;
  let pt: Task | undefined;
  let words = '';
  for (const { before: b, after: t } of changes.changed) {
    // The same stacks and mode as the previous task's, before and after: the same words.
    const same = b !== undefined && pb !== undefined && pt !== undefined && sameStacksAndMode(b, pb) && sameStacksAndMode(t, pt);
    pb = b;
    pt = t;
    if (!same) words = b ? changeWords(b, t) : `new: ${stacksWords(t)}`;
    if (words === '') continue;
    if (words !== text) {
      groupLines(run, text, out);
      run.length = 0;
      text = words;
    }
    run.push(t.tid);
  }
  groupLines(run, text, out);
  return out;
}

function sameStacksAndMode(a: Task, b: Task): boolean {
  return a.filter === b.filter && a.domain === b.domain && a.seccompMode === b.seccompMode;
}

/** `seccomp [1] → [3, 1]`, or '' when the task's stacks and mode are as they were. */
function changeWords(b: Task, t: Task): string {
  if (b.filter === t.filter && b.domain === t.domain && b.seccompMode === t.seccompMode) return '';
  const parts: string[] = [];
  if (b.seccompMode !== t.seccompMode) parts.push(`seccomp mode ${MODE[b.seccompMode]} → ${MODE[t.seccompMode]}`);
  if (!sameLayers(b.filter, t.filter)) parts.push(`seccomp ${chainWords(b.filter)} → ${chainWords(t.filter)}`);
  if (!sameLayers(b.domain, t.domain)) parts.push(`landlock ${chainWords(b.domain)} → ${chainWords(t.domain)}`);
  return parts.join(', ');
}

/**
 * Lines for a run of tasks with the same change, added to `out`: `${prefix}t102${sep}${words}`
 * per task; for a run longer than GROUP_SHOWN + 1 tasks one line,
 * `${prefix}t102, t103, t104 and 9 more tasks${groupSep}${words}`.
 */
export function groupLines(tids: readonly number[], words: string, out: string[], prefix = '', sep = ' ', groupSep = ': '): void {
  if (tids.length <= GROUP_SHOWN + 1) {
    for (const tid of tids) out.push(`${prefix}t${tid}${sep}${words}`);
    return;
  }
  const named = tids.slice(0, GROUP_SHOWN).map((tid) => `t${tid}`).join(', ');
  out.push(`${prefix}${named} and ${tids.length - GROUP_SHOWN} more tasks${groupSep}${words}`);
}
