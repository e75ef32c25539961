// Which layers a step changed: each task's seccomp and Landlock stacks (layer ids, `id@rev`
// once a layer's content was changed in place), before vs after, for the tasks whose stacks
// differ — plus the stacks a new task starts with.
import type { World, Task } from '../model/state.js';
import { formatChain, sameLayers } from '../properties/stacks.js';

const MODE = ['off', 'strict', 'filter'] as const;

/** `seccomp [4, 1] · landlock [2]` (newest first); strict mode shown as such. */
export function stacksWords(t: Task): string {
  const seccomp = t.seccompMode === 1 ? 'seccomp strict' : `seccomp ${formatChain(t.filter)}`;
  return `${seccomp} · landlock ${formatChain(t.domain)}`;
}

/** One line per task whose layers changed (or that is new), in task order. */
export function layerChanges(before: World, after: World): string[] {
  const old = new Map(before.tasks.map((t) => [t.tid, t] as const));
  const out: string[] = [];
  for (const t of after.tasks) {
    const b = old.get(t.tid);
    if (!b) {
      out.push(`t${t.tid} new: ${stacksWords(t)}`);
      continue;
    }
    const parts: string[] = [];
    if (b.seccompMode !== t.seccompMode) parts.push(`seccomp mode ${MODE[b.seccompMode]} → ${MODE[t.seccompMode]}`);
    if (!sameLayers(b.filter, t.filter)) parts.push(`seccomp ${formatChain(b.filter)} → ${formatChain(t.filter)}`);
    if (!sameLayers(b.domain, t.domain)) parts.push(`landlock ${formatChain(b.domain)} → ${formatChain(t.domain)}`);
    if (parts.length) out.push(`t${t.tid} ${parts.join(', ')}`);
  }
  return out;
}
