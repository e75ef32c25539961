// Segments of several ops that reach what single random ops rarely do (coverage/ names each
// corner; the weights are generators/options.ts's):
//   sandbox     Landlock as a program uses it: a ruleset, 0..3 rules within its handled
//               rights, restrict_self, then 0..2 requests that need those rights (or scoped
//               IPC / ptrace towards another task) — handled rights granted and denied;
//   layers      a ruleset and restrict_self on it LANDLOCK_MAX_NUM_LAYERS + 1 times (the
//               layer-count oracle of landlock.md §1): every depth to the limit, and E2BIG past
//               it; only in a scenario with room for all of it;
//   big_filters 4..5 seccomp filters padded to thousands of instructions: a stack near
//               MAX_INSNS_PER_PATH, and ENOMEM past it (seccomp.md §4); each a one-rule policy
//               on a universe syscall, so that the seccomp() calls after it are let through,
//               and four distinct arrays in all (each checked and decoded once per process);
//   handoff     (designs with layer handles) a child adds a layer with EXPORT and sends the
//               handle to its parent, half the time exits, and the parent modifies the layer
//               through the handle: a layer not in its own stack, or held by no one (ESRCH);
//   listener    a user-notification listener's life: made, notified, closed (or closed by
//               exec), ENOSYS after, and a new listener on the same chain (delegation.md §1);
//   precedence  (mostly in a new child, as the probe may kill) two or three filters with one
//               rule each on the same syscall, an action of each kind drawn uniformly (two data values for
//               ERRNO and TRAP: ties), then a probe of that syscall: an ordered pair of actions
//               in one evaluation (seccomp.md §3).
// Each keeps the generator's view of the descriptor tables (population.ts) up to date.
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as F } from '../model/ops.js';
import type { TargetedRequest } from '../model/request.js';
import { beneath, chdirOp, fromCwd } from './cwd.js';
import { LANDLOCK_MAX_NUM_LAYERS } from '../model/limits.js';
import { SECCOMP_RET_USER_NOTIF, SECCOMP_RET_LOG, retErrno, retTrap } from '../model/seccomp/action.js';
import { SIGSYS_ACTIONS } from '../model/ops.js';
import type { SigsysOpAction, FownType } from '../model/ops.js';
import { ERRNO } from '../model/errno.js';
import type { OpGenerator } from './ops.js';
import type { Population } from './population.js';
import type { Rng } from './pick.js';
import { chance, pick } from './pick.js';
import { ACTION_RETURNS, paddedProgram } from './policy.js';
import type { RulesetBody } from './landlock.js';
import { taskRequest } from './landlock.js';
import { accepts } from '../variants/variant.js';
import { SCOPE } from '../model/landlock/access.js';


/** Task-relative requests of a sandbox with scopes (ptrace and procfs opens less often: every
 * domain restricts them). */
const SCOPED_REQUESTS: readonly TargetedRequest['kind'][] = ['signal', 'signal', 'abstract_unix', 'abstract_unix', 'ptrace', 'proc', 'proc'];

/** Sizes big_filters pads its programs to (the longest a filter may be, and three quarters of it:
 * three of the first and one of the second come within 10% of the path limit). */
const BIG_SIZES: readonly number[] = [4096, 4096, 3072];
/** The rule actions of big_filters' one-rule policies, on the universe's first syscall: four
 * distinct programs of thousands of instructions in all, each checked once per process (a check
 * of 4096 instructions takes milliseconds); what they are for is their length. */
const BIG_ACTIONS: readonly number[] = [retErrno(ERRNO.EPERM), SECCOMP_RET_LOG];

/** A task reference other than `task`'s when there is another live task, any otherwise. */
function otherTask(rng: Rng, pop: Population, task: number): number {
  const n = pop.size;
  if (n < 2) return 0;
  const self = ((task % n) + n) % n;
  const k = rng.nextInt(0, n - 2);
  return k >= self ? k + 1 : k;
}

