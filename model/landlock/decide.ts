// The Landlock decision for one request: 0 (allowed) or the errno. Each request kind is
// interpreted as documented in fs.ts, net.ts, scope.ts and ptrace.ts; the executor performs
// the same operations on the real kernel. Decisions depend only on the domain chain(s) and the
// fs tree (through the per-node views of view.ts), never on other world state.
import type { World, Task } from '../state.js';
import type { LandlockRequest } from '../request.js';
import type { TabledLandlockRequest } from '../universe.js';
import { ERRNO } from '../errno.js';
import type { FsTree } from './fstree.js';
import type { DomainNode } from './domain.js';
import { viewCache } from './view.js';
import type { ViewCache } from './view.js';
import { fsCheckIndex, fsDecision, fsRequiredAccess, resolveReparent, reparentLayerCode, combineCodes } from './fs.js';
import { netRight, netDecision } from './net.js';
import { signalDecision, abstractUnixDecision } from './scope.js';
import { ptraceDecision } from './ptrace.js';

/** Resolve a request's task reference like an op's: index into live tasks modulo their count. */
export function resolveTarget(world: World, ref: number): Task | undefined {
  const n = world.tasks.length;
  if (n === 0 || !Number.isInteger(ref)) return undefined;
  return world.tasks[((ref % n) + n) % n];
}

/** The Landlock decision for `task` making `req` in `world`. */
export function landlockDecide(world: World, task: Task, req: LandlockRequest): number {
  switch (req.kind) {
    case 'signal':
    case 'abstract_unix':
    case 'ptrace': {
      const target = resolveTarget(world, req.target);
      if (!target) return ERRNO.ESRCH;
      if (req.kind === 'signal') return signalDecision(task.domain, task.tgid, target.domain, target.tgid);
      if (req.kind === 'ptrace') return ptraceDecision(task.domain, task.tgid, target.domain, target.tgid);
      return abstractUnixDecision(task.domain, target.domain);
    }
    default:
      return decideWithViews(viewCache(world.fs), task.domain, req);
  }
}

/** The decision of a domain (a node chain, or null) on a task-independent request. */
export function landlockDecideDomain(fs: FsTree, domain: DomainNode | null, req: TabledLandlockRequest): number {
  return decideWithViews(viewCache(fs), domain, req);
}

function decideWithViews(views: ViewCache, domain: DomainNode | null, req: LandlockRequest): number {
  switch (req.kind) {
    case 'fs': {
      const idx = fsCheckIndex(views.ix, req);
      if (idx < 0) return -idx;
      return fsDecision(views.node(domain), idx, fsRequiredAccess(req.access));
    }
    case 'rename':
    case 'link': {
      const r = resolveReparent(views.ix, req);
      if (typeof r === 'number') return -r;
      // current_check_refer_path: no fs-handling layer → not restricted.
      if (!views.node(domain).hasFs) return 0;
      let code = 0;
      for (let n = domain; n !== null; n = n.prev) code = combineCodes(code, reparentLayerCode(views.layer(n.layer), r));
      return code;
    }
    case 'mount':
      // hook_sb_mount & co: any fs-handling layer → EPERM.
      return views.node(domain).hasFs ? ERRNO.EPERM : 0;
    case 'net': {
      const right = netRight(req);
      if (right === 0) return ERRNO.EINVAL;
      return netDecision(views.node(domain), req.port, right);
    }
    default:
      return ERRNO.EINVAL;
  }
}
