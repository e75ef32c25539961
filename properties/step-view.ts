// What properties ask of one step: who acted, which surviving tasks had their stacks changed
// (and, on demand, every task that lived through it, as before/after pairs), whether the op is
// one of the explicit relaxation paths, and which layers changed content. Memoised on the
// step: several properties look at the same step.
import type { Task, World } from '../model/state.js';
import { SECCOMP_FILTER_FLAG, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import type { TraceStep } from './trace.js';
import type { ChangedLayer } from './stacks.js';
import { changedLayersOf, identicalStacks } from './stacks.js';
import type { Weakening } from './weakening.js';
import { evaluationOf } from '../model/evaluation.js';

/** A task alive before and after a step: the same tid, or the exec'ing thread that took the leader's tid. */
export interface Survivor {
  readonly before: Task;
  readonly after: Task;
  /** weakening.ts's answer for this survivor of this step, once asked (shared by every property). */
  weakening?: Weakening | null;
}

/**
 * The explicit relaxation paths of layering-designs §5 (I1, I6): a successful `modify` (its
 * effect attributed to the mutability flag the layer was created with) or a successful
 * supervisor COMMIT (mutable-domains RFC). USER_NOTIF decisions are not ops of the model.
 */
export type Relaxation = 'modify' | 'commit' | null;

/** The live task with `tid`. */
export function taskOf(world: World, tid: number): Task | undefined {
  return world.tasks.byTid(tid);
}

/** The acting task before the step (undefined when the op resolved to no task). */
export function actorOf(step: TraceStep): Task | undefined {
  return step.out.tid ? taskOf(step.before, step.out.tid) : undefined;
}

/**
 * The tid a task of the world before a step has after it, if it survives: its own, or for the
 * exec'ing thread the leader's (fs/exec.c:de_thread); 0 for the other threads of an exec'ing
 * group, which de_thread killed.
 */
export function survivorTid(t: Task, exec: Task | undefined): number {
  if (exec === undefined || t.tgid !== exec.tgid) return t.tid;
  return t === exec ? exec.tgid : 0;
}

/*
 * Pairing the tasks of two consecutive worlds: both lists are in creation order; a step removes
 * tasks, appends new ones, and exec puts the exec'ing thread, now with the leader's tid, in its
 * own place; so one merge walk over `before` pairs them, taking the next task of `after` when
 * it has the survivor's tid. Every walk below is that one.
 */

/** Every survivor of the step, in task order. */
function pairTasks(before: World, after: World, exec: Task | undefined): Survivor[] {
  const out: Survivor[] = [];
  const b = before.tasks.toArray();
  const a = after.tasks.toArray();
  if (a === b) {
    for (let i = 0; i < b.length; i++) out.push({ before: b[i]!, after: b[i]!, weakening: undefined });
    return out;
  }
  let j = 0;
  for (let i = 0; i < b.length && j < a.length; i++) {
    const bt = b[i]!;
    const want = survivorTid(bt, exec);
    if (want !== 0 && a[j]!.tid === want) out.push({ before: bt, after: a[j++]!, weakening: undefined });
  }
  return out;
}

/** The shared answer of `restacked` for the many steps that change no stack. */
const NONE: readonly Survivor[] = [];

export class StepView {
  /** The acting task before the step (undefined when the op resolved to no task). */
  readonly actor: Task | undefined;
  /** The acting task after the step (moved to the leader's tid by exec; undefined if it died). */
  readonly actorAfter: Task | undefined;
  readonly ok: boolean;
  /** The actor of a successful exec (de_thread leaves its group to it), else undefined. */
  readonly exec: Task | undefined;
  /**
   * The survivors whose stacks changed (not identicalStacks), in task order: usually none or
   * one. A check that skips survivors with identical stacks reads this, not `survivors`.
   */
  readonly restacked: readonly Survivor[];
  readonly relaxation: Relaxation;
  /** The op asked for TSYNC (seccomp or Landlock). */
  readonly tsync: boolean;
  /** changedLayers' memo (undefined until first asked). */
  changed: ReadonlyMap<string, ChangedLayer> | undefined = undefined;
  /** Every survivor (built on first use: few checks need the unchanged ones). */
  private all: readonly Survivor[] | undefined = undefined;
  /** The thread group of the first survivor the step changed (any field), if any; whether
   * survivors of other groups changed too. */
  private readonly touchedTgid: number | undefined;
  private readonly touchedMore: boolean;

  constructor(readonly step: TraceStep) {
    const { op, before, after, out } = step;
    const actor = actorOf(step);
    const ok = out.result.kind === 'ok';
    const exec = ok && op.op === 'exec' && actor !== undefined ? actor : undefined;
    this.actor = actor;
    this.ok = ok;
    this.exec = exec;
    // The merge walk, allocating a pair only for a survivor whose stacks changed.
    const b = before.tasks.toArray();
    const a = after.tasks.toArray();
    let actorAfter: Task | undefined;
    let restacked: Survivor[] | undefined;
    let touchedTgid: number | undefined;
    let touchedMore = false;
    if (a === b) actorAfter = actor;
    else {
      let j = 0;
      for (let i = 0; i < b.length && j < a.length; i++) {
        const bt = b[i]!;
        const want = survivorTid(bt, exec);
        if (want === 0 || a[j]!.tid !== want) continue;
        const at = a[j++]!;
        if (bt === actor) actorAfter = at;
        if (bt === at) continue;
        if (touchedTgid === undefined) touchedTgid = bt.tgid;
        else if (bt.tgid !== touchedTgid) touchedMore = true;
        if (!identicalStacks(bt, at)) (restacked ??= []).push({ before: bt, after: at, weakening: undefined });
      }
    }
    this.actorAfter = actorAfter;
    this.restacked = restacked ?? NONE;
    this.touchedTgid = touchedTgid;
    this.touchedMore = touchedMore;
    let relaxation: Relaxation = null;
    if (ok && op.op === 'modify') relaxation = 'modify';
    else if (ok && op.op === 'ruleset_add_rule' && op.commit === true && before.semantics.landlockSupervisor) relaxation = 'commit';
    this.relaxation = relaxation;
    this.tsync =
      (op.op === 'seccomp_filter' && (op.flags & SECCOMP_FILTER_FLAG.TSYNC) !== 0) ||
      (op.op === 'restrict_self' && (op.flags & LANDLOCK_RESTRICT_SELF.TSYNC) !== 0);
  }

  /** Every task alive before and after the step, as before/after pairs, in task order. */
  get survivors(): readonly Survivor[] {
    return (this.all ??= pairTasks(this.step.before, this.step.after, this.exec));
  }

  /**
   * The survivors some of whose decisions may differ across the step (weakening.ts compares
   * them): every survivor when the evaluation or the fs tree changed, or when some survivor's
   * inputs as a target changed (domain, thread group: the others' task-relative requests
   * towards it may differ); else those whose own inputs changed (relationChanged). decisions.ts
   * says what a decision reads.
   */
  get redecided(): readonly Survivor[] {
    const { before, after } = this.step;
    if (before === after) return NONE;
    if (this.evaluationChanged || this.targetChanged.length > 0) return this.survivors;
    // No target changed: only a survivor whose own inputs changed may decide differently.
    return this.relationChanged;
  }

  /** The evaluation or the fs tree differs between the step's worlds. */
  get evaluationChanged(): boolean {
    const { before, after } = this.step;
    return before.fs !== after.fs || (before.semantics !== after.semantics && evaluationOf(before.semantics) !== evaluationOf(after.semantics));
  }

  /**
   * The survivors whose decision inputs changed — filter, mode, domain (their tables and their
   * task-relative requests) or thread group (task-relative requests) — in task order. A subset
   * of the touched survivors; `restacked` is a subset of it.
   */
  get relationChanged(): readonly Survivor[] {
    if (this.relMemo === undefined) this.splitChanged();
    return this.relMemo!;
  }

  /**
   * The survivors whose inputs as the target of a task-relative request changed (domain or
   * thread group: landlock/scope.ts, ptrace.ts), a subset of relationChanged.
   */
  get targetChanged(): readonly Survivor[] {
    if (this.targetMemo === undefined) this.splitChanged();
    return this.targetMemo!;
  }

  private splitChanged(): void {
    let rel: Survivor[] | undefined;
    let target: Survivor[] | undefined;
    if (this.touchedTgid !== undefined) {
      const ss = this.survivors;
      for (let i = 0; i < ss.length; i++) {
        const a = ss[i]!.before;
        const b = ss[i]!.after;
        if (a === b) continue;
        const asTarget = a.domain !== b.domain || a.tgid !== b.tgid;
        if (asTarget) (target ??= []).push(ss[i]!);
        if (asTarget || a.filter !== b.filter || a.seccompMode !== b.seccompMode) (rel ??= []).push(ss[i]!);
      }
    }
    this.relMemo = rel ?? NONE;
    this.targetMemo = target ?? NONE;
  }

  private targetMemo: readonly Survivor[] | undefined = undefined;
  /** relationChanged's memo. */
  private relMemo: readonly Survivor[] | undefined = undefined;

  /** The step changed a surviving task of thread group `tgid` (any field: another task value). */
  touches(tgid: number): boolean {
    if (tgid === this.touchedTgid) return true;
    if (!this.touchedMore) return false;
    const ss = this.survivors;
    for (let i = 0; i < ss.length; i++) if (ss[i]!.before.tgid === tgid && ss[i]!.before !== ss[i]!.after) return true;
    return false;
  }
}

export function viewOf(step: TraceStep): StepView {
  return step.view ?? (step.view = new StepView(step));
}

/** The answer of changedLayers for the many steps that change no layer's content. */
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
  const ss = view.restacked;
  for (let i = 0; i < ss.length; i++) out = changedLayersOf(ss[i]!.before, ss[i]!.after, out);
  return (view.changed = out ?? NO_CHANGE);
}

/** Layers of one task's stacks that changed content in the step. */
export function changedLayersOfTask(s: Survivor): ChangedLayer[] {
  if (identicalStacks(s.before, s.after)) return [];
  const out = changedLayersOf(s.before, s.after, undefined);
  return out ? [...out.values()] : [];
}
