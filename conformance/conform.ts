// The conformance engine behind `strata conform`: fast-check generated scenarios of the `linux`
// variant at the kernel's Landlock ABI run on the model and on the live kernel; any difference
// in any observation that no documented model decision explains (explained.ts) is a
// discrepancy. Library code: events go to `onProgress`, nothing to the console.
//
// As in the check engine (properties/check.ts), one fast-check run (an async property, fc.check
// so results are data) goes until its first failing scenario k (`endOnFailure`); scenario k is
// then shrunk on its own by replaying path "k" with a predicate that fails only on the same
// discrepancy signature (diff.ts) and spends at most `kernelBudget` kernel runs — past the
// budget every candidate passes unrun, so shrinking stops at the last failing one. The run
// resumes at k+1. A discrepancy whose signature was already shrunk is counted, not shrunk again.
//
// Every scenario with an unexplained difference is run on the kernel a second time before it is
// counted: a difference the re-run does not show again (same signature) is "not reproduced" — a
// task killed from outside, a flaky observation — reported with its own scenario file and, by
// default, not held against the run. The verdict (verdict.ts) also counts kernel runs that did
// not finish and steps not compared for a reason that is not documented.
import fc from 'fast-check';
import type { Op } from '../model/ops.js';
import { LANDLOCK_ABI_MAX } from '../model/limits.js';
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../variants/variant.js';
import { linuxVariant } from '../variants/linux.js';
import type { GeneratorOptionsInput } from '../generators/options.js';
import type { FsTree } from '../model/landlock/fstree.js';
import { conformanceProfile } from '../generators/options.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import type { ModelTrace } from '../properties/trace.js';
import { traceScenario, traceToScenario } from '../properties/trace.js';
import type { KernelFeatures, KernelTrace } from './result.js';
import type { KernelRunOptions, KernelWorld } from './runner.js';
import type { ScenarioDiff, NotComparedCategory } from './diff.js';
import { diffScenario, discrepancySignature, tableSignature } from './diff.js';
import type { TableDiff } from './table-diff.js';
import { diffTables, tableRequestName } from './table-diff.js';
import type { ExplainedDifference } from './explained.js';
import { environmentProblem, worldUnavailableReason } from './availability.js';
import type { Verdict } from './verdict.js';
import { coverage, tableCoverage, tableEntryCause, verdict } from './verdict.js';

/** What the engine needs of the executor (conformance/runner.ts KernelExecutor; tests give fakes). */
export interface KernelTarget {
  features(): Promise<KernelFeatures>;
  run(ops: readonly Op[], world?: KernelWorld, options?: KernelRunOptions): Promise<KernelTrace>;
}

/** The executor cannot run here at all (not root, no binary, feature detection failed). */
export class ExecutorUnavailable extends Error {
  override readonly name = 'ExecutorUnavailable';
}

/** The run was interrupted from outside (ConformOptions.signal): thrown inside fast-check's
 * predicate to end the run at once; runConform returns the partial report. */
class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

export const DEFAULT_KERNEL_BUDGET = 200;
export const DEFAULT_MAX_DISCREPANCIES = 5;

export interface ConformOptions {
  readonly executor: KernelTarget;
  /** Generated scenarios. */
  readonly runs: number;
  readonly seed: number;
  /** Longest generated scenario (ops); default 20. */
  readonly maxOps?: number;
  /** Wall-clock budget for generating; shrinking a discrepancy found in time still finishes. */
  readonly timeBudgetMs?: number;
  /** Most kernel runs spent shrinking one discrepancy (default 200). */
  readonly kernelBudget?: number;
  /** Distinct discrepancies (by signature) shrunk before the rest are only counted (default 5). */
  readonly maxDiscrepancies?: number;
  /** Per-op and per-scenario timeouts of the executor (runner.ts defaults: 2 s, 10 s). */
  readonly opTimeoutMs?: number;
  readonly scenarioTimeoutMs?: number;
  /** Generator options over the conformance profile (generators/options.ts:conformanceProfile). */
  readonly generator?: GeneratorOptionsInput;
  /** The scenarios' file tree (default: the model's default tree); a tree with mounts needs the
   * executor's private mount namespace. */
  readonly fs?: FsTree;
  /** Full-table observes (default true): after every observe and at the end of every scenario,
   * every live task's decision for every request, compared with the model's (table-diff.ts). */
  readonly fullTable?: boolean;
  /** The model (default: `linux` at the kernel's ABI, variantForKernel). Any other variant is a
   * design compared with Linux: its discrepancies are where it departs from the kernel. */
  readonly variant?: Variant;
  /** The variant's module path as discrepancy files should record it (a user variant). */
  readonly variantModule?: string;
  /** Count a discrepancy that a re-run does not reproduce against the run (default false). */
  readonly failUnreproduced?: boolean;
  /** Stop at once when aborted (an interrupt): no further kernel run is started, a shrink in
   * progress ends with what it has, and the partial report is returned (`aborted`). The caller
   * kills the executor to end a kernel run in progress (runner.ts KernelExecutor.kill). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ConformEvent) => void;
  /** More executors (conform --workers N: N - 1 more): the scenario stream is cut into run
   * ranges that each executor takes from one queue, a MainRun of its own per range; the ranges'
   * tallies are added in stream order and each discrepancy signature's first scenario is shrunk
   * on `executor`, as the one-executor run does, so the counts and verdict are the same. */
  readonly moreExecutors?: readonly KernelTarget[];
}

