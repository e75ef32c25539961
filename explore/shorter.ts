// Shorter routes for the shrinker's last stage (generators/shrink.ts): when no single removal
// or simplification keeps a counterexample failing, a failure may still have a shorter route
// of another kind — a seccomp layer where the counterexample built a Landlock one (one op
// instead of two), a descriptor from a listener instead of a ruleset, a thread instead of a
// fork, the same calls in another order. The shrinker does not know the property, so it hands
// fast-check candidates: here, every op sequence shorter than the counterexample over a scope
// made of the counterexample's own ingredients and their alternatives of another kind
// (routeScope), breadth first and de-duplicated by world as `strata explore` does, each
// transition's path once — so the first candidate that still fails is the shortest of that
// scope. A budget bounds the candidates of one search.
import type { Op, LandlockRule, Mutability } from '../model/ops.js';
import type { World } from '../model/state.js';
import { SECCOMP_FILTER_FLAG, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import type { Request, TaskRequest } from '../model/request.js';
import type { StepFn, Variant } from '../variants/variant.js';
import type { PlainKind, Scope, ScopeProgram, ScopeRuleset } from './scope.js';
import { ALLOW_ALL, DENY_GETPID, FILES, SCOPED } from './scope.js';
import { compiledProgram } from '../generators/policy.js';
import { ERRNO } from '../model/errno.js';
import { retErrno, SECCOMP_RET_ALLOW } from '../model/seccomp/action.js';
import { Alphabet } from './alphabet.js';
import { Canonicalizer } from './canonical.js';
import { SeenSet } from './seen.js';

/** Candidates of one search at most (each costs fast-check a model run and a property check). */
export const ROUTE_BUDGET = 20_000;

const PLAIN: ReadonlySet<string> = new Set(['fork', 'thread', 'exec', 'exit', 'set_nnp', 'drop_cap', 'seccomp_strict', 'compromise', 'observe']);

/** The scope of a counterexample's shorter routes: its own ingredients, and alternatives of
 * another kind for what it builds. */
export function routeScope(ops: readonly Op[], initial: World, step: StepFn): Scope {
  const plain = new Set<PlainKind>();
  const programs = new Map<string, ScopeProgram>();
  const modifyPrograms = new Map<string, ScopeProgram>();
  const seccompFlags = new Set<number>();
  const rulesets = new Map<string, ScopeRuleset>();
  const rules = new Map<string, LandlockRule>();
  const restrictFlags = new Set<number>();
  const probes = new Map<string, Request>();
  const relations = new Set<TaskRequest['kind']>();
  const mutabilities = new Set<Mutability>();
  const mapKeys = new Set<number>();
  const mapPrograms = new Map<string, ScopeProgram>();
  let maps = false;
  let fds = false;
  let exported = false;
  let supervision = false;
  let modify = false;
  let landlock = false;
  let layers = false;
  let failed = false;
  let maxTasks = initial.tasks.length;
  const addProgram = (into: Map<string, ScopeProgram>, p: ScopeProgram): void => {
    const key = JSON.stringify(p.program);
    if (!into.has(key)) into.set(key, p);
  };
  let w = initial;
  for (const op of ops) {
    if (PLAIN.has(op.op)) plain.add(op.op as PlainKind);
    switch (op.op) {
      case 'seccomp_filter':
        layers = true;
        seccompFlags.add(op.flags);
        if (op.map !== undefined) {
          maps = true;
          addProgram(mapPrograms, { program: op.program, source: op.source ?? '' });
          break;
        }
        addProgram(programs, { program: op.program, source: op.source ?? '' });
        if (op.mutability) mutabilities.add(op.mutability);
        if (op.export) exported = true;
        break;
      case 'ruleset_create':
        landlock = true;
        rulesets.set(`${op.fs},${op.net},${op.scoped}`, { fs: op.fs, net: op.net, scoped: op.scoped });
        if (op.supervisor) supervision = true;
        break;
      case 'ruleset_supervisee':
        landlock = supervision = true;
        break;
      case 'ruleset_add_rule':
        landlock = true;
        rules.set(JSON.stringify(op.rule), op.rule);
        if (op.commit) supervision = true;
        break;
      case 'restrict_self':
        landlock = layers = true;
        if (op.ruleset !== null) restrictFlags.add(op.flags);
        if (op.mutability) mutabilities.add(op.mutability);
        if (op.export) exported = true;
        break;
      case 'send_fd':
      case 'close_fd':
        fds = true;
        break;
      case 'modify':
        modify = true;
        if (op.program) addProgram(modifyPrograms, { program: op.program, source: '' });
        break;
      case 'map_create':
        maps = true;
        break;
      case 'map_put':
        maps = true;
        mapKeys.add(op.key);
        break;
      case 'probe':
        if ('target' in op.request && op.request.kind !== 'proc') relations.add(op.request.kind);
        else probes.set(JSON.stringify(op.request), op.request);
        break;
      default:
        break;
    }
    const out = step(w, op);
    if (out.result.kind !== 'ok' && out.result.kind !== 'probe' && out.result.kind !== 'observe') failed = true;
    w = out.world;
    maxTasks = Math.max(maxTasks, w.tasks.length);
  }
  // Alternatives of another kind.
  if (plain.has('fork') || plain.has('thread')) plain.add('fork').add('thread');
  if (layers || modify) {
    // A seccomp layer is one op where a Landlock layer takes two: one that allows everything,
    // and one that denies a call (a layer whose loss or change shows).
    addProgram(programs, ALLOW_ALL);
    addProgram(programs, DENY_GETPID);
    for (const f of [0, SECCOMP_FILTER_FLAG.TSYNC, SECCOMP_FILTER_FLAG.NEW_LISTENER]) seccompFlags.add(f);
  }
  if (fds) seccompFlags.add(SECCOMP_FILTER_FLAG.NEW_LISTENER);
  if (landlock) {
    // The other kind of handled set: files or IPC scopes.
    for (const r of [FILES, SCOPED]) rulesets.set(`${r.fs},${r.net},${r.scoped}`, r);
    restrictFlags.add(0).add(LANDLOCK_RESTRICT_SELF.TSYNC);
  }
  if (modify) addProgram(modifyPrograms, ALLOW_ALL);
  if (maps) {
    // a filter whose rule alone decides (the permissive program) reads the map; and, of another
    // kind, a plain filter denying what the rule denies of the keys put (EPERM, model/maps/rule.ts)
    addProgram(mapPrograms, ALLOW_ALL);
    seccompFlags.add(0);
    if (mapKeys.size) {
      const g = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [...mapKeys].map((nr) => ({ nr, action: retErrno(ERRNO.EPERM) })) });
      addProgram(programs, { program: g.program, source: g.source });
    }
  }
  return {
    name: 'routes',
    summary: "the counterexample's own ingredients and their alternatives of another kind",
    maxTasks,
    plain: [...plain],
    programs: [...programs.values()],
    seccompFlags: [...seccompFlags],
    rulesets: [...rulesets.values()],
    rules: [...rules.values()],
    restrictFlags: [...restrictFlags],
    danglingRefs: failed,
    fds,
    probes: [...probes.values()],
    relations: [...relations],
    mutabilities: [...mutabilities],
    export: exported,
    supervision,
    modify,
    modifyPrograms: [...modifyPrograms.values()],
    mapKeys: maps ? (mapKeys.size ? [...mapKeys] : [39]) : [],
    mapPrograms: [...mapPrograms.values()],
  };
}