/** A new ruleset as `task` (drawn by rulesetFs/Net/Scoped unless `body` is given), installed in
 * its table: its index among the task's rulesets, and its handled sets. */
function newRuleset(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, task: number, body?: RulesetBody): RulesetBody & { readonly index: number } {
  const ll = gen.landlock;
  const fs = body ? body.fs : ll.rulesetFs(rng);
  const net = body ? body.net : ll.rulesetNet(rng);
  const scoped = body ? body.scoped : ll.rulesetScoped(rng);
  out.push({ op: 'ruleset_create', task, fs, net, scoped });
  const at = pop.install(task, true, { fs, net, scoped });
  // its index among the task's rulesets: the rulesets before it in fd order
  let index = 0;
  const table = pop.table(task);
  for (let i = 0; i < at; i++) if (table[i]!.ruleset !== null) index++;
  return { index, fs, net, scoped };
}

/**
 * A sandbox (2 in 3 times of a task not sandboxed yet) about one right (any of the ABI's fs and
 * TCP rights, 5 in 6) or about a domain with no fs-handling layer (scopes, TCP): the ruleset
 * handles it; 2 in 3 times a rule grants it on a path (a port); up to two more rules within the
 * handled rights; restrict_self (with the flags a single one draws: LOG_*, TSYNC where the design
 * has them); then one to three requests — one needing the right (3 in 4 of
 * those where the rule grants it), one needing a right the ruleset does not handle, any probe,
 * or, with scopes or no fs-handling layer, signal / connect / ptrace towards the newest task or
 * any, mount, a move across directories, a write. Where the scenario has room: a quarter of the
 * time no_new_privs first (half of those with CAP_SYS_ADMIN dropped), as a program that sandboxes
 * itself without privilege does; a third of the time a fork after restrict_self (a process inside
 * the new domain); a third of the time a chdir, before the ruleset or after restrict_self, from
 * which the fs probes are then worded (generators/cwd.ts). `room` ≥ 3 ops: the ruleset,
 * restrict_self and a probe.
 */
