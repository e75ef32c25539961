// How a design computes decisions from layers: the evaluation switches of a variant's
// semantics (model/semantics.ts), gathered into one interned value that every decision path
// reads — probes (probe.ts), the op gate (seccomp/op-gate.ts), decision tables (decide.ts,
// seccomp/table.ts, landlock/table.ts) and STRICTER checks (modify.ts). Caches of derived
// decisions are keyed by this value, so two designs never share a cached decision unless
// they evaluate alike. Today's Linux is LINUX_EVALUATION, and its paths are the kernel's.
import type { SeccompActionKind } from './outcome.js';
import { actionKind, actionOnly } from './seccomp/action.js';

/** Seccomp action kinds, least permissive first, as seccomp_run_filters ranks them. */
export const LINUX_SECCOMP_PRECEDENCE: readonly SeccompActionKind[] = Object.freeze([
  'kill_process', 'kill_thread', 'trap', 'errno', 'user_notif', 'trace', 'log', 'allow',
] as const);

export interface Evaluation {
  /**
   * Which filter return wins when two compete: 'linux' compares ACTION_ONLY values signed
   * (kernel/seccomp.c:seccomp_run_filters, unknown actions included); a list ranks the action
   * kinds, winner first (ties keep the newer value, as Linux does).
   */
  readonly seccompPrecedence: 'linux' | readonly SeccompActionKind[];
  /**
   * How a stack's filters combine: 'least-permissive' — every filter runs, the winner by
   * precedence decides (seccomp_run_filters); 'newest' — the newest filter's return decides
   * alone (a newer layer overrides an older one).
   */
  readonly seccompCombine: 'least-permissive' | 'newest';
  /**
   * How Landlock layers combine: 'intersect' — every layer must allow
   * (security/landlock/ruleset.c:landlock_unmask_layers); 'union' — one layer allowing is enough.
   */
  readonly landlockCombine: 'intersect' | 'union';
  /**
   * The relation ptrace and IPC scoping check between two domains: 'ancestor' — the
   * requester's (scoped) layer must be an ancestor-or-self of the target's, by hierarchy
   * identity (security/landlock/task.c:domain_scope_le, domain_is_scoped); 'depth' — only the
   * layer depths are compared (the target's domain at least as deep).
   */
  readonly landlockScope: 'ancestor' | 'depth';
}

/** Today's Linux: the one value every Linux-evaluating variant shares (and its caches). */
export const LINUX_EVALUATION: Evaluation = Object.freeze({
  seccompPrecedence: 'linux',
  seccompCombine: 'least-permissive',
  landlockCombine: 'intersect',
  landlockScope: 'ancestor',
} as const);

/** The legal values of each switch (for variant validation and docs). */
export const EVALUATION_SWITCHES = {
  seccompCombine: ['least-permissive', 'newest'],
  landlockCombine: ['intersect', 'union'],
  landlockScope: ['ancestor', 'depth'],
} as const;

export type EvaluationFields = Partial<Evaluation>;

const INTERNED = new Map<string, Evaluation>();
const BY_SOURCE = new WeakMap<object, Evaluation>();

/**
 * The interned evaluation of a record holding the switches (a Semantics): equal switches give
 * the very same value, Linux's give LINUX_EVALUATION. Memoised per record.
 */
export function evaluationOf(fields: EvaluationFields): Evaluation {
  // One record at a time is the common case (a run has one semantics): checked first.
  if (fields === lastSource) return lastEvaluation;
  const out = internedEvaluation(fields);
  lastSource = fields;
  lastEvaluation = out;
  return out;
}

let lastSource: EvaluationFields | undefined;
let lastEvaluation: Evaluation = LINUX_EVALUATION;

function internedEvaluation(fields: EvaluationFields): Evaluation {
  const hit = BY_SOURCE.get(fields);
  if (hit !== undefined) return hit;
  const e: Evaluation = {
    seccompPrecedence: fields.seccompPrecedence ?? LINUX_EVALUATION.seccompPrecedence,
    seccompCombine: fields.seccompCombine ?? LINUX_EVALUATION.seccompCombine,
    landlockCombine: fields.landlockCombine ?? LINUX_EVALUATION.landlockCombine,
    landlockScope: fields.landlockScope ?? LINUX_EVALUATION.landlockScope,
  };
  const key = JSON.stringify(e);
  let out = INTERNED.get(key);
  if (out === undefined) {
    out = key === JSON.stringify(LINUX_EVALUATION) ? LINUX_EVALUATION : Object.freeze({ ...e, seccompPrecedence: freezeList(e.seccompPrecedence) });
    INTERNED.set(key, out);
  }
  BY_SOURCE.set(fields, out);
  return out;
}

function freezeList(p: Evaluation['seccompPrecedence']): Evaluation['seccompPrecedence'] {
  return p === 'linux' ? p : Object.freeze([...p]);
}

/** Rank of a filter return under `e`'s precedence: lower wins. */
export function seccompRank(e: Evaluation, ret: number): number {
  const p = e.seccompPrecedence;
  if (p === 'linux') return actionOnly(ret);
  const i = p.indexOf(actionKind(ret));
  return i < 0 ? p.length : i;
}

/**
 * Does `older` (a value met later in the newest-first walk) replace `best`? Linux: only when
 * strictly less (kernel/seccomp.c:seccomp_run_filters). 'newest': never — the newest decides.
 */
export function seccompReplaces(e: Evaluation, older: number, best: number): boolean {
  if (e.seccompCombine === 'newest') return false;
  return seccompRank(e, older) < seccompRank(e, best);
}

/** Is a precedence list a permutation of the eight action kinds? */
export function isPrecedenceList(v: unknown): v is readonly SeccompActionKind[] {
  if (!Array.isArray(v) || v.length !== LINUX_SECCOMP_PRECEDENCE.length) return false;
  return LINUX_SECCOMP_PRECEDENCE.every((k) => v.includes(k));
}
