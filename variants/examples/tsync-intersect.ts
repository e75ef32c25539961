// A worked example of a user variant: Landlock TSYNC that *intersects* instead of overwriting.
// Linux 7.0's LANDLOCK_RESTRICT_SELF_TSYNC gives every sibling thread the caller's new domain,
// dropping layers a sibling had stacked on its own (layering-designs §3d, the `linux-abi8` row
// of the matrix violates I9 and I2-thread). Here TSYNC pushes the caller's new layer onto each
// sibling's *own* domain, so a sibling only ever gains a layer.
//
// Check it with:   strata check --variant variants/examples/tsync-intersect.ts
//
// A variant module default-exports a plain object (variants/variant.ts:Variant); `loadVariant`
// validates it and names the first bad field. Expectations left out mean "holds": this design
// is expected to satisfy every property.
import type { Op } from '../../model/ops.js';
import { LANDLOCK_RESTRICT_SELF } from '../../model/ops.js';
import type { World, Task } from '../../model/state.js';
import type { StepOut } from '../../model/result.js';
import { err, fail } from '../../model/result.js';
import { ERRNO } from '../../model/errno.js';
import { LANDLOCK_ABI_MAX, LANDLOCK_MAX_NUM_LAYERS } from '../../model/limits.js';
import { LINUX_SEMANTICS } from '../../model/semantics.js';
import type { DomainNode } from '../../model/landlock/domain.js';
import type { StepFn } from '../variant.js';
import { linuxOps } from '../op-kinds.js';

const TSYNC = LANDLOCK_RESTRICT_SELF.TSYNC;

/**
 * The caller's new top layer, pushed onto one sibling's own domain as a layer of its own: `id` is
 * a new landlock_hierarchy identity (model/landlock/domain.ts: unique in the world), as a domain
 * the kernel builds for a thread is a new object. Reusing the caller's id would make the two
 * threads' unrelated domains look like one hierarchy to the scope checks (task.c:domain_scope_le)
 * — an earlier version of this example did that, and strata check found it (I3 and I2-thread:
 * abstract_unix between the threads went from denied to allowed).
 */
function pushLayer(layer: DomainNode, onto: DomainNode | null, id: number): DomainNode {
  return { ...layer, id, rev: 0, prev: onto, depth: (onto?.depth ?? 0) + 1 };
}

/** restrict_self(TSYNC) as "restrict the caller, then add the same layer to every sibling". */
function intersectingTsync(inner: StepFn, world: World, op: Extract<Op, { op: 'restrict_self' }>): StepOut {
  const out = inner(world, { ...op, flags: op.flags & ~TSYNC });
  if (out.result.kind !== 'ok') return out;
  const caller = out.world.tasks.byTid(out.tid);
  if (!caller) return out;
  const before = world.tasks.byTid(out.tid);
  const added = caller.domain !== before?.domain ? caller.domain : null;
  let tooDeep = false;
  let nextLayerId = out.world.nextLayerId;
  const tasks = out.world.tasks.mapGroup(caller.tgid, (t: Task) => {
    if (t.tid === caller.tid) return t;
    const domain = added ? pushLayer(added, t.domain, nextLayerId++) : t.domain;
    if (domain && domain.depth > LANDLOCK_MAX_NUM_LAYERS) tooDeep = true;
    return { ...t, domain, nnp: t.nnp || caller.nnp, llLogSubdomainsOff: caller.llLogSubdomainsOff };
  });
  // All or nothing, like the kernel's TSYNC: one sibling at the limit fails the whole call.
  if (tooDeep) return fail(world, out.tid, err(ERRNO.E2BIG));
  return { ...out, world: { ...out.world, tasks, nextLayerId } };
}

function wrap(inner: StepFn): StepFn {
  return function tsyncIntersect(world: World, op: Op): StepOut {
    if (op.op === 'restrict_self' && (op.flags & TSYNC) !== 0) return intersectingTsync(inner, world, op);
    return inner(world, op);
  };
}

export default {
  id: 'tsync-intersect',
  title: 'Example: Landlock TSYNC pushes the new layer onto each sibling (intersects, never overwrites)',
  source: 'variants/examples/tsync-intersect.ts; contrast security/landlock/tsync.c:restrict_one_thread (layering-designs §3d)',
  semantics: LINUX_SEMANTICS,
  abi: LANDLOCK_ABI_MAX,
  wrap,
  opKinds: linuxOps(LANDLOCK_ABI_MAX),
};
