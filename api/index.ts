// strata's public API: what `import { … } from 'strata'` gives. One explicit list, each name with
// its doc comment (as fast-check's fast-check-default.ts does); every other module of the package
// is internal and may change. The package is compiled to dist/ (npm run build, run by prepack),
// so it works from plain Node and from any test runner without a TypeScript loader.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CheckReport, ProgressEvent } from '../properties/check.js';
import { runCheck } from '../properties/check.js';
import type { Property } from '../properties/property.js';
import type { PropertyId } from '../properties/ids.js';
import { ALL_PROPERTIES, propertyById } from '../properties/all.js';
import type { ModelTrace } from '../properties/trace.js';
import { replayScenario } from '../properties/trace.js';
import type { Scenario } from '../scenario/types.js';
import { loadScenario as loadScenarioFile } from '../scenario/load.js';
import type { Variant } from '../variants/variant.js';
import { loadVariant as loadVariantModule, builtinVariant } from '../variants/registry.js';
import { CheckPool } from '../cli/check-pool.js';
import { mergeReports } from '../cli/check-in-worker.js';
import type { ConformReport, ConformEvent } from '../conformance/conform.js';

// ---- types -------------------------------------------------------------------------------

/** A semantics variant: one design of layered sandboxes, as data (variants/variant.ts). A user
 * variant module default-exports one; `loadVariant` validates it. */
export type { Variant } from '../variants/variant.js';
/** The model's transition function, `(world, op) => { world, result }`; a variant's `wrap` is
 * middleware over it. */
export type { StepFn } from '../variants/variant.js';
/** An op kind or API feature a variant offers (its `opKinds`), and an expectation of the matrix. */
export type { OpKind, Expectation } from '../variants/variant.js';
/** The semantics switches of a variant (`semantics`): the transition's and the evaluation's. */
export type { Semantics } from '../model/semantics.js';
/** The evaluation switches alone: how decisions are computed from layers. */
export type { Evaluation } from '../model/evaluation.js';
/** A property: an invariant over model traces (id, statement, source, check). */
export type { Property } from '../properties/property.js';
/** The ids of the properties: I1 … I12, I2-thread, children-never-weakened, non-interference. */
export type { PropertyId } from '../properties/ids.js';
/** A scenario document (scenario/scenario.schema.json): a script, or a trace with results. */
export type { Scenario } from '../scenario/types.js';
/** One model run of a scenario, step by step. */
export type { ModelTrace } from '../properties/trace.js';
/** What `check` returns: per variant × property the outcome, and each shrunk counterexample. */
export type { CheckReport, PairResult, VariantSummary, ProgressEvent } from '../properties/check.js';
/** The result document every reporter renders (result/result.schema.json): `strata check
 * --reporter json` writes it. */
export type { ResultDocument, CheckResult, ConformResult, FindingDoc, PairDoc, VariantDoc, Verdict } from '../result/types.js';
/** What `conform` returns. */
export type { ConformReport, ConformEvent } from '../conformance/conform.js';

// ---- variants and properties -------------------------------------------------------------

/** Linux's semantics switches: start a variant from these and flip what the design changes. */
export { LINUX_SEMANTICS } from '../model/semantics.js';
/** The op kinds of Linux at a Landlock ABI (a variant's `opKinds`), and the task, seccomp and
 * Landlock op kinds separately. */
export { linuxOps, TASK_OPS, SECCOMP_OPS, landlockOps } from '../variants/op-kinds.js';
/** The built-in variants, in report order (`strata list`). */
export { BUILTIN_VARIANTS } from '../variants/registry.js';
/** A built-in variant by id (also `linux-abi<N>`), or undefined. */
export { builtinVariant } from '../variants/registry.js';
/** Each built-in variant. */
export { LINUX, LINUX_ABI8, linuxVariant } from '../variants/linux.js';
export { V5_2017 } from '../variants/v5-2017.js';
export { V5_2017_MAPS } from '../variants/v5-2017-maps.js';
export { LUTOMIRSKI_2017 } from '../variants/lutomirski-2017.js';
export { MUTABLE_DOMAINS_RFC } from '../variants/mutable-domains-rfc.js';
export { LIVE_RULESET } from '../variants/live-ruleset.js';
export { TSYNC_OVERWRITE } from '../variants/tsync-overwrite.js';
export { EXEC_RESET } from '../variants/exec-reset.js';
export { NEWEST_FILTER_WINS } from '../variants/newest-filter-wins.js';
/** Every property, in report order, and one by id. */
export { ALL_PROPERTIES, propertyById } from '../properties/all.js';
/** A variant module or value that is not a valid variant: `message` names the bad field. */
export { VariantError } from '../variants/validate.js';
/** A scenario file that cannot be read or is not valid: `message` names the file and field. */
export { ScenarioError } from '../scenario/errors.js';

// ---- functions ---------------------------------------------------------------------------

export interface CheckOptions {
  /** Variants: objects, built-in ids or module paths (default: every built-in). With
   * `workers` > 1 each must be an id or a module path (each worker thread loads it). */
  readonly variants?: readonly (Variant | string)[];
  /** Properties: objects or ids (default: every property). */
  readonly properties?: readonly (Property | PropertyId)[];
  /** Generated scenarios per variant (default 1000). */
  readonly runs?: number;
  /** fast-check seed (default 1). */
  readonly seed?: number;
  /** Longest generated scenario, in ops (default 20). */
  readonly maxOps?: number;
  /** Wall-clock budget for the whole check, in ms. */
  readonly timeBudgetMs?: number;
  /** Worker threads (default 1: this thread). The report is the same for any number. */
  readonly workers?: number;
  /** Where relative module paths are resolved (default process.cwd()). */
  readonly cwd?: string;
  /** Every engine event (a `shrunk` event carries the counterexample, to write it at once). */
  readonly onProgress?: (e: ProgressEvent) => void;
}

