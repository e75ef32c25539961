// Structural facts about layer stacks S(t): the seccomp chain (task.filter) and the Landlock
// chain (task.domain), each a linked list of nodes with a layer id and a content rev. Stacks
// grow only by a shared node and a content change bumps the rev. These are structural facts
// (I1, I4, I9, I11 are stated over layers); whether a task became more permissive is always
// decided by comparing decisions (weakening.ts), never from structure.
import type { Task } from '../model/state.js';
import type { FilterNode } from '../model/seccomp/stack.js';
import type { DomainNode } from '../model/landlock/domain.js';

/** What FilterNode and DomainNode share. */
export interface LayerNode {
  readonly id: number;
  readonly rev: number;
  readonly depth: number;
  readonly prev: LayerNode | null;
}

export type LayerKind = 'seccomp' | 'landlock';

/** Same layers (ids and revs) in the same order. */
export function sameLayers(a: LayerNode | null, b: LayerNode | null): boolean {
  while (a !== b) {
    if (a === null || b === null) return false;
    if (a.id !== b.id || a.rev !== b.rev) return false;
    a = a.prev;
    b = b.prev;
  }
  return true;
}

/** Same layer ids in the same order (revs may differ). */
export function sameIds(a: LayerNode | null, b: LayerNode | null): boolean {
  while (a !== b) {
    if (a === null || b === null) return false;
    if (a.id !== b.id) return false;
    a = a.prev;
    b = b.prev;
  }
  return true;
}

/** `old` (ids and revs) is a suffix of `neu`: neu = (zero or more new layers) :: old. */
export function isSuffix(old: LayerNode | null, neu: LayerNode | null): boolean {
  if (old === null) return true;
  let c = neu;
  while (c !== null && c.depth > old.depth) c = c.prev;
  return c !== null && sameLayers(old, c);
}

/** neu = L :: old for one layer L whose id is not on old. */
export function pushedOne(old: LayerNode | null, neu: LayerNode | null): boolean {
  if (neu === null || neu.depth !== (old?.depth ?? 0) + 1 || !sameLayers(old, neu.prev)) return false;
  return findId(old, neu.id) === null;
}

export function findId(top: LayerNode | null, id: number): LayerNode | null {
  for (let c = top; c; c = c.prev) if (c.id === id) return c;
  return null;
}

/** Layer ids of a chain, newest first. */
export function chainIds(top: LayerNode | null): number[] {
  const out: number[] = [];
  for (let c = top; c; c = c.prev) out.push(c.id);
  return out;
}

/** "id@rev" list of a chain, newest first, for messages. */
export function formatChain(top: LayerNode | null): string {
  const out: string[] = [];
  for (let c = top; c; c = c.prev) out.push(c.rev === 0 ? `${c.id}` : `${c.id}@${c.rev}`);
  return `[${out.join(', ')}]`;
}

/** S(t) for messages: seccomp and Landlock chains. */
export function formatStacks(t: Task): { seccomp: string; landlock: string } {
  return { seccomp: formatChain(t.filter), landlock: formatChain(t.domain) };
}

/** The task's two stacks and its seccomp mode are the very same values. */
export function identicalStacks(a: Task, b: Task): boolean {
  return a.filter === b.filter && a.domain === b.domain && a.seccompMode === b.seccompMode;
}

/** Both stacks have the same ids and revs. */
export function sameStacks(a: Task, b: Task): boolean {
  return sameLayers(a.filter, b.filter) && sameLayers(a.domain, b.domain);
}

/** A layer whose content changed in a step: same id, different rev. */
export interface ChangedLayer {
  readonly kind: LayerKind;
  readonly id: number;
  readonly before: FilterNode | DomainNode;
  readonly after: FilterNode | DomainNode;
}

/** Layers of `after`'s chains that `before` held with another rev, added to `out` (made on the
 * first one found: most steps change no layer's content). */
export function changedLayersOf(before: Task, after: Task, out: Map<string, ChangedLayer> | undefined): Map<string, ChangedLayer> | undefined {
  out = collect('seccomp', before.filter, after.filter, out);
  return collect('landlock', before.domain, after.domain, out);
}

function collect(kind: LayerKind, b: FilterNode | DomainNode | null, a: FilterNode | DomainNode | null, out: Map<string, ChangedLayer> | undefined): Map<string, ChangedLayer> | undefined {
  if (a === b) return out;
  for (let c = a; c; c = c.prev as typeof c) {
    const old = findId(b, c.id) as FilterNode | DomainNode | null;
    if (old === c) break; // shared from here down
    if (old && old.rev !== c.rev) (out ??= new Map()).set(`${kind}:${c.id}`, { kind, id: c.id, before: old, after: c });
  }
  return out;
}
