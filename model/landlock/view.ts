// Precomputed decision structures, the model's counterpart of the kernel's merged rule tree
// (ruleset.c:landlock_merge_ruleset copies every layer's rules into one tree whose entries
// carry per-layer access bits, so a path walk costs the same whatever the depth):
//
// - LayerFsView, per layer × fs tree: for every path, the layer's rule there (`own`) and the
//   union of its rules on the path and its ancestors (`grant`; per-right unions over ancestors,
//   ruleset.c:landlock_unmask_layers), from which the rights the layer leaves allowed and the
//   rights it denies.
// - NodeView, per domain node × fs tree: the AND over the chain, built incrementally from the
//   parent's view: one mask per path, so an fs decision is one lookup at any depth.
//
// Both depend only on immutable values (layer content, node chain, fs tree), so the caches,
// keyed by those objects in WeakMaps, never go stale.
import type { FsTree } from './fstree.js';
import { FsIndex, fsIndex } from './fstree.js';
import type { DomainNode, LandlockLayer } from './domain.js';
import { FS_ALL, FS_INITIALLY_DENIED, NET_ALL } from './access.js';

export class LayerFsView {
  /** The layer's rule on exactly this path (0 if none). */
  readonly own: Int32Array;
  /** Union of the layer's rules on the path and its ancestors. */
  readonly grant: Int32Array;
  /** Rights this layer leaves allowed on the path: unhandled ones and granted ones. */
  readonly allowed: Int32Array;
  /**
   * Rights this layer denies on the path, counting REFER as handled by every layer
   * (landlock_get_fs_access_mask); meaningful only in a domain with an fs-handling layer.
   */
  readonly deny: Int32Array;
  /** Same, from the rule on the path alone (the "child" masks of no_more_access). */
  readonly ownDeny: Int32Array;

  constructor(layer: LandlockLayer, ix: FsIndex) {
    const n = ix.size;
    this.own = new Int32Array(n);
    this.grant = new Int32Array(n);
    this.allowed = new Int32Array(n);
    this.deny = new Int32Array(n);
    this.ownDeny = new Int32Array(n);
    if (ix.hasMounts) {
      // rules are on inodes: every visible path of an inode (and a hidden mount point) gets its rule
      if (layer.fsRules.size > 0) for (let i = 0; i < n; i++) this.own[i] = layer.fsRules.get(ix.canon[i]!) ?? 0;
    } else {
      for (const [path, mask] of layer.fsRules) {
        const i = ix.indexOf(path);
        if (i >= 0) this.own[i] = mask;
      }
    }
    const handled = layer.handledFs & FS_ALL;
    const effHandled = handled | FS_INITIALLY_DENIED;
    // Parents come before children in the index; the walk's parent of a mount's root is the
    // mount point's parent (the hidden mount point is skipped), a detached root has none.
    for (let i = 0; i < n; i++) {
      const p = ix.parent[i]!;
      const g = this.own[i]! | (p >= 0 ? this.grant[p]! : 0);
      this.grant[i] = g;
      this.allowed[i] = (~handled | g) & FS_ALL;
      this.deny[i] = effHandled & ~g;
      this.ownDeny[i] = effHandled & ~this.own[i]!;
    }
  }
}

export class NodeView {
  constructor(
    /** Some layer of the chain handles an fs right (fs.c: applicable to any_fs). */
    readonly hasFs: boolean,
    /** Per path: fs rights every layer of the chain leaves allowed. */
    readonly allowed: Int32Array,
    /** Net rights every layer leaves allowed on a port none of them has a rule for. */
    readonly netDefault: number,
    /** Per port with a rule in some layer: net rights every layer leaves allowed. */
    readonly netPorts: ReadonlyMap<number, number>,
  ) {}
}

/** Views of one fs tree: per-layer and per-node caches. */
export class ViewCache {
  readonly root: NodeView;
  private readonly layers = new WeakMap<LandlockLayer, LayerFsView>();
  private readonly nodes = new WeakMap<DomainNode, NodeView>();

  constructor(readonly ix: FsIndex) {
    this.root = new NodeView(false, new Int32Array(ix.size).fill(FS_ALL), NET_ALL, new Map());
  }

  layer(layer: LandlockLayer): LayerFsView {
    let v = this.layers.get(layer);
    if (v === undefined) {
      v = new LayerFsView(layer, this.ix);
      this.layers.set(layer, v);
    }
    return v;
  }

  node(node: DomainNode | null): NodeView {
    if (node === null) return this.root;
    const v = this.nodes.get(node);
    return v !== undefined ? v : this.build(node);
  }

  private build(node: DomainNode): NodeView {
    const parent = this.node(node.prev);
    const layer = node.layer;
    const lv = this.layer(layer);
    const n = this.ix.size;
    const allowed = new Int32Array(n);
    for (let i = 0; i < n; i++) allowed[i] = parent.allowed[i]! & lv.allowed[i]!;
    // net.c: a layer handling a right denies it on every port its rules do not grant it for.
    const handledNet = layer.handledNet & NET_ALL;
    const netDefault = parent.netDefault & ~handledNet & NET_ALL;
    const netPorts = new Map<number, number>();
    for (const [port, v] of parent.netPorts) netPorts.set(port, v & ~handledNet & NET_ALL);
    for (const [port, rule] of layer.netRules) {
      const before = parent.netPorts.get(port) ?? parent.netDefault;
      netPorts.set(port, before & (~handledNet | rule) & NET_ALL);
    }
    const view = new NodeView(parent.hasFs || (layer.handledFs & FS_ALL) !== 0, allowed, netDefault, netPorts);
    this.nodes.set(node, view);
    return view;
  }
}

const CACHES = new WeakMap<FsTree, ViewCache>();

/** The (cached) views of a tree. */
export function viewCache(tree: FsTree): ViewCache {
  let c = CACHES.get(tree);
  if (c === undefined) {
    c = new ViewCache(fsIndex(tree));
    CACHES.set(tree, c);
  }
  return c;
}
