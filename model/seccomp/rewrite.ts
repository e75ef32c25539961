// In-place content change of a seccomp layer by path copying (variants only: v5 append,
// modify). Every task whose stack holds layer `layerId` gets rebuilt nodes from that layer up;
// the rebuilt layer keeps its id with rev + 1, nodes above keep id and rev but get new objects
// (their chain changed, so node-keyed caches stay valid). Memoised per old node, so nodes
// shared before stay shared after.
import type { Insn } from '../ops.js';
import type { World } from '../state.js';
import { taskWith, worldWith } from '../state.js';
import type { FilterNode } from './stack.js';
import { layerInsns, ownInsns, pathLenOver } from './stack.js';

/** Rebuild one stack; `memo` maps old nodes to their replacements (identity if untouched). */
export function rewriteStack(
  top: FilterNode | null,
  layerId: number,
  programs: readonly (readonly Insn[])[],
  memo: Map<FilterNode, FilterNode>,
): FilterNode | null {
  if (top === null) return null;
  // Walk down to the first node already known (or the bottom), then rebuild upwards.
  const path: FilterNode[] = [];
  let c: FilterNode | null = top;
  while (c && !memo.has(c)) {
    path.push(c);
    c = c.prev;
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const old = path[i]!;
    const prev = old.prev ? memo.get(old.prev)! : null;
    let next: FilterNode;
    if (old.id === layerId) {
      next = { ...old, prev, rev: old.rev + 1, programs, pathLen: pathLenOver(prev, layerInsns(programs)) };
    } else if (prev === old.prev) {
      next = old; // the layer is not below this node
    } else {
      next = { ...old, prev, pathLen: pathLenOver(prev, ownInsns(old)) };
    }
    memo.set(old, next);
  }
  return memo.get(top)!;
}

/** Replace layer `layerId`'s programs for every task whose stack holds it. */
export function replaceFilterLayer(world: World, layerId: number, programs: readonly (readonly Insn[])[]): World {
  const memo = new Map<FilterNode, FilterNode>();
  const tasks = world.tasks.mapAll((t) => {
    const f = rewriteStack(t.filter, layerId, programs, memo);
    return f === t.filter ? t : taskWith(t, { filter: f });
  });
  return tasks !== world.tasks ? worldWith(world, { tasks }) : world;
}
