// What the corner detectors know about one model run besides the step in hand: the variant and
// its evaluation, and the few facts a step alone does not show (which process created each
// ruleset, which rulesets a process received over SCM_RIGHTS). One per trace, filled in step
// order by the detectors themselves.
import type { Task, World } from '../model/state.js';
import type { Evaluation } from '../model/evaluation.js';
import { evaluationOf } from '../model/evaluation.js';
import type { Variant } from '../variants/variant.js';
import type { TraceStep } from '../properties/trace.js';

export class TraceContext {
  readonly evaluation: Evaluation;
  /** Ruleset id → thread-group id of the process that created it. */
  readonly creator = new Map<number, number>();
  /** `${ruleset id}:${tgid}`: a ruleset fd a process received by SCM_RIGHTS. */
  readonly received = new Set<string>();

  constructor(readonly variant: Variant) {
    this.evaluation = evaluationOf(variant.semantics);
  }
}

/** The live task with `tid` in `world`, if any. */
export function taskOf(world: World, tid: number): Task | undefined {
  return tid === 0 ? undefined : world.tasks.find((t) => t.tid === tid);
}

/** The acting task as it was before the step (undefined when the op named no live task). */
export function actorBefore(step: TraceStep): Task | undefined {
  return taskOf(step.before, step.out.tid);
}

/** The acting task after the step: its own tid, or the group leader's after an exec. */
export function actorAfter(step: TraceStep, before: Task): Task | undefined {
  return taskOf(step.after, step.op.op === 'exec' ? before.tgid : before.tid);
}

/** Whether `task` has another live thread in `world` (before de_thread or TSYNC). */
export function hasSiblingThread(world: World, task: Task): boolean {
  return world.tasks.some((t) => t.tgid === task.tgid && t.tid !== task.tid);
}

/** The step succeeded (an `ok` result: the syscall returned without an error). */
export function succeeded(step: TraceStep): boolean {
  return step.out.result.kind === 'ok';
}
