// Corners of the designs' own calls and switches (layering-designs.md §3): the modify call and
// its mutability flags, layer handles, supervisor rulesets and COMMIT, v5's in-place append,
// the live ruleset, TSYNC without the ancestor check, exec that empties the stacks, and the
// newest filter deciding alone. Each applies to the designs whose API or semantics switch
// has it — a user's variant module with the same switch gets the same corners.
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as F } from '../model/ops.js';
import type { Task, World } from '../model/state.js';
import type { Mutability } from '../model/ops.js';
import { chainOf, findLayer, isAncestor } from '../model/seccomp/stack.js';
import { layersOf } from '../model/landlock/domain.js';
import { resolveFd } from '../model/task/fds.js';
import { resolveRuleset } from '../model/landlock/syscalls.js';
import { ERRNO } from '../model/errno.js';
import { actionOnly } from '../model/seccomp/action.js';
import { seccompData } from '../model/seccomp/data.js';
import { compile } from '../model/bpf/interp.js';
import { run } from '../model/bpf/jit.js';
import { requestSyscall } from '../model/request-syscall.js';
import type { TraceStep } from '../properties/trace.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { CornerDecl, Hits } from './corner.js';
import type { TraceContext } from './context.js';
import { actorBefore, actorAfter, hasSiblingThread } from './context.js';

const modify = (v: Variant): boolean => v.semantics.modify !== 'none' && accepts(v, 'modify');
const handles = (v: Variant): boolean => v.semantics.modify === 'handle' && accepts(v, 'modify') && accepts(v, 'export');
const stricter = (v: Variant): boolean => modify(v) && accepts(v, 'mutability');
const supervisor = (v: Variant): boolean => v.semantics.landlockSupervisor && accepts(v, 'ruleset_create.supervisor') && accepts(v, 'ruleset_supervisee');
const B = 'layering-designs.md §3b';
const FSPEC = 'layering-designs.md §3f';

export const DESIGN_CORNERS: readonly CornerDecl[] = [
  { id: 'design.modify.seccomp', title: 'modify replaces a seccomp layer\'s program', spec: B, group: 'design: modify', applies: modify },
  { id: 'design.modify.landlock', title: 'modify replaces a Landlock layer with a ruleset\'s snapshot', spec: B, group: 'design: modify', applies: (v) => modify(v) && accepts(v, 'restrict_self') },
  { id: 'design.modify.immutable', title: 'modify of an IMMUTABLE layer: EPERM', spec: B, group: 'design: modify', applies: modify },
  { id: 'design.modify.stricter', title: 'modify of a STRICTER layer to content no looser on any request', spec: B, group: 'design: modify', applies: stricter },
  { id: 'design.modify.stricter-refused', title: 'modify of a STRICTER layer to looser content: EPERM', spec: B, group: 'design: modify', applies: stricter },
  { id: 'design.modify.any', title: 'modify of an ANY layer', spec: B, group: 'design: modify', applies: stricter },
  { id: 'design.modify.reaches-other', title: 'a modify reaches a layer another process holds', spec: `${B}; I1, I6`, group: 'design: modify', applies: (v) => stricter(v) && accepts(v, 'fork') },
  { id: 'design.handle.exported', title: 'an add with EXPORT returns a layer handle fd', spec: `${B} (b2)`, group: 'design: handles', applies: handles },
  { id: 'design.handle.modify', title: 'modify through a layer handle', spec: `${B} (b2)`, group: 'design: handles', applies: handles },
  { id: 'design.handle.not-own', title: 'modify through a handle of a layer not in the caller\'s own stack', spec: `${B} (b2); I8`, group: 'design: handles', applies: handles },
  { id: 'design.handle.esrch', title: 'modify through a handle whose layer no live task holds: ESRCH', spec: `${B} (b2)`, group: 'design: handles', applies: handles },
  { id: 'design.supervisor.create', title: 'a supervisor ruleset created', spec: FSPEC, group: 'design: supervisor', applies: supervisor },
  { id: 'design.supervisor.supervisee', title: 'a supervisee ruleset made from a supervisor fd', spec: FSPEC, group: 'design: supervisor', applies: supervisor },
  { id: 'design.supervisor.enforce', title: 'restrict_self to a supervisee ruleset', spec: FSPEC, group: 'design: supervisor', applies: supervisor },
  { id: 'design.supervisor.commit', title: 'add_rule with COMMIT on a supervisor ruleset', spec: FSPEC, group: 'design: supervisor', applies: (v) => supervisor(v) && accepts(v, 'ruleset_add_rule.commit') },
  { id: 'design.supervisor.commit-reaches', title: 'a COMMIT reaches an enforced supervised layer', spec: `${FSPEC}; I6`, group: 'design: supervisor', applies: (v) => supervisor(v) && accepts(v, 'ruleset_add_rule.commit') },
  { id: 'design.supervisor.refused', title: 'restrict_self to a supervisor ruleset, or supervised through a supervisor fd it holds: EPERM', spec: FSPEC, group: 'design: supervisor', applies: supervisor },
  { id: 'design.in-place.append', title: 'a filter appended in place to the caller\'s top layer', spec: 'layering-designs.md §2, §3a', group: 'design: in-place append', applies: (v) => v.semantics.seccompInPlaceAppend && accepts(v, 'seccomp_filter') },
  { id: 'design.in-place.shared', title: 'an in-place append to a layer another process shares', spec: 'layering-designs.md §3a; I1, I4', group: 'design: in-place append', applies: (v) => v.semantics.seccompInPlaceAppend && accepts(v, 'seccomp_filter') && accepts(v, 'fork') },
  { id: 'design.live.reaches-layer', title: 'add_rule on a ruleset changes an enforced layer (no snapshot)', spec: 'layering-designs.md §3 (e1); I11', group: 'design: live ruleset', applies: (v) => !v.semantics.landlockRestrictSnapshot && accepts(v, 'ruleset_add_rule') },
  { id: 'design.tsync-overwrite.diverged', title: 'seccomp TSYNC succeeds over a sibling whose stack is no ancestor of the caller\'s', spec: 'layering-designs.md §3 (e2); I9', group: 'design: TSYNC overwrite', applies: (v) => !v.semantics.seccompTsyncAncestorCheck && accepts(v, 'seccomp_filter.tsync') },
  { id: 'design.exec-reset.emptied', title: 'exec empties a task\'s non-empty stacks', spec: 'layering-designs.md §3 (e3); I3, I10', group: 'design: exec reset', applies: (v) => v.semantics.execResetsLayers && accepts(v, 'exec') },
  { id: 'design.newest-wins.overrides', title: 'a probe decided by the newest filter against a less permissive older one', spec: 'layering-designs.md §3c (contrast); I3', group: 'design: newest filter wins', applies: (v) => v.semantics.seccompCombine === 'newest' && accepts(v, 'seccomp_filter') },
];