export function sandbox(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  const task = gen.sandboxTask(rng, pop);
  const ll = gen.landlock;
  let spare = room - 3;
  const focus = chance(rng, 1, 6) ? 0 : pick(rng, ll.focusRights);
  const body = ll.focusedRuleset(rng, focus);
  const grants = focus !== 0 && chance(rng, 2, 3) && spare > 0;
  if (grants) spare--;
  const rules = Math.min(rng.nextInt(0, 2), spare);
  spare -= rules;
  const probes = Math.min(rng.nextInt(1, 3), spare + 1);
  spare -= probes - 1;
  // as a program that sandboxes itself unprivileged: no_new_privs, capabilities dropped
  const nnp = chance(rng, 1, 4) && gen.has('set_nnp') && spare >= 1;
  const drop = nnp && chance(rng, 1, 2) && gen.has('drop_cap') && spare >= 2;
  if (nnp) spare -= drop ? 2 : 1;
  const fork = chance(rng, 1, 3) && pop.size < gen.maxTasks && spare >= 1 && gen.has('fork');
  if (fork) spare--;
  // a working directory (model/task/cwd.ts), taken before the sandbox or inside it, a third
  // of the time; the fs probes are then worded from it
  const cwd = chance(rng, 1, 3) && spare >= 1 && accepts(gen.ctx.variant, 'chdir') ? (chance(rng, 1, 2) ? 'before' : 'after') : null;
  const dirs = ['/', ...ll.dirs];
  if (cwd === 'before') out.push(chdirOp(rng, pop, task, dirs, ll.files));
  if (nnp) out.push(gen.plainOp('set_nnp', task));
  if (drop) out.push(gen.plainOp('drop_cap', task));
  const rs = newRuleset(gen, rng, out, pop, task, body);
  const granting = grants ? ll.ruleGranting(rng, focus, rs) : null;
  if (granting !== null) out.push({ op: 'ruleset_add_rule', task, ruleset: rs.index, rule: granting });
  for (let i = 0; i < rules; i++) out.push({ op: 'ruleset_add_rule', task, ruleset: rs.index, rule: ll.ruleWithin(rng, rs.fs, rs.net) });
  out.push(gen.restrictSelf(rng, task, rs.index, gen.restrictFlags(rng), pop));
  if (fork) {
    out.push(gen.forkOp(task));
    pop.fork(task);
  }
  if (cwd === 'after') out.push(chdirOp(rng, pop, task, dirs, ll.files));
  // on a tree with mounts, one is unmounted a sixth of the time before the probes, by the
  // sandboxed task (hook_sb_umount) or another (model/landlock/umount.ts): the one the task's
  // working directory lies in when it does (EBUSY), a path of no entry 1 in 8 (ENOENT)
  if (ll.mountPoints.length > 0 && accepts(gen.ctx.variant, 'umount') && chance(rng, 1, 6)) {
    let here = ll.mountPoints.find((m) => beneath(m, pop.cwd(task)) !== null);
    if (here === undefined && chance(rng, 1, 4)) {
      // the task moves into one first (chdir meets no Landlock hook); another task unmounts it
      here = pick(rng, ll.mountPoints);
      out.push({ op: 'chdir', task, path: here });
      pop.chdir(task, here);
    }
    const path = here !== undefined ? here : chance(rng, 1, 8) ? ll.missingPath : pick(rng, ll.mountPoints);
    out.push({ op: 'umount', task: chance(rng, 1, 2) ? task : rng.nextInt(0, pop.size - 1), path });
  }
  const from = out.length;
  for (let i = 0; i < probes; i++) {
    if ((rs.scoped !== 0 || focus === 0) && chance(rng, 1, 2)) {
      // the newest task half the time (a process made inside the sandbox, perhaps), but a procfs
      // open another task than itself: what it checks depends on where the target is
      // (model/landlock/procfs.ts), and its own files are its own
      const kind = pick(rng, SCOPED_REQUESTS);
      const target = kind === 'proc' ? otherTask(rng, pop, task) : chance(rng, 1, 2) ? -1 : rng.nextInt(0, pop.size - 1);
      out.push({ op: 'probe', task, request: taskRequest(rng, kind, target) });
    } else if (focus === 0) {
      out.push({ op: 'probe', task, request: ll.unhandledRequest(rng) });
    } else {
      const r = rng.nextInt(0, 3);
      if (r < 2) out.push({ op: 'probe', task, request: ll.requestNeeding(rng, focus, granting) });
      else if (r === 2) out.push({ op: 'probe', task, request: ll.requestNeeding(rng, ll.unhandledRight(rng, rs), null) });
      else out.push(gen.probe(rng, task, pop));
    }
  }
  if (cwd === null) return;
  for (let i = from; i < out.length; i++) {
    const op = out[i]!;
    if (op.op === 'probe') out[i] = { ...op, request: fromCwd(rng, pop, task, op.request) };
  }
}

/** A ruleset and LANDLOCK_MAX_NUM_LAYERS + 1 restrict_self on it (`room` ≥ that + 1): every
 * depth of a new domain, then E2BIG. Only where the scenario has room for all of it — a deep
 * stack costs every later step its depth, so it comes whole or not at all. */
export function layers(gen: OpGenerator, rng: Rng, out: Op[], pop: Population): void {
  const task = rng.nextInt(0, pop.size - 1);
  const rs = newRuleset(gen, rng, out, pop, task);
  for (let i = 0; i <= LANDLOCK_MAX_NUM_LAYERS; i++) out.push(gen.restrictSelf(rng, task, rs.index, 0, pop));
}

/** `room` ≥ 3 filters; up to five. */
export function bigFilters(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  const task = rng.nextInt(0, pop.size - 1);
  const n = Math.min(room, rng.nextInt(4, 5));
  for (let i = 0; i < n; i++) {
    const p = paddedProgram(gen.programs.oneRule(0, pick(rng, BIG_ACTIONS)), pick(rng, BIG_SIZES));
    out.push(gen.seccompFilter(rng, task, p, gen.seccompFlags.draw(rng), pop));
  }
}

