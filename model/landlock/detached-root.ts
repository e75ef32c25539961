// A detached mount's root (model/landlock/fstree.ts), named by a path of its own: the executor
// reaches it as /proc/thread-self/fd/N, so a call that acts on the root's own name would act on a
// procfs entry (rmdir of /proc/thread-self/fd/N, rename of it), which the model does not follow. Those
// requests are `invalid` on both sides; what lies beneath the root is modelled.
import type { LandlockRequest } from '../request.js';
import type { FsTree } from './fstree.js';
import { fsIndex } from './fstree.js';

/** Why the model does not follow `req` (a request naming a detached mount's root), or null. */
export function detachedRootReason(tree: FsTree, req: LandlockRequest): string | null {
  if (!tree.mounts?.some((m) => m.detached)) return null;
  const ix = fsIndex(tree);
  const isRoot = (p: string): boolean => {
    const i = ix.indexOf(p);
    return i > 0 && ix.parent[i] === -1;
  };
  if (req.kind === 'fs' && req.access === 'remove_dir' && isRoot(req.path)) return `removing ${req.path}, a detached mount's root (named through /proc/thread-self/fd), is not modelled`;
  if ((req.kind === 'rename' || req.kind === 'link' || req.kind === 'exchange') && (isRoot(req.from) || (req.kind === 'exchange' && isRoot(req.to)))) {
    return `${req.kind} of a detached mount's root (named through /proc/thread-self/fd) is not modelled`;
  }
  return null;
}