// ---- detection ----

type Target = { readonly kind: 'seccomp' | 'landlock'; readonly id: number; readonly mutability: Mutability; readonly own: boolean } | null;

/** The layer a modify names, as model/modify.ts resolves it (ownLayer, byHandle). */
function modifyTarget(world: World, task: Task, op: Extract<Op, { op: 'modify' }>): Target {
  if (op.handle === undefined) {
    const filters = chainOf(task.filter);
    const domains = layersOf(task.domain);
    const n = filters.length + domains.length;
    if (n === 0 || !Number.isInteger(op.layer)) return null;
    const i = ((op.layer % n) + n) % n;
    const node = i < filters.length ? filters[i]! : domains[i - filters.length]!;
    return { kind: i < filters.length ? 'seccomp' : 'landlock', id: node.id, mutability: node.mutability, own: true };
  }
  const e = resolveFd(task, op.handle, (x) => x.obj.kind === 'layer_handle');
  if (e === undefined || e.obj.kind !== 'layer_handle') return null;
  const id = e.obj.layer;
  const own = findLayer(task.filter, id) !== null || layersOf(task.domain).some((d) => d.id === id);
  for (const t of world.tasks) {
    const f = findLayer(t.filter, id);
    if (f) return { kind: 'seccomp', id, mutability: f.mutability, own };
    for (let d = t.domain; d; d = d.prev) if (d.id === id) return { kind: 'landlock', id, mutability: d.mutability, own };
  }
  return null;
}

/** Does a task of another process than `task` hold layer `id`? */
function heldElsewhere(world: World, task: Task, id: number): boolean {
  return world.tasks.some((t) => {
    if (t.tgid === task.tgid) return false;
    if (findLayer(t.filter, id) !== null) return true;
    for (let d = t.domain; d; d = d.prev) if (d.id === id) return true;
    return false;
  });
}

/** Did some task that lived through the step get another Landlock domain? */
function domainChanged(step: TraceStep): boolean {
  for (const t of step.before.tasks) {
    const a = step.after.tasks.find((x) => x.tid === t.tid);
    if (a !== undefined && a.domain !== t.domain) return true;
  }
  return false;
}

