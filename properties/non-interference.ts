// non-interference: a forked child's decisions do not depend on what other processes do after
// the fork. For every c = fork(p), the scenario is re-run from the world right after the fork
// with only the calls of c's own thread group (pinned by tid, model/ops.ts), and c's decision
// table must be identical in both runs after every step.
//
// The comparison window of a child ends (no violation) at:
// - an explicit relaxation path reaching c: a successful modify or supervisor commit by another
//   process that changed the stacks of c or of a thread of c's group (the variant lets the
//   layer's creator, or a handle holder, change it);
// - a call of c's group that uses a descriptor (add_rule, restrict_self with a ruleset, the
//   supervisee ioctl, send_fd, close_fd, modify) while c's fd table differs between the runs —
//   other fds, or rulesets with other contents: the fd is the explicit channel, and what a
//   shared ruleset holds when c reads it may legitimately depend on others (a modify through a
//   handle always ends it);
// - c's death in either run.
// Thread scope: the forked process is the unit; its own threads' calls are kept in both runs.
// Cost: one pass over the trace, a shadow world per live child; tables only when c's layers
// differ between the runs by content (properties/content.ts).
import type { Op } from '../model/ops.js';
import type { Outcome } from '../model/outcome.js';
import type { World, Task } from '../model/state.js';
import type { Property, Violation } from './property.js';
import type { ModelTrace } from './trace.js';
import type { StepView } from './step-view.js';
import { viewOf, taskOf } from './step-view.js';
import { firstDifference, describeRequest, formatOutcome } from './decisions.js';
import { formatStacks, identicalStacks } from './stacks.js';
import { sameFdView } from './fd-view.js';
import { sameContentStacks } from './content.js';

const USES_FD: ReadonlySet<string> = new Set(['ruleset_add_rule', 'ruleset_supervisee', 'send_fd', 'close_fd', 'modify']);

function usesFd(op: Op): boolean {
  return USES_FD.has(op.op) || (op.op === 'restrict_self' && op.ruleset !== null);
}

/** The relaxation changed the stacks of a task of c's thread group (which exec can make c). */
function relaxesGroup(view: StepView, tgid: number): boolean {
  for (const sv of view.survivors) if (sv.before.tgid === tgid && !identicalStacks(sv.before, sv.after)) return true;
  return false;
}

/** The counterfactual run of one forked child. */
class Shadow {
  world: World;
  /** The real and counterfactual tasks whose stacks were last found to decide alike. */
  lastReal: Task | undefined;
  lastCf: Task | undefined;
  /** Real tid → counterfactual tid for the tasks of c's thread group. */
  readonly tids = new Map<number, number>();
  constructor(readonly child: number, readonly forkStep: number, world: World) {
    this.world = world;
    this.tids.set(child, child);
  }
}

function check(trace: ModelTrace): Violation | null {
  const shadows: Shadow[] = [];
  const steps = trace.steps;
  for (let i = 0; i < steps.length; i++) {
    const view = viewOf(steps[i]!);
    const { op, before, after, out } = view.step;
    const actor = view.actor;
    for (let k = 0; k < shadows.length; k++) {
      const sh = shadows[k]!;
      const c = sh.child;
      let alive = true;
      if (actor && actor.tgid === c) {
        // A call of c's own group: replayed in the counterfactual run.
        const pin = sh.tids.get(actor.tid);
        const cfActor = pin === undefined ? undefined : taskOf(sh.world, pin);
        const handle = op.op === 'modify' && op.handle !== undefined;
        if (!cfActor || (usesFd(op) && (handle || !sameFdView(before, actor, sh.world, cfActor)))) alive = false;
        else {
          const cf = trace.step(sh.world, { ...op, tid: pin } as Op);
          if (op.op === 'thread' && out.result.kind === 'ok' && cf.result.kind === 'ok') sh.tids.set(out.result.ret, cf.result.ret);
          if (op.op === 'exec' && out.result.kind === 'ok') sh.tids.set(actor.tgid, actor.tgid);
          sh.world = cf.world;
        }
      } else if (view.relaxation && relaxesGroup(view, c)) {
        alive = false;
      }
      const real = taskOf(after, c);
      const cf = taskOf(sh.world, c);
      if (!alive || !real || !cf) {
        shadows.splice(k--, 1);
        continue;
      }
      if (identicalStacks(real, cf)) continue;
      if (sh.lastReal && sh.lastCf && identicalStacks(real, sh.lastReal) && identicalStacks(cf, sh.lastCf)) continue;
      const d = trace.decisions;
      let j = -1;
      let a: readonly Outcome[] = [];
      let b: readonly Outcome[] = [];
      if (!sameContentStacks(real, cf)) {
        a = d.of(after, real);
        b = d.of(sh.world, cf);
        j = firstDifference(b, a);
      }
      if (j < 0) {
        sh.lastReal = real;
        sh.lastCf = cf;
        continue;
      }
      return {
        atStep: i,
        message: `${op.op} by ${out.tid}: forked task ${c} decides ${describeRequest(d.request(j))} as ${formatOutcome(a[j]!)}, but ${formatOutcome(b[j]!)} without the other processes' calls since its fork (step ${sh.forkStep})`,
        details: { task: c, forkStep: sh.forkStep, request: describeRequest(d.request(j)), actual: formatOutcome(a[j]!), alone: formatOutcome(b[j]!), stacks: formatStacks(real), stacksAlone: formatStacks(cf) },
      };
    }
    if (op.op === 'fork' && out.result.kind === 'ok') shadows.push(new Shadow(out.result.ret, i, after));
  }
  return null;
}

export const NON_INTERFERENCE: Property = {
  id: 'non-interference',
  statement: "A forked task's decisions are the same with and without the other processes' calls after its fork, unless an explicit relaxation path reaches it.",
  source: 'Goguen-Meseguer non-interference over layering-designs §5 I1/I2; kernel/fork.c:copy_seccomp',
  threadScope: 'processes',
  threadNote: 'The forked process is the unit: its own threads\' calls are kept in both runs.',
  check,
};
