// The bounded-exhaustive engine of `strata explore`: for each variant, every op sequence of the
// scope (explore/scope.ts) up to the depth, breadth first, from the variant's initial world.
// Every transition is checked against every property still unviolated: per-step checks through
// the same step plan as `strata check` (properties/step-filter.ts), properties that carry state
// (non-interference) through their monitors, one copy per path. A world whose canonical form
// (explore/canonical.ts, with the monitors' state) was met before is not expanded again; the
// first violation of each property is therefore at its least depth within the scope (breadth
// first), and the search goes on, for the other properties, to the depth. Each violation is
// re-run as a plain scenario (properties/trace.ts) and must fail there at its last step, which
// makes it a counterexample like check's: a trace scenario with its finding.
//
// Library code: progress goes to `onProgress`, nothing to the console. The engine yields to the
// event loop about every `yieldMs`, so a caller can stop it (`stopped`) on a signal.
import type { Op } from '../model/ops.js';
import type { World } from '../model/state.js';
import { defaultUniverse } from '../model/universe.js';
import type { Scenario } from '../scenario/types.js';
import type { Variant, Expectation } from '../variants/variant.js';
import { expectationOf } from '../variants/variant.js';
import { stepFor } from '../variants/step-for.js';
import type { Property, PropertyMonitor, StepCheck, Counterfactual } from '../properties/property.js';
import type { PropertyId } from '../properties/ids.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import type { ModelTrace, TraceStep } from '../properties/trace.js';
import { defaultScenarioWorld, initialWorldFor, runTrace, traceToScenario } from '../properties/trace.js';
import { Decisions } from '../properties/decisions.js';
import { StepPlan } from '../properties/step-filter.js';
import { viewOf } from '../properties/step-view.js';
import { budgetShare } from '../properties/check.js';
import { SCENARIO_VERSION } from '../scenario/types.js';
import type { Scope } from './scope.js';
import { Alphabet } from './alphabet.js';
import { Canonicalizer } from './canonical.js';
import { SeenSet } from './seen.js';
import { getHeapStatistics } from 'node:v8';

function heapFull(): boolean {
  const h = getHeapStatistics();
  return h.used_heap_size > HEAP_SHARE * h.heap_size_limit;
}

export interface ExploreOptions {
  readonly variants: readonly Variant[];
  readonly scope: Scope;
  /** Longest op sequence tried (≥ 1). */
  readonly depth: number;
  /** Default: every property (properties/all.ts). */
  readonly properties?: readonly Property[];
  /** Wall-clock budget for the whole run, shared between the variants as check shares it. */
  readonly timeBudgetMs?: number;
  readonly clock?: () => number;
  /** A `tick` progress event at most this often (default 1000 ms). */
  readonly tickMs?: number;
  /** Yield to the event loop this often (default 50 ms). */
  readonly yieldMs?: number;
  /** Asked after each yield: stop at once (an interrupt); the report covers what was done. */
  readonly stopped?: () => boolean;
  /** Module path of user variants by id, recorded in counterexample scenarios. */
  readonly variantModules?: Readonly<Record<string, string>>;
  readonly onProgress?: (event: ExploreEvent) => void;
}

export type ExploreEvent =
  | { readonly type: 'variant-start'; readonly variant: string; readonly index: number; readonly total: number }
  /** A violation, as a counterexample scenario the caller can write to disk at once. */
  | { readonly type: 'found'; readonly variant: string; readonly property: PropertyId; readonly depth: number; readonly counterexample: Scenario }
  | { readonly type: 'crash'; readonly variant: string; readonly message: string; readonly scenario: Scenario }
  | { readonly type: 'depth-done'; readonly variant: string; readonly depth: number; readonly worlds: number; readonly transitions: number; readonly frontier: number }
  | { readonly type: 'tick'; readonly variant: string; readonly index: number; readonly total: number; readonly depth: number; readonly worlds: number; readonly transitions: number }
  | { readonly type: 'variant-done'; readonly variant: string; readonly summary: ExploreVariantSummary };

