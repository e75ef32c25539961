// In-place content change of seccomp layers by path copying (variants only: v5 append, modify,
// H1 map puts). Every task whose stack holds a rewritten layer gets rebuilt nodes from that
// layer up; the rebuilt layer keeps its id with rev + 1, nodes above keep id and rev but get new
// objects (their chain changed, so node-keyed caches stay valid). Memoised per old node, so
// nodes shared before stay shared after.
import type { Insn } from '../ops.js';
import type { World } from '../state.js';
import { taskWith, worldWith } from '../state.js';
import type { FilterNode } from './stack.js';
import { layerInsns, ownInsns, pathLenOver } from './stack.js';
import type { MapRules } from '../maps/rule.js';

/** A layer's content: its programs and their map rules (model/maps/rule.ts). */
export interface LayerContent {
  readonly programs: readonly (readonly Insn[])[];
  readonly mapRules: MapRules;
}

/** Which layers a rewrite changes: the new content of `old`, or null to keep it. */
export interface LayerRewrite {
  content(old: FilterNode): LayerContent | null;
}

/** The rewrite of one layer, by id. */
class OneLayer implements LayerRewrite {
  constructor(private readonly id: number, private readonly next: LayerContent) {}
  content(old: FilterNode): LayerContent | null {
    return old.id === this.id ? this.next : null;
  }
}

/** Rebuild one stack under `rw`; `memo` maps old nodes to their replacements (identity if untouched). */
export function rewriteLayers(top: FilterNode | null, rw: LayerRewrite, memo: Map<FilterNode, FilterNode>): FilterNode | null {
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
    const content = rw.content(old);
    let next: FilterNode;
    if (content !== null) {
      const { programs, mapRules } = content;
      next = { ...old, prev, rev: old.rev + 1, programs, mapRules, pathLen: pathLenOver(prev, layerInsns(programs)) };
    } else if (prev === old.prev) {
      next = old; // no rewritten layer below this node
    } else {
      next = { ...old, prev, pathLen: pathLenOver(prev, ownInsns(old)) };
    }
    memo.set(old, next);
  }
  return memo.get(top)!;
}

/** Rebuild one stack with layer `layerId`'s content replaced (its map rules: `mapRules`). */
export function rewriteStack(
  top: FilterNode | null,
  layerId: number,
  programs: readonly (readonly Insn[])[],
  memo: Map<FilterNode, FilterNode>,
  mapRules: MapRules = null,
): FilterNode | null {
  return rewriteLayers(top, new OneLayer(layerId, { programs, mapRules }), memo);
}

/** Every task's stack rewritten under `rw` (the same world when no layer changed). */
export function rewriteFilterLayers(world: World, rw: LayerRewrite): World {
  const memo = new Map<FilterNode, FilterNode>();
  const tasks = world.tasks.mapAll((t) => {
    const f = rewriteLayers(t.filter, rw, memo);
    return f === t.filter ? t : taskWith(t, { filter: f });
  });
  return tasks !== world.tasks ? worldWith(world, { tasks }) : world;
}

/** Replace layer `layerId`'s programs (and their map rules: none unless given) for every task
 * whose stack holds it. */
export function replaceFilterLayer(world: World, layerId: number, programs: readonly (readonly Insn[])[], mapRules: MapRules = null): World {
  return rewriteFilterLayers(world, new OneLayer(layerId, { programs, mapRules }));
}
