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
import { netRight, netUnmediated, netDecision } from './net.js';
import { signalDecision, abstractUnixDecision } from './scope.js';
import { ptraceDecision } from './ptrace.js';
import { mountCall, mountHooked } from './mount.js';
import { procFsDecision, procPtraceChecked } from './procfs.js';
import type { Evaluation } from '../evaluation.js';
import { evaluationOf } from '../evaluation.js';

/** Resolve a request's task reference like an op's: index into live tasks modulo their count. */
export function resolveTarget(world: World, ref: number): Task | undefined {
  const n = world.tasks.length;
  if (n === 0 || !Number.isInteger(ref)) return undefined;
  return world.tasks.at(((ref % n) + n) % n);
}

/** The Landlock decision for `task` making `req` in `world` (under the world's evaluation). */
export function landlockDecide(world: World, task: Task, req: LandlockRequest): number {
  const e = evaluationOf(world.semantics);
  switch (req.kind) {
    case 'signal':
    case 'abstract_unix':
    case 'ptrace': {
      const target = resolveTarget(world, req.target);
      if (!target) return ERRNO.ESRCH;
      return taskRelativeDecision(req.kind, task, target, e);
    }
    case 'proc': {
      const target = resolveTarget(world, req.target);
      if (!target) return ERRNO.ENOENT;
      const fs = decideDomain(viewCache(world.fs), task.domain, req, e);
      if (fs !== 0 || !procPtraceChecked(req.file)) return fs;
      // ptrace_may_access refused (hook_ptrace_access_check): proc_mem_open / proc_ns_get_link
      // answer EACCES
      return ptraceDecision(task.domain, task.tgid, target.domain, target.tgid, e.landlockScope) === 0 ? 0 : ERRNO.EACCES;
    }
    default:
      return decideDomain(viewCache(world.fs), task.domain, req, e);
  }
}

/** A task-relative request from `task` to `target` (scope.ts, ptrace.ts) under `e`'s relation. */
export function taskRelativeDecision(kind: 'signal' | 'abstract_unix' | 'ptrace', task: Task, target: Task, e: Evaluation): number {
  if (kind === 'signal') return signalDecision(task.domain, task.tgid, target.domain, target.tgid, e.landlockScope);
  if (kind === 'ptrace') return ptraceDecision(task.domain, task.tgid, target.domain, target.tgid, e.landlockScope);
  return abstractUnixDecision(task.domain, target.domain, e.landlockScope);
}

/** The decision of a domain (a node chain, or null) on a task-independent request. */
export function landlockDecideDomain(fs: FsTree, domain: DomainNode | null, req: TabledLandlockRequest, e: Evaluation): number {
  return decideDomain(viewCache(fs), domain, req, e);
}

/**
 * A domain's decision under `e`: Linux's intersection of layers, or (landlockCombine 'union')
 * allowed when one layer alone allows, else the newest layer's denial.
 */
function decideDomain(views: ViewCache, domain: DomainNode | null, req: LandlockRequest, e: Evaluation): number {
  if (e.landlockCombine !== 'union' || domain === null) return decideWithViews(views, domain, req);
  let code = -1;
  for (let n: DomainNode | null = domain; n !== null; n = n.prev) {
    const c = decideWithViews(views, aloneLayer(n), req);
    if (c === 0) return 0;
    if (code < 0) code = c;
  }
  return code;
}

const ALONE = new WeakMap<DomainNode, DomainNode>();

/** A domain of the one layer `n` (same id and content, no parent), memoised per node. */
function aloneLayer(n: DomainNode): DomainNode {
  if (n.prev === null) return n;
  let a = ALONE.get(n);
  if (a === undefined) ALONE.set(n, (a = { ...n, prev: null, depth: 1 }));
  return a;
}

function decideWithViews(views: ViewCache, domain: DomainNode | null, req: LandlockRequest): number {
  switch (req.kind) {
    case 'fs': {
      const idx = fsCheckIndex(views.ix, req);
      if (idx < 0) return -idx;
      return fsDecision(views.node(domain), idx, fsRequiredAccess(req.access));
    }
    case 'rename':
    case 'link':
    case 'exchange': {
      const r = resolveReparent(views.ix, req);
      if (typeof r === 'number') return -r;
      // current_check_refer_path: no fs-handling layer → not restricted.
      if (!views.node(domain).hasFs) return 0;
      let code = 0;
      for (let n = domain; n !== null; n = n.prev) code = combineCodes(code, reparentLayerCode(views.layer(n.layer), r));
      return code;
    }
    case 'mount':
      // hook_sb_mount & co: any fs-handling layer → EPERM (model/landlock/mount.ts).
      return mountHooked(mountCall(req)) && views.node(domain).hasFs ? ERRNO.EPERM : 0;
    case 'proc':
      // hook_file_open on procfs (model/landlock/procfs.ts); the ptrace part is task-relative
      return procFsDecision(domain, req.file);
    case 'net': {
      const right = netRight(req);
      if (right === 0 || (req.proto !== undefined && req.proto !== 'tcp' && req.proto !== 'udp')) return ERRNO.EINVAL;
      if (netUnmediated(req)) return 0;
      return netDecision(views.node(domain), req.port, right);
    }
    default:
      return ERRNO.EINVAL;
  }
}