export interface ExploreResult {
  readonly variant: string;
  readonly property: PropertyId;
  readonly expected: Expectation;
  readonly outcome: 'holds' | 'violated';
  readonly matches: boolean;
  /** An expected violation not found within the search's budget (not searched enough, as check
   * says of its runs): the depth, or a stop before it (stoppedBy). Not when the scope was
   * exhausted: then no sequence of the scope violates the property, a disagreement. */
  readonly unsearched?: boolean;
  /** Which budget an unsearched pair ran out of. */
  readonly budget?: 'depth' | 'time-budget' | 'memory' | 'signal';
  /** The depth of the counterexample (its length), or how deep the property was found to hold. */
  readonly depth: number;
  readonly counterexample?: Scenario;
}

export interface ExploreVariantSummary {
  readonly id: string;
  readonly title: string;
  /** Every sequence up to this length was tried (de-duplicated by world). */
  readonly depthCompleted: number;
  /** No new world at the next depth: every world the scope reaches was seen. */
  readonly exhausted: boolean;
  /** Every property was violated, so the search stopped before the depth. */
  readonly allViolated: boolean;
  /** Distinct worlds (canonical forms) met, the initial one included. */
  readonly worlds: number;
  /** Transitions (op applications) made and checked. */
  readonly transitions: number;
  readonly elapsedMs: number;
  /** Something stopped the search before the depth (stoppedBy says what). */
  readonly interrupted: boolean;
  /** The time budget; the heap (past HEAP_SHARE of its limit: the next depth's worlds do not
   * fit in memory); or the caller's `stopped` (a signal). */
  readonly stoppedBy?: 'time-budget' | 'memory' | 'signal';
  /** The model threw: message and the (shortest) scenario that makes it throw. */
  readonly crash?: { readonly message: string; readonly scenario: Scenario };
}

export interface ExploreReport {
  readonly scope: string;
  readonly depth: number;
  readonly variants: readonly ExploreVariantSummary[];
  readonly results: readonly ExploreResult[];
  readonly mismatches: number;
  readonly unsearched: number;
  /** The time budget cut some variant's search short. */
  readonly interrupted: boolean;
  /** `stopped` answered true (a signal): the report covers the variants finished. */
  readonly stopped: boolean;
  readonly ok: boolean;
  readonly elapsedMs: number;
}

const DEFAULT_TICK_MS = 1000;
const DEFAULT_YIELD_MS = 50;
/** The clock is read every this many transitions. */
const CLOCK_EVERY = 64;

/** One explored world: how it was reached, and the monitors' state along that path. */
class Node {
  constructor(
    public world: World,
    readonly parent: Node | null,
    readonly op: Op | null,
    public monitors: readonly PropertyMonitor[],
  ) {}

  /** After its expansion a node is only a step of its descendants' paths: let its world go. */
  expanded(): void {
    this.world = EXPANDED;
    this.monitors = [];
  }

  /** The ops from the initial world to this one, then `last`. */
  path(last: Op): Op[] {
    const ops: Op[] = [last];
    for (let n: Node | null = this; n !== null && n.op !== null; n = n.parent) ops.push(n.op);
    return ops.reverse();
  }
}

class Stop extends Error {}

/** The world of an expanded node (never read again). */
const EXPANDED = {} as World;

/** The search stops when the heap passes this share of its limit (the frontier of the next depth
 * can outgrow memory long before the time budget ends): the depths completed stand. */
const HEAP_SHARE = 0.8;