export type ConformEvent =
  | { readonly type: 'start'; readonly features: KernelFeatures; readonly variant: string; readonly runs: number }
  /** After every scenario of the main run. */
  | { readonly type: 'scenario'; readonly scenarios: number; readonly runs: number; readonly unexplained: number; readonly explained: number; readonly elapsedMs: number }
  | { readonly type: 'discrepancy'; readonly run: number; readonly signature: string; readonly repeat: boolean }
  | { readonly type: 'shrinking'; readonly run: number; readonly kernelRuns: number; readonly ops: number }
  /** A discrepancy shrunk to its scenario file's content: the caller writes it at once. */
  | { readonly type: 'shrunk'; readonly discrepancy: ConformDiscrepancy }
  /** A difference a re-run did not show again: the caller writes its scenario at once. */
  | { readonly type: 'not-reproduced'; readonly observation: NotReproduced }
  /** A kernel run that did not finish (of the first MAX_UNFINISHED_FILES): written at once. */
  | { readonly type: 'unfinished'; readonly unfinished: UnfinishedRun };

/** A main-run scenario whose kernel run did not finish (a timeout, an executor failure), as a
 * document to replay: the model's trace with that kernel run beside it. */
export interface UnfinishedRun {
  readonly scenario: Scenario;
  /** The generated scenario (its fast-check path). */
  readonly run: number;
  /** The first step lost, and why. */
  readonly why: string;
}

/** Unfinished kernel runs written as files, at most (all are counted in incompleteRuns). */
export const MAX_UNFINISHED_FILES = 20;

/** A scenario whose unexplained difference a second kernel run did not reproduce. */
export interface NotReproduced {
  /** The first run as a discrepancy document (model results, that kernel run, the steps). */
  readonly scenario: Scenario;
  readonly signature: string;
  /** The generated scenario (its fast-check path). */
  readonly run: number;
  /** What the re-run showed: no unexplained difference, or another signature. */
  readonly rerun: string;
}

export interface ConformDiscrepancy {
  /** The shrunk scenario: model results, the kernel run, and the differing steps. */
  readonly scenario: Scenario;
  readonly signature: string;
  /** The generated scenario it came from, and its length. */
  readonly run: number;
  readonly originalOps: number;
  readonly shrinks: number;
  /** Kernel runs spent shrinking; `budgetSpent`: shrinking stopped at the kernel budget. */
  readonly kernelRuns: number;
  readonly budgetSpent: boolean;
  /** false: the replay of the generated scenario did not fail again (a flaky kernel
   * observation); the scenario is then the original, unshrunk. */
  readonly reproduced: boolean;
  /** An interrupt (ConformOptions.signal) ended the shrink: the scenario is the smallest so far. */
  readonly shrinkInterrupted: boolean;
}

export interface ExplainedCount {
  readonly entry: ExplainedDifference;
  readonly steps: number;
  readonly scenarios: number;
}

export interface ConformReport {
  readonly features: KernelFeatures;
  readonly variant: string;
  readonly seed: number;
  readonly runs: number;
  readonly maxOps: number;
  /** Scenarios of the main run (shrinking runs not counted), and their ops. */
  readonly scenarios: number;
  readonly ops: number;
  readonly kernelRuns: number;
  readonly elapsedMs: number;
  readonly interrupted: boolean;
  /** Scenarios with an unexplained difference. */
  readonly unexplainedScenarios: number;
  /** One per signature, shrunk (up to maxDiscrepancies). */
  readonly discrepancies: readonly ConformDiscrepancy[];
  /** Scenarios with an unexplained difference per signature (shrunk or not). */
  readonly signatures: ReadonlyMap<string, number>;
  readonly explained: readonly ExplainedCount[];
  /** Steps the kernel's run says nothing about, by category, with the most frequent reasons. */
  readonly notCompared: ReadonlyMap<NotComparedCategory, { steps: number; reasons: ReadonlyMap<string, number> }>;
  /** Steps compared and found the same. */
  readonly sameSteps: number;
  /** Full-table observes: whether they ran, their entries, those found the same, explained, and
   * those not compared by category with the most frequent reasons. */
  readonly fullTable: boolean;
  readonly table: {
    readonly entries: number;
    readonly same: number;
    readonly explained: number;
    /** Explained entries by documented model decision (explained.ts). */
    readonly explainedBy: ReadonlyMap<ExplainedDifference, number>;
    readonly notCompared: ReadonlyMap<NotComparedCategory, { steps: number; reasons: ReadonlyMap<string, number> }>;
  };
  /** Full-table entries lost to a timeout or an executor failure (verdict.ts tableCoverage): each
   * makes its kernel run unfinished, as a lost step does. */
  readonly tableLost: number;
  /** Kernel runs made for comparison that did not finish (verdict.ts: a status other than
   * 'ok', or a step lost to a timeout or an executor failure); re-runs included. */
  readonly incompleteRuns: number;
  /** All steps of the main run's scenarios, and how they were covered (verdict.ts). */
  readonly steps: number;
  readonly comparedSteps: number;
  readonly documentedSteps: number;
  readonly lostSteps: number;
  /** Differences a re-run did not reproduce (each written by the caller on its event). */
  readonly notReproduced: readonly NotReproduced[];
  /** The first MAX_UNFINISHED_FILES kernel runs that did not finish, by run (written likewise). */
  readonly unfinished: readonly UnfinishedRun[];
  /** Stopped by ConformOptions.signal: the report covers the scenarios run before. */
  readonly aborted: boolean;
  /** The rule's verdict (verdict.ts); `ok` is verdict.ok. */
  readonly verdict: Verdict;
  readonly ok: boolean;
}