/**
 * Check variants against properties on generated scenarios (strata check's engine): each
 * violation is shrunk to a minimal counterexample (`results[i].counterexample`, a trace scenario
 * with its finding). Deterministic for a seed; the same report for any `workers`.
 */
export async function check(options: CheckOptions = {}): Promise<CheckReport> {
  const cwd = options.cwd ?? process.cwd();
  const named = options.variants ?? BUILTIN_IDS;
  const variants: Variant[] = [];
  const modules: Record<string, string> = {};
  for (const v of named) {
    if (typeof v !== 'string') {
      variants.push(v);
      continue;
    }
    const loaded = await loadVariantModule(v, cwd);
    if (!builtinVariant(v)) modules[loaded.id] = isAbsolute(v) ? v : resolve(cwd, v);
    variants.push(loaded);
  }
  const properties = (options.properties ?? ALL_PROPERTIES).map((p) => {
    if (typeof p !== 'string') return p;
    const hit = propertyById(p);
    if (!hit) throw new RangeError(`check: unknown property ${JSON.stringify(p)}`);
    return hit;
  });
  const runs = options.runs ?? 1000;
  const seed = options.seed ?? 1;
  const maxOps = options.maxOps ?? 20;
  const workers = options.workers ?? 1;
  if (workers <= 1) {
    return runCheck({
      variants, properties, runs, seed, maxOps, variantModules: modules,
      ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
  if (named.some((v) => typeof v !== 'string')) throw new TypeError('check: with workers > 1, give each variant as a built-in id or a module path (each worker thread loads it)');
  const t0 = Date.now();
  const out = await new CheckPool().run({
    variants: named as string[], properties: properties.map((p) => p.id), cwd, runs, seed, maxOps,
    deadline: options.timeBudgetMs !== undefined ? t0 + options.timeBudgetMs : null, variantModules: modules, corpus: [],
  }, variants, properties, { workers }, options.onProgress ?? (() => {}));
  return mergeReports(out.parts, { seed, runs, maxOps, elapsedMs: Date.now() - t0 });
}

const BUILTIN_IDS: readonly string[] = ['linux', 'linux-abi8', 'v5-2017', 'v5-2017-maps', 'lutomirski-2017', 'mutable-domains-rfc', 'live-ruleset', 'tsync-overwrite', 'exec-reset', 'newest-filter-wins'];

export interface ReplayResult {
  readonly scenario: Scenario;
  /** The model run, step by step. */
  readonly trace: ModelTrace;
  /** The recorded finding re-checked: whether the property still fails at the same step with
   * the same message (null: the scenario records none). */
  readonly finding: { readonly property: string; readonly reproduced: boolean; readonly atStep: number | null; readonly message: string | null } | null;
}

/**
 * Re-run a scenario (a file path or a document) on the model, as `strata replay` does, and
 * re-check its recorded finding. The variant is `variant`, else the scenario's built-in
 * `variant.id`, else its `variant.module` (resolved from the file's directory).
 */
export async function replay(scenario: Scenario | string, variant?: Variant): Promise<ReplayResult> {
  const s = typeof scenario === 'string' ? loadScenarioFile(scenario) : scenario;
  let v = variant ?? builtinVariant(s.variant.id);
  if (!v && s.variant.module) v = await loadVariantModule(s.variant.module, typeof scenario === 'string' ? dirname(resolve(scenario)) : process.cwd());
  const trace = replayScenario(s, v);
  const f = s.finding;
  if (!f) return { scenario: s, trace, finding: null };
  const p = propertyById(f.property);
  const got = p ? p.check(trace) : null;
  return { scenario: s, trace, finding: { property: f.property, reproduced: got !== null && got.atStep === f.atStep && got.message === f.message, atStep: got?.atStep ?? null, message: got?.message ?? null } };
}

export interface ConformOptions {
  readonly runs?: number;
  readonly seed?: number;
  readonly maxOps?: number;
  /** Full decision tables after observes (default true). */
  readonly fullTable?: boolean;
  /** A design to compare with this kernel instead of `linux` at its ABI. */
  readonly variant?: Variant;
  /** The executor binary (default: the package's conformance/build/strata-exec). */
  readonly binary?: string;
  readonly onProgress?: (e: ConformEvent) => void;
}

/**
 * Run generated scenarios on the model and on this machine's kernel and compare every
 * observation (strata conform's engine; root and the built executor are needed: an
 * `ExecutorUnavailable` error says what is missing).
 */
export async function conform(options: ConformOptions = {}): Promise<ConformReport> {
  const { KernelExecutor, DEFAULT_BINARY } = await import('../conformance/runner.js');
  const { runConform } = await import('../conformance/conform.js');
  const executor = new KernelExecutor({ binary: options.binary ?? DEFAULT_BINARY });
  try {
    return await runConform({
      executor, runs: options.runs ?? 100, seed: options.seed ?? 1, maxOps: options.maxOps ?? 20, fullTable: options.fullTable ?? true,
      ...(options.variant ? { variant: options.variant } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } finally {
    await executor.close();
  }
}

/** Read and validate a scenario file; throws ScenarioError with one line naming the field. */
export function loadScenario(file: string): Scenario {
  return loadScenarioFile(file);
}

/**
 * A built-in variant by id, or a user variant module by path (`.ts`, `.mts`, `.js`, `.mjs`,
 * anywhere), validated; throws VariantError with one line naming the problem.
 */
export function loadVariant(pathOrId: string, cwd: string = process.cwd()): Promise<Variant> {
  return loadVariantModule(pathOrId, cwd);
}
