// The modify call of variants that have one (Lutomirski, 2 Mar 2017; layering-designs §3b):
// adding a layer and modifying one are different calls, and what modify may do is fixed by a
// flag chosen when the layer was created. Linux has no such call.
//   b1 ('current'): only a layer in the caller's own stack;
//   b2 ('handle'):  also a layer named by an explicitly granted handle fd (created with `export`).
// IMMUTABLE → EPERM; STRICTER → the new content must be no more permissive on any request of the
// world's universe, else EPERM; ANY → allowed. The change reaches every task holding the layer
// (path copying: seccomp/rewrite.ts, landlock/rewrite.ts); no stack changes shape (I5).
import type { Op } from './ops.js';
import type { World, Task } from './state.js';
import type { StepOut } from './result.js';
import { ok, err, fail, invalid } from './result.js';
import { ERRNO } from './errno.js';
import type { FilterNode } from './seccomp/stack.js';
import { chainOf, findLayer } from './seccomp/stack.js';
import type { DomainNode, LandlockLayer } from './landlock/domain.js';
import { layersOf } from './landlock/domain.js';
import { replaceFilterLayer } from './seccomp/rewrite.js';
import { replaceDomainLayers } from './landlock/rewrite.js';
import { checkSeccompProgram } from './bpf/check.js';
import { seccompData } from './seccomp/data.js';
import { evalLayer } from './seccomp/eval.js';
import { resolveRuleset } from './landlock/syscalls.js';
import { layerOfRuleset } from './landlock/ruleset.js';
import { landlockDecideDomain } from './landlock/decide.js';
import { resolveFd } from './task/fds.js';
import { evaluationOf, seccompRank } from './evaluation.js';
import type { Universe } from './universe.js';
import type { SyscallRequest } from './request.js';
import { requestSyscall } from './request-syscall.js';

const DECISION_SYSCALLS = new WeakMap<Universe, readonly SyscallRequest[]>();

/** Every syscall request a decision over `u` is made with (tables and task-relative requests). */
function decisionSyscalls(u: Universe): readonly SyscallRequest[] {
  let out = DECISION_SYSCALLS.get(u);
  if (out === undefined) {
    const list: SyscallRequest[] = [...u.syscalls, ...u.landlock.map((r) => requestSyscall(r))];
    for (const kind of ['signal', 'abstract_unix', 'ptrace'] as const) list.push(requestSyscall({ kind, target: 0 }));
    DECISION_SYSCALLS.set(u, (out = list));
  }
  return out;
}

type ModifyOp = Extract<Op, { op: 'modify' }>;
type Target = { readonly kind: 'seccomp'; readonly node: FilterNode } | { readonly kind: 'landlock'; readonly node: DomainNode };

export function modifyLayer(world: World, task: Task, op: ModifyOp): StepOut {
  const mode = world.semantics.modify;
  if (mode === 'none') return fail(world, task.tid, invalid('modify: this variant has no modify call'));
  const target = op.handle !== undefined ? byHandle(world, task, op.handle, mode) : ownLayer(task, op.layer);
  if (typeof target === 'number') return fail(world, task.tid, err(target));
  if (target.node.mutability === 'immutable') return fail(world, task.tid, err(ERRNO.EPERM));
  if (target.kind === 'seccomp') {
    const node = target.node;
    if (!op.program) return fail(world, task.tid, err(ERRNO.EINVAL));
    const chk = checkSeccompProgram(op.program);
    if (!chk.ok) return fail(world, task.tid, err(chk.errno));
    const programs = [op.program];
    if (node.mutability === 'stricter' && !filterNoLooser(world, node, programs)) return fail(world, task.tid, err(ERRNO.EPERM));
    return { world: replaceFilterLayer(world, node.id, programs), result: ok(0), tid: task.tid };
  }
  const node = target.node;
  if (op.ruleset === undefined) return fail(world, task.tid, err(ERRNO.EINVAL));
  const rs = resolveRuleset(world, task, op.ruleset);
  if (!rs) return fail(world, task.tid, err(ERRNO.EBADF));
  const layer = layerOfRuleset(rs);
  if (node.mutability === 'stricter' && !layerNoLooser(world, node.layer, layer)) return fail(world, task.tid, err(ERRNO.EPERM));
  const id = node.id;
  return { world: replaceDomainLayers(world, (n) => (n.id === id ? layer : null)), result: ok(0), tid: task.tid };
}

/** b1: the `index`-th layer of the caller's own stack, newest first: seccomp, then Landlock. */
function ownLayer(task: Task, index: number): Target | number {
  const filters = chainOf(task.filter);
  const domains = layersOf(task.domain);
  const n = filters.length + domains.length;
  if (n === 0 || !Number.isInteger(index)) return ERRNO.EINVAL;
  const i = ((index % n) + n) % n;
  return i < filters.length ? { kind: 'seccomp', node: filters[i]! } : { kind: 'landlock', node: domains[i - filters.length]! };
}

/** b2: a layer named by a handle fd; the layer need not be in the caller's stack. */
function byHandle(world: World, task: Task, index: number, mode: 'current' | 'handle'): Target | number {
  if (mode !== 'handle') return ERRNO.EBADF;
  const e = resolveFd(task, index, (x) => x.obj.kind === 'layer_handle');
  if (!e || e.obj.kind !== 'layer_handle') return ERRNO.EBADF;
  const id = e.obj.layer;
  for (const t of world.tasks) {
    const f = findLayer(t.filter, id);
    if (f) return { kind: 'seccomp', node: f };
    for (let d = t.domain; d; d = d.prev) if (d.id === id) return { kind: 'landlock', node: d };
  }
  return ERRNO.ESRCH; // no live task holds the layer any more
}

/**
 * STRICTER for a filter layer: no more permissive on any syscall a decision of the universe is
 * made with — its syscalls, the syscalls of its Landlock requests, and those of the
 * task-relative requests (request-syscall.ts).
 */
function filterNoLooser(world: World, before: FilterNode, after: FilterNode['programs']): boolean {
  const a = before;
  const b = { programs: after, mapRules: null } as FilterNode; // modify's content reads no map
  const e = evaluationOf(world.semantics);
  for (const req of decisionSyscalls(world.universe)) {
    const d = seccompData(req);
    if (seccompRank(e, evalLayer(b, d, e)) > seccompRank(e, evalLayer(a, d, e))) return false;
  }
  return true;
}

/**
 * STRICTER for a Landlock layer: every tabled request the old layer denied stays denied, and
 * every IPC scope it set stays set (a dropped scope bit lets the task signal or connect out of
 * its domain: security/landlock/task.c:domain_is_scoped).
 */
function layerNoLooser(world: World, before: LandlockLayer, after: LandlockLayer): boolean {
  if ((before.scoped & ~after.scoped) !== 0) return false;
  const a = single(before);
  const b = single(after);
  const e = evaluationOf(world.semantics);
  for (const req of world.universe.landlock) {
    if (landlockDecideDomain(world.fs, a, req, e) !== 0 && landlockDecideDomain(world.fs, b, req, e) === 0) return false;
  }
  return true;
}

function single(layer: LandlockLayer): DomainNode {
  return { id: 0, rev: 0, prev: null, depth: 1, layer, mutability: 'any' };
}