/** One scenario on both sides. */
export interface Observed {
  readonly scenario: Scenario;
  readonly model: ModelTrace;
  readonly kernel: KernelTrace;
  readonly diff: ScenarioDiff;
  /** The full-table observes against the model (no entries when none were asked for). */
  readonly table: TableDiff;
}

/** Whether an observation has an unexplained difference, in a step or a table entry. */
export function hasUnexplained(o: Observed): boolean {
  return o.diff.unexplained.length > 0 || o.table.unexplained.length > 0;
}

/** The discrepancy signature of an observation: its first unexplained step's, else its first
 * unexplained table entry's (diff.ts). */
export function observedSignature(o: Observed): string | null {
  return discrepancySignature(o.scenario.ops, o.model, o.kernel.steps, o.diff) ?? tableSignature(o.table);
}

/** The first task's credentials generated scenarios start from. */
export const CONFORM_WORLDS: readonly { readonly nnp: boolean; readonly capSysAdmin: boolean }[] = [
  { nnp: false, capSysAdmin: true },
  { nnp: true, capSysAdmin: false },
  { nnp: false, capSysAdmin: false },
];

/** The model variant for a kernel: `linux` at the kernel's Landlock ABI (clamped to what the model knows). */
export function variantForKernel(f: KernelFeatures): Variant {
  return linuxVariant(Math.min(Math.max(f.landlockAbi, 1), LANDLOCK_ABI_MAX));
}

/** Detect the kernel's features, or throw ExecutorUnavailable with one line saying why: the
 * executor did not answer, or what it runs with makes every scenario unfaithful
 * (availability.ts:environmentProblem). */
export async function kernelFeatures(executor: KernelTarget): Promise<KernelFeatures> {
  let f: KernelFeatures;
  try {
    f = await executor.features();
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new ExecutorUnavailable(`the live-kernel executor cannot run: ${msg}`);
  }
  const problem = environmentProblem(f);
  if (problem) throw new ExecutorUnavailable(problem);
  return f;
}

/** The first-task worlds generated scenarios start from on this executor: CONFORM_WORLDS less
 * those it cannot start (availability.ts:worldUnavailableReason; without CAP_SYS_ADMIN, those
 * with it). The unprivileged world with no_new_privs is always among them. */
export function conformWorlds(f: KernelFeatures): readonly { readonly nnp: boolean; readonly capSysAdmin: boolean }[] {
  return CONFORM_WORLDS.filter((w) => worldUnavailableReason(w, f) === null);
}

/** Run one scenario on the model (`variant`) and on the kernel, and compare them; `fullTable`:
 * with full-table observes over the scenario's universe. */
export async function runBoth(executor: KernelTarget, variant: Variant, scenario: Scenario, run: KernelRunOptions = {}, fullTable = false): Promise<Observed> {
  const model = traceScenario(scenario, variant);
  const w = scenario.world;
  const options = fullTable ? { ...run, table: scenario.universe } : run;
  const kernel = await executor.run(scenario.ops, { abi: w.abi, nnp: w.nnp, capSysAdmin: w.capSysAdmin, fs: w.fs }, options);
  const diff = diffScenario({ ops: scenario.ops, model, kernel: kernel.steps });
  const table = diffTables({ ops: scenario.ops, model, tables: kernel.tables ?? [], steps: diff });
  return { scenario, model, kernel, diff, table };
}

