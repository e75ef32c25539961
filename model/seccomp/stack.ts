// A task's seccomp filters: an immutable linked stack shared by reference, as struct
// seccomp_filter's `prev` chain is (kernel/seccomp.c). Fork copies the pointer: O(1).
import type { Insn, Mutability } from '../ops.js';
import { ebpfLength } from '../bpf/ebpf.js';
import { SECCOMP_PATH_OVERHEAD } from '../limits.js';
import type { MapRules } from '../maps/rule.js';

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
  /** The map rule of each program (H1 maps, model/maps/rule.ts); null on Linux (no program
   * reads a map). */
  readonly mapRules: MapRules;
  /**
   * Facts derived from this node and the chain below it (op-gate verdicts, seccomp/op-gate.ts),
   * memoised on it.
   * Not content: a node copied by a spread carries its source's memo, whose `node` is then not
   * the copy, so users check `memo.node === node` before trusting it.
   */
  memo?: NodeMemo | null;
}

/** A memo owned by one filter node (see FilterNode.memo). */
export interface NodeMemo {
  readonly node: FilterNode;
}

// ---- helpers over the immutable stack (kernel/seccomp.c: is_ancestor, the prev walks) ----

/** Converted length a layer contributes to a path: its programs' eBPF lengths, each program
 * beyond the first counted like one more filter (+4), so in-place appends are charged in full. */
export function layerInsns(programs: readonly (readonly Insn[])[]): number {
  let n = 0;
  for (let i = 0; i < programs.length; i++) n += programInsns(programs[i]!) + (i > 0 ? SECCOMP_PATH_OVERHEAD : 0);
  return n;
}

const EBPF_LEN = new WeakMap<readonly Insn[], number>();
/** ebpfLength, cached per (immutable) program array. */
function programInsns(p: readonly Insn[]): number {
  let n = EBPF_LEN.get(p);
  if (n === undefined) {
    n = ebpfLength(p);
    EBPF_LEN.set(p, n);
  }
  return n;
}

/** seccomp_attach_filter's total for a new layer of `insns` on top of `prev`. */
export function pathLenOver(prev: FilterNode | null, insns: number): number {
  return insns + (prev ? prev.pathLen + SECCOMP_PATH_OVERHEAD : 0);
}

/** The converted length of this node's own layer, recovered from the stored path lengths. */
export function ownInsns(node: FilterNode): number {
  return node.pathLen - (node.prev ? node.prev.pathLen + SECCOMP_PATH_OVERHEAD : 0);
}

export interface NewFilterNode {
  readonly id: number;
  readonly prev: FilterNode | null;
  readonly programs: readonly (readonly Insn[])[];
  readonly listener?: number | null;
  readonly log?: boolean;
  readonly waitKillableRecv?: boolean;
  readonly mutability?: Mutability;
  readonly mapRules?: MapRules;
  readonly rev?: number;
  /** The layer's converted length when the caller has it (layerInsns otherwise). */
  readonly insns?: number;
}

export function makeFilterNode(n: NewFilterNode): FilterNode {
  return {
    id: n.id,
    rev: n.rev ?? 0,
    prev: n.prev,
    depth: (n.prev?.depth ?? 0) + 1,
    programs: n.programs,
    pathLen: pathLenOver(n.prev, n.insns ?? layerInsns(n.programs)),
    listener: n.listener ?? null,
    log: n.log ?? false,
    waitKillableRecv: n.waitKillableRecv ?? false,
    mutability: n.mutability ?? 'immutable',
    mapRules: n.mapRules ?? null,
    memo: null,
  };
}

/** is_ancestor: NULL is the root ancestor; otherwise `parent` is on `child`'s prev chain. */
export function isAncestor(parent: FilterNode | null, child: FilterNode | null): boolean {
  if (parent === null) return true;
  for (let c = child; c; c = c.prev) if (c === parent) return true;
  return false;
}

/** The nodes of a stack, newest first. */
export function chainOf(node: FilterNode | null): FilterNode[] {
  const out: FilterNode[] = [];
  for (let c = node; c; c = c.prev) out.push(c);
  return out;
}

/** The node with layer id `id` on the stack, or null. */
export function findLayer(node: FilterNode | null, id: number): FilterNode | null {
  for (let c = node; c; c = c.prev) if (c.id === id) return c;
  return null;
}

/** Does any filter of the chain have a listener (open or not: filter.ts:hasDuplicateListener
 * asks whether it is still open)? */
export function chainHasListener(node: FilterNode | null): boolean {
  for (let c = node; c; c = c.prev) if (c.listener !== null) return true;
  return false;
}