/** A task to act as, 3 in 4 times a new child of one (its probes may kill it) where `spare` ≥ 1. */
function childOrAny(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, spare: number): number {
  const task = rng.nextInt(0, pop.size - 1);
  if (pop.size >= gen.maxTasks || chance(rng, 1, 4) || spare < 1 || !gen.has('fork')) return task;
  out.push(gen.forkOp(task));
  pop.fork(task);
  return pop.size - 1;
}

/**
 * `room` ≥ 2 ops: a child puts a session keyring onto its parent (model/task/keyctl.ts) — one it
 * joins first (2 in 3), or the one it was forked with after the parent joined its own. The child
 * is new 3 in 4 times where there is room; else any task whose real parent is a scenario task
 * (with none, the task only joins).
 */
export function keyring(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  let task: number;
  if (chance(rng, 1, 3) && room >= 3 && pop.size < gen.maxTasks && gen.has('fork')) {
    const parent = rng.nextInt(0, pop.size - 1);
    out.push({ op: 'keyctl', task: parent, call: 'join_session' });
    out.push(gen.forkOp(parent));
    pop.fork(parent);
    task = pop.size - 1;
  } else {
    task = childOrAny(gen, rng, out, pop, room - 2);
    if (!pop.modelledParent(task)) {
      const p = pop.withModelledParent([]);
      if (p.length > 0) task = pick(rng, p);
    }
    out.push({ op: 'keyctl', task, call: 'join_session' });
  }
  if (pop.modelledParent(task)) out.push({ op: 'keyctl', task, call: 'session_to_parent' });
}

/**
 * `room` ≥ 4 ops: unix sockets made by one task and used through another (model/task/socket.ts):
 * 1 in 3 times an abstract listener (unixListener below), else a socket pair and SIGURG, the
 * F_SETOWN cases Landlock's signal scope turns on. A task makes a pair; a child forked from it (1 in 2, where
 * there is room) holds both ends too. The owner is a process (3 in 6), a process group (2 in 6)
 * or a thread (1 in 6). One of them names the owner (1 in 8 times any task, which may hold no
 * socket: EBADF) — its own process 1 in 3 times, else any task; a group mostly by the child,
 * the head of its group — before or after (1 in 2) it puts on a layer scoping signals (2 in 3,
 * where there is room), perhaps after a setpgid; then one to three sends, 2 in 3 by the setter,
 * else by a task holding an end, each observed at a task named by `to` (always for a group,
 * else 1 in 3 times: the parent, the setter, the target or any task).
 */
