// Decision tables for properties: a task's outcome for every request of the universe
// (model/decide.ts:taskDecisions), memoised per layer nodes for one trace. Two outcome pairs
// depend on world state rather than on layers, and properties count each pair as one:
// KILL_THREAD kills the process when the thread is the group's last (kill_thread ~
// kill_process), and a USER_NOTIF verdict whose listener was closed gives ENOSYS (notify ~
// seccomp ENOSYS, a delegated outcome; an explicit RET_ERRNO(ENOSYS) is indistinguishable
// here, and generators do not use that errno).
import type { World, Task } from '../model/state.js';
import type { Universe } from '../model/universe.js';
import type { Outcome } from '../model/outcome.js';
import { outcomeRank, outcomeEquals, formatOutcome } from '../model/outcome.js';
import { taskDecisions } from '../model/decide.js';
import type { FilterNode } from '../model/seccomp/stack.js';
import type { DomainNode } from '../model/landlock/domain.js';
import type { Request } from '../model/request.js';
import { AUDIT_ARCH_X86_64 } from '../model/request.js';
import { ERRNO } from '../model/errno.js';

type Table = readonly Outcome[];

const NONE = {};

export class Decisions {
  /**
   * Per (seccomp node, Landlock node, seccomp mode). What else an outcome depends on — the
   * size of the thread group (KILL_THREAD of the last thread kills the process) and whether a
   * listener is open (notify or ENOSYS) — is exactly what `permissiveness` and `sameDecision`
   * count as equal, so a table computed in another world of the same trace compares the same.
   */
  private readonly byFilter = new WeakMap<object, WeakMap<object, Table[]>>();
  /** Tables computed (for benchmarks). */
  computed = 0;

  constructor(readonly universe: Universe) {}

  /** The task's decision table (`world` supplies the file system and ABI, fixed in a trace). */
  of(world: World, task: Task): Table {
    const fk: object = task.filter ?? NONE;
    const dk: object = task.domain ?? NONE;
    let inner = this.byFilter.get(fk);
    if (!inner) {
      inner = new WeakMap();
      this.byFilter.set(fk, inner);
    }
    let byMode = inner.get(dk);
    if (!byMode) {
      byMode = [];
      inner.set(dk, byMode);
    }
    let t = byMode[task.seccompMode];
    if (!t) {
      t = taskDecisions(world, task, this.universe);
      byMode[task.seccompMode] = t;
      this.computed++;
    }
    return t;
  }

  /** The content of one layer alone, C(L): a task whose only layer is `node`. */
  ofLayer(world: World, template: Task, kind: 'seccomp' | 'landlock', node: FilterNode | DomainNode): Table {
    const alone = { ...node, prev: null, depth: 1 };
    const task: Task = kind === 'seccomp'
      ? { ...template, filter: alone as FilterNode, domain: null, seccompMode: 2 }
      : { ...template, filter: null, domain: alone as DomainNode, seccompMode: 0 };
    return taskDecisions(world, task, this.universe);
  }

  /** The universe's i-th request (syscalls first, then Landlock requests). */
  request(i: number): Request {
    const n = this.universe.syscalls.length;
    return i < n ? this.universe.syscalls[i]! : this.universe.landlock[i - n]!;
  }
}

/** ENOSYS from seccomp is what a USER_NOTIF verdict comes to once its listener is closed. */
function delegated(o: Outcome): boolean {
  return o.kind === 'notify' || (o.kind === 'errno' && o.by === 'seccomp' && o.errno === ERRNO.ENOSYS);
}

/** Equal outcomes, up to the two world-dependent pairs of the header. */
export function sameDecision(a: Outcome, b: Outcome): boolean {
  return outcomeEquals(a, b) || (delegated(a) && delegated(b)) || (isKill(a) && isKill(b));
}

function isKill(o: Outcome): boolean {
  return o.kind === 'kill_thread' || o.kind === 'kill_process';
}

const KILL_RANK = outcomeRank({ kind: 'kill_thread' });
const NOTIFY_RANK = outcomeRank({ kind: 'notify', listener: 0 });

/**
 * outcomeRank with the world-dependent pairs of the header ranked together: the two kills, and
 * seccomp's ENOSYS with USER_NOTIF. The latter also covers RET_TRACE without a tracer (ENOSYS),
 * which a newer USER_NOTIF verdict overrides by the kernel's precedence (USER_NOTIF < TRACE):
 * the call then goes to the listener chosen when that filter was added — the delegated path
 * of layering-designs §3c, not a loosening.
 */
export function permissiveness(o: Outcome): number {
  if (o.kind === 'kill_process') return KILL_RANK;
  if (o.kind === 'errno' && o.by === 'seccomp' && o.errno === ERRNO.ENOSYS) return NOTIFY_RANK;
  return outcomeRank(o);
}

/** Index of the first request `after` allows more of than `before` (higher permissiveness), or -1. */
export function firstWeakening(before: Table, after: Table): number {
  const n = Math.min(before.length, after.length);
  for (let i = 0; i < n; i++) if (permissiveness(after[i]!) > permissiveness(before[i]!)) return i;
  return -1;
}

/** Index of the first request whose outcome differs (sameDecision), or -1. */
export function firstDifference(a: Table, b: Table): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!sameDecision(a[i]!, b[i]!)) return i;
  return a.length === b.length ? -1 : n;
}

/** A request as one line, for messages. */
export function describeRequest(r: Request): string {
  switch (r.kind) {
    case 'syscall': return `syscall ${r.nr}${r.arch !== AUDIT_ARCH_X86_64 ? ` (arch 0x${r.arch.toString(16)})` : ''}${r.args.some((a) => a !== 0) ? ` args [${r.args.join(',')}]` : ''}`;
    case 'fs': return `${r.access} ${r.path}`;
    case 'rename': case 'link': return `${r.kind} ${r.from} -> ${r.to}`;
    case 'mount': return 'mount';
    case 'net': return `${r.op} :${r.port}`;
    default: return `${r.kind} -> task ${r.target}`;
  }
}

export { formatOutcome };
