// The process tree of a counterexample as a Mermaid flowchart (plain text; GitHub renders it in
// a ```mermaid block): one node per task, an edge from the task that forked or cloned a thread
// to the new one, labelled with the op and its step; a task that was gone by the end is dashed.
import type { TaskNode } from '../result/types.js';

/** The flowchart's lines (without the ```mermaid fence). */
export function processTreeMermaid(tasks: readonly TaskNode[], actors: ReadonlySet<number> = new Set()): string[] {
  const lines = ['flowchart TD'];
  for (const t of tasks) {
    const label = `t${t.tid}${t.via === 'initial' ? ' (first task)' : ''}${t.goneAt !== null ? ` (gone after #${t.goneAt})` : ''}`;
    lines.push(`  t${t.tid}["${label}"]`);
  }
  for (const t of tasks) {
    if (t.parent === null || t.bornAt === null) continue;
    const edge = t.via === 'thread' ? '-.->' : '-->';
    lines.push(`  t${t.parent} ${edge}|"${t.via} #${t.bornAt}"| t${t.tid}`);
  }
  const gone = tasks.filter((t) => t.goneAt !== null).map((t) => `t${t.tid}`);
  if (gone.length) {
    lines.push('  classDef gone stroke-dasharray: 4 4');
    lines.push(`  class ${gone.join(',')} gone`);
  }
  const acting = tasks.filter((t) => actors.has(t.tid)).map((t) => `t${t.tid}`);
  if (acting.length) {
    lines.push('  classDef failing stroke-width: 3px');
    lines.push(`  class ${acting.join(',')} failing`);
  }
  return lines;
}
