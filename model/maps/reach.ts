// What a map put reaches (H1, layering-designs §3a: "mapput(t,M,x) by any holder of M grows A of
// every task whose chain holds that rule"): every filter layer, in every task, with a program
// whose rule reads the map gets the map's new keys — a content change, so by path copying with
// rev + 1 (seccomp/rewrite.ts), exactly as v5's in-place appends and modify do it.
import type { World } from '../state.js';
import type { FilterNode } from '../seccomp/stack.js';
import type { LayerContent, LayerRewrite } from '../seccomp/rewrite.js';
import { rewriteFilterLayers } from '../seccomp/rewrite.js';
import type { BpfMap } from './map.js';
import type { MapRule } from './rule.js';
import { readsMap } from './rule.js';

/** The rewrite of every layer reading `map`: its rules on that map take the map's keys. */
class MapReach implements LayerRewrite {
  constructor(private readonly map: BpfMap) {}
  content(old: FilterNode): LayerContent | null {
    if (!readsMap(old, this.map.id)) return null;
    const mapRules = old.mapRules!.map((r): MapRule | null => (r !== null && r.map === this.map.id ? { map: r.map, keys: this.map.keys, scope: r.scope } : r));
    return { programs: old.programs, mapRules };
  }
}

/** `world` with every layer reading `map` rewritten to the map's keys (the same world if none). */
export function reachLayers(world: World, map: BpfMap): World {
  return rewriteFilterLayers(world, new MapReach(map));
}
