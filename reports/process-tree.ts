// The process tree of a counterexample as a Mermaid flowchart (plain text; GitHub renders it in
// a ```mermaid block): one node per task, an edge from the task that forked or cloned a thread
// to the new one, labelled with the op and its step; a task that was gone by the end is dashed.
// With the stacks after the failing step, each live task's seccomp and Landlock stacks hang
// below it as chains of layer nodes, newest first; a layer shared by reference (the same id and
// rev, as the text trace writes it) is one node that several tasks' chains reach — so sharing
// is drawn as sharing, and the failing step's acting task is outlined.
import type { StacksDoc, TaskNode } from '../result/types.js';

/** A Mermaid node id for a layer key (`s3@1` → `L_s3_1`). */
function layerNode(key: string): string {
  return `L_${key.replace('@', '_')}`;
}

function layerLabel(key: string): string {
  const [id, rev] = key.slice(1).split('@');
  return `${key[0] === 's' ? 'seccomp' : 'landlock'} ${id}${rev ? ` rev ${rev}` : ''}`;
}

/** The stacks' part of the chart: layer nodes (once each) and the chain edges (once each). */
function stackLines(stacks: StacksDoc): string[] {
  const nodes: string[] = [];
  const edges: string[] = [];
  const seen = new Set<string>();
  const linked = new Set<string>();
  const link = (line: string): void => {
    if (!linked.has(line)) {
      linked.add(line);
      edges.push(line);
    }
  };
  for (const t of stacks.tasks) {
    for (const chain of [t.seccomp, t.landlock]) {
      chain.forEach((key, i) => {
        if (!seen.has(key)) {
          seen.add(key);
          nodes.push(`    ${layerNode(key)}["${layerLabel(key)}"]`);
        }
        link(i === 0 ? `  t${t.tid} -.- ${layerNode(key)}` : `  ${layerNode(chain[i - 1]!)} --> ${layerNode(key)}`);
      });
    }
  }
  if (nodes.length === 0) return [];
  return [`  subgraph layers["layers after #${stacks.afterStep}, newest first"]`, ...nodes, '  end', ...edges, '  classDef layer fill:#eef3ff', `  class ${[...seen].map(layerNode).join(',')} layer`];
}

/** The flowchart's lines (without the ```mermaid fence). */
export function processTreeMermaid(tasks: readonly TaskNode[], actors: ReadonlySet<number> = new Set(), stacks: StacksDoc | null = null): string[] {
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
  if (stacks) lines.push(...stackLines(stacks));
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