export function sockets(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  if (accepts(gen.ctx.variant, 'unix_listen') && chance(rng, 1, 3)) {
    unixListener(gen, rng, out, pop, room);
    return;
  }
  const maker = rng.nextInt(0, pop.size - 1);
  out.push({ op: 'socketpair', task: maker });
  pop.install(maker, false, null, 'pair');
  pop.install(maker, false, null, 'pair');
  let spare = room - 3;
  const holders = [maker];
  if (spare >= 1 && chance(rng, 1, 2) && pop.size < gen.maxTasks && gen.has('fork')) {
    out.push(gen.forkOp(maker));
    pop.fork(maker);
    holders.push(pop.size - 1);
    spare--;
  }
  const owner = pick(rng, FOWN_DRAWS);
  // a process group: 3 in 4 times named by the child just forked, which heads its group's task
  // list (the case control_current_fowner once got wrong), else as the other owners
  const head = owner === 'group' && holders.length > 1 && chance(rng, 3, 4);
  const setter = head ? holders[1]! : chance(rng, 1, 8) ? rng.nextInt(0, pop.size - 1) : pick(rng, holders);
  const target = chance(rng, 1, head ? 2 : 3) ? setter : rng.nextInt(0, pop.size - 1);
  // else a process group of another shape first, half the time for a group owner and 1 in 3
  // otherwise (where there is room): the setter alone in a new group, or a task moved into the
  // target's group or a new one of its own (any errno may come)
  if (!head && spare >= 2 && accepts(gen.ctx.variant, 'setpgid') && (owner === 'group' ? chance(rng, 1, 2) : chance(rng, 1, 3))) {
    spare -= setpgidOps(gen, rng, out, pop, setter, target, spare);
  }
  const scope = spare >= 2 && chance(rng, 2, 3) && gen.has('ruleset_create') && gen.has('restrict_self');
  const before = scope && chance(rng, 1, 2);
  if (scope) spare -= 2;
  if (before) scopeOnly(gen, rng, out, pop, setter);
  out.push(owner === 'process' ? { op: 'fown_set', task: setter, fd: rng.nextInt(0, 1), target } : { op: 'fown_set', task: setter, fd: rng.nextInt(0, 1), target, owner });
  if (owner === 'group') pop.groupOwner = true;
  if (scope && !before) scopeOnly(gen, rng, out, pop, setter);
  const sends = Math.min(rng.nextInt(1, 3), spare + 1);
  for (let i = 0; i < sends; i++) {
    const task = chance(rng, 2, 3) ? setter : pick(rng, holders);
    // the delivery observed at one task: needed for a group owner (a socket of an earlier pair
    // may have one: fd references cross pairs), 1 in 3 times otherwise; half the time the setter
    // or the target (in the group, or the owner), else any task
    const to = pop.groupOwner || chance(rng, 1, 3) ? (head && chance(rng, 1, 2) ? maker : chance(rng, 1, 2) ? pick(rng, [setter, target]) : rng.nextInt(0, pop.size - 1)) : undefined;
    out.push({ op: 'probe', task, request: to === undefined ? { kind: 'sigurg', fd: rng.nextInt(0, 1) } : { kind: 'sigurg', fd: rng.nextInt(0, 1), to } });
  }
}

/** fown_set's owner: the process 3 in 6 times, a process group 2 in 6, a thread 1 in 6. */
const FOWN_DRAWS: readonly FownType[] = ['process', 'process', 'process', 'group', 'group', 'thread'];

/** setpgid shaping the group an F_SETOWN names, by `setter`: itself into a new group (1 in
 * 5), `target` into the setter's group or the setter into the target's (1 in 5); or one of the
 * kernel's refusals (1 in 5 each, where the population and the room allow, else any task's call
 * naming any task): a thread that is no leader (EINVAL), any process (ESRCH unless its own or
 * its child's), a child forked and exec'd first (EACCES). */
function setpgidOps(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, setter: number, target: number, spare: number): number {
  const k = rng.nextInt(0, 4);
  if (k === 0) out.push({ op: 'setpgid', task: setter });
  else if (k === 1) out.push(chance(rng, 1, 2) ? { op: 'setpgid', task: setter, pid: target, pgid: setter } : { op: 'setpgid', task: setter, pgid: target });
  else if (k === 2 && pop.nonLeader(rng) >= 0) out.push({ op: 'setpgid', task: rng.nextInt(0, pop.size - 1), pid: pop.nonLeader(rng) });
  else if (k === 4 && spare >= 3 && pop.size < gen.maxTasks && gen.has('fork') && gen.has('exec')) {
    out.push(gen.forkOp(setter));
    pop.fork(setter);
    const child = pop.size - 1;
    out.push(gen.plainOp('exec', child));
    pop.exec(child);
    out.push({ op: 'setpgid', task: setter, pid: child });
    return 3;
  } else {
    const pgid = chance(rng, 1, 2) ? rng.nextInt(0, pop.size - 1) : undefined;
    out.push({ op: 'setpgid', task: rng.nextInt(0, pop.size - 1), pid: rng.nextInt(0, pop.size - 1), ...(pgid !== undefined ? { pgid } : {}) });
  }
  return 1;
}

