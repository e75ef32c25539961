// The result document: what one `strata check` or `strata conform` run found, as one plain,
// versioned JSON value (result/result.schema.json). Every reporter (reports/reporters.ts)
// renders from it alone and re-runs nothing, so each finding carries what a reader needs: the
// scenario itself, its file, the replay and reproduce commands, and its trace in words.
import type { Scenario } from '../scenario/types.js';
import type { Coverage } from '../coverage/report.js';
import type { VariantWork } from '../properties/check-range.js';

export const RESULT_VERSION = 1;

export interface ResultDocument {
  readonly strata: 'result';
  readonly version: typeof RESULT_VERSION;
  readonly command: 'check' | 'conform';
  /** strata's package version. */
  readonly strataVersion: string;
  /** The run did not finish: a signal stopped it (the document covers what was done before). */
  readonly interrupted: { readonly signal: string } | null;
  readonly verdict: Verdict;
  readonly check?: CheckResult;
  readonly conform?: ConformResult;
  /** `strata check --shard I/N`: this document is one slice of a run; `strata merge` combines
   * the N slices' documents into the run's. */
  readonly shard?: ShardDoc;
}

/** What every shard of one run must share: `strata merge` refuses documents whose plans differ. */
export interface ShardPlan {
  readonly strataVersion: string;
  readonly seed: number;
  readonly runs: number;
  readonly maxOps: number;
  readonly timeBudgetMs: number | null;
  readonly strict: boolean;
  readonly outDir: string;
  /** Variant ids, and module paths as given for user variants. */
  readonly variants: readonly { readonly id: string; readonly module: string | null }[];
  readonly properties: readonly string[];
  /** The corpus replayed first: its directory and files. */
  readonly corpus: { readonly dir: string; readonly files: readonly string[] } | null;
}

export interface ShardDoc {
  /** Slice `index` of `count` (1-based) of every variant's scenario stream. */
  readonly index: number;
  readonly count: number;
  readonly plan: ShardPlan;
  /** Per variant: its corpus replay, the run ranges checked, the counterexamples shrunk
   * (properties/check-range.ts VariantWork), as plain data. */
  readonly variants: readonly VariantWork[];
}

export interface Verdict {
  /** ok: exit 0; fail: exit 1; interrupted: 128+n; unavailable: the command could not run here. */
  readonly status: 'ok' | 'fail' | 'interrupted' | 'unavailable';
  readonly exitCode: number;
  /** The closing line of the text report. */
  readonly summary: string;
  /** One line per reason the run fails (empty when ok). */
  readonly problems: readonly string[];
}

/** One step of a trace, in the words of the text report (reports/text.ts). */
export interface StepDoc {
  readonly index: number;
  /** The acting task (0: none). */
  readonly tid: number;
  /** `t100 fork()` and `ok, child t101`. */
  readonly op: string;
  readonly result: string;
  /** The report's lines under the step (layers, weaker, stricter), without indentation. */
  readonly notes: readonly string[];
  /** The property fails at this step. */
  readonly failsHere: boolean;
}

/** A task of the trace's process tree: who made it, how, and when it ended. */
export interface TaskNode {
  readonly tid: number;
  readonly parent: number | null;
  readonly via: 'initial' | 'fork' | 'thread';
  /** The step that made it (null: initial), and the step after which it was gone (null: alive). */
  readonly bornAt: number | null;
  readonly goneAt: number | null;
}

/** One task's layer stacks at a step: layer keys newest first, `s<id>` / `l<id>` (`@rev` once
 * the layer's content changed in place), as the text trace writes them. */
export interface TaskStacksDoc {
  readonly tid: number;
  readonly seccomp: readonly string[];
  readonly landlock: readonly string[];
}

/** Every live task's stacks after one step (the failing step, or the first differing one). */
export interface StacksDoc {
  readonly afterStep: number;
  readonly tasks: readonly TaskStacksDoc[];
}

export interface FindingDoc {
  readonly variant: string;
  readonly property: string;
  /** The expectation matrix expected this violation. */
  readonly expected: boolean;
  /** generated: found and shrunk in this run; corpus: a corpus file's replay; path: --path. */
  readonly origin: 'generated' | 'corpus' | 'path';
  /** The scenario file (as the user should type it), whether it could be written, and why not. */
  readonly file: string;
  readonly unwritten: string | null;
  readonly ops: number;
  /** The op kinds in order (the SARIF fingerprint is variant × property × these). */
  readonly opKinds: readonly string[];
  readonly shrinks: number | null;
  /** Where the property fails (-1: initial world) and the one-line message. */
  readonly atStep: number;
  readonly message: string;
  /** fast-check seed and path (null for a corpus file without them). */
  readonly seed: number | null;
  readonly path: string | null;
  /** `strata replay <file>`, and the `strata check … --path` command that regenerates it. */
  readonly replay: string;
  readonly reproduce: string | null;
  /** variant × property × shrunk op kinds, hashed: stable across runs that find the same thing. */
  readonly fingerprint: string;
  readonly world: string;
  readonly steps: readonly StepDoc[];
  readonly tasks: readonly TaskNode[];
  /** The stacks after the failing step (null: the trace has no such step). */
  readonly stacks: StacksDoc | null;
  /** The scenario itself (a trace with its finding). */
  readonly scenario: Scenario;
}

export type PairStatus =
  /** outcome as the expectation matrix says */
  | 'as-expected'
  /** violated, expected to hold */
  | 'unexpected-violation'
  /** held, a violation was expected, and the search was complete (a model error, or --path) */
  | 'violation-not-found'
  /** a violation was expected and not found within the budget (--runs or --time-budget) */
  | 'not-searched-enough';

