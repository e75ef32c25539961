// Generator options: sizes and per-op weights, all tunable. Weights are relative integers; an
// op kind the variant's API lacks is never emitted whatever its weight.
import type { Universe } from '../model/universe.js';
import { defaultUniverse } from '../model/universe.js';
import type { ScenarioWorld } from '../scenario/types.js';

/**
 * What the generator can emit: op kinds, plus two segments of several ops (generators/ops.ts):
 * `attack` (a compromise burst) and `supervise` (the mutable-domains workflow: a supervisor
 * ruleset, its supervisee, a child that drops the supervisor fd and restricts itself).
 */
export type WeightKey =
  | 'fork' | 'thread' | 'exec' | 'exit' | 'set_nnp' | 'drop_cap' | 'seccomp_strict'
  | 'seccomp_filter' | 'ruleset_create' | 'ruleset_add_rule' | 'restrict_self' | 'ruleset_supervisee'
  | 'send_fd' | 'close_fd' | 'modify' | 'probe' | 'observe' | 'attack' | 'supervise';

/**
 * Defaults favour what builds interesting stacks (adds, forks, threads) and keep what ends
 * tasks (exit, strict mode) rare, so that scenarios rarely run out of live tasks.
 */
export const DEFAULT_WEIGHTS: Readonly<Record<WeightKey, number>> = {
  fork: 12,
  thread: 8,
  exec: 3,
  exit: 1,
  set_nnp: 2,
  drop_cap: 1,
  seccomp_strict: 0,
  seccomp_filter: 14,
  ruleset_create: 8,
  ruleset_add_rule: 10,
  restrict_self: 10,
  ruleset_supervisee: 4,
  send_fd: 3,
  close_fd: 2,
  modify: 8,
  probe: 2,
  observe: 1,
  attack: 4,
  supervise: 2,
};

export interface GeneratorOptions {
  /** Scenario length bounds (ops, after flattening attack bursts). */
  readonly minOps: number;
  readonly maxOps: number;
  /** Relative weight per op kind (merged over DEFAULT_WEIGHTS). */
  readonly weights: Readonly<Partial<Record<WeightKey, number>>>;
  /**
   * Live tasks the generator aims to stay within: it tracks the task list its own fork, thread,
   * exec and exit ops produce (generators/population.ts), draws task references among those
   * tasks, emits no fork/thread at this many and no exit of the last task. Kills by filters or
   * probes are not tracked, so the cap and the references are approximate (references are
   * resolved modulo the live count anyway).
   */
  readonly maxTasks: number;
  /** fd and layer references are drawn from 0..maxFdRef. */
  readonly maxFdRef: number;
  /** Rules per generated seccomp policy (0..maxPolicyRules). */
  readonly maxPolicyRules: number;
  /** Attacker calls after one `compromise` (1..attackOps). */
  readonly attackOps: number;
  /** Scenario world overrides (ABI, first task's credentials). */
  readonly world: Readonly<Partial<ScenarioWorld>>;
  readonly universe: Universe;
}

export const DEFAULT_OPTIONS: GeneratorOptions = {
  minOps: 0,
  maxOps: 20,
  weights: {},
  maxTasks: 6,
  maxFdRef: 3,
  maxPolicyRules: 3,
  attackOps: 3,
  world: {},
  universe: defaultUniverse(),
};

export type GeneratorOptionsInput = Partial<Omit<GeneratorOptions, 'weights'>> & { readonly weights?: Readonly<Partial<Record<WeightKey, number>>> };

/** Options with defaults filled in; throws RangeError naming a bad option. */
export function resolveOptions(input: GeneratorOptionsInput = {}): GeneratorOptions {
  const o: GeneratorOptions = { ...DEFAULT_OPTIONS, ...input, weights: { ...DEFAULT_WEIGHTS, ...input.weights } };
  const int = (name: keyof GeneratorOptions, min: number) => {
    const v = o[name] as number;
    if (!Number.isInteger(v) || v < min) throw new RangeError(`generator option ${name} must be an integer >= ${min} (got ${String(v)})`);
  };
  int('minOps', 0);
  int('maxOps', 0);
  int('maxTasks', 1);
  int('maxFdRef', 0);
  int('maxPolicyRules', 0);
  int('attackOps', 1);
  if (o.minOps > o.maxOps) throw new RangeError(`generator option minOps (${o.minOps}) exceeds maxOps (${o.maxOps})`);
  for (const [k, w] of Object.entries(o.weights)) {
    if (!(k in DEFAULT_WEIGHTS)) throw new RangeError(`generator option weights.${k}: unknown op kind (known: ${Object.keys(DEFAULT_WEIGHTS).join(', ')})`);
    if (!Number.isInteger(w) || (w as number) < 0) throw new RangeError(`generator option weights.${k} must be a non-negative integer (got ${String(w)})`);
  }
  return o;
}
