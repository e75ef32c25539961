// Tid-preserving removal for the shrinker. Task references are indices into the live tasks, so
// removing a fork, thread, exec or exit shifts what every later index names, and a shrink
// that should only drop a helper task instead changes who does what. Here the scenario is run
// once to learn which task each op (and each send_fd / probe target) named; the shortened
// list is then re-run op by op, rewriting each index so that it names the corresponding task
// (tids of tasks created after the removal are mapped through the fork/thread results).
import type { Op } from '../model/ops.js';
import type { World } from '../model/state.js';
import { resolveTask } from '../model/step.js';
import type { StepFn } from '../variants/variant.js';

const SHIFTS: ReadonlySet<string> = new Set(['fork', 'thread', 'exec', 'exit']);

/** Whether removing this op can change what later task indices name. */
export function shiftsTasks(op: Op): boolean {
  return SHIFTS.has(op.op);
}

interface Named {
  readonly task: number;
  readonly to?: number;
  readonly target?: number;
}

export class Retargeter {
  constructor(private readonly step: StepFn, private readonly initial: World) {}

  /** The tids each op's references named in a run of `ops`, and the tid each fork/thread created. */
  private named(ops: readonly Op[]): { names: Named[]; created: (number | undefined)[] } {
    const names: Named[] = [];
    const created: (number | undefined)[] = [];
    let w = this.initial;
    for (const op of ops) {
      names.push(nameRefs(w, op));
      const out = this.step(w, op);
      created.push((op.op === 'fork' || op.op === 'thread') && out.result.kind === 'ok' ? out.result.ret : undefined);
      w = out.world;
    }
    return { names, created };
  }

  /**
   * `ops` without op `removed`, every later reference rewritten to name the same task. If the
   * model throws (a broken variant), the plain removal: the shrinker must not crash the check.
   */
  without(ops: readonly Op[], removed: number): Op[] {
    try {
      return this.retargeted(ops, removed);
    } catch {
      return [...ops.slice(0, removed), ...ops.slice(removed + 1)];
    }
  }

  private retargeted(ops: readonly Op[], removed: number): Op[] {
    const { names, created } = this.named(ops);
    const map = new Map<number, number>();
    for (const t of this.initial.tasks) map.set(t.tid, t.tid);
    const out: Op[] = [];
    let w = this.initial;
    for (let j = 0; j < ops.length; j++) {
      if (j === removed) continue;
      const op = retargetOp(w, ops[j]!, names[j]!, map);
      out.push(op);
      const r = this.step(w, op);
      const orig = created[j];
      if (orig !== undefined && (op.op === 'fork' || op.op === 'thread') && r.result.kind === 'ok') map.set(orig, r.result.ret);
      w = r.world;
    }
    return out;
  }
}

function tidAt(w: World, ref: number): number {
  return resolveTask(w, ref)?.tid ?? 0;
}

function nameRefs(w: World, op: Op): Named {
  const task = op.tid ?? tidAt(w, op.task);
  if (op.op === 'send_fd') return { task, to: tidAt(w, op.to) };
  if (op.op === 'probe' && 'target' in op.request) return { task, target: tidAt(w, op.request.target) };
  return { task };
}

/** Index of the live task that `origTid` maps to, or `fallback` if it does not exist here. */
function indexOf(w: World, origTid: number, map: ReadonlyMap<number, number>, fallback: number): number {
  const tid = map.get(origTid);
  if (tid === undefined) return fallback;
  const i = w.tasks.findIndex((t) => t.tid === tid);
  return i < 0 ? fallback : i;
}

function retargetOp(w: World, op: Op, n: Named, map: ReadonlyMap<number, number>): Op {
  if (op.tid !== undefined) return op;
  const task = indexOf(w, n.task, map, op.task);
  let out: Op = task === op.task ? op : ({ ...op, task } as Op);
  if (out.op === 'send_fd' && n.to !== undefined) {
    const to = indexOf(w, n.to, map, out.to);
    if (to !== out.to) out = { ...out, to };
  } else if (out.op === 'probe' && n.target !== undefined && 'target' in out.request) {
    const target = indexOf(w, n.target, map, out.request.target);
    if (target !== out.request.target) out = { ...out, request: { ...out.request, target } };
  }
  return out;
}
