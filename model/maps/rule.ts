// The rule of a filter program that reads an eBPF map (H1, layering-designs §3a: "a rule may be
// 'deny unless x ∈ M'"). The map lookup is the program's prologue, as a v5 rule program would
// call bpf_map_lookup_elem(M, &nr) first: for a call the rule decides whose number is not in M
// the program returns ERRNO(EPERM) without running the rest; otherwise the program's own return.
//
// Which calls the rule decides (its event; §6 writes it `fs:`) is fixed when the layer is
// created: the syscall numbers of the world's request universe (model/universe.ts), keyed by
// number alone, as the map is. Every other call — the ops' own (fork's clone, bpf, seccomp…) —
// is decided by the program alone, so a task that attached "deny unless x ∈ M" with an empty M
// can still fork (the §6 row's `P.fork->C` after `P.add`). A model decision, documented here and
// in the variant (variants/v5-2017-maps.ts).
//
// A layer holds its rules' keys as they are now: every put rewrites every layer reading the map
// by path copying (model/maps/reach.ts), so node-keyed caches (decision tables, op-gate memos)
// never see a stale map.
import type { World } from '../state.js';
import type { FilterNode } from '../seccomp/stack.js';
import type { BpfMap } from './map.js';
import { hasKey } from './map.js';
import { compile } from '../bpf/interp.js';
import { run } from '../bpf/jit.js';
import { ERRNO } from '../errno.js';
import { actionOnly, retErrno } from '../seccomp/action.js';
import type { Evaluation } from '../evaluation.js';
import { LINUX_EVALUATION, seccompReplaces } from '../evaluation.js';

export interface MapRule {
  /** The map's id (World.maps). */
  readonly map: number;
  /** The map's keys, current (rewritten on every put). */
  readonly keys: readonly number[];
  /** The syscall numbers the rule decides (ascending): the request universe's, at creation. */
  readonly scope: readonly number[];
}

/** The layer's map rules, one per program (null: that program reads no map); null when none does. */
export type MapRules = readonly (MapRule | null)[] | null;

/** What a program returns for a call its rule denies: SECCOMP_RET_ERRNO | EPERM. */
export const RULE_DENIED = retErrno(ERRNO.EPERM);

const SCOPES = new WeakMap<World['universe'], readonly number[]>();

/** The syscall numbers of the world's request universe, ascending (one array per universe). */
function scopeOf(world: World): readonly number[] {
  const u = world.universe;
  let s = SCOPES.get(u);
  if (s === undefined) {
    s = Object.freeze([...new Set(u.syscalls.map((r) => r.nr))].sort((a, b) => a - b));
    SCOPES.set(u, s);
  }
  return s;
}

/** The rule of a program attached now that reads `map`. */
export function ruleReading(world: World, map: BpfMap): MapRule {
  return { map: map.id, keys: map.keys, scope: scopeOf(world) };
}

/** "deny unless nr ∈ M", for a call the rule decides. */
export function ruleDenies(rule: MapRule, nr: number): boolean {
  return hasKey(rule.scope, nr) && !hasKey(rule.keys, nr);
}

/** The rules of a layer after one more program (with `rule`, or null) is appended to its
 * `count` programs (v5's in-place append); null while no program reads a map. */
export function appendRule(rules: MapRules, count: number, rule: MapRule | null): MapRules {
  if (rules === null && rule === null) return null;
  const out: (MapRule | null)[] = rules === null ? new Array<MapRule | null>(count).fill(null) : rules.slice();
  out.push(rule);
  return out;
}

/** Does a rule of this layer read map `id`? */
export function readsMap(node: FilterNode, id: number): boolean {
  const rules = node.mapRules;
  if (rules === null) return false;
  for (let i = 0; i < rules.length; i++) if (rules[i]?.map === id) return true;
  return false;
}

/** Program `i`'s return: RULE_DENIED if its rule denies the call, else the program's own. */
function programReturn(node: FilterNode, i: number, data: Uint32Array): number {
  const rule = node.mapRules![i];
  if (rule && ruleDenies(rule, data[0]! | 0)) return RULE_DENIED;
  return run(compile(node.programs[i]!), data);
}

/**
 * seccomp/eval.ts:evalLayer for a layer some of whose programs read maps: the programs run
 * newest first, an older one replacing the value on strictly-less (under `e`).
 */
export function evalRuledLayer(node: FilterNode, data: Uint32Array, e: Evaluation): number {
  const n = node.programs.length;
  let ret = programReturn(node, n - 1, data);
  for (let i = n - 2; i >= 0; i--) {
    const r = programReturn(node, i, data);
    if (e === LINUX_EVALUATION ? actionOnly(r) < actionOnly(ret) : seccompReplaces(e, r, ret)) ret = r;
  }
  return ret;
}
