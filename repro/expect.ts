// The model's result for one step as the executor result lines that agree with it: the same
// reading of a kernel observation in the model's terms as conformance/compare.ts (a request's
// natural failure counts as allowed; a thread kill and a process kill look alike when the thread
// was alone; RET_ERRNO with data 0 looks like a call that returned 0), written out as patterns
// over the text of "r <op> <tid> <result>" (conformance/protocol.md) that the reproducer's C
// driver matches (repro/driver.c). "*" is any one token, a trailing "**" the rest of the line,
// "~ordinary" any result that is neither `stopped` nor `killed`.
import type { Op } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import type { Outcome } from '../model/outcome.js';
import type { Request } from '../model/request.js';
import type { TraceStep } from '../properties/trace.js';
import { naturalErrnos } from '../conformance/compare.js';
import { callOf, otherOutcomes } from '../conformance/unknown-args.js';
import { explainedById } from '../conformance/explained.js';

export interface StepExpectation {
  /** Results that agree with the model. */
  readonly agree: readonly string[];
  /** Results compare.ts cannot compare (an observe whose layer count is unknown). */
  readonly unknown: readonly string[];
  /** Results an entry of conformance/explained.ts explains at this step (none: empty). */
  readonly explained: readonly string[];
  /** That entry's id, or null. */
  readonly explainedId: string | null;
  /** Whether the explained difference parts the worlds (the entry's `after` is 'stop'). */
  readonly explainedStop: boolean;
}

const int = (n: number): string => String(Math.trunc(n));

/** A probe's or a stopped op's outcome (conformance/compare.ts compareOutcome). */
export function outcomePatterns(prefix: 'probe' | 'stopped', o: Outcome, req?: Request): string[] {
  switch (o.kind) {
    case 'allow':
      return [`${prefix} returned *`, ...naturalErrnos(req).map((e) => `${prefix} errno ${e}`)];
    case 'errno':
      return o.errno === 0 ? [`${prefix} returned 0`] : [`${prefix} errno ${int(o.errno)}`];
    case 'trap':
      return [`${prefix} trap ${int(o.data)} * *`];
    case 'kill_thread':
      // the last thread's KILL_THREAD is a process-wide SIGSYS (kernel/seccomp.c:__seccomp_filter)
      return [`${prefix} killed thread **`, `${prefix} killed process * 1`];
    case 'kill_process':
      return [`${prefix} killed process **`];
    case 'notify':
      return [`${prefix} notify ${int(o.listener)} *`];
  }
}

/** A filter stopped the op's own syscall (compare.ts compareStopped). */
function stoppedPatterns(o: Outcome): string[] {
  switch (o.kind) {
    case 'errno': return o.errno === 0 ? ['ok 0'] : [`err ${int(o.errno)}`];
    case 'kill_thread': return ['killed thread **', 'killed process * 1'];
    case 'kill_process': return ['killed process **'];
    case 'trap': case 'notify': return outcomePatterns('stopped', o);
    case 'allow': return [];
  }
}

/** The results that agree with model result `m` of `op` (compare.ts compareResult). */
export function agreeing(m: OpResult, op: Op): { agree: string[]; unknown: string[] } {
  const unknown: string[] = [];
  const agree: string[] = [];
  // exit(2) of a thread with siblings and a KILL_THREAD of that exit(2) look the same
  if (op.op === 'exit' && m.kind === 'stopped' && m.outcome.kind === 'kill_thread') agree.push('ok 0');
  switch (m.kind) {
    // (a seccomp_filter op's task may then die at the executor's reply: "then-killed", diff.ts)
    case 'ok': agree.push(`ok ${int(m.ret)}`, ...(op.op === 'seccomp_filter' ? [`ok ${int(m.ret)} then-killed **`] : [])); break;
    case 'err': agree.push(`err ${int(m.errno)}`, ...(op.op === 'seccomp_filter' ? [`err ${int(m.errno)} then-killed **`] : [])); break;
    case 'tsync_fail': agree.push(`tsync_fail ${int(m.tid)}`); break;
    case 'invalid': agree.push('invalid **'); break;
    case 'probe': agree.push(...outcomePatterns('probe', m.probe.outcome, op.op === 'probe' ? op.request : undefined)); break;
    case 'killed':
      if (m.scope === 'thread') agree.push('killed thread **', 'killed process * 1');
      else agree.push('killed process **');
      break;
    case 'stopped': agree.push(...stoppedPatterns(m.outcome)); break;
    case 'observe': {
      const s = m.state;
      const head = `observe ${int(s.seccompMode)} ${int(s.filterCount)} ${s.nnp ? 1 : 0}`;
      agree.push(`${head} ${s.landlockLayers === null ? '-1' : int(s.landlockLayers)}`);
      unknown.push(`${head} -1 **`);
      break;
    }
  }
  return { agree, unknown };
}

/** The kernel results conformance/explained.ts `unknown-arguments` explains at this step. */
export function explainedPatterns(step: TraceStep): string[] {
  const task = step.before.tasks.find((t) => t.tid === step.out.tid);
  if (!task) return [];
  const call = callOf(task, step.op);
  if (!call) return [];
  const out: string[] = [];
  for (const o of otherOutcomes(step.before, task, call.req, call.known)) {
    if (step.op.op === 'probe') out.push(...outcomePatterns('probe', o, step.op.request));
    else if (o.kind === 'allow') out.push('~ordinary');
    else {
      const r: OpResult = { kind: 'stopped', outcome: o };
      out.push(...agreeing(r, step.op).agree);
    }
  }
  return [...new Set(out)];
}

/**
 * The kernel results conformance/explained.ts `mount-needs-cap-sys-admin` explains at this step:
 * a mount probe the model allows, made by a task without CAP_SYS_ADMIN, is EPERM on the kernel
 * (fs/namespace.c:may_mount). Its `after` is 'compare': later steps are still compared.
 */
export function mountCapPatterns(step: TraceStep, result: OpResult): string[] {
  if (step.op.op !== 'probe' || step.op.request.kind !== 'mount') return [];
  const task = step.before.tasks.find((t) => t.tid === step.out.tid);
  if (!task || task.capSysAdmin || result.kind !== 'probe' || result.probe.outcome.kind !== 'allow') return [];
  return ['probe errno 1'];
}

/** An explained entry's `after`, read from conformance/explained.ts (one truth for both). */
function partsWorlds(id: string): boolean {
  const e = explainedById(id);
  if (!e) throw new Error(`conformance/explained.ts has no entry ${id}`);
  return e.after === 'stop';
}

export function stepExpectation(step: TraceStep, result: OpResult = step.out.result): StepExpectation {
  const { agree, unknown } = agreeing(result, step.op);
  const unknownArgs = explainedPatterns(step);
  if (unknownArgs.length) return { agree, unknown, explained: unknownArgs, explainedId: 'unknown-arguments', explainedStop: partsWorlds('unknown-arguments') };
  const mount = mountCapPatterns(step, result);
  if (mount.length) return { agree, unknown, explained: mount, explainedId: 'mount-needs-cap-sys-admin', explainedStop: partsWorlds('mount-needs-cap-sys-admin') };
  return { agree, unknown, explained: [], explainedId: null, explainedStop: false };
}