/** A discrepancy as a scenario document: the model's trace with the kernel's run beside it. */
export function discrepancyScenario(o: Observed, f: KernelFeatures, seed: number, path: string, module?: string, description = `strata conform: the kernel (${f.kernel}) differs from the model`): Scenario {
  const first = o.diff.unexplained[0];
  let message: string;
  if (first !== undefined) {
    const why = o.diff.steps[first]!;
    message = why.status === 'different' ? why.why : why.status;
  } else {
    const e = o.table.entries[o.table.unexplained[0]!]!;
    const where = e.entry.point === 'end' ? 'at the end' : `after step #${e.entry.point}`;
    message = `full table ${where}, task ${e.entry.tid}, ${tableRequestName(e.request, e.entry.request)}: ${e.status.status === 'different' ? e.status.why : e.status.status}`;
  }
  const table = o.table.unexplained.map((i) => {
    const e = o.table.entries[i]!.entry;
    return { point: e.point, tid: e.tid, request: e.request };
  });
  return { ...observedScenario(o, f, module, description), discrepancy: { seed, path, steps: o.diff.unexplained, message, ...(table.length ? { table } : {}) } };
}

/** Tallies of the main run. */
class Tally {
  scenarios = 0;
  ops = 0;
  kernelRuns = 0;
  unexplainedScenarios = 0;
  explainedSteps = 0;
  sameSteps = 0;
  incompleteRuns = 0;
  steps = 0;
  comparedSteps = 0;
  documentedSteps = 0;
  lostSteps = 0;
  reruns = 0;
  readonly explained = new Map<ExplainedDifference, { steps: number; scenarios: number }>();
  readonly notCompared = new Map<NotComparedCategory, { steps: number; reasons: Map<string, number> }>();
  readonly signatures = new Map<string, number>();
  tableEntries = 0;
  tableSame = 0;
  tableExplained = 0;
  /** Table entries compared, not compared for a documented reason, lost (verdict.ts tableCoverage). */
  tableCompared = 0;
  tableDocumented = 0;
  tableLost = 0;
  readonly tableExplainedBy = new Map<ExplainedDifference, number>();
  readonly tableNotCompared = new Map<NotComparedCategory, { steps: number; reasons: Map<string, number> }>();

  /** A main-run scenario; `unexplained`: its difference was reproduced by a re-run. */
  add(o: Observed, unexplained: boolean): void {
    this.addTable(o);
    this.scenarios++;
    this.ops += o.scenario.ops.length;
    this.kernelRuns++;
    const c = coverage(o.diff, o.kernel.status);
    if (unfinished(o)) this.incompleteRuns++;
    this.steps += o.diff.steps.length;
    this.comparedSteps += c.compared;
    this.documentedSteps += c.documented;
    this.lostSteps += c.lost;
    const seen = new Set<ExplainedDifference>();
    for (const s of o.diff.steps) {
      if (s.status === 'same') this.sameSteps++;
      else if (s.status === 'explained') {
        this.explainedSteps++;
        const c = this.explained.get(s.entry) ?? { steps: 0, scenarios: 0 };
        c.steps++;
        if (!seen.has(s.entry)) c.scenarios++;
        seen.add(s.entry);
        this.explained.set(s.entry, c);
      } else if (s.status === 'not_compared') {
        let c = this.notCompared.get(s.category);
        if (!c) this.notCompared.set(s.category, (c = { steps: 0, reasons: new Map() }));
        c.steps++;
        const reason = reasonKey(s.why);
        c.reasons.set(reason, (c.reasons.get(reason) ?? 0) + 1);
      }
    }
    if (unexplained) {
      this.unexplainedScenarios++;
      const sig = observedSignature(o)!;
      this.signatures.set(sig, (this.signatures.get(sig) ?? 0) + 1);
    }
  }

  private addTable(o: Observed): void {
    const c = tableCoverage(o.table, o.kernel.status);
    this.tableCompared += c.compared;
    this.tableDocumented += c.documented;
    this.tableLost += c.lost;
    for (const { status: s } of o.table.entries) {
      this.tableEntries++;
      if (s.status === 'same') this.tableSame++;
      else if (s.status === 'explained') {
        this.tableExplained++;
        this.tableExplainedBy.set(s.entry, (this.tableExplainedBy.get(s.entry) ?? 0) + 1);
      } else if (s.status === 'not_compared') {
        let c = this.tableNotCompared.get(s.category);
        if (!c) this.tableNotCompared.set(s.category, (c = { steps: 0, reasons: new Map() }));
        c.steps++;
        const reason = reasonKey(s.why);
        c.reasons.set(reason, (c.reasons.get(reason) ?? 0) + 1);
      }
    }
  }

  /** Add another tally's counts (a later run range's, conform --workers): maps keep their
   * first-seen order, as one tally over both ranges would. */
  absorb(t: Tally): void {
    for (const k of ['scenarios', 'ops', 'kernelRuns', 'unexplainedScenarios', 'explainedSteps', 'sameSteps', 'incompleteRuns', 'steps', 'comparedSteps', 'documentedSteps', 'lostSteps', 'reruns', 'tableEntries', 'tableSame', 'tableExplained', 'tableCompared', 'tableDocumented', 'tableLost'] as const) this[k] += t[k];
    for (const [e, c] of t.explained) {
      const mine = this.explained.get(e) ?? { steps: 0, scenarios: 0 };
      this.explained.set(e, { steps: mine.steps + c.steps, scenarios: mine.scenarios + c.scenarios });
    }
    for (const [sig, n] of t.signatures) this.signatures.set(sig, (this.signatures.get(sig) ?? 0) + n);
    for (const [e, n] of t.tableExplainedBy) this.tableExplainedBy.set(e, (this.tableExplainedBy.get(e) ?? 0) + n);
    absorbNotCompared(this.notCompared, t.notCompared);
    absorbNotCompared(this.tableNotCompared, t.tableNotCompared);
  }