/** A layer that scopes `scope` (signals by default) and handles nothing else, on `task`. */
function scopeOnly(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, task: number, scope: number = SCOPE.SIGNAL): void {
  const rs = newRuleset(gen, rng, out, pop, task, { fs: 0, net: 0, scoped: scope });
  out.push({ op: 'restrict_self', task, ruleset: rs.index, flags: 0 });
}

/**
 * `room` ≥ 4 ops: an abstract listener kept from unix_listen. A task makes it before or after
 * (1 in 2) it puts on a layer scoping abstract sockets (2 in 3, where there is room); a child is
 * forked from it or it sends the listener to another task (1 in 3 each, where there is room);
 * then one to three connects to it through a task that holds it, from the maker half the time
 * (within its own scope, or not: the creator decides), else from any task.
 */
function unixListener(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  const maker = rng.nextInt(0, pop.size - 1);
  let spare = room - 2;
  const scope = spare >= 2 && chance(rng, 2, 3) && gen.has('ruleset_create') && gen.has('restrict_self');
  const before = scope && chance(rng, 1, 2);
  if (scope) spare -= 2;
  if (before) scopeOnly(gen, rng, out, pop, maker, SCOPE.ABSTRACT_UNIX_SOCKET);
  out.push({ op: 'unix_listen', task: maker });
  const at = pop.install(maker, false, null, 'listener');
  if (scope && !before) scopeOnly(gen, rng, out, pop, maker, SCOPE.ABSTRACT_UNIX_SOCKET);
  // who holds it, and its index among each one's listeners
  const holders: [number, number][] = [[maker, pop.listenerIndex(maker, at)]];
  const pass = spare >= 1 ? rng.nextInt(0, 2) : 2;
  if (pass === 0 && pop.size < gen.maxTasks && gen.has('fork')) {
    out.push(gen.forkOp(maker));
    pop.fork(maker);
    holders.push([pop.size - 1, holders[0]![1]]);
    spare--;
  } else if (pass === 1 && pop.size > 1 && gen.has('send_fd')) {
    const to = rng.nextInt(0, pop.size - 1);
    out.push({ op: 'send_fd', task: maker, fd: at, to });
    pop.send(maker, at, to);
    holders.push([to, pop.listenerIndex(to, pop.lastInstalled)]);
    spare--;
  }
  const connects = Math.min(rng.nextInt(1, 3), spare + 1);
  for (let i = 0; i < connects; i++) {
    const [target, listener] = pick(rng, holders);
    out.push({ op: 'probe', task: chance(rng, 1, 2) ? maker : rng.nextInt(0, pop.size - 1), request: { kind: 'abstract_unix', target, listener } });
  }
}

/** `room` ≥ 6 ops. */
export function listener(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  const task = childOrAny(gen, rng, out, pop, room - 6);
  const s = rng.nextInt(0, gen.syscalls.length - 1);
  const request = gen.syscalls[s]!;
  out.push(gen.seccompFilter(rng, task, gen.programs.oneRule(s, SECCOMP_RET_USER_NOTIF), F.NEW_LISTENER, pop));
  const fd = pop.lastInstalled;
  out.push({ op: 'probe', task, request });
  // now and then the listener is given where a ruleset is expected: EBADFD (delegation.md M3)
  if (room >= 7 && chance(rng, 1, 4) && gen.has('ruleset_add_rule')) {
    out.push(chance(rng, 1, 2)
      ? { op: 'ruleset_add_rule', task, ruleset: fd, anyFd: true, rule: gen.landlock.rule(rng) }
      : { op: 'restrict_self', task, ruleset: fd, anyFd: true, flags: 0 });
  }
  if (chance(rng, 1, 3) && gen.has('exec')) {
    out.push(gen.execOp(task));
    pop.exec(task);
  } else {
    out.push({ op: 'close_fd', task, fd });
    pop.close(task, fd);
  }
  out.push({ op: 'probe', task, request });
  out.push(gen.seccompFilter(rng, task, gen.programs.oneRule(s, SECCOMP_RET_USER_NOTIF), F.NEW_LISTENER, pop));
  out.push({ op: 'probe', task, request });
}

