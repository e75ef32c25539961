// Whether a task sees the same descriptors in two runs (properties/non-interference.ts): the
// same fd numbers, flags and kinds, and rulesets with the same contents. Ids are not compared:
// the two runs allocate ruleset and layer ids independently.
import type { Task, World, FdEntry } from '../model/state.js';
import type { Ruleset } from '../model/landlock/ruleset.js';
import type { BpfMap } from '../model/maps/map.js';

function sameMap<K>(a: ReadonlyMap<K, number> | undefined, b: ReadonlyMap<K, number> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** Same ruleset contents (handled sets, rules, role, committed rules, the supervisor's contents). */
export function sameRuleset(wa: World, a: Ruleset | undefined, wb: World, b: Ruleset | undefined, depth = 0): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.handledFs !== b.handledFs || a.handledNet !== b.handledNet || a.scoped !== b.scoped || a.role !== b.role) return false;
  if (!sameMap(a.fsRules, b.fsRules) || !sameMap(a.netRules, b.netRules)) return false;
  if (!sameMap(a.committedFs, b.committedFs) || !sameMap(a.committedNet, b.committedNet)) return false;
  if (a.supervisorId === undefined && b.supervisorId === undefined) return true;
  if (a.supervisorId === undefined || b.supervisorId === undefined || depth > 0) return false;
  return sameRuleset(wa, wa.rulesets[a.supervisorId], wb, wb.rulesets[b.supervisorId], depth + 1);
}

/** Same map keys (H1 maps). */
function sameMapKeys(a: BpfMap | undefined, b: BpfMap | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.keys.length !== b.keys.length) return false;
  for (let i = 0; i < a.keys.length; i++) if (a.keys[i] !== b.keys[i]) return false;
  return true;
}

function sameEntry(wa: World, a: FdEntry, wb: World, b: FdEntry): boolean {
  if (a.fd !== b.fd || a.cloexec !== b.cloexec || a.obj.kind !== b.obj.kind) return false;
  if (a.obj.kind === 'ruleset' && b.obj.kind === 'ruleset') return sameRuleset(wa, wa.rulesets[a.obj.id], wb, wb.rulesets[b.obj.id]);
  if (a.obj.kind === 'map' && b.obj.kind === 'map') return sameMapKeys(wa.maps[a.obj.id], wb.maps[b.obj.id]);
  return true;
}

/** `a` in `wa` and `b` in `wb` have equivalent fd tables. */
export function sameFdView(wa: World, a: Task, wb: World, b: Task): boolean {
  if (a.fds === b.fds && wa.rulesets === wb.rulesets && wa.maps === wb.maps) return true;
  if (a.fds.length !== b.fds.length) return false;
  for (let i = 0; i < a.fds.length; i++) if (!sameEntry(wa, a.fds[i]!, wb, b.fds[i]!)) return false;
  return true;
}
