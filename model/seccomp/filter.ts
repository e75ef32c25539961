// seccomp(SECCOMP_SET_MODE_FILTER, flags, prog) in the kernel's check order
// (kernel/seccomp.c:seccomp_set_mode_filter → seccomp_prepare_filter → has_duplicate_listener
// → seccomp_attach_filter → seccomp_assign_mode).
import type { Op } from '../ops.js';
import { SECCOMP_FILTER_FLAG as F } from '../ops.js';
import type { World, Task } from '../state.js';
import { worldWith, taskWith } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail } from '../result.js';
import { ERRNO } from '../errno.js';
import { BPF_MAXINSNS, MAX_INSNS_PER_PATH, SECCOMP_PATH_OVERHEAD } from '../limits.js';
import { installFd } from '../task/fds.js';
import { checkSeccompProgram } from '../bpf/check.js';
import type { FilterNode } from './stack.js';
import { makeFilterNode, pathLenOver } from './stack.js';
import { listenerOpen } from './eval.js';
import { tsyncBlocker, syncThreads } from './tsync.js';
import { strictKill } from './strict.js';
import { replaceFilterLayer } from './rewrite.js';

/** SECCOMP_FILTER_FLAG_MASK on 6.18: bits 0–5. */
export const SECCOMP_FILTER_FLAG_MASK =
  F.TSYNC | F.LOG | F.SPEC_ALLOW | F.NEW_LISTENER | F.TSYNC_ESRCH | F.WAIT_KILLABLE_RECV;

type FilterOp = Extract<Op, { op: 'seccomp_filter' }>;

/**
 * kernel/seccomp.c:has_duplicate_listener: a filter of the chain whose `notif` is set. Releasing
 * the listener file (its last descriptor closed, here: no live task's table holds it) frees it:
 * seccomp_notify_release → seccomp_notify_detach sets filter->notif = NULL, after which the chain
 * may take a new listener (found by strata conform).
 */
export function hasDuplicateListener(world: World, node: FilterNode | null): boolean {
  for (let c = node; c; c = c.prev) if (c.listener !== null && listenerOpen(world, c.listener)) return true;
  return false;
}

/** The caller after seccomp_attach_filter + seccomp_assign_mode: the new node on top, one more
 * filter, mode 2. */
function withFilter(task: Task, node: FilterNode): Task {
  return taskWith(task, { seccompMode: 2, filter: node, filterCount: task.filterCount + 1 });
}

export function setModeFilter(world: World, task: Task, op: FilterOp): StepOut {
  // Strict mode: the seccomp() call itself is outside mode1_syscalls → do_exit(SIGKILL).
  if (task.seccompMode === 1) return strictKill(world, task);

  // Validate flags.
  const flags = op.flags;
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xffffffff) return fail(world, task.tid, err(ERRNO.EINVAL));
  if (flags & ~SECCOMP_FILTER_FLAG_MASK) return fail(world, task.tid, err(ERRNO.EINVAL));
  // TSYNC|NEW_LISTENER needs TSYNC_ESRCH so that a positive return can only be the fd.
  if ((flags & F.TSYNC) !== 0 && (flags & F.NEW_LISTENER) !== 0 && (flags & F.TSYNC_ESRCH) === 0) return fail(world, task.tid, err(ERRNO.EINVAL));
  if ((flags & F.WAIT_KILLABLE_RECV) !== 0 && (flags & F.NEW_LISTENER) === 0) return fail(world, task.tid, err(ERRNO.EINVAL));

  // seccomp_prepare_filter: length, then privilege, then the program (bpf_prog_create_from_user).
  const prog = op.program as unknown;
  if (!Array.isArray(prog) || prog.length === 0 || prog.length > BPF_MAXINSNS) return fail(world, task.tid, err(ERRNO.EINVAL));
  if (!task.nnp && !task.capSysAdmin) return fail(world, task.tid, err(ERRNO.EACCES));
  const chk = checkSeccompProgram(prog);
  if (!chk.ok) return fail(world, task.tid, err(chk.errno));

  // seccomp_may_assign_mode(FILTER) holds: mode is 0 or 2 here.
  const listen = (flags & F.NEW_LISTENER) !== 0;
  if (listen && hasDuplicateListener(world, task.filter)) return fail(world, task.tid, err(ERRNO.EBUSY));

  // Variant: v5-style in-place append to the caller's top layer (a new listener needs a new layer).
  const inPlace = world.semantics.seccompInPlaceAppend && task.filter !== null && !listen;

  // seccomp_attach_filter: path length (every program of every layer), then TSYNC.
  const total = inPlace
    ? task.filter!.pathLen + SECCOMP_PATH_OVERHEAD + chk.ebpfLen
    : pathLenOver(task.filter, chk.ebpfLen);
  if (total > MAX_INSNS_PER_PATH) return fail(world, task.tid, err(ERRNO.ENOMEM));
  if ((flags & F.TSYNC) !== 0) {
    const blocker = tsyncBlocker(world, task, world.semantics.seccompTsyncAncestorCheck);
    if (blocker) {
      if ((flags & F.TSYNC_ESRCH) !== 0) return fail(world, task.tid, err(ERRNO.ESRCH));
      return fail(world, task.tid, { kind: 'tsync_fail', tid: blocker.tid });
    }
  }

  let w: World;
  let caller: Task;
  if (inPlace) {
    const top = task.filter!;
    w = replaceFilterLayer(world, top.id, [...top.programs, chk.program]);
    // The layer keeps its flags (LOG is audit-only here).
    caller = w.tasks.byTid(task.tid)!;
  } else {
    const listener = listen ? world.nextListenerId : null;
    const node = makeFilterNode({
      id: world.nextLayerId,
      prev: task.filter,
      programs: [chk.program],
      insns: chk.ebpfLen,
      listener,
      log: (flags & F.LOG) !== 0,
      waitKillableRecv: (flags & F.WAIT_KILLABLE_RECV) !== 0,
      mutability: op.mutability ?? 'immutable',
    });
    caller = withFilter(task, node);
    // One world copy: the new layer id, the listener id if one was taken, the caller.
    w = worldWith(world, {
      tasks: world.tasks.replace(caller),
      nextLayerId: world.nextLayerId + 1,
      nextListenerId: listen ? world.nextListenerId + 1 : world.nextListenerId,
    });
  }
  if ((flags & F.TSYNC) !== 0) w = syncThreads(w, caller);

  // The return: 0, or the listener fd (O_CLOEXEC) installed in the group's table.
  let ret = 0;
  const top = caller.filter!;
  if (listen && top.listener !== null) {
    const r = installFd(w, caller, { kind: 'listener', id: top.listener }, true);
    w = r.world;
    ret = r.fd;
  }
  // Variant b2: an exported layer handle (O_CLOEXEC); the return stays the listener fd if any.
  if (op.export && world.semantics.modify === 'handle') {
    const holder = w.tasks.byTid(task.tid)!;
    const r = installFd(w, holder, { kind: 'layer_handle', layer: top.id }, true);
    w = r.world;
    if (!listen) ret = r.fd;
  }
  return { world: w, result: ok(ret), tid: task.tid };
}