/** Run the search for every variant. Deterministic (unless the time budget cuts it short). */
export async function runExplore(opts: ExploreOptions): Promise<ExploreReport> {
  if (!Number.isInteger(opts.depth) || opts.depth < 1) throw new RangeError(`runExplore: depth must be a positive integer (got ${String(opts.depth)})`);
  const clock = opts.clock ?? Date.now;
  const t0 = clock();
  const deadline = opts.timeBudgetMs !== undefined ? t0 + opts.timeBudgetMs : Infinity;
  const properties = opts.properties ?? ALL_PROPERTIES;
  const results: ExploreResult[] = [];
  const variants: ExploreVariantSummary[] = [];
  let stopped = false;
  for (let index = 0; index < opts.variants.length && !stopped; index++) {
    const variant = opts.variants[index]!;
    opts.onProgress?.({ type: 'variant-start', variant: variant.id, index, total: opts.variants.length });
    const share = budgetShare(clock(), deadline, opts.variants.length - index);
    const search = new Search(variant, index, properties, opts, share, clock);
    const r = await search.run();
    if (search.stopped) stopped = true;
    results.push(...r.results);
    variants.push(r.summary);
    opts.onProgress?.({ type: 'variant-done', variant: variant.id, summary: r.summary });
  }
  const mismatches = results.filter((r) => !r.matches && r.unsearched !== true).length;
  return {
    scope: opts.scope.name,
    depth: opts.depth,
    variants,
    results,
    mismatches,
    unsearched: results.filter((r) => r.unsearched === true).length,
    interrupted: variants.some((v) => v.interrupted),
    stopped,
    ok: mismatches === 0 && variants.every((v) => !v.crash),
    elapsedMs: clock() - t0,
  };
}

/** The search of one variant. */
class Search {
  private readonly step;
  private readonly trace: ModelTrace;
  private readonly alphabet: Alphabet;
  private readonly canon: Canonicalizer;
  private readonly seen = new SeenSet();
  /** Properties not yet violated. */
  private active: Property[];
  private plan: StepPlan;
  private readonly byCheck = new Map<StepCheck, Property>();
  /** The properties with monitors, in a fixed order (a node's monitors follow it). */
  private readonly monitored: readonly Property[];
  private readonly found = new Map<PropertyId, ExploreResult>();
  private transitions = 0;
  private depthCompleted = 0;
  private exhausted = false;
  private stoppedBy: ExploreVariantSummary['stoppedBy'];
  stopped = false;
  private crash: ExploreVariantSummary['crash'];
  private readonly t0: number;
  private lastTick: number;
  private lastYield: number;
  /** The depth being explored (for ticks). */
  private depth = 0;

  constructor(
    private readonly variant: Variant,
    private readonly index: number,
    private readonly properties: readonly Property[],
    private readonly opts: ExploreOptions,
    private readonly deadline: number,
    private readonly clock: () => number,
  ) {
    this.step = stepFor(variant);
    const world = defaultScenarioWorld(variant);
    const universe = defaultUniverse();
    const initial = initialWorldFor(variant, world, universe);
    this.trace = { variant, world, universe, initial, steps: [], step: this.step, decisions: new Decisions(universe) };
    this.alphabet = new Alphabet(opts.scope, variant);
    this.canon = new Canonicalizer(initial.tasks.at(0)!.tgid);
    for (const p of properties) {
      if (!p.stepCheck && !p.monitor) throw new Error(`property ${p.id} has neither a step check nor a monitor: strata explore cannot check it step by step`);
      if (p.stepCheck) {
        if (this.byCheck.has(p.stepCheck)) throw new Error(`properties ${this.byCheck.get(p.stepCheck)!.id} and ${p.id} share one step check`);
        this.byCheck.set(p.stepCheck, p);
      }
    }
    this.active = [...properties];
    this.plan = new StepPlan(this.active.filter((p) => p.stepCheck));
    this.monitored = properties.filter((p) => !p.stepCheck && p.monitor);
    this.t0 = clock();
    this.lastTick = this.t0;
    this.lastYield = this.t0;
  }