  /** The re-run of a scenario with an unexplained difference (a kernel run of its own). */
  rerun(o: Observed): void {
    this.reruns++;
    if (unfinished(o)) this.incompleteRuns++;
  }
}

function absorbNotCompared(into: Map<NotComparedCategory, { steps: number; reasons: Map<string, number> }>, from: ReadonlyMap<NotComparedCategory, { steps: number; reasons: Map<string, number> }>): void {
  for (const [cat, c] of from) {
    let mine = into.get(cat);
    if (!mine) into.set(cat, (mine = { steps: 0, reasons: new Map() }));
    mine.steps += c.steps;
    for (const [r, n] of c.reasons) mine.reasons.set(r, (mine.reasons.get(r) ?? 0) + n);
  }
}

/** A kernel run did not finish: its status is not 'ok', or a step or a full-table entry of it was
 * lost to a timeout or an executor failure (verdict.ts). */
function unfinished(o: Observed): boolean {
  return coverage(o.diff, o.kernel.status).unfinished || tableCoverage(o.table, o.kernel.status).lost > 0;
}

/** Why an unfinished run is: its first step the kernel lost (a timeout, an executor failure). */
function lostWhy(o: Observed): string {
  for (let i = 0; i < o.diff.steps.length; i++) {
    const s = o.diff.steps[i]!;
    if (s.status === 'not_compared' && (s.category === 'timeout' || s.category === 'executor')) return `step #${i} (${o.scenario.ops[i]!.op}): ${s.why}`;
  }
  if (o.kernel.status !== 'ok') return `the scenario's run ended ${o.kernel.status}`;
  const e = o.table.entries.find((x) => tableEntryCause(x, o.kernel.status) === 'lost');
  if (e && e.status.status === 'not_compared') return `a full table was lost: t${e.entry.tid}'s entry ${e.entry.point === 'end' ? 'at the end' : `after step #${e.entry.point}`}: ${e.status.why}`;
  return 'a full table was lost';
}

/** A scenario run on both sides as a document: the model's trace with the kernel run beside it. */
function observedScenario(o: Observed, f: KernelFeatures, module: string | undefined, description: string): Scenario {
  return {
    ...traceToScenario(o.model, { description, ...(module ? { module } : {}) }),
    kernel: { release: f.kernel, landlockAbi: f.landlockAbi, status: o.kernel.status, results: o.kernel.steps, ...(o.kernel.tables ? { tables: o.kernel.tables } : {}) },
  };
}