export interface PairDoc {
  readonly property: string;
  readonly statement: string;
  /** Seed invariant id and kernel function(s) (the property's source). */
  readonly source: string;
  readonly expected: 'holds' | 'violates';
  readonly outcome: 'holds' | 'violated';
  readonly status: PairStatus;
  /** Scenarios checked for this property. */
  readonly runs: number;
  /** For not-searched-enough: which budget ran out, and the sentence the report prints. */
  readonly budget: 'runs' | 'time' | null;
  readonly note: string | null;
  readonly finding: FindingDoc | null;
}

export interface VariantDoc {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  /** A user variant's module path (null: built in). */
  readonly module: string | null;
  readonly abi: number;
  readonly scenarios: number;
  readonly ops: number;
  readonly elapsedMs: number;
  /** The time budget stopped its runs. */
  readonly timeBudgetSpent: boolean;
  readonly crash: { readonly message: string; readonly file: string; readonly unwritten: string | null; readonly replay: string } | null;
  readonly results: readonly PairDoc[];
  /** With `strata check --coverage`: the corners of the spec its generated scenarios reached. */
  readonly coverage?: Coverage;
}

export interface CorpusDoc {
  readonly dir: string;
  readonly files: number;
  /** Files run for the variants checked; files of other variants are not run. */
  readonly replayed: number;
  /** Pairs decided by a corpus file. */
  readonly decided: number;
  readonly changed: readonly { readonly file: string; readonly property: string; readonly was: string; readonly now: string }[];
}

export interface CheckResult {
  readonly seed: number;
  readonly runs: number;
  readonly maxOps: number;
  readonly timeBudgetMs: number | null;
  readonly strict: boolean;
  readonly path: string | null;
  readonly outDir: string;
  readonly elapsedMs: number;
  readonly corpus: CorpusDoc | null;
  readonly counts: {
    readonly results: number;
    readonly asExpected: number;
    readonly unexpected: number;
    readonly notSearchedEnough: number;
    readonly modelErrors: number;
  };
  readonly variants: readonly VariantDoc[];
  /** Variants asked for (more than `variants` when interrupted). */
  readonly variantsAsked: number;
  /** Counterexamples written by the variant an interrupt stopped (its results are not in
   * `variants`). */
  readonly unfinishedFindings: readonly FindingDoc[];
  /** Optional: the corner-coverage report of `--coverage` (plain data; its own shape). */
  readonly coverage?: Readonly<Record<string, unknown>>;
}

export interface ConformStepDoc {
  readonly index: number;
  readonly tid: number;
  readonly op: string;
  readonly model: string;
  readonly kernel: string;
  /** same · explained · different · not compared (with the reason). */
  readonly mark: string;
}

export interface DiscrepancyDoc {
  readonly signature: string;
  readonly file: string;
  readonly scenarios: number;
  readonly ops: number;
  readonly opKinds: readonly string[];
  readonly originalOps: number;
  readonly shrinks: number;
  readonly kernelRuns: number;
  readonly budgetSpent: boolean;
  readonly reproduced: boolean;
  readonly seed: number;
  readonly path: string;
  /** The differing steps and why the first differs. */
  readonly steps: readonly number[];
  readonly message: string;
  readonly replay: string;
  readonly fingerprint: string;
  readonly world: string;
  readonly trace: readonly ConformStepDoc[];
  readonly tasks: readonly TaskNode[];
  /** The model's stacks after the first differing step (null: none). */
  readonly stacks: StacksDoc | null;
  /** Differing full-table entries, one line each. */
  readonly table: readonly string[];
  readonly scenario: Scenario;
}

export interface ConformResult {
  readonly kernel: { readonly release: string; readonly landlockAbi: number } | null;
  /** The executor could not run here: why (the result then holds nothing else of substance). */
  readonly unavailable: string | null;
  readonly variant: string;
  readonly seed: number;
  readonly runs: number;
  readonly maxOps: number;
  readonly fullTable: boolean;
  readonly scenarios: number;
  readonly ops: number;
  readonly kernelRuns: number;
  readonly elapsedMs: number;
  readonly timeBudgetSpent: boolean;
  readonly counts: {
    /** Steps compared and found the same, explained by a documented model decision, not
     * compared, and scenarios with an unexplained discrepancy. */
    readonly agreed: number;
    readonly explained: number;
    readonly notCompared: number;
    readonly discrepancies: number;
    readonly steps: number;
    readonly compared: number;
    readonly incompleteRuns: number;
  };
  readonly table: { readonly entries: number; readonly same: number; readonly explained: number; readonly notCompared: number } | null;
  readonly explained: readonly { readonly id: string; readonly title: string; readonly reason: string; readonly citation: string; readonly steps: number; readonly scenarios: number }[];
  readonly notCompared: readonly { readonly category: string; readonly steps: number; readonly reasons: readonly { readonly reason: string; readonly steps: number }[] }[];
  readonly discrepancies: readonly DiscrepancyDoc[];
  readonly unshrunk: readonly { readonly signature: string; readonly scenarios: number }[];
  readonly notReproduced: readonly { readonly file: string; readonly signature: string; readonly run: number; readonly rerun: string }[];
  /** Kernel runs that did not finish (the first few), each written to `file` to replay. */
  readonly unfinished: readonly { readonly file: string; readonly run: number; readonly why: string }[];
}
