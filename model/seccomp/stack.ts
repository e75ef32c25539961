// A task's seccomp filters: an immutable linked stack shared by reference, as struct
// seccomp_filter's `prev` chain is (kernel/seccomp.c). Fork copies the pointer: O(1).
import type { Insn, Mutability } from '../ops.js';

export interface FilterNode {
  /** Layer id, unique in the world; stable across in-place content changes of a variant. */
  readonly id: number;
  /** Content revision: bumped only when a variant changes the layer's content in place. */
  readonly rev: number;
  readonly prev: FilterNode | null;
  /** Number of filters on the chain including this one. */
  readonly depth: number;
  /** The program(s) of this layer: one on Linux; in-place appends (v5) add more. */
  readonly programs: readonly (readonly Insn[])[];
  /** Σ over the chain of (eBPF length + 4) as seccomp_attach_filter counts it, minus the last +4. */
  readonly pathLen: number;
  /** Listener id if installed with NEW_LISTENER (filter->notif). */
  readonly listener: number | null;
  /** SECCOMP_FILTER_FLAG_LOG. */
  readonly log: boolean;
  /** SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV. */
  readonly waitKillableRecv: boolean;
  /** Mutability chosen at creation (variants with a modify call); 'immutable' on Linux. */
  readonly mutability: Mutability;
}
