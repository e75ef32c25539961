// In-place content changes of Landlock layers (variants only: e1 live rulesets, supervisor
// commits) by path copying: every domain holding a changed layer gets rebuilt nodes from that
// layer up, memoised per old node so that shared prefixes stay shared. A changed node keeps its
// id and gets rev + 1; nodes above it only get a new `prev` (their own content is unchanged, so
// they keep their rev). Node-keyed caches stay valid: a rebuilt node is a new object.
import type { World, Task } from '../state.js';
import { taskWith, worldWith } from '../state.js';
import type { DomainNode, LandlockLayer } from './domain.js';

/** New content for a node's layer, or null to keep it. Called once per distinct node. */
export type LayerRewrite = (node: DomainNode) => LandlockLayer | null;

class Rebuilder {
  private readonly memo = new Map<DomainNode, DomainNode>();
  constructor(private readonly rewrite: LayerRewrite) {}

  node(node: DomainNode | null): DomainNode | null {
    if (node === null) return null;
    const done = this.memo.get(node);
    if (done !== undefined) return done;
    const prev = this.node(node.prev);
    const layer = this.rewrite(node);
    let out = node;
    if (layer !== null) out = { ...node, prev, layer, rev: node.rev + 1 };
    else if (prev !== node.prev) out = { ...node, prev };
    this.memo.set(node, out);
    return out;
  }
}

/** Apply `rewrite` to every layer of every task's domain. Returns `world` itself if nothing changed. */
export function replaceDomainLayers(world: World, rewrite: LayerRewrite): World {
  const r = new Rebuilder(rewrite);
  const tasks = world.tasks.mapAll((t) => {
    const domain = r.node(t.domain);
    return domain === t.domain ? t : taskWith(t, { domain });
  });
  return tasks !== world.tasks ? worldWith(world, { tasks }) : world;
}