/** A node of the search: its world and how it was reached. */
class Node {
  constructor(readonly world: World, readonly parent: Node | null, readonly op: Op | null) {}

  path(last: Op): Op[] {
    const ops: Op[] = [last];
    for (let n: Node | null = this; n !== null && n.op !== null; n = n.parent) ops.push(n.op);
    return ops.reverse();
  }
}

/** Makes the shorter-route candidates of counterexamples of one variant from one world. */
export class ShorterRoutes {
  constructor(
    private readonly variant: Variant,
    private readonly step: StepFn,
    private readonly initial: World,
    private readonly budget = ROUTE_BUDGET,
  ) {}

  /** Every op sequence shorter than `ops` of routeScope(ops), breadth first, one per
   * transition of the de-duplicated search, at most `budget` of them. */
  *candidates(ops: readonly Op[]): IterableIterator<Op[]> {
    if (ops.length <= 1) return;
    let scope: Scope;
    try {
      scope = routeScope(ops, this.initial, this.step);
    } catch {
      return; // a model that throws (a broken variant): no routes
    }
    const alphabet = new Alphabet(scope, this.variant);
    const canon = new Canonicalizer(this.initial.tasks.at(0)!.tgid);
    const seen = new SeenSet(1 << 12);
    seen.add(canon.key(this.initial));
    let level: Node[] = [new Node(this.initial, null, null)];
    let left = this.budget;
    for (let d = 1; d < ops.length && level.length > 0; d++) {
      const next: Node[] = [];
      for (const node of level) {
        for (const op of alphabet.opsAt(node.world)) {
          if (left-- <= 0) return;
          yield node.path(op);
          if (d + 1 >= ops.length) continue;
          let world: World;
          try {
            world = this.step(node.world, op).world;
          } catch {
            continue;
          }
          if (world !== node.world && seen.add(canon.key(world))) next.push(new Node(world, node, op));
        }
      }
      level = next;
    }
  }
}