/** `room` ≥ 4 ops. */
export function handoff(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  const parent = rng.nextInt(0, pop.size - 1);
  if (pop.size >= gen.maxTasks || !gen.has('fork')) return;
  out.push(gen.forkOp(parent));
  pop.fork(parent);
  const child = pop.size - 1;
  out.push(gen.exportedFilter(rng, child, gen.programs.draw(rng, gen.maxRules), pop));
  const handle = pop.lastInstalled;
  out.push({ op: 'send_fd', task: child, fd: handle, to: parent });
  pop.send(child, handle, parent);
  const received = pop.lastInstalled;
  if (room >= 5 && chance(rng, 1, 2) && gen.has('exit')) {
    out.push(gen.exitOp(child));
    pop.exit(child);
  }
  out.push(gen.modifyThrough(rng, parent, received));
}

/**
 * `room` ≥ 3 ops: two filters and the probe. Where the design has TSYNC and there is room, 1 in
 * 4 times the task makes a thread after its first filter, synchronises the later ones to it
 * (TSYNC; a listener's filter then none) and the thread probes: the pair of actions across a
 * sibling's stack.
 */
export function precedence(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  const n = Math.min(rng.nextInt(2, 3), room - 1);
  const task = childOrAny(gen, rng, out, pop, room - 1 - n);
  const threaded = gen.tsync && room - 1 - n >= 1 && pop.size < gen.maxTasks && gen.has('thread') && chance(rng, 1, 4);
  let prober = task;
  const s = rng.nextInt(0, gen.syscalls.length - 1);
  for (let i = 0; i < n; i++) {
    const action = pick(rng, pick(rng, ACTION_RETURNS));
    // a USER_NOTIF filter takes a listener half the time, so that a notification can reach one
    const listen = gen.listener && action === SECCOMP_RET_USER_NOTIF && chance(rng, 1, 2);
    out.push(gen.seccompFilter(rng, task, gen.programs.oneRule(s, action), listen ? F.NEW_LISTENER : threaded && i > 0 ? F.TSYNC : 0, pop));
    if (threaded && i === 0) {
      out.push(gen.plainOp('thread', task));
      pop.thread(task);
      prober = pop.size - 1;
    }
  }
  out.push({ op: 'probe', task: prober, request: gen.syscalls[s]! });
}

/** The SIGSYS actions drawn: ignoring or blocking the signal twice as often as restoring it. */
const SIGSYS_DRAWS: readonly SigsysOpAction[] = [...SIGSYS_ACTIONS, 'ignore', 'block'];

/**
 * `room` ≥ 4 ops: a RET_TRAP filter on a universe syscall, a change of SIGSYS's action or mask
 * (model/task/sigsys.ts), perhaps a fork, a thread or an exec — which carry the action and the
 * mask their own way — and the probe: a trap, or the process's death by SIGSYS.
 */
export function sigsysTrap(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  const task = rng.nextInt(0, pop.size - 1);
  const s = rng.nextInt(0, gen.syscalls.length - 1);
  out.push(gen.seccompFilter(rng, task, gen.programs.oneRule(s, retTrap(rng.nextInt(0, 3))), 0, pop));
  out.push({ op: 'sigsys', task, action: pick(rng, SIGSYS_DRAWS) });
  let prober = task;
  const r = rng.nextInt(0, 5);
  if (room >= 5 && r === 0 && pop.size < gen.maxTasks && gen.has('fork')) {
    out.push(gen.forkOp(task));
    pop.fork(task);
    prober = pop.size - 1;
  } else if (room >= 5 && r === 1 && pop.size < gen.maxTasks && gen.has('thread')) {
    out.push(gen.plainOp('thread', task));
    pop.thread(task);
    prober = pop.size - 1;
  } else if (room >= 5 && r === 2 && gen.has('exec')) {
    out.push(gen.execOp(task));
    pop.exec(task);
  }
  out.push({ op: 'probe', task: prober, request: gen.syscalls[s]! });
}
