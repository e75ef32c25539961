// Decision tables: for a filter stack and a Universe, the verdict of every syscall request,
// computed once per node and cached (a WeakMap keyed by node inside one cache object per
// universe). A node's table is built from its parent's table plus its own layer's value, as
// seccomp_run_filters' fold allows: the newest layer is met first, an older one replaces it
// only when strictly less. Path-copied nodes are new objects, so cached tables never go stale.
import type { Universe } from '../universe.js';
import type { SeccompVerdict } from '../outcome.js';
import type { FilterNode } from './stack.js';
import { seccompData } from './data.js';
import { evalLayer, uprobeException, verdictOf } from './eval.js';
import { SECCOMP_RET_ALLOW, actionOnly } from './action.js';

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

  constructor(readonly universe: Universe) {
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
    const rets = new Uint32Array(n);
    const match = new Array<FilterNode | null>(n);
    for (let i = 0; i < n; i++) {
      if (this.exempt[i]) {
        rets[i] = SECCOMP_RET_ALLOW;
        match[i] = null;
        continue;
      }
      // This layer first (from the initial ALLOW), then the older layers' combined value.
      const own = evalLayer(node, this.data[i]!);
      let ret = SECCOMP_RET_ALLOW;
      let m: FilterNode | null = null;
      if (actionOnly(own) < actionOnly(ret)) { ret = own; m = node; }
      if (parent && actionOnly(parent.rets[i]!) < actionOnly(ret)) { ret = parent.rets[i]!; m = parent.match[i]!; }
      rets[i] = ret;
      match[i] = m;
    }
    const t = new DecisionTable(node, rets, match);
    this.byNode.set(node, t);
    this.built++;
    return t;
  }
}

const PER_UNIVERSE = new WeakMap<Universe, SeccompTables>();

/** The shared table cache of a universe (one per universe object). */
export function seccompTables(universe: Universe): SeccompTables {
  let c = PER_UNIVERSE.get(universe);
  if (!c) {
    c = new SeccompTables(universe);
    PER_UNIVERSE.set(universe, c);
  }
  return c;
}
