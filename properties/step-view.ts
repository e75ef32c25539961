// What properties ask of one step: who acted, which tasks lived through it (as before/after
// pairs), whether the op is one of the explicit relaxation paths, and which layers changed
// content. Memoised on the step: several properties look at the same step.
import type { Task, World } from '../model/state.js';
import { SECCOMP_FILTER_FLAG, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import type { TraceStep } from './trace.js';
import type { ChangedLayer } from './stacks.js';
import { changedLayersOf, identicalStacks } from './stacks.js';

/** A task alive before and after a step: the same tid, or the exec'ing thread that took the leader's tid. */
export interface Survivor {
  readonly before: Task;
  readonly after: Task;
}

/**
 * The explicit relaxation paths of layering-designs §5 (I1, I6): a successful `modify` (its
 * effect attributed to the mutability flag the layer was created with) or a successful
 * supervisor COMMIT (mutable-domains RFC). USER_NOTIF decisions are not ops of the model.
 */
export type Relaxation = 'modify' | 'commit' | null;

export interface StepView {
  readonly step: TraceStep;
  /** The acting task before the step (undefined when the op resolved to no task). */
  readonly actor: Task | undefined;
  /** The acting task after the step (moved to the leader's tid by exec; undefined if it died). */
  readonly actorAfter: Task | undefined;
  readonly ok: boolean;
  readonly survivors: readonly Survivor[];
  readonly relaxation: Relaxation;
  /** The op asked for TSYNC (seccomp or Landlock). */
  readonly tsync: boolean;
  /** changedLayers' memo (undefined until first asked). */
  changed: ReadonlyMap<string, ChangedLayer> | undefined;
}

/** The live task with `tid` (a linear scan: worlds hold a handful of tasks). */
export function taskOf(world: World, tid: number): Task | undefined {
  const ts = world.tasks;
  for (let i = 0; i < ts.length; i++) if (ts[i]!.tid === tid) return ts[i];
  return undefined;
}

export function viewOf(step: TraceStep): StepView {
  return step.view ?? (step.view = buildView(step));
}

/**
 * Pair the tasks of two consecutive worlds. Both lists are in creation order: a step removes
 * tasks, appends new ones, and exec puts the exec'ing thread, now with the leader's tid, in
 * its own place; so one merge walk pairs them.
 */
function pairTasks(before: World, after: World, exec: Task | undefined): Survivor[] {
  const out: Survivor[] = [];
  const b = before.tasks;
  const a = after.tasks;
  if (a === b) {
    for (let i = 0; i < b.length; i++) out.push({ before: b[i]!, after: b[i]! });
    return out;
  }
  let j = 0;
  for (let i = 0; i < b.length && j < a.length; i++) {
    const bt = b[i]!;
    if (exec && bt.tgid === exec.tgid && bt !== exec) continue; // killed by de_thread
    const want = exec && bt === exec ? exec.tgid : bt.tid;
    if (a[j]!.tid === want) out.push({ before: bt, after: a[j++]! });
  }
  return out;
}

function buildView(step: TraceStep): StepView {
  const { op, before, after, out } = step;
  const actor = out.tid ? taskOf(before, out.tid) : undefined;
  const ok = out.result.kind === 'ok';
  const exec = ok && op.op === 'exec' && actor !== undefined ? actor : undefined;
  const survivors = pairTasks(before, after, exec);
  let actorAfter: Task | undefined;
  if (actor) for (const s of survivors) if (s.before === actor) actorAfter = s.after;
  let relaxation: Relaxation = null;
  if (ok && op.op === 'modify') relaxation = 'modify';
  else if (ok && op.op === 'ruleset_add_rule' && op.commit === true && before.semantics.landlockSupervisor) relaxation = 'commit';
  const tsync =
    (op.op === 'seccomp_filter' && (op.flags & SECCOMP_FILTER_FLAG.TSYNC) !== 0) ||
    (op.op === 'restrict_self' && (op.flags & LANDLOCK_RESTRICT_SELF.TSYNC) !== 0);
  return { step, actor, actorAfter, ok, survivors, relaxation, tsync, changed: undefined };
}

/** The answer of changedLayers for the many steps that change no survivor's stacks. */
const NO_CHANGE: ReadonlyMap<string, ChangedLayer> = new Map();

/**
 * Layers whose content changed in the step, over every surviving task (memoised on the view).
 * A step whose survivors all keep their filter, domain and mode nodes changed no layer: layers
 * are immutable nodes, so equal nodes are equal content.
 */
export function changedLayers(view: StepView): ReadonlyMap<string, ChangedLayer> {
  const memo = view.changed;
  if (memo !== undefined) return memo;
  let out: Map<string, ChangedLayer> | undefined;
  const ss = view.survivors;
  for (let i = 0; i < ss.length; i++) {
    const s = ss[i]!;
    if (identicalStacks(s.before, s.after)) continue;
    changedLayersOf(s.before, s.after, (out ??= new Map()));
  }
  return (view.changed = out ?? NO_CHANGE);
}

/** Layers of one task's stacks that changed content in the step. */
export function changedLayersOfTask(s: Survivor): ChangedLayer[] {
  if (identicalStacks(s.before, s.after)) return [];
  const out = new Map<string, ChangedLayer>();
  changedLayersOf(s.before, s.after, out);
  return [...out.values()];
}
