// Full-table observes, model against kernel: for every entry the executor reported (a live
// task, a request, after an observe or at the end), the model's decision for the same task and
// request on the model's world at that point (model/probe.ts decideRequest, never the tables
// directly, so a variant's own evaluation is what is compared), read through compare.ts and
// explained.ts exactly as a probe step is. An entry the kernel could not observe (a skip, an
// executor error, a timeout), an entry after the worlds parted, and an entry whose task or
// target the model does not have there are not compared, each with its reason: never "same".
import type { Op } from '../model/ops.js';
import type { Request } from '../model/request.js';
import type { World } from '../model/state.js';
import type { OpResult } from '../model/result.js';
import { decideRequest } from '../model/probe.js';
import type { ModelTrace, TraceStep } from '../properties/trace.js';
import type { KernelTableEntry, KernelTableRequest } from '../scenario/kernel-result.js';
import { compareResult } from './compare.js';
import type { NotComparedCategory, ScenarioDiff, StepStatus } from './diff.js';
import type { ExplainedDifference } from './explained.js';
import { EXPLAINED } from './explained.js';

export interface TableEntryDiff {
  readonly entry: KernelTableEntry;
  readonly status: StepStatus;
  /** The request in the model's terms (a task reference for task-relative ones), when resolved. */
  readonly request?: Request;
  /** The model's result for it, when compared. */
  readonly model?: OpResult;
}

export interface TableDiff {
  readonly entries: readonly TableEntryDiff[];
  /** Indices into `entries` of the unexplained differences, in report order. */
  readonly unexplained: readonly number[];
}

export interface TableDiffInput {
  readonly ops: readonly Op[];
  readonly model: ModelTrace;
  readonly tables: readonly KernelTableEntry[];
  /** The scenario's step diff (where the worlds parted). */
  readonly steps: ScenarioDiff;
  readonly explained?: readonly ExplainedDifference[];
}

/** An entry's task died while its disposable child probed (native/table.c, probe_op.c): the
 * child cannot kill it, so something else did (killed from outside, say). */
const TASK_DIED = /^the task itself died while its disposable child probed/;

function notCompared(why: string, category: NotComparedCategory): StepStatus {
  return { status: 'not_compared', why, category };
}

/** The category of a kernel table result that is not a probe's outcome. */
function notObserved(k: KernelTableEntry['result']): StepStatus | null {
  switch (k.kind) {
    case 'probe': return null;
    case 'skip': return notCompared(`skipped on the kernel: ${k.reason}`, 'skipped');
    case 'timeout': return notCompared(`timed out on the kernel after ${k.ms} ms`, 'timeout');
    case 'not_run': return notCompared(`not run on the kernel: ${k.reason}`, 'after an earlier step');
    case 'error': return notCompared(`executor error: ${k.message}`, 'executor');
    default: return notCompared(`the kernel reported ${k.kind} for a table entry`, 'executor');
  }
}

/** A table request in the model's terms on `world`, or why it has none. */
export function modelRequest(world: World, request: KernelTableRequest): Request | string {
  if (typeof request === 'number') {
    const u = world.universe;
    const r = request < u.syscalls.length ? u.syscalls[request] : u.landlock[request - u.syscalls.length];
    return r ?? `the universe has no request #${request}`;
  }
  const target = world.tasks.findIndex((t) => t.tid === request.target);
  if (target < 0) return `the model has no live task ${request.target} here`;
  return { kind: request.kind, target };
}

/** The model's world after op `point` ('end': after the last op). */
function worldAt(model: ModelTrace, point: number | 'end'): World | null {
  if (point === 'end') return model.steps.length ? model.steps[model.steps.length - 1]!.after : model.initial;
  return model.steps[point]?.after ?? null;
}

