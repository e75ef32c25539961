// Landlock syscalls (security/landlock/syscalls.c): landlock_create_ruleset, landlock_add_rule,
// and the mutable-domains RFC's supervisee ioctl; landlock_restrict_self is in restrict.ts.
//
// Checks run in the kernel's order; a failed call returns the world it was given. Fields that
// exist only in a variant (`supervisor`, `commit`, `ruleset_supervisee`) are `invalid` without
// the `landlockSupervisor` switch. The op's `ruleset` is an index among the task's ruleset fds
// (EBADF if it has none); with `anyFd` an index into the whole table, where a descriptor that is
// not a ruleset gives EBADFD (get_ruleset_from_fd).
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import { worldWith } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail, invalid } from '../result.js';
import { ERRNO } from '../errno.js';
import { LANDLOCK_PORT_MAX } from '../limits.js';
import { installFd } from '../task/fds.js';
import { abiMasks, LANDLOCK_ERRATA_FIXED } from './abi.js';
import { isRulesetFd, rulesetArgument } from './ruleset-fd.js';
import { ACCESS_FILE, CREATE_RULESET, hasBitsOutside, isU64 } from './access.js';
import type { Ruleset } from './ruleset.js';
import { newRuleset, withFsRule, withNetRule, committed, layerOfRuleset, supervisedLayer } from './ruleset.js';
import type { DomainNode, LandlockLayer } from './domain.js';
import { replaceDomainLayers } from './rewrite.js';
import { fsIndex } from './fstree.js';

export { restrictSelf } from './restrict.js';

export { isRulesetFd };

/**
 * sys_landlock_create_ruleset with flags: a query, no ruleset. The attr must be NULL and its size
 * 0 (here: nothing handled; anything else is passed as the struct) → else EINVAL; VERSION → the
 * ABI; ERRATA → the fixed errata (abi.ts: LANDLOCK_ERRATA_FIXED, this machine's 0x7: a kernel
 * without the query says EINVAL, conformance/skips.ts); VERSION|ERRATA or any other bit → EINVAL.
 */
function rulesetQuery(world: World, task: Task, op: Extract<Op, { op: 'ruleset_create' }>): StepOut {
  if (op.fs !== 0 || op.net !== 0 || op.scoped !== 0) return fail(world, task.tid, err(ERRNO.EINVAL));
  if (op.flags === CREATE_RULESET.VERSION) return { world, result: ok(world.abi), tid: task.tid };
  if (op.flags === CREATE_RULESET.ERRATA) return { world, result: ok(LANDLOCK_ERRATA_FIXED), tid: task.tid };
  return fail(world, task.tid, err(ERRNO.EINVAL));
}

/** The ruleset behind the task's `index`-th ruleset fd, or undefined (EBADF). */
export function resolveRuleset(world: World, task: Task, index: number): Ruleset | undefined {
  const rs = rulesetArgument(world, task, index, false);
  return typeof rs === 'number' ? undefined : rs;
}

/** Install a new ruleset (id = its index in world.rulesets) and an O_CLOEXEC fd on it. */
function installRuleset(world: World, task: Task, rs: Ruleset): StepOut {
  const rulesets = world.rulesets.slice();
  rulesets.push(rs);
  const r = installFd(world, task, { kind: 'ruleset', id: rs.id }, true, rulesets);
  return { world: r.world, result: ok(r.fd), tid: task.tid };
}

/**
 * syscalls.c:sys_landlock_create_ruleset. copy_min_struct_from_user gives E2BIG for non-zero
 * fields past the struct the ABI knows (net before ABI 4, scoped before ABI 6); then unknown
 * fs, net, scope bits → EINVAL; ruleset.c:landlock_create_ruleset: all empty → ENOMSG.
 */
export function rulesetCreate(world: World, task: Task, op: Extract<Op, { op: 'ruleset_create' }>): StepOut {
  if (op.supervisor && !world.semantics.landlockSupervisor) {
    return fail(world, task.tid, invalid('ruleset_create: supervisor rulesets exist only in the mutable-domains variant'));
  }
  if (op.flags !== undefined && op.flags !== 0) return rulesetQuery(world, task, op);
  if (!isU64(op.fs) || !isU64(op.net) || !isU64(op.scoped)) {
    return fail(world, task.tid, invalid('ruleset_create: fs, net and scoped must be non-negative integers'));
  }
  const m = abiMasks(world.abi);
  if ((m.attrSize < 16 && op.net !== 0) || (m.attrSize < 24 && op.scoped !== 0)) return fail(world, task.tid, err(ERRNO.E2BIG));
  if (hasBitsOutside(op.fs, m.fs)) return fail(world, task.tid, err(ERRNO.EINVAL));
  if (hasBitsOutside(op.net, m.net)) return fail(world, task.tid, err(ERRNO.EINVAL));
  if (hasBitsOutside(op.scoped, m.scope)) return fail(world, task.tid, err(ERRNO.EINVAL));
  // within the ABI's masks (below 2^32), so plain numbers from here on
  const fs = op.fs as number, net = op.net as number, scoped = op.scoped as number;
  if (fs === 0 && net === 0 && scoped === 0) return fail(world, task.tid, err(ERRNO.ENOMSG));
  let rs = newRuleset(world.rulesets.length, fs, net, scoped);
  if (op.supervisor) rs = { ...rs, role: 'supervisor', committedFs: rs.fsRules, committedNet: rs.netRules };
  return installRuleset(world, task, rs);
}

/**
 * Mutable-domains RFC: from a supervisor ruleset fd, a supervisee ruleset fd (O_CLOEXEC) with
 * the same handled sets and no rules of its own. Not a supervisor → EINVAL (model choice).
 */