const DATA = new Uint32Array(16);

/** Under the newest-filter-wins design: did an older program return something less permissive
 * than the newest one, which decided alone? */
function newestOverrode(task: Task, op: Extract<Op, { op: 'probe' }>): boolean {
  const top = task.filter;
  if (task.seccompMode !== 2 || top === null) return false;
  seccompData(requestSyscall(op.request), DATA);
  const newest = actionOnly(run(compile(top.programs[top.programs.length - 1]!), DATA));
  for (let f: typeof top | null = top; f; f = f.prev) {
    for (const p of f.programs) if (actionOnly(run(compile(p), DATA)) < newest) return true;
  }
  return false;
}

export function detectDesigns(step: TraceStep, ctx: TraceContext, hits: Hits): void {
  const task = actorBefore(step);
  if (task === undefined) return;
  const op = step.op;
  const r = step.out.result;
  const s = ctx.variant.semantics;
  const ok = r.kind === 'ok';
  switch (op.op) {
    case 'modify': {
      if (s.modify === 'none') return;
      const t = modifyTarget(step.before, task, op);
      if (r.kind === 'err' && r.errno === ERRNO.ESRCH) hits.hit('design.handle.esrch');
      if (t === null) return;
      if (ok) {
        hits.hit(`design.modify.${t.kind}`);
        if (t.mutability === 'stricter') hits.hit('design.modify.stricter');
        if (t.mutability === 'any') hits.hit('design.modify.any');
        if (heldElsewhere(step.before, task, t.id)) hits.hit('design.modify.reaches-other');
        if (op.handle !== undefined) {
          hits.hit('design.handle.modify');
          if (!t.own) hits.hit('design.handle.not-own');
        }
      } else if (r.kind === 'err' && r.errno === ERRNO.EPERM) {
        hits.hit(t.mutability === 'immutable' ? 'design.modify.immutable' : 'design.modify.stricter-refused');
      }
      return;
    }
    case 'seccomp_filter': {
      if (!ok) return;
      if (op.export && s.modify === 'handle') hits.hit('design.handle.exported');
      const after = actorAfter(step, task);
      if (s.seccompInPlaceAppend && task.filter !== null && after?.filter?.id === task.filter.id) {
        hits.hit('design.in-place.append');
        if (heldElsewhere(step.before, task, task.filter.id)) hits.hit('design.in-place.shared');
      }
      if (!s.seccompTsyncAncestorCheck && (op.flags & F.TSYNC) !== 0 && hasSiblingThread(step.before, task)) {
        for (const t of step.before.tasks) {
          if (t.tgid === task.tgid && t.tid !== task.tid && t.seccompMode !== 0 && !isAncestor(t.filter, task.filter)) {
            hits.hit('design.tsync-overwrite.diverged');
            break;
          }
        }
      }
      return;
    }
    case 'restrict_self': {
      if (ok && op.export && s.modify === 'handle') hits.hit('design.handle.exported');
      if (!s.landlockSupervisor || op.ruleset === null) return;
      const rs = resolveRuleset(step.before, task, op.ruleset);
      if (ok && rs?.role === 'supervisee') hits.hit('design.supervisor.enforce');
      if (r.kind === 'err' && r.errno === ERRNO.EPERM && rs !== undefined && rs.role !== undefined) hits.hit('design.supervisor.refused');
      return;
    }
    case 'ruleset_create':
      if (ok && op.supervisor) hits.hit('design.supervisor.create');
      return;
    case 'ruleset_supervisee':
      if (ok) hits.hit('design.supervisor.supervisee');
      return;
    case 'ruleset_add_rule':
      if (!ok) return;
      if (op.commit) {
        hits.hit('design.supervisor.commit');
        if (domainChanged(step)) hits.hit('design.supervisor.commit-reaches');
      }
      if (!s.landlockRestrictSnapshot && domainChanged(step)) hits.hit('design.live.reaches-layer');
      return;
    case 'exec':
      if (ok && s.execResetsLayers && (task.filter !== null || task.domain !== null)) hits.hit('design.exec-reset.emptied');
      return;
    case 'probe':
      if (s.seccompCombine === 'newest' && r.kind === 'probe' && r.probe.seccomp !== null && newestOverrode(task, op)) hits.hit('design.newest-wins.overrides');
      return;
    default:
      return;
  }
}