  async run(): Promise<{ results: ExploreResult[]; summary: ExploreVariantSummary }> {
    const root = new Node(this.trace.initial, null, null, this.monitored.map((p) => p.monitor!()));
    this.seen.add(this.key(root.world, root.monitors));
    let level: Node[] = [root];
    try {
      for (let d = 1; d <= this.opts.depth && this.active.length > 0; d++) {
        this.depth = d;
        await this.poll();
        const next: Node[] = [];
        for (let k = 0; k < level.length; k++) {
          const node = level[k]!;
          await this.expand(node, d, next);
          node.expanded();
          if (this.active.length === 0) break;
        }
        if (this.active.length === 0) break;
        this.depthCompleted = d;
        this.opts.onProgress?.({ type: 'depth-done', variant: this.variant.id, depth: d, worlds: this.seen.size, transitions: this.transitions, frontier: next.length });
        if (next.length === 0) {
          this.exhausted = true;
          break;
        }
        level = next;
      }
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    return { results: this.results(), summary: this.summary() };
  }

  /** Every op of the scope from `node`: checked, and each new world queued in `next`. */
  private async expand(node: Node, depth: number, next: Node[]): Promise<void> {
    const ops = this.alphabet.opsAt(node.world);
    for (let i = 0; i < ops.length; i++) {
      if (++this.transitions % CLOCK_EVERY === 0) await this.poll();
      const op = ops[i]!;
      let child: Node | null;
      try {
        child = this.transition(node, op, depth);
      } catch (e) {
        if (e instanceof Stop) throw e;
        this.modelError(node.path(op), e);
        throw new Stop();
      }
      if (child) next.push(child);
      if (this.active.length === 0) return;
    }
  }

  /** One op from `node`: every active property checked on the step; the new node if its world
   * (with the monitors' state) is new. */
  private transition(node: Node, op: Op, depth: number): Node | null {
    const before = node.world;
    const out = this.step(before, op);
    const step: TraceStep = { index: depth - 1, op, before, after: out.world, out, view: undefined };
    const checks = this.plan.checksFor(step);
    if (checks.length > 0) {
      const view = viewOf(step);
      for (let j = 0; j < checks.length; j++) {
        const check = checks[j]!;
        const p = this.byCheck.get(check)!;
        if (!this.active.includes(p)) continue;
        if (check(view, this.trace) !== null) this.violated(p, node.path(op), depth);
      }
    }
    let monitors = node.monitors;
    if (monitors.length > 0 && !this.idle(monitors, step)) {
      monitors = monitors.map((m) => m.copy());
      for (let j = 0; j < monitors.length; j++) {
        const p = this.monitored[j]!;
        if (!this.active.includes(p)) continue;
        if (monitors[j]!.advance(step, this.trace) !== null) this.violated(p, node.path(op), depth);
      }
    }
    if (out.world === before && !this.carries(monitors)) return null;
    return this.seen.add(this.key(out.world, monitors)) ? new Node(out.world, node, op, monitors) : null;
  }

  /** Whether every monitor would let the step pass unchanged (then the node's are shared). */
  private idle(monitors: readonly PropertyMonitor[], step: TraceStep): boolean {
    for (let j = 0; j < monitors.length; j++) if (!monitors[j]!.idle(step)) return false;
    return true;
  }

  /** Whether an active monitor carries state (then an unchanged world may be a new state). */
  private carries(monitors: readonly PropertyMonitor[]): boolean {
    for (let j = 0; j < monitors.length; j++) if (this.active.includes(this.monitored[j]!) && monitors[j]!.state().some((c) => c.world !== null)) return true;
    return false;
  }

  private key(world: World, monitors: readonly PropertyMonitor[]): string {
    if (monitors.length === 0) return this.canon.key(world);
    const cfs: Counterfactual[] = [];
    for (let j = 0; j < monitors.length; j++) {
      if (!this.active.includes(this.monitored[j]!)) continue;
      cfs.push(...monitors[j]!.state());
    }
    return this.canon.key(world, cfs);
  }

  /** `p` fails on the last step of `ops`: re-run as a plain scenario, which must fail there too. */
  private violated(p: Property, ops: Op[], depth: number): void {
    const trace = runTrace(this.variant, ops);
    const v = p.check(trace);
    if (!v || v.atStep !== ops.length - 1) {
      throw new Error(`strata explore: ${this.variant.id} × ${p.id}: the ${ops.length}-op sequence found failing at its last step ${v ? `fails at step ${v.atStep}` : 'holds'} when re-run as a scenario`);
    }
    const module = this.opts.variantModules?.[this.variant.id];
    const counterexample = traceToScenario(trace, {
      ...(module ? { module } : {}),
      finding: { property: p.id, statement: p.statement, explore: { scope: this.opts.scope.name, depth }, atStep: v.atStep, message: v.message },
    });
    const expected = expectationOf(this.variant, p.id);
    this.found.set(p.id, { variant: this.variant.id, property: p.id, expected, outcome: 'violated', matches: expected === 'violates', depth, counterexample });
    this.opts.onProgress?.({ type: 'found', variant: this.variant.id, property: p.id, depth, counterexample });
    this.active = this.active.filter((x) => x !== p);
    this.plan = new StepPlan(this.active.filter((x) => x.stepCheck));
  }

  private modelError(ops: Op[], e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    const module = this.opts.variantModules?.[this.variant.id];
    const w = this.trace.world;
    const scenario: Scenario = {
      strata: 'scenario', version: SCENARIO_VERSION, kind: 'script',
      description: `model error: ${message}`,
      variant: { id: this.variant.id, ...(module ? { module } : {}) },
      world: w, universe: this.trace.universe, ops,
    };
    this.crash = { message, scenario };
    this.opts.onProgress?.({ type: 'crash', variant: this.variant.id, message, scenario });
  }

  /** Ticks, the deadline, and a yield to the event loop (signals) about every yieldMs. */
  private async poll(): Promise<void> {
    const now = this.clock();
    if (now >= this.deadline) {
      this.stoppedBy = 'time-budget';
      throw new Stop();
    }
    if (this.transitions % (CLOCK_EVERY * 64) === 0 && heapFull()) {
      this.stoppedBy = 'memory';
      throw new Stop();
    }
    if (now - this.lastTick >= (this.opts.tickMs ?? DEFAULT_TICK_MS)) {
      this.lastTick = now;
      this.opts.onProgress?.({ type: 'tick', variant: this.variant.id, index: this.index, total: this.opts.variants.length, depth: this.depth, worlds: this.seen.size, transitions: this.transitions });
    }
    if (now - this.lastYield >= (this.opts.yieldMs ?? DEFAULT_YIELD_MS)) {
      this.lastYield = now;
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = this.clock();
      if (this.opts.stopped?.()) {
        this.stoppedBy = 'signal';
        this.stopped = true;
        throw new Stop();
      }
    }
  }

  private results(): ExploreResult[] {
    return this.properties.map((p) => {
      const hit = this.found.get(p.id);
      if (hit) return hit;
      const expected = expectationOf(this.variant, p.id);
      const unsearched = expected === 'violates' && !this.crash && !this.exhausted;
      const budget = this.stoppedBy ?? 'depth';
      return { variant: this.variant.id, property: p.id, expected, outcome: 'holds', matches: expected === 'holds', depth: this.depthCompleted, ...(unsearched ? { unsearched, budget } : {}) };
    });
  }

  private summary(): ExploreVariantSummary {
    return {
      id: this.variant.id,
      title: this.variant.title,
      depthCompleted: this.depthCompleted,
      exhausted: this.exhausted,
      allViolated: this.active.length === 0,
      worlds: this.seen.size,
      transitions: this.transitions,
      elapsedMs: this.clock() - this.t0,
      interrupted: this.stoppedBy !== undefined,
      ...(this.stoppedBy ? { stoppedBy: this.stoppedBy } : {}),
      ...(this.crash ? { crash: this.crash } : {}),
    };
  }
}
