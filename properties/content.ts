// Whether two stacks from *different runs* hold the same layers by content (non-interference
// compares a child with its counterfactual self, whose nodes are other objects with other
// ids). Same programs, map rules (H1) and flags for seccomp layers, the same layer value for Landlock ones
// (layers are snapshots of ruleset values: model/landlock/ruleset.ts:layerOfRuleset), in the
// same order. Equal content decides alike; a false answer only means "compare the tables".
import type { Task } from '../model/state.js';
import type { Insn } from '../model/ops.js';
import type { FilterNode } from '../model/seccomp/stack.js';
import type { MapRules } from '../model/maps/rule.js';
import type { DomainNode, LandlockLayer } from '../model/landlock/domain.js';

function sameProgram(a: readonly Insn[], b: readonly Insn[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x[0] !== y[0] || x[1] !== y[1] || x[2] !== y[2] || x[3] !== y[3])) return false;
  }
  return true;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The same map rules by what they decide (keys and scope; map ids are each run's own). */
function sameMapRules(a: MapRules, b: MapRules): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x === null || y === null || !sameNumbers(x.keys, y.keys) || !sameNumbers(x.scope, y.scope)) return false;
  }
  return true;
}

function sameFilters(a: FilterNode | null, b: FilterNode | null): boolean {
  while (a !== b) {
    if (!a || !b || a.depth !== b.depth || a.log !== b.log || (a.listener === null) !== (b.listener === null)) return false;
    if (a.programs.length !== b.programs.length) return false;
    for (let i = 0; i < a.programs.length; i++) if (!sameProgram(a.programs[i]!, b.programs[i]!)) return false;
    if (!sameMapRules(a.mapRules, b.mapRules)) return false;
    a = a.prev;
    b = b.prev;
  }
  return true;
}

function sameLayer(a: LandlockLayer, b: LandlockLayer): boolean {
  return a === b || (a.handledFs === b.handledFs && a.handledNet === b.handledNet && a.scoped === b.scoped && a.fsRules === b.fsRules && a.netRules === b.netRules);
}

function sameDomains(a: DomainNode | null, b: DomainNode | null): boolean {
  while (a !== b) {
    if (!a || !b || a.depth !== b.depth || !sameLayer(a.layer, b.layer)) return false;
    a = a.prev;
    b = b.prev;
  }
  return true;
}

/** Same seccomp mode and the same layers by content. Landlock scopes and ptrace compare
 * domains by identity, but those requests are not tabled, so tables cannot tell. */
export function sameContentStacks(a: Task, b: Task): boolean {
  return a.seccompMode === b.seccompMode && sameFilters(a.filter, b.filter) && sameDomains(a.domain, b.domain);
}
