// Decision tables: for a filter stack and a Universe, the verdict of every syscall request,
// computed once per node and cached (a WeakMap keyed by node inside one cache object per
// universe and evaluation, model/evaluation.ts). A node's table is built from its parent's table plus its own layer's value, as
// seccomp_run_filters' fold allows: the newest layer is met first, an older one replaces it
// only when strictly less. Path-copied nodes are new objects, so cached tables never go stale.
import type { Universe } from '../universe.js';
import type { SeccompVerdict } from '../outcome.js';
import type { FilterNode } from './stack.js';
import { seccompData } from './data.js';
import { evalLayer, uprobeException, verdictOf, seccompOutcome } from './eval.js';
import type { World, Task } from '../state.js';
import type { Outcome } from '../outcome.js';
import { SECCOMP_RET_ALLOW, actionOnly } from './action.js';
import type { Evaluation } from '../evaluation.js';
import { LINUX_EVALUATION, seccompRank } from '../evaluation.js';

/** The table of one node: per universe syscall (same index), the winning value and filter. */
export class DecisionTable {
  private readonly verdicts: (SeccompVerdict | undefined)[];
  constructor(
    readonly node: FilterNode,
    readonly rets: Uint32Array,
    readonly match: readonly (FilterNode | null)[],
  ) {
    this.verdicts = new Array<SeccompVerdict | undefined>(rets.length);
  }
  get size(): number {
    return this.rets.length;
  }
  /**
   * What the i-th verdict does to `task` in `world` (eval.ts:seccompOutcome); the outcomes
   * that read no world state (all but KILL_THREAD and USER_NOTIF) are made once per table.
   */
  outcome(i: number, world: World, task: Task): Outcome {
    const v = this.verdict(i);
    // world- or task-dependent ends: the last live thread, an open listener, SIGSYS's handling
    if (v.action === 'kill_thread' || v.action === 'user_notif' || v.action === 'trap') return seccompOutcome(world, task, v);
    const shared = (this.outcomes ??= new Array<Outcome | undefined>(this.rets.length));
    return (shared[i] ??= seccompOutcome(world, task, v));
  }
  private outcomes: (Outcome | undefined)[] | undefined = undefined;

  /** The verdict for the i-th syscall of the universe. */
  verdict(i: number): SeccompVerdict {
    let v = this.verdicts[i];
    if (!v) {
      v = verdictOf(this.rets[i]!, this.match[i]!);
      this.verdicts[i] = v;
    }
    return v;
  }
}

/** The per-universe cache of decision tables. */
export class SeccompTables {
  private readonly byNode = new WeakMap<FilterNode, DecisionTable>();
  private readonly data: readonly Uint32Array[];
  private readonly exempt: readonly boolean[];
  /** Tables built so far (for benchmarks and tests of sharing). */
  built = 0;

  constructor(readonly universe: Universe, readonly evaluation: Evaluation) {
    this.data = universe.syscalls.map((r) => seccompData(r));
    this.exempt = universe.syscalls.map((r) => uprobeException(r.nr, r.arch));
  }

  /** The table of `node`, building any missing ancestors' tables first (iteratively). */
  tableOf(node: FilterNode): DecisionTable {
    const hit = this.byNode.get(node);
    if (hit) return hit;
    const todo: FilterNode[] = [];
    for (let c: FilterNode | null = node; c && !this.byNode.has(c); c = c.prev) todo.push(c);
    let table: DecisionTable | undefined;
    for (let i = todo.length - 1; i >= 0; i--) table = this.build(todo[i]!);
    return table!;
  }

  private build(node: FilterNode): DecisionTable {
    const parent = node.prev ? this.byNode.get(node.prev)! : null;
    const n = this.data.length;
    const e = this.evaluation;
    const rets = new Uint32Array(n);
    const match = new Array<FilterNode | null>(n);
    for (let i = 0; i < n; i++) {
      if (this.exempt[i]) {
        rets[i] = SECCOMP_RET_ALLOW;
        match[i] = null;
        continue;
      }
      // This layer first (from the initial ALLOW), then the older layers' combined value.
      const own = evalLayer(node, this.data[i]!, e);
      let ret = SECCOMP_RET_ALLOW;
      let m: FilterNode | null = null;
      if (e.seccompCombine === 'newest') { ret = own; m = node; }
      else if (e === LINUX_EVALUATION) {
        if (actionOnly(own) < actionOnly(ret)) { ret = own; m = node; }
        if (parent && actionOnly(parent.rets[i]!) < actionOnly(ret)) { ret = parent.rets[i]!; m = parent.match[i]!; }
      } else {
        if (seccompRank(e, own) < seccompRank(e, ret)) { ret = own; m = node; }
        if (parent && seccompRank(e, parent.rets[i]!) < seccompRank(e, ret)) { ret = parent.rets[i]!; m = parent.match[i]!; }
      }
      rets[i] = ret;
      match[i] = m;
    }
    const t = new DecisionTable(node, rets, match);
    this.byNode.set(node, t);
    this.built++;
    return t;
  }
}

const PER_UNIVERSE = new WeakMap<Universe, Map<Evaluation, SeccompTables>>();

/** The shared table cache of a universe under an evaluation (one per pair of values). */
export function seccompTables(universe: Universe, evaluation: Evaluation): SeccompTables {
  let byEval = PER_UNIVERSE.get(universe);
  if (!byEval) PER_UNIVERSE.set(universe, (byEval = new Map()));
  let c = byEval.get(evaluation);
  if (!c) {
    c = new SeccompTables(universe, evaluation);
    byEval.set(evaluation, c);
  }
  return c;
}
