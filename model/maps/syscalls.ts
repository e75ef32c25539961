// bpf(2) map calls of the H1 variants (layering-designs §3a): BPF_MAP_CREATE and
// BPF_MAP_UPDATE_ELEM (kernel/bpf/syscall.c:map_create, map_update_elem), as Linux 4.10 — the
// kernel the Landlock v5 patches (Feb 2017) applied to — had them. Without the `seccompMaps`
// switch these ops are not part of the variant (`invalid`, like the other variant-only calls).
//
// Modelled: no privilege is needed (4.10's default, kernel.unprivileged_bpf_disabled = 0); a map
// fd is O_CLOEXEC (bpf_map_new_fd); a put needs only a descriptor on the map (§3a "by any holder
// of M"). Not modelled: map types, sizes and max_entries (the map holds syscall numbers, a
// universe's worth), deletes, lookups from user space. Checks in the kernel's order: the fd
// (__bpf_map_get: no such fd → EBADF, a descriptor that is not a map → EINVAL), then the put.
// The op's `map` indexes the task's whole descriptor table (mod its size), so "not a map" arises
// when the table holds other objects.
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import { worldWith } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail, invalid } from '../result.js';
import { ERRNO } from '../errno.js';
import { installFd, resolveFd } from '../task/fds.js';
import type { BpfMap } from './map.js';
import { newMap, withKey } from './map.js';
import { reachLayers } from './reach.js';

/** x86_64 __NR_bpf and the commands (include/uapi/linux/bpf.h). */
export const NR_BPF = 321;
export const BPF_MAP_CREATE = 0;
export const BPF_MAP_UPDATE_ELEM = 2;

/** A syscall number as seccomp_data.nr holds it (int). */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * kernel/bpf/syscall.c:__bpf_map_get — the map behind the task's `index`-th descriptor, or the
 * errno: EBADF when the table is empty, EINVAL when the descriptor is not a map.
 */
export function resolveMap(world: World, task: Task, index: number): BpfMap | number {
  const e = resolveFd(task, index);
  if (!e) return ERRNO.EBADF;
  if (e.obj.kind !== 'map') return ERRNO.EINVAL;
  return world.maps[e.obj.id]!;
}

/** bpf(BPF_MAP_CREATE): a new empty map and an O_CLOEXEC fd on it (bpf_map_new_fd). */
export function mapCreate(world: World, task: Task): StepOut {
  if (!world.semantics.seccompMaps) return fail(world, task.tid, invalid('map_create: eBPF maps exist only in variants with H1 maps (seccompMaps)'));
  const map = newMap(world.maps.length);
  const r = installFd(world, task, { kind: 'map', id: map.id }, true);
  return { world: worldWith(r.world, { maps: [...world.maps, map] }), result: ok(r.fd), tid: task.tid };
}

/**
 * bpf(BPF_MAP_UPDATE_ELEM, BPF_ANY): `key` is in the map afterwards, for every holder, and every
 * layer whose rule reads the map decides with it (reach.ts). A key already present changes
 * nothing (the same world).
 */
export function mapPut(world: World, task: Task, op: Extract<Op, { op: 'map_put' }>): StepOut {
  if (!world.semantics.seccompMaps) return fail(world, task.tid, invalid('map_put: eBPF maps exist only in variants with H1 maps (seccompMaps)'));
  if (!Number.isInteger(op.map)) return fail(world, task.tid, invalid('map_put: map must be an integer'));
  if (!Number.isInteger(op.key) || op.key < INT_MIN || op.key > INT_MAX) return fail(world, task.tid, invalid('map_put: key must be a syscall number (a 32-bit integer)'));
  const map = resolveMap(world, task, op.map);
  if (typeof map === 'number') return fail(world, task.tid, err(map));
  const next = withKey(map, op.key);
  if (next === map) return { world, result: ok(0), tid: task.tid };
  const maps = world.maps.slice();
  maps[map.id] = next;
  return { world: reachLayers(worldWith(world, { maps }), next), result: ok(0), tid: task.tid };
}
