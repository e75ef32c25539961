// What a coverage run found for one variant, as plain data (JSON as it is): the check engine
// puts it on the variant's summary, `strata check --coverage` prints it, and a JSON result
// document can carry it unchanged.
import type { Corner } from './corner.js';

export interface CornerCount extends Corner {
  /** Steps (or seccomp evaluations) that reached it; 0: never reached. */
  readonly count: number;
}

/** How one op kind's calls ended. */
export interface OpTally {
  readonly op: string;
  readonly calls: number;
  /** Calls by result: `ok`, an errno name, `tsync_fail`, or `stopped` (a filter stopped the
   * op's own syscall), `killed` (strict mode), `invalid` (the op meant nothing there). */
  readonly results: Readonly<Record<string, number>>;
}

export interface Coverage {
  readonly variant: string;
  /** Model runs counted (the main scenario stream; shrinking re-runs are not counted). */
  readonly scenarios: number;
  readonly ops: number;
  /** The variant's corners, in catalogue order. */
  readonly corners: readonly CornerCount[];
  /** How many of `corners` were reached at least once. */
  readonly reached: number;
  /** Corners reached that the variant's catalogue does not list: a catalogue error, never expected. */
  readonly undeclared: readonly { readonly id: string; readonly count: number }[];
  readonly opResults: readonly OpTally[];
}

/** The share of an op kind's calls that succeeded (NaN without calls). */
export function successRate(c: Coverage, op: string): { readonly ok: number; readonly calls: number; readonly rate: number } {
  const t = c.opResults.find((x) => x.op === op);
  const calls = t?.calls ?? 0;
  const ok = t?.results.ok ?? 0;
  return { ok, calls, rate: calls === 0 ? NaN : ok / calls };
}