/** A reason without its numbers (task ids, errnos), so that reasons group. */
function reasonKey(why: string): string {
  return why.replace(/\b(task|tid|t)\s?\d+/g, '$1 N').replace(/step #\d+/g, 'step #N').slice(0, 140);
}

/** The main run's predicate: true iff a scenario has no unexplained difference that a re-run
 * reproduces (one that does not reproduce goes to `onNotReproduced`). */
class MainRun {
  private last: Observed | null = null;
  /** The generated scenario the next predicate call runs (its fast-check path). */
  private next = 0;
  constructor(
    private readonly executor: KernelTarget,
    private readonly variant: Variant,
    private readonly kernelRun: KernelRunOptions,
    private readonly tally: Tally,
    private readonly onScenario: () => void,
    private readonly fullTable: boolean,
    /** `rerun` null: the interrupt came before the re-run. */
    private readonly onNotReproduced: (o: Observed, run: number, rerun: Observed | null) => void,
    private readonly signal: AbortSignal | undefined,
    private readonly onUnfinished: (o: Observed, run: number) => void,
  ) {}

  /** The next fast-check run starts at generated scenario `offset`. */
  startAt(offset: number): void {
    this.next = offset;
  }

  private async observe(scenario: Scenario): Promise<Observed> {
    if (this.signal?.aborted) throw new Interrupted();
    const o = await runBoth(this.executor, this.variant, scenario, this.kernelRun, this.fullTable);
    // a run cut short by the interrupt is not an observation
    if (this.signal?.aborted) throw new Interrupted();
    return o;
  }

  readonly predicate = async (scenario: Scenario): Promise<boolean> => {
    const run = this.next++;
    const o = await this.observe(scenario);
    if (unfinished(o)) this.onUnfinished(o, run);
    if (!hasUnexplained(o)) {
      this.tally.add(o, false);
      this.onScenario();
      return true;
    }
    // a step or a full-table difference: re-run before it counts
    let again: Observed;
    try {
      again = await this.observe(scenario);
    } catch (e) {
      // interrupted before the re-run: the difference is still written, as not re-run
      if (e instanceof Interrupted) {
        this.tally.add(o, false);
        this.onNotReproduced(o, run, null);
      }
      throw e;
    }
    this.tally.rerun(again);
    if (observedSignature(again) !== observedSignature(o)) {
      this.tally.add(o, false);
      this.onNotReproduced(o, run, again);
      this.onScenario();
      return true;
    }
    this.tally.add(o, true);
    this.onScenario();
    this.last = o;
    return false;
  };

  /** The last failing scenario's observation, once (null if none since the last call). */
  take(): Observed | null {
    const o = this.last;
    this.last = null;
    return o;
  }
}

/** The shrinking predicate: fails only on the same signature, within the kernel budget. */
class ShrinkRun {
  kernelRuns = 0;
  budgetSpent = false;
  last: Observed | null = null;
  constructor(
    private readonly executor: KernelTarget,
    private readonly variant: Variant,
    private readonly kernelRun: KernelRunOptions,
    private readonly signature: string,
    private readonly budget: number,
    private readonly onRun: (kernelRuns: number, ops: number) => void,
    private readonly fullTable: boolean,
    private readonly signal: AbortSignal | undefined,
  ) {}

  readonly predicate = async (scenario: Scenario): Promise<boolean> => {
    // interrupted: every further candidate passes unrun, so the shrink ends with what it has
    if (this.signal?.aborted) return true;
    if (this.kernelRuns >= this.budget) {
      this.budgetSpent = true;
      return true;
    }
    this.kernelRuns++;
    const o = await runBoth(this.executor, this.variant, scenario, this.kernelRun, this.fullTable);
    this.onRun(this.kernelRuns, scenario.ops.length);
    if (this.signal?.aborted) return true;
    if (observedSignature(o) !== this.signature) return true;
    this.last = o;
    return false;
  };
}

function timeParams(deadline: number): Partial<fc.Parameters<[Scenario]>> {
  if (!Number.isFinite(deadline)) return {};
  return { plugins: [fc.interruptAfterTimeLimit(Math.max(1, deadline - Date.now()))] };
}

/** The differing full-table entries of an observation, one line each (for reports). */
export function tableDifferenceLines(o: { readonly table: TableDiff }): string[] {
  return o.table.unexplained.map((i) => {
    const e = o.table.entries[i]!;
    const where = e.entry.point === 'end' ? 'end' : `after #${e.entry.point}`;
    return `table ${where}, t${e.entry.tid} ${tableRequestName(e.request, e.entry.request)}: ${e.status.status === 'different' ? e.status.why : e.status.status}`;
  });
}

/** Run the conformance check. Throws ExecutorUnavailable when the executor cannot run at all. */
export async function runConform(opts: ConformOptions): Promise<ConformReport> {
  const t0 = Date.now();
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new RangeError(`runConform: runs must be a positive integer (got ${String(opts.runs)})`);
  if (!Number.isInteger(opts.seed)) throw new RangeError(`runConform: seed must be an integer (got ${String(opts.seed)})`);
  const maxOps = opts.maxOps ?? 20;
  const budget = opts.kernelBudget ?? DEFAULT_KERNEL_BUDGET;
  const maxDiscrepancies = opts.maxDiscrepancies ?? DEFAULT_MAX_DISCREPANCIES;
  const f = await kernelFeatures(opts.executor);
  const variant = opts.variant ?? variantForKernel(f);
  const fullTable = opts.fullTable ?? true;
  opts.onProgress?.({ type: 'start', features: f, variant: variant.id, runs: opts.runs });

  const profile = conformanceProfile();
  // A kernel without Landlock runs no Landlock op (skips.ts); the model then would part from it.
  const noLandlock = f.landlockAbi <= 0 ? { ruleset_create: 0, ruleset_add_rule: 0, restrict_self: 0 } : {};
  const generator: GeneratorOptionsInput = {
    ...profile,
    ...opts.generator,
    maxOps,
    weights: { ...profile.weights, ...noLandlock, ...opts.generator?.weights },
  };
  // The first task as root with CAP_SYS_ADMIN (the model's default), or unprivileged with
  // no_new_privs, or with neither (filters and domains then fail with EACCES / EPERM until
  // set_nnp) — unless the generator options fix the world.
  // The worlds this executor cannot start are left out (conformWorlds).
  const fixed = opts.generator?.world ? worldUnavailableReason(opts.generator.world, f) : null;
  if (fixed) throw new ExecutorUnavailable(fixed);
  if (opts.fs?.mounts?.length && !f.mountns) throw new ExecutorUnavailable('the tree has mounts, which the executor makes in a private mount namespace, and it has none here (it needs CAP_SYS_ADMIN)');
  const tree = opts.fs ? { fs: opts.fs } : {};
  const worlds = conformWorlds(f);
  const arb = opts.generator?.world
    ? scenarioArbitrary(variant, { ...generator, world: { ...opts.generator.world, ...tree } })
    : fc.oneof(...worlds.map((w) => scenarioArbitrary(variant, { ...generator, world: { ...w, ...tree } })));
  const kernelRun: KernelRunOptions = {
    ...(opts.opTimeoutMs !== undefined ? { opTimeoutMs: opts.opTimeoutMs } : {}),
    ...(opts.scenarioTimeoutMs !== undefined ? { scenarioTimeoutMs: opts.scenarioTimeoutMs } : {}),
  };
  const deadline = opts.timeBudgetMs !== undefined ? t0 + opts.timeBudgetMs : Infinity;
  const tally = new Tally();
  const onScenario = (): void => opts.onProgress?.({
    type: 'scenario', scenarios: tally.scenarios, runs: opts.runs, unexplained: tally.unexplainedScenarios,
    explained: tally.explainedSteps, elapsedMs: Date.now() - t0,
  });
  const notReproduced: NotReproduced[] = [];
  const onNotReproduced = (o: Observed, run: number, again: Observed | null): void => {
    const signature = observedSignature(o)!;
    const rerunSig = again === null ? null : observedSignature(again);
    const rerun = again === null ? 'nothing: the run was interrupted before it' : rerunSig === null ? 'no unexplained difference' : `another difference: ${rerunSig}`;
    const observation: NotReproduced = {
      scenario: discrepancyScenario(o, f, opts.seed, String(run), opts.variantModule, `strata conform: the kernel (${f.kernel}) differed from the model once; a re-run showed ${rerun} (not reproduced)`),
      signature,
      run,
      rerun,
    };
    notReproduced.push(observation);
    opts.onProgress?.({ type: 'not-reproduced', observation });
  };
  const unfinishedRuns: UnfinishedRun[] = [];
  const onUnfinished = (o: Observed, run: number): void => {
    if (unfinishedRuns.length >= MAX_UNFINISHED_FILES) return;
    const why = lostWhy(o);
    const u: UnfinishedRun = { scenario: observedScenario(o, f, opts.variantModule, `strata conform: the kernel run (${f.kernel}, seed ${opts.seed}, run ${run}) did not finish: ${why}`), run, why };
    unfinishedRuns.push(u);
    opts.onProgress?.({ type: 'unfinished', unfinished: u });
  };
  const main = new MainRun(opts.executor, variant, kernelRun, tally, onScenario, fullTable, onNotReproduced, opts.signal, onUnfinished);
  const discrepancies: ConformDiscrepancy[] = [];
  const shrunk = new Set<string>();
  let offset = 0;
  let interrupted = false;
  let aborted = false;
  let kernelRuns = 0;
  const shrinkAt = async (k: number, found: Observed): Promise<void> => {
    const signature = observedSignature(found)!;
    const repeat = shrunk.has(signature) || shrunk.size >= maxDiscrepancies;
    opts.onProgress?.({ type: 'discrepancy', run: k, signature, repeat });
    if (repeat) return;
    shrunk.add(signature);
    const target = new ShrinkRun(opts.executor, variant, kernelRun, signature, budget, (n, ops) => opts.onProgress?.({ type: 'shrinking', run: k, kernelRuns: n, ops }), fullTable, opts.signal);
    const s = await fc.check(fc.asyncProperty(arb, target.predicate), { seed: opts.seed, path: String(k), numRuns: 1 });
    kernelRuns += target.kernelRuns;
    const reproduced = s.failed && target.last !== null;
    const best = reproduced ? target.last! : found;
    const path = reproduced && s.counterexamplePath !== null ? s.counterexamplePath : String(k);
    const discrepancy: ConformDiscrepancy = {
      scenario: discrepancyScenario(best, f, opts.seed, path, opts.variantModule),
      signature,
      run: k,
      originalOps: found.scenario.ops.length,
      shrinks: reproduced ? s.numShrinks : 0,
      kernelRuns: target.kernelRuns,
      budgetSpent: target.budgetSpent,
      reproduced,
      shrinkInterrupted: opts.signal?.aborted === true,
    };
    discrepancies.push(discrepancy);
    opts.onProgress?.({ type: 'shrunk', discrepancy });
  };
  const lanes = [opts.executor, ...(opts.moreExecutors ?? [])];
  if (lanes.length > 1) {
    // run ranges on every executor; each range's scenarios are the serial run's (fast-check
    // path k depends only on the seed and k), its tally its own
    const ranges: [number, number][] = [];
    const size = Math.max(1, Math.min(25, Math.ceil(opts.runs / (lanes.length * 8))));
    for (let a = 0; a < opts.runs; a += size) ranges.push([a, Math.min(opts.runs, a + size)]);
    const outs: { tally: Tally; found: { k: number; o: Observed }[]; stop: 'end' | 'time' | 'aborted' }[] = [];
    const live: Tally[] = [];
    const progress = (): void => opts.onProgress?.({
      type: 'scenario', scenarios: live.reduce((a, t) => a + t.scenarios, 0), runs: opts.runs,
      unexplained: live.reduce((a, t) => a + t.unexplainedScenarios, 0), explained: live.reduce((a, t) => a + t.explainedSteps, 0), elapsedMs: Date.now() - t0,
    });
    let next = 0;
    const lane = async (executor: KernelTarget): Promise<void> => {
      while (next < ranges.length) {
        const i = next++;
        const [a, b] = ranges[i]!;
        const t = new Tally();
        live.push(t);
        const out = { tally: t, found: [] as { k: number; o: Observed }[], stop: 'end' as 'end' | 'time' | 'aborted' };
        outs[i] = out;
        const m = new MainRun(executor, variant, kernelRun, t, progress, fullTable, onNotReproduced, opts.signal, onUnfinished);
        let at = a;
        while (at < b) {
          if (opts.signal?.aborted) {
            out.stop = 'aborted';
            break;
          }
          if (Date.now() >= deadline) {
            out.stop = 'time';
            break;
          }
          m.take();
          m.startAt(at);
          const d = await fc.check(fc.asyncProperty(arb, m.predicate), { seed: opts.seed, numRuns: b - at, endOnFailure: true, ...(at > 0 ? { path: String(at) } : {}), ...timeParams(deadline) });
          const found = m.take();
          if (opts.signal?.aborted && (found === null || d.errorInstance instanceof Interrupted)) {
            out.stop = 'aborted';
            break;
          }
          if (!d.failed || d.counterexamplePath === null || found === null) {
            if (d.failed && d.errorInstance) throw d.errorInstance instanceof Error ? d.errorInstance : new Error(String(d.errorInstance));
            if (d.interrupted) out.stop = 'time';
            break;
          }
          const k = Number(d.counterexamplePath);
          out.found.push({ k, o: found });
          at = k + 1;
        }
        if (out.stop !== 'end') return;
      }
    };
    await Promise.all(lanes.map(lane));
    for (const out of outs) {
      if (!out) continue;
      tally.absorb(out.tally);
      interrupted ||= out.stop === 'time';
      aborted ||= out.stop === 'aborted';
    }
    notReproduced.sort((x, y) => x.run - y.run);
    unfinishedRuns.sort((x, y) => x.run - y.run);
    for (const out of outs) {
      if (aborted) break;
      for (const { k, o } of out?.found ?? []) await shrinkAt(k, o);
    }
    offset = opts.runs;
  }
  while (offset < opts.runs) {
    if (opts.signal?.aborted) {
      aborted = true;
      break;
    }
    if (Date.now() >= deadline) {
      interrupted = true;
      break;
    }
    main.take();
    main.startAt(offset);
    const d = await fc.check(fc.asyncProperty(arb, main.predicate), {
      seed: opts.seed,
      numRuns: opts.runs - offset,
      endOnFailure: true,
      ...(offset > 0 ? { path: String(offset) } : {}),
      ...timeParams(deadline),
    });
    const found = main.take();
    if (opts.signal?.aborted && (found === null || d.errorInstance instanceof Interrupted)) {
      aborted = true;
      break;
    }
    if (!d.failed || d.counterexamplePath === null || found === null) {
      if (d.failed && d.errorInstance) throw d.errorInstance instanceof Error ? d.errorInstance : new Error(String(d.errorInstance));
      interrupted ||= d.interrupted;
      break;
    }
    const k = Number(d.counterexamplePath);
    await shrinkAt(k, found);
    offset = k + 1;
  }
  const explained: ExplainedCount[] = [...tally.explained].map(([entry, c]) => ({ entry, ...c }));
  const v = verdict({
    kernelRuns: tally.kernelRuns + tally.reruns,
    unfinishedRuns: tally.incompleteRuns,
    steps: tally.steps,
    compared: tally.comparedSteps,
    documented: tally.documentedSteps,
    lost: tally.lostSteps,
    tableEntries: tally.tableEntries,
    tableCompared: tally.tableCompared,
    tableDocumented: tally.tableDocumented,
    tableLost: tally.tableLost,
    unexplained: tally.unexplainedScenarios,
    notReproduced: notReproduced.length,
  }, { failUnreproduced: opts.failUnreproduced === true });
  return {
    features: f,
    variant: variant.id,
    seed: opts.seed,
    runs: opts.runs,
    maxOps,
    scenarios: tally.scenarios,
    ops: tally.ops,
    kernelRuns: tally.kernelRuns + tally.reruns + kernelRuns,
    elapsedMs: Date.now() - t0,
    interrupted,
    unexplainedScenarios: tally.unexplainedScenarios,
    discrepancies,
    signatures: tally.signatures,
    explained,
    notCompared: tally.notCompared,
    sameSteps: tally.sameSteps,
    fullTable,
    table: { entries: tally.tableEntries, same: tally.tableSame, explained: tally.tableExplained, explainedBy: tally.tableExplainedBy, notCompared: tally.tableNotCompared },
    incompleteRuns: tally.incompleteRuns,
    tableLost: tally.tableLost,
    steps: tally.steps,
    comparedSteps: tally.comparedSteps,
    documentedSteps: tally.documentedSteps,
    lostSteps: tally.lostSteps,
    notReproduced,
    unfinished: unfinishedRuns,
    aborted,
    verdict: v,
    ok: v.ok,
  };
}