/** A short name of a table request, for reports and signatures. */
export function tableRequestName(r: Request | undefined, k: KernelTableRequest): string {
  if (r === undefined) return typeof k === 'number' ? `#${k}` : `${k.kind} → t${k.target}`;
  switch (r.kind) {
    case 'syscall': return `syscall ${r.nr}${r.args.some((a) => a !== 0) ? `(${r.args.filter((a, i) => a !== 0 || i === 0).join(',')})` : ''}${r.arch !== 0xc000003e ? ` arch 0x${r.arch.toString(16)}` : ''}`;
    case 'fs': return `fs ${r.access} ${r.path}`;
    case 'rename': case 'link': return `${r.kind} ${r.from} → ${r.to}`;
    case 'exchange': return `exchange ${r.from} ↔ ${r.to}`;
    case 'mount': return r.call !== undefined && r.call !== 'new' ? `mount ${r.call}` : 'mount';
    case 'net': return `net ${r.op} ${r.port}${r.family === 6 ? ' ipv6' : ''}${r.proto === 'udp' ? ' udp' : ''}`;
    default: return typeof k === 'number' ? r.kind : `${r.kind} → t${k.target}`;
  }
}

/** Compare a scenario's full-table observes with the model. */
export function diffTables(input: TableDiffInput): TableDiff {
  const { model, tables, steps } = input;
  const explained = input.explained ?? EXPLAINED;
  const entries: TableEntryDiff[] = [];
  const unexplained: number[] = [];
  for (const entry of tables) {
    const push = (d: TableEntryDiff): void => {
      if (d.status.status === 'different') unexplained.push(entries.length);
      entries.push(d);
    };
    const at = entry.point === 'end' ? input.ops.length - 1 : entry.point;
    if (steps.parted !== null && steps.parted.after <= at) {
      push({ entry, status: notCompared(steps.parted.why, 'after an earlier step') });
      continue;
    }
    const died = entry.result.kind === 'error' && TASK_DIED.test(entry.result.message);
    const missing = died ? null : notObserved(entry.result);
    if (missing) {
      push({ entry, status: missing });
      continue;
    }
    const world = worldAt(model, entry.point);
    if (!world) {
      push({ entry, status: notCompared(`the model has no step #${String(entry.point)}`, 'executor') });
      continue;
    }
    const taskIndex = world.tasks.findIndex((t) => t.tid === entry.tid);
    if (taskIndex < 0) {
      push({ entry, status: notCompared(`the model has no live task ${entry.tid} here`, 'after an earlier step') });
      continue;
    }
    const task = world.tasks.at(taskIndex)!;
    const request = modelRequest(world, entry.request);
    if (typeof request === 'string') {
      push({ entry, status: notCompared(request, 'after an earlier step') });
      continue;
    }
    const op: Op = { op: 'probe', task: taskIndex, tid: task.tid, request };
    const result: OpResult = { kind: 'probe', probe: decideRequest(world, task, request) };
    if (died) {
      // the task's death is the kernel's observation (the table's `probe killed`): the model has
      // it alive, so it is a difference, re-run before it counts like any other (conform.ts)
      push({ entry, status: { status: 'different', why: `the task died while its disposable child probed (the model has it alive): ${entry.result.kind === 'error' ? entry.result.message : ''}` }, request, model: result });
      continue;
    }
    const v = compareResult(result, entry.result, op);
    if (v.verdict === 'same') {
      push({ entry, status: { status: 'same' }, request, model: result });
      continue;
    }
    if (v.verdict === 'not_comparable') {
      push({ entry, status: notCompared(v.why, 'executor'), request, model: result });
      continue;
    }
    // the entry as a probe step of its own, for the documented model decisions
    const step: TraceStep = { index: -1, op, before: world, after: world, out: { world, result, tid: task.tid } };
    const e = explained.find((x) => x.matches({ index: -1, op, model: step, trace: model, kernel: { tid: entry.tid, result: entry.result } }));
    push({ entry, status: e ? { status: 'explained', why: v.why, entry: e } : { status: 'different', why: v.why }, request, model: result });
  }
  return { entries, unexplained };
}
