// non-interference: a forked child's decisions do not depend on what other processes do after
// the fork. For every c = fork(p), a counterfactual run leaves out the other processes' calls
// from the first one that reaches c's thread group — changes one of its tasks, or a ruleset
// (or its supervisor) or an H1 map that its fds name — and keeps the calls of c's group, pinned by tid
// (model/ops.ts); c's decision table must be identical in both runs after every step. Calls
// before that reach nothing c can see, so the two runs agree until then and the
// counterfactual world is only materialised there: where nobody reaches a child, as on Linux,
// the property costs one identity check per child and step.
//
// The comparison window of a child ends (no violation) at:
// - an explicit relaxation path reaching c: a successful modify or supervisor commit by another
//   process that reaches c's group (the variant lets the layer's creator, or a handle holder,
//   change it);
// - a call of c's group that uses a descriptor (add_rule, restrict_self with a ruleset, the
//   supervisee ioctl, send_fd, close_fd, modify; in H1 variants map_put and a filter reading a
//   map) while c's fd table differs between the runs — other fds, or rulesets or maps with other
//   contents: the fd is the explicit channel, and what a shared ruleset or map holds when c reads
//   it may legitimately depend on others (a modify through a handle always ends it);
// - a seccomp_filter with NEW_LISTENER by c's group while a listener of c's filter chain is open
//   in one run and not in the other: a listener belongs to the filter that every holder of the
//   chain shares since the fork (kernel/fork.c:copy_seccomp), and whether a holder may install
//   another listener depends on whether that one's file is still open
//   (kernel/seccomp.c:has_duplicate_listener; seccomp_notify_release → seccomp_notify_detach) —
//   a channel from the listener's holder (e.g. its exec closing the descriptor, close-on-exec) to
//   every task of the chain, which Linux has by design (README, "What strata found about Linux");
// - a call of another process that answers a notified call of c's group (SEND, ADDFD|SEND, or
//   the release of the listener's last descriptor: ENOSYS) — the listener's holder deciding c's
//   delegated call, the relaxation path c's layer creator chose (properties/delegation.ts);
// - c's death in either run.
// Supervised scenarios (model/seccomp/notify.ts): `notif_supervise` is the harness's mode, taken
// by both runs. A supervisor's answer changes no decision table (the delegated rank is one
// decision: properties/delegation.ts), and its ADDFD reaches c through c's fd table — so the
// comparison follows descriptors (listener holders), not domains or processes (delegation.md
// §12 item 9): an answer from a Landlock-sandboxed holder, or from no relative at all, is the
// same channel.
// Thread scope: the forked process is the unit; its own threads' calls are kept in both runs.
// Cost: one pass over the trace; a shadow world per child only once it is reached; tables only
// when c's layers differ between the runs by content (properties/content.ts).
import type { Op } from '../model/ops.js';
import type { Outcome } from '../model/outcome.js';
import type { World, Task, FdTable } from '../model/state.js';
import type { Property, PropertyMonitor, Counterfactual, Violation } from './property.js';
import type { ModelTrace, TraceStep } from './trace.js';
import type { StepView } from './step-view.js';
import { viewOf, taskOf, actorOf } from './step-view.js';
import { firstDifference, describeRequest, formatOutcome } from './decisions.js';
import { formatStacks, identicalStacks } from './stacks.js';
import { sameFdView } from './fd-view.js';
import { sameContentStacks } from './content.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import { hasDuplicateListener } from '../model/seccomp/filter.js';

const USES_FD: ReadonlySet<string> = new Set(['ruleset_add_rule', 'ruleset_supervisee', 'send_fd', 'close_fd', 'modify', 'map_put']);

function usesFd(op: Op): boolean {
  return USES_FD.has(op.op) || (op.op === 'restrict_self' && op.ruleset !== null) || (op.op === 'seccomp_filter' && op.map !== undefined);
}

/** A call of another process changed a task of c's group, or a ruleset (or its supervisor) or
 * an H1 map that the group's fds name. */
function reachesGroup(view: StepView, tgid: number): boolean {
  if (view.touches(tgid)) return true;
  const { before, after } = view.step;
  if (before.rulesets === after.rulesets && before.maps === after.maps) return false;
  // The fds of the group's last survivor (every survivor of the group is unchanged here).
  let fds: FdTable | undefined;
  const ss = view.survivors;
  for (let i = 0; i < ss.length; i++) if (ss[i]!.before.tgid === tgid) fds = ss[i]!.before.fds;
  if (!fds) return false;
  for (const e of fds) {
    if (e.obj.kind === 'map' && before.maps[e.obj.id] !== after.maps[e.obj.id]) return true;
    if (e.obj.kind !== 'ruleset') continue;
    const r = before.rulesets[e.obj.id];
    if (r !== after.rulesets[e.obj.id]) return true;
    if (r && r.supervisorId !== undefined && before.rulesets[r.supervisorId] !== after.rulesets[r.supervisorId]) return true;
  }
  return false;
}

/** The step answered (or ended) a pending notification of a task of thread group `tgid`. */
function answersGroup(step: TraceStep, tgid: number): boolean {
  const b = step.before.notifs;
  const a = step.after.notifs;
  if (b === null || b === a || b.list.length === 0) return false;
  for (const p of b.list) {
    if (p.state === 'replied' || step.before.tasks.byTid(p.tid)?.tgid !== tgid) continue;
    const now = a?.list.find((q) => q.seq === p.seq);
    if (!now || now.state === 'replied') return true;
  }
  return false;
}

