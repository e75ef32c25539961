// landlock_restrict_self(2) (security/landlock/syscalls.c:sys_landlock_restrict_self) and
// TSYNC (security/landlock/tsync.c, ABI 8).
//
// Order (ABI ≤ 8): privilege (no NNP and no CAP_SYS_ADMIN → EPERM), flags (unknown at the ABI →
// EINVAL), fd (−1 only with LOG_SUBDOMAINS_OFF, optionally | TSYNC, else EBADF; no ruleset fd →
// EBADF), [variant checks], then landlock_merge_ruleset's E2BIG at LANDLOCK_MAX_NUM_LAYERS with
// nothing changed. Success replaces the calling thread's domain only (creds are per thread).
import type { Op } from '../ops.js';
import { LANDLOCK_RESTRICT_SELF } from '../ops.js';
import type { World, Task } from '../state.js';
import { replaceTask, taskWith, worldWith } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail, invalid } from '../result.js';
import { ERRNO } from '../errno.js';
import { LANDLOCK_MAX_NUM_LAYERS } from '../limits.js';
import { installFd } from '../task/fds.js';
import { abiMasks } from './abi.js';
import { rulesetArgument } from './ruleset-fd.js';
import { hasBitsOutside } from './access.js';
import { layerOfRuleset, supervisedLayer } from './ruleset.js';
import type { DomainNode } from './domain.js';
import { pushLayer } from './domain.js';

const { LOG_SUBDOMAINS_OFF, TSYNC } = LANDLOCK_RESTRICT_SELF;

type RestrictOp = Extract<Op, { op: 'restrict_self' }>;

export function restrictSelf(world: World, task: Task, op: RestrictOp): StepOut {
  const flags = op.flags;
  if (typeof flags !== 'number') return fail(world, task.tid, invalid('restrict_self: flags must be a number'));
  if (op.ruleset !== null && !Number.isInteger(op.ruleset)) return fail(world, task.tid, invalid('restrict_self: ruleset must be an integer or null'));

  // "Similar checks as for seccomp(2)": checked before flags and fd.
  if (!task.nnp && !task.capSysAdmin) return fail(world, task.tid, err(ERRNO.EPERM));
  if (hasBitsOutside(flags, abiMasks(world.abi).restrictFlags)) return fail(world, task.tid, err(ERRNO.EINVAL));
  const tsync = (flags & TSYNC) !== 0;
  const logSubdomainsOff = task.llLogSubdomainsOff || (flags & LOG_SUBDOMAINS_OFF) !== 0;

  if (op.ruleset === null) {
    // fd −1: allowed only to set LOG_SUBDOMAINS_OFF (with TSYNC: on every thread); no layer.
    if ((flags & ~TSYNC) !== LOG_SUBDOMAINS_OFF) return fail(world, task.tid, err(ERRNO.EBADF));
    const caller = taskWith(task, { llLogSubdomainsOff: true });
    let w = replaceTask(world, caller);
    if (tsync) w = syncSiblings(w, caller);
    return { world: w, result: ok(0), tid: task.tid };
  }

  // get_ruleset_from_fd: no descriptor → EBADF, not a ruleset (`anyFd`) → EBADFD
  const rs = rulesetArgument(world, task, op.ruleset, op.anyFd);
  if (typeof rs === 'number') return fail(world, task.tid, err(rs));
  // Mutable-domains variant: the supervisor fd cannot restrict; nor may a task be supervised
  // through a supervisor fd it holds itself (model choice: EPERM for both).
  if (rs.role === 'supervisor') return fail(world, task.tid, err(ERRNO.EPERM));
  if (rs.role === 'supervisee' && holdsRuleset(task, rs.supervisorId!)) return fail(world, task.tid, err(ERRNO.EPERM));

  // ruleset.c:landlock_merge_ruleset.
  if (task.domain !== null && task.domain.depth >= LANDLOCK_MAX_NUM_LAYERS) return fail(world, task.tid, err(ERRNO.E2BIG));

  const base = layerOfRuleset(rs);
  const node: DomainNode =
    rs.role === 'supervisee'
      ? pushLayer(task.domain, world.nextLayerId, supervisedLayer(base, world.rulesets[rs.supervisorId!]!), op.mutability ?? 'immutable', { ruleset: rs.id, supervisor: rs.supervisorId!, base })
      : pushLayer(task.domain, world.nextLayerId, base, op.mutability ?? 'immutable', { ruleset: rs.id });
  const caller = taskWith(task, { domain: node, llLogSubdomainsOff: logSubdomainsOff });
  // One world copy: the caller replaced and the new layer id taken.
  let w = worldWith(world, { tasks: world.tasks.replace(caller), nextLayerId: world.nextLayerId + 1 });
  if (tsync) w = syncSiblings(w, caller);

  // Variant b2: an exported layer handle (O_CLOEXEC), returned; ignored elsewhere (as seccomp).
  let ret = 0;
  if (op.export && world.semantics.modify === 'handle') {
    const r = installFd(w, caller, { kind: 'layer_handle', layer: node.id }, true);
    w = r.world;
    ret = r.fd;
  }
  return { world: w, result: ok(ret), tid: task.tid };
}

function holdsRuleset(task: Task, id: number): boolean {
  for (const e of task.fds) if (e.obj.kind === 'ruleset' && e.obj.id === id) return true;
  return false;
}

/**
 * tsync.c:restrict_one_thread — every other live thread of the caller's process gets a copy of
 * the caller's Landlock credential blob (domain and log flags), whatever it had before (no
 * ancestry check), and no_new_privs if the caller has it.
 */
function syncSiblings(world: World, caller: Task): World {
  const tasks = world.tasks.mapGroup(caller.tgid, (t) => t.tid === caller.tid
    ? t
    : taskWith(t, { domain: caller.domain, llLogSubdomainsOff: caller.llLogSubdomainsOff, nnp: t.nnp || caller.nnp }));
  return worldWith(world, { tasks });
}