export function rulesetSupervisee(world: World, task: Task, op: Extract<Op, { op: 'ruleset_supervisee' }>): StepOut {
  if (!world.semantics.landlockSupervisor) {
    return fail(world, task.tid, invalid('ruleset_supervisee: exists only in the mutable-domains variant'));
  }
  if (!Number.isInteger(op.ruleset)) return fail(world, task.tid, invalid('ruleset_supervisee: ruleset must be an integer'));
  const sup = resolveRuleset(world, task, op.ruleset);
  if (!sup) return fail(world, task.tid, err(ERRNO.EBADF));
  if (sup.role !== 'supervisor') return fail(world, task.tid, err(ERRNO.EINVAL));
  const rs: Ruleset = { ...newRuleset(world.rulesets.length, sup.handledFs, sup.handledNet, sup.scoped), role: 'supervisee', supervisorId: sup.id };
  return installRuleset(world, task, rs);
}

/**
 * syscalls.c:sys_landlock_add_rule. Order: the executor's open(path, O_PATH) of the rule's
 * parent fd (a path not in the tree → ENOENT, before the syscall); then flags (variant `commit`
 * on a non-supervisor → EINVAL), ruleset fd (EBADF), rule type (EINVAL; NET_PORT unknown before
 * ABI 4), then the attr checks of add_rule_path_beneath / add_rule_net_port.
 */
export function rulesetAddRule(world: World, task: Task, op: Extract<Op, { op: 'ruleset_add_rule' }>): StepOut {
  if (op.commit && !world.semantics.landlockSupervisor) return fail(world, task.tid, invalid(`ruleset_add_rule: commit exists only in the mutable-domains variant`));
  const rule = op.rule as { type?: unknown; path?: unknown; port?: unknown; access?: unknown } | undefined;
  if (!rule || typeof rule !== 'object') return fail(world, task.tid, invalid(`ruleset_add_rule: no rule`));
  if (!isU64(rule.access)) return fail(world, task.tid, invalid(`ruleset_add_rule: access must be a u64`));
  if (rule.type === 'path_beneath' && typeof rule.path !== 'string') return fail(world, task.tid, invalid(`ruleset_add_rule: path must be a string`));
  if (rule.type === 'net_port' && !isU64(rule.port)) return fail(world, task.tid, invalid(`ruleset_add_rule: port must be a u64`));
  const ix = fsIndex(world.fs);
  const pathIdx = rule.type === 'path_beneath' ? ix.indexOf(rule.path as string) : -1;
  if (rule.type === 'path_beneath' && pathIdx < 0) return fail(world, task.tid, err(ERRNO.ENOENT));
  if (!Number.isInteger(op.ruleset)) return fail(world, task.tid, invalid(`ruleset_add_rule: ruleset must be an integer`));

  const rs = rulesetArgument(world, task, op.ruleset, op.anyFd);
  if (typeof rs === 'number') return fail(world, task.tid, err(rs));
  if (op.commit && rs.role !== 'supervisor') return fail(world, task.tid, err(ERRNO.EINVAL));
  const access = rule.access;
  let next: Ruleset;
  if (rule.type === 'path_beneath') {
    // add_rule_path_beneath, then fs.c:landlock_append_fs_rule.
    if (access === 0) return fail(world, task.tid, err(ERRNO.ENOMSG));
    if (hasBitsOutside(access, rs.handledFs)) return fail(world, task.tid, err(ERRNO.EINVAL));
    if (!ix.isDir(pathIdx) && hasBitsOutside(access, ACCESS_FILE)) return fail(world, task.tid, err(ERRNO.EINVAL));
    // the rule is on the inode the path names (a path through a mount names its source's)
    next = withFsRule(rs, ix.canon[pathIdx]!, access as number); // within handledFs: below 2^32
  } else if (rule.type === 'net_port' && abiMasks(world.abi).netRules) {
    // add_rule_net_port.
    if (access === 0) return fail(world, task.tid, err(ERRNO.ENOMSG));
    if (hasBitsOutside(access, rs.handledNet)) return fail(world, task.tid, err(ERRNO.EINVAL));
    // add_rule_net_port: a __u64 port above U16_MAX → EINVAL
    const port = rule.port;
    if (typeof port !== 'number' || port > LANDLOCK_PORT_MAX) return fail(world, task.tid, err(ERRNO.EINVAL));
    next = withNetRule(rs, port, access as number); // within handledNet: below 2^32
  } else {
    return fail(world, task.tid, err(ERRNO.EINVAL));
  }
  if (op.commit) next = committed(next);
  const rulesets = world.rulesets.slice();
  rulesets[rs.id] = next;
  const w = propagate(worldWith(world, { rulesets }), rs.id, !!op.commit);
  return { world: w, result: ok(0), tid: task.tid };
}

/**
 * Layers that follow a ruleset after restrict: under e1 (no snapshot) every layer made from
 * ruleset `id`; after a supervisor commit every layer bound to supervisor `id`. Linux: none.
 */
function propagate(world: World, id: number, commit: boolean): World {
  const live = !world.semantics.landlockRestrictSnapshot;
  if (!live && !commit) return world;
  const rulesets = world.rulesets;
  return replaceDomainLayers(world, (node: DomainNode): LandlockLayer | null => {
    const hit = (live && node.ruleset === id) || (commit && node.supervisor === id);
    if (!hit) return null;
    const base = live && node.ruleset !== undefined ? layerOfRuleset(rulesets[node.ruleset]!) : (node.base ?? node.layer);
    return node.supervisor !== undefined ? supervisedLayer(base, rulesets[node.supervisor]!) : base;
  });
}