/** The counterfactual run of one forked child. */
class Shadow {
  /** The counterfactual world, or null while it agrees with the real one on everything c sees. */
  world: World | null = null;
  /** The real and counterfactual tasks whose stacks were last found to decide alike. */
  lastReal: Task | undefined;
  lastCf: Task | undefined;
  /** Real tid → counterfactual tid for the tasks of c's thread group (made at the split). */
  tids: Map<number, number> | undefined;
  constructor(readonly child: number, readonly forkStep: number) {}

  /** Split from the real run before `world`'s next call: c's group keeps its tids. */
  materialise(world: World): void {
    this.world = world;
    const tids = (this.tids = new Map());
    for (const t of world.tasks) if (t.tgid === this.child) tids.set(t.tid, t.tid);
  }

  /** A copy whose later changes leave this one alone. */
  copy(): Shadow {
    const s = new Shadow(this.child, this.forkStep);
    s.world = this.world;
    s.lastReal = this.lastReal;
    s.lastCf = this.lastCf;
    s.tids = this.tids === undefined ? undefined : new Map(this.tids);
    return s;
  }
}

/** The shadows of one run, advanced step by step (check: over a trace; explore: per path). */
class NonInterferenceMonitor implements PropertyMonitor {
  constructor(private readonly shadows: Shadow[] = []) {}

  copy(): NonInterferenceMonitor {
    return new NonInterferenceMonitor(this.shadows.length === 0 ? [] : this.shadows.map((s) => s.copy()));
  }

  idle(step: TraceStep): boolean {
    // advance: a new shadow only at a successful fork; a shadow that has not split skips a
    // step that changed nothing.
    if (step.op.op === 'fork' && step.out.result.kind === 'ok') return false;
    if (this.shadows.length === 0) return true;
    return step.after === step.before && this.shadows.every((s) => s.world === null);
  }

  state(): readonly Counterfactual[] {
    return this.shadows.map((s) => ({ watched: s.child, world: s.world, pins: s.tids }));
  }

  advance(step: TraceStep, trace: ModelTrace): Violation | null {
    const shadows = this.shadows;
    const i = step.index;
    const { op, before, after, out } = step;
    // The step's view (who survived, and how) is built only for a step that may reach a child.
    const actor = shadows.length > 0 ? actorOf(step) : undefined;
    for (let k = 0; k < shadows.length; k++) {
      const sh = shadows[k]!;
      // Before the split the runs agree on what c sees, and a step that changed nothing keeps it so.
      if (!sh.world && after === before) continue;
      const c = sh.child;
      let alive = true;
      if (op.op === 'notif_supervise') {
        // a mode of the harness (who answers notifications: model/seccomp/notify.ts), not a call
        // of any process: both runs take it
        if (sh.world) sh.world = trace.step(sh.world, { op: 'notif_supervise', task: 0 }).world;
      } else if (actor && actor.tgid === c) {
        // A call of c's own group: replayed in the counterfactual run (if it has split).
        if (sh.world) {
          const tids = sh.tids!;
          const pin = tids.get(actor.tid);
          const cfActor = pin === undefined ? undefined : taskOf(sh.world, pin);
          const handle = op.op === 'modify' && op.handle !== undefined;
          if (!cfActor || (usesFd(op) && (handle || !sameFdView(before, actor, sh.world, cfActor)))) alive = false;
          else if (op.op === 'seccomp_filter' && (op.flags & SECCOMP_FILTER_FLAG.NEW_LISTENER) !== 0 &&
            hasDuplicateListener(before, actor.filter) !== hasDuplicateListener(sh.world, cfActor.filter)) alive = false;
          else {
            const cf = trace.step(sh.world, { ...op, tid: pin } as Op);
            if (op.op === 'thread' && out.result.kind === 'ok' && cf.result.kind === 'ok') tids.set(out.result.ret, cf.result.ret);
            if (op.op === 'exec' && out.result.kind === 'ok') tids.set(actor.tgid, actor.tgid);
            sh.world = cf.world;
          }
        }
      } else if (after !== before && answersGroup(step, c)) {
        // another process answered (or, releasing the listener, failed) a notified call of c's
        // group: the listener's holder decides c's delegated call — the explicit path c's layer
        // creator chose with NEW_LISTENER (properties/delegation.ts); the window ends
        alive = false;
      } else if (after !== before && reachesGroup(viewOf(step), c)) {
        if (viewOf(step).relaxation) alive = false;
        else if (!sh.world) sh.materialise(before);
      }
      const real = taskOf(after, c);
      if (!alive || !real) {
        shadows.splice(k--, 1);
        continue;
      }
      if (!sh.world) continue;
      const cf = taskOf(sh.world, c);
      if (!cf) {
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
        a = d.comparable(after, real);
        b = d.comparable(sh.world, cf);
        j = firstDifference(b, a);
      }
      if (j < 0) {
        sh.lastReal = real;
        sh.lastCf = cf;
        continue;
      }
      return {
        atStep: i,
        message: `${op.op} by ${out.tid}: forked task ${c} decides ${describeRequest(d.request(j))} as ${formatOutcome(a[j]!)}, but ${formatOutcome(b[j]!)} without the other processes' calls that reached it (forked at step ${sh.forkStep})`,
        details: { task: c, forkStep: sh.forkStep, request: describeRequest(d.request(j)), actual: formatOutcome(a[j]!), alone: formatOutcome(b[j]!), stacks: formatStacks(real), stacksAlone: formatStacks(cf) },
      };
    }
    if (op.op === 'fork' && out.result.kind === 'ok') shadows.push(new Shadow(out.result.ret, i));
    return null;
  }
}

function check(trace: ModelTrace): Violation | null {
  const m = new NonInterferenceMonitor();
  const steps = trace.steps;
  for (let i = 0; i < steps.length; i++) {
    const v = m.advance(steps[i]!, trace);
    if (v) return v;
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
  monitor: () => new NonInterferenceMonitor(),
};
