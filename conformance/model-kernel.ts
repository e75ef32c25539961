// A stand-in kernel for engine tests: the `linux` model itself, answering as the executor does
// (op results in the executor's terms, full-table entries after observes and at the end, the
// same entries skipped as the executor skips them: strict tasks, signal and ptrace within the
// task's own thread group, abstract_unix at observe points). Against it, a model that agrees
// with linux has no discrepancy, and a deliberately altered model has exactly its alterations:
// what the engine finds, and how fast, can then be tested without the cost of a live kernel.
import type { Op } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import type { Outcome } from '../model/outcome.js';
import type { World } from '../model/state.js';
import type { Universe } from '../model/universe.js';
import { defaultUniverse } from '../model/universe.js';
import { decideRequest } from '../model/probe.js';
import { defaultFsTree } from '../model/landlock/fstree.js';
import { runTrace } from '../properties/trace.js';
import type { Variant } from '../variants/variant.js';
import { linuxVariant } from '../variants/linux.js';
import type { KernelTarget } from './conform.js';
import type { KernelFeatures, KernelOpResult, KernelOutcome, KernelTableEntry, KernelTrace } from './result.js';
import type { KernelRunOptions, KernelWorld } from './runner.js';

const ECANCELED = 125;

/** Features of an x86_64 kernel with Landlock ABI `abi` and everything the executor uses. */
export function modelKernelFeatures(abi: number): KernelFeatures {
  return {
    kernel: `model (linux, Landlock ABI ${abi})`,
    landlockAbi: abi,
    landlockErrata: 0,
    seccompActions: ['kill_process', 'kill_thread', 'trap', 'errno', 'user_notif', 'trace', 'log', 'allow'],
    seccompFilterFlags: 0x3f,
    landlockRestrictFlags: abi >= 8 ? 0xf : 0x7,
    userNotif: true,
    pidfdThread: true,
    pidfdGetfd: true,
    ia32: true,
    mountns: true,
    netns: true,
    execMemfd: true,
  };
}

function outcome(o: Outcome, alone: boolean): KernelOutcome {
  switch (o.kind) {
    case 'allow': return { kind: 'returned', ret: 0 };
    case 'errno': return o.errno === 0 ? { kind: 'returned', ret: 0 } : { kind: 'errno', errno: o.errno };
    case 'trap': return { kind: 'trap', data: o.data, nr: 0, arch: 0 };
    case 'kill_thread': return alone ? { kind: 'kill_process', signal: 'SIGSYS', alone } : { kind: 'kill_thread' };
    case 'kill_process': return { kind: 'kill_process', signal: 'SIGSYS', alone };
    case 'notify': return { kind: 'notify', listener: o.listener, errno: ECANCELED };
  }
}

function kernelResult(r: OpResult, alone: boolean): KernelOpResult {
  switch (r.kind) {
    case 'ok': case 'err': case 'tsync_fail': case 'invalid': case 'observe': return r;
    case 'probe': return { kind: 'probe', outcome: outcome(r.probe.outcome, alone) };
    case 'killed': return { kind: 'killed', scope: r.scope, signal: r.signal, alone };
    case 'stopped': {
      const o = r.outcome;
      if (o.kind === 'errno') return o.errno === 0 ? { kind: 'ok', ret: 0 } : { kind: 'err', errno: o.errno };
      if (o.kind === 'kill_thread' || o.kind === 'kill_process') return { kind: 'killed', scope: o.kind === 'kill_thread' && !alone ? 'thread' : 'process', signal: 'SIGSYS', alone };
      return { kind: 'stopped', outcome: outcome(o, alone) };
    }
  }
}

const RELATIVE = ['signal', 'ptrace'] as const;

/** The executor's full-table entries for the tasks `tids` of `world` (a disposable child each). */
function table(world: World, point: number | 'end', tids: readonly number[], u: Universe): KernelTableEntry[] {
  const out: KernelTableEntry[] = [];
  const tabled = [...u.syscalls, ...u.landlock];
  const later: KernelTableEntry[] = [];
  for (const tid of tids) {
    const task = world.tasks.find((t) => t.tid === tid);
    if (!task) continue;
    const strict = task.seccompMode === 1;
    const skip = (reason: string): KernelOpResult => ({ kind: 'skip', reason });
    tabled.forEach((request, i) => {
      out.push({ point, tid, request: i, result: strict ? skip('the task is in strict mode') : { kind: 'probe', outcome: outcome(decideRequest(world, task, request).outcome, true) } });
    });
    world.tasks.forEach((t, target) => {
      if (t.tid === tid) return;
      for (const kind of RELATIVE) {
        const result = strict ? skip('the task is in strict mode') : t.tgid === task.tgid ? skip('the target is in the task\'s own thread group')
          : { kind: 'probe' as const, outcome: outcome(decideRequest(world, task, { kind, target }).outcome, true) };
        out.push({ point, tid, request: { kind, target: t.tid }, result });
      }
      const result = strict ? skip('the task is in strict mode') : point !== 'end' && t.seccompMode !== 1 ? skip('at an observe point')
        : { kind: 'probe' as const, outcome: outcome(decideRequest(world, task, { kind: 'abstract_unix', target }).outcome, true) };
      later.push({ point, tid, request: { kind: 'abstract_unix', target: t.tid }, result });
    });
  }
  return [...out, ...later];
}

/** The linux model (or `variant`) answering as the executor would. */
export class ModelKernel implements KernelTarget {
  runs = 0;
  private readonly variant: Variant;
  constructor(private readonly abi = 7, variant?: Variant) {
    this.variant = variant ?? linuxVariant(abi);
  }

  features(): Promise<KernelFeatures> {
    return Promise.resolve(modelKernelFeatures(this.abi));
  }

  run(ops: readonly Op[], world: KernelWorld = {}, options: KernelRunOptions = {}): Promise<KernelTrace> {
    this.runs++;
    const u = options.table ?? defaultUniverse();
    const trace = runTrace(this.variant, ops, {
      world: { abi: world.abi ?? this.abi, nnp: world.nnp ?? false, capSysAdmin: world.capSysAdmin ?? true, fs: world.fs ?? defaultFsTree() },
      universe: u,
    });
    const tables: KernelTableEntry[] = [];
    const steps = trace.steps.map((s, i) => {
      const before = s.before.tasks.find((t) => t.tid === s.out.tid);
      const alone = !before || s.before.tasks.filter((t) => t.tgid === before.tgid).length === 1;
      if (options.table && s.op.op === 'observe' && s.out.result.kind === 'observe') tables.push(...table(s.after, i, [s.out.tid], u));
      return { tid: s.out.tid, result: kernelResult(s.out.result, alone) };
    });
    if (options.table) {
      const end = trace.steps.length ? trace.steps[trace.steps.length - 1]!.after : trace.initial;
      tables.push(...table(end, 'end', end.tasks.map((t) => t.tid), u));
    }
    return Promise.resolve({ status: 'ok', steps, elapsedUs: 0, cleanup: 'clean', ...(options.table ? { tables } : {}) });
  }
}
