// An eBPF map as the H1 variants use it (layering-designs §3a, "Optional H1 (maps)"): Landlock
// v5's rules were eBPF programs that could read maps (§2: "lookup needs no privilege"), and user
// space fills a map with bpf(BPF_MAP_UPDATE_ELEM) through any descriptor on it. Modelled as a
// hash map keyed by syscall number (BPF_MAP_TYPE_HASH, u32 key = seccomp_data.nr; the value's
// presence is all a rule reads). The map is one value in the world (World.maps), not a copy per
// descriptor: fork, SCM_RIGHTS and threads share it, so a put by any holder is seen by every
// other holder and by every layer whose rule reads it (model/maps/reach.ts).

export interface BpfMap {
  /** Index in World.maps (ids are dense, as rulesets'). */
  readonly id: number;
  /** The keys put so far: syscall numbers, ascending, no duplicates. */
  readonly keys: readonly number[];
}

const NO_KEYS: readonly number[] = Object.freeze([]);

/** kernel/bpf/syscall.c:map_create — a new, empty map. */
export function newMap(id: number): BpfMap {
  return { id, keys: NO_KEYS };
}

/** Whether `key` is in an ascending key list. */
export function hasKey(keys: readonly number[], key: number): boolean {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k === key) return true;
    if (k > key) return false;
  }
  return false;
}

/**
 * kernel/bpf/hashtab.c:htab_map_update_elem with BPF_ANY — the key is present afterwards. The
 * same map value when it already was (nothing changed).
 */
export function withKey(map: BpfMap, key: number): BpfMap {
  if (hasKey(map.keys, key)) return map;
  const keys = [...map.keys, key].sort((a, b) => a - b);
  return { id: map.id, keys };
}
