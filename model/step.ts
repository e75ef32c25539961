// The one transition function: step(world, op) → { world, result }. Pure: no I/O, clock or
// randomness. Thin handlers per op; one dispatch table at the end (cf. xstate's transition()).
import type { Op } from './ops.js';
import type { World, Task } from './state.js';
import type { StepOut } from './result.js';
import { invalid, fail } from './result.js';
import { forkTask, threadTask, execTask, exitTask, setNnp, dropCap, compromise } from './task/tree.js';
import { sendFd, closeFd } from './task/fds.js';
import { seccompFilter, seccompStrict } from './seccomp/syscalls.js';
import { rulesetCreate, rulesetSupervisee, rulesetAddRule, restrictSelf } from './landlock/syscalls.js';
import { modifyLayer } from './modify.js';
import { mapCreate, mapPut } from './maps/syscalls.js';
import { probe } from './probe.js';
import { observe } from './task/observe.js';
import { seccompOpGate } from './seccomp/op-gate.js';
import { ptraceAttach, ptraceTraceme, ptraceSetoptions, ptraceResponse, tracemeOutsideModel } from './ptrace/attach.js';
import { ptraceGetFilter } from './ptrace/get-filter.js';
import { prunePtrace, seccompSuspended } from './ptrace/state.js';
import {
  notifSupervise, notifRecv, notifSend, notifIdValid, notifAddfd, notifSetFlags, notifSizes, notifPoll, notifReturn,
  blockedStep, blockOnNotification, settleNotifications, unsupervisedNotif, pollOutsideModel,
} from './seccomp/notify.js';
import { seccompActionAvail } from './seccomp/action-avail.js';
import { fdCall, fdCallOutsideModel } from './task/fd-call.js';
import { keyctl, keyctlOutsideModel } from './task/keyctl.js';
import { socketpair, fownSet, unixListen } from './task/socket.js';
import { sigurgOutsideModel } from './landlock/fown.js';
import { chdir, walkOutsideModel } from './task/cwd.js';
import { umount } from './landlock/umount.js';
import { sigsys } from './task/sigsys.js';
import { setpgid, setpgidOutsideModel } from './task/pgrp.js';
import { resolveTask } from './task-ref.js';
import { detachedRootReason } from './landlock/detached-root.js';
import type { ReparentRequest } from './request.js';

/** Resolve a task reference: an index into the live tasks, modulo their number. */
export { resolveTask };

type Handler<K extends Op['op']> = (world: World, task: Task, op: Extract<Op, { op: K }>) => StepOut;
type Table = { readonly [K in Op['op']]: Handler<K> };

const HANDLERS: Table = {
  fork: (w, t) => forkTask(w, t),
  thread: (w, t) => threadTask(w, t),
  exec: (w, t) => execTask(w, t),
  exit: (w, t) => exitTask(w, t),
  set_nnp: (w, t) => setNnp(w, t),
  drop_cap: (w, t) => dropCap(w, t),
  compromise: (w, t) => compromise(w, t),
  seccomp_strict: (w, t) => seccompStrict(w, t),
  seccomp_filter: (w, t, op) => seccompFilter(w, t, op),
  ruleset_create: (w, t, op) => rulesetCreate(w, t, op),
  ruleset_supervisee: (w, t, op) => rulesetSupervisee(w, t, op),
  ruleset_add_rule: (w, t, op) => rulesetAddRule(w, t, op),
  restrict_self: (w, t, op) => restrictSelf(w, t, op),
  send_fd: (w, t, op) => {
    const to = resolveTask(w, op.to);
    return to ? sendFd(w, t, op.fd, to) : fail(w, t.tid, invalid('send_fd: no live target task'));
  },
  close_fd: (w, t, op) => closeFd(w, t, op.fd),
  modify: (w, t, op) => modifyLayer(w, t, op),
  map_create: (w, t) => mapCreate(w, t),
  map_put: (w, t, op) => mapPut(w, t, op),
  probe: (w, t, op) => probe(w, t, op.request),
  observe: (w, t) => observe(w, t),
  ptrace_attach: (w, t, op) => ptraceAttach(w, t, op),
  ptrace_traceme: (w, t) => ptraceTraceme(w, t),
  ptrace_setoptions: (w, t, op) => ptraceSetoptions(w, t, op),
  ptrace_response: (w, t, op) => ptraceResponse(w, t, op.response),
  ptrace_get_filter: (w, t, op) => ptraceGetFilter(w, t, op),
  notif_supervise: (w, t) => notifSupervise(w, t),
  notif_recv: (w, t, op) => notifRecv(w, t, op),
  notif_send: (w, t, op) => notifSend(w, t, op),
  notif_id_valid: (w, t, op) => notifIdValid(w, t, op),
  notif_addfd: (w, t, op) => notifAddfd(w, t, op),
  notif_set_flags: (w, t, op) => notifSetFlags(w, t, op),
  notif_sizes: (w, t) => notifSizes(w, t),
  notif_poll: (w, t, op) => notifPoll(w, t, op),
  notif_return: (w, t) => notifReturn(w, t),
  seccomp_action_avail: (w, t, op) => seccompActionAvail(w, t, op),
  fd_call: (w, t, op) => fdCall(w, t, op),
  keyctl: (w, t, op) => keyctl(w, t, op),
  socketpair: (w, t) => socketpair(w, t),
  unix_listen: (w, t) => unixListen(w, t),
  chdir: (w, t, op) => chdir(w, t, op),
  umount: (w, t, op) => umount(w, t, op),
  sigsys: (w, t, op) => sigsys(w, t, op),
  fown_set: (w, t, op) => {
    const target = resolveTask(w, op.target);
    return target ? fownSet(w, t, op, target) : fail(w, t.tid, invalid('fown_set: no live target task'));
  },
  setpgid: (w, t, op) => {
    const target = op.pid === undefined ? w.tasks.byTid(t.tgid) : resolveTask(w, op.pid);
    const group = op.pgid === undefined ? undefined : resolveTask(w, op.pgid);
    if (!target || (op.pgid !== undefined && !group)) return fail(w, t.tid, invalid('setpgid: no live task'));
    return setpgid(w, t, target, group);
  },
};

/**
 * Apply one operation. Never throws on bad input: an unknown op, a malformed op or a
 * reference to no live task yields { kind: 'invalid' } and the unchanged world.
 */
export function step(world: World, op: Op): StepOut {
  const handler = (HANDLERS as Record<string, Handler<Op['op']> | undefined>)[(op as { op?: unknown })?.op as string];
  if (!handler) return fail(world, 0, invalid(`unknown operation ${JSON.stringify((op as { op?: unknown })?.op)}`));
  const pin = (op as { tid?: unknown }).tid;
  if (pin !== undefined) {
    const pinned = typeof pin === 'number' ? world.tasks.byTid(pin) : undefined;
    if (!pinned) return fail(world, 0, invalid(`${op.op}: task ${JSON.stringify(pin)} is not alive`));
    return dispatch(world, pinned, op, handler);
  }
  const task = resolveTask(world, (op as { task?: unknown }).task as number);
  if (!task) {
    const why = world.tasks.length === 0 ? 'no live task' : `task reference ${JSON.stringify((op as { task?: unknown }).task)} is not an integer`;
    return fail(world, 0, invalid(`${op.op}: ${why}`));
  }
  return dispatch(world, task, op, handler);
}

function dispatch(world: World, task: Task, op: Op, handler: Handler<Op['op']>): StepOut {
  const apart = delegationApart(world, op);
  if (apart) return { world, result: invalid(apart), tid: task.tid };
  // a call the model cannot decide is not made at all, as on the executor: towards a real parent
  // the model does not know, a SIGURG whose delivery it cannot follow, a socket's data
  const outsideModel = op.op === 'ptrace_traceme' ? tracemeOutsideModel(world, task) : op.op === 'keyctl' ? keyctlOutsideModel(world, task, op)
    : op.op === 'probe' && op.request.kind === 'sigurg' ? sigurgOutsideModel(world, task, op.request)
    : op.op === 'probe' && op.request.kind === 'abstract_unix' && op.request.listener !== undefined && op.request.type === 'dgram' ? fail(world, task.tid, invalid('abstract_unix: a listener made by unix_listen takes stream connects only'))
    : op.op === 'setpgid' ? setpgidOutsideModel(world, task, op)
    : op.op === 'fd_call' ? fdCallOutsideModel(world, task, op) : op.op === 'notif_poll' ? pollOutsideModel(world, task, op)
    : op.op === 'chdir' || (op.op === 'probe' && op.request.kind === 'fs') ? walkOutsideModel(world, task, op)
    : op.op === 'probe' && (op.request.kind === 'rename' || op.request.kind === 'link' || op.request.kind === 'exchange') ? detachedRootOutsideModel(world, task, op.request) : null;
  if (outsideModel) return outsideModel;
  if (world.notifs !== null) return supervisedDispatch(world, task, op, handler);
  // The op's own syscall meets the task's seccomp state first (strict mode kills on anything
  // but read/write/exit/rt_sigreturn; filters decide by their verdict), unless its tracer
  // suspended it (__secure_computing returns at once under PT_SUSPEND_SECCOMP, P4). Probes
  // decide for themselves.
  // out of the model's scope before any filter sees the call, as on the executor
  const outside = unsupervisedNotif(world, task, op);
  if (outside) return outside;
  const traced = world.ptrace.links.length !== 0 || world.ptrace.responses.length !== 0;
  const stopped = traced && seccompSuspended(world, task) ? null : seccompOpGate(world, task, op);
  if (stopped) return traced ? withPrunedPtrace(stopped, op, task) : stopped;
  const out = handler(world, task, op as never);
  return traced ? withPrunedPtrace(out, op, task) : out;
}

/** Tracer links end with either task (kernel/exit.c:exit_ptrace); an exec renames its thread. */
function withPrunedPtrace(out: StepOut, op: Op, task: Task): StepOut {
  const exec = op.op === 'exec' && out.result.kind === 'ok' ? { from: task.tid, to: task.tgid } : undefined;
  const world = prunePtrace(out.world, exec);
  return world === out.world ? out : { world, result: out.result, tid: out.tid };
}

/**
 * A scenario has its own supervisor (notif_supervise) or tracers (ptrace_*), not both: how a
 * thread blocked in seccomp_do_user_notification meets ptrace stops (PTRACE_INTERRUPT ends the
 * wait and restarts the call with a new notification id) is not modelled, and the executor's
 * serving tracer and supervised coordinator do not run together. Such a step is out of scope.
 */
function delegationApart(world: World, op: Op): string | null {
  if (world.notifs !== null && op.op.startsWith('ptrace_')) return `${op.op}: ptrace in a scenario with its own notification supervisor is not modelled`;
  if (op.op === 'notif_supervise' && (world.ptrace.links.length !== 0 || world.ptrace.responses.length !== 0)) return 'notif_supervise: a notification supervisor in a scenario with tracers is not modelled';
  return null;
}

/**
 * A step of a scenario whose notifications wait for its own supervisor (seccomp/notify.ts): a
 * blocked thread runs nothing but notif_return; a notified call blocks its thread; afterwards
 * dead threads' notifications go and a released listener answers its pending ones ENOSYS.
 */
function supervisedDispatch(world: World, task: Task, op: Op, handler: Handler<Op['op']>): StepOut {
  const blocked = blockedStep(world, task, op);
  if (blocked) return blocked;
  // a protocol call out of the model's scope (a RECV that would sleep, an id the supervisor
  // cannot know, SETFD) is refused by the executor before the task makes it: its `invalid`
  // comes before any filter sees the call (found by strata conform)
  // (the handler is pure: its step, when the gate lets the call through, is the step)
  const early = op.op.startsWith('notif_') ? handler(world, task, op as never) : null;
  if (early && early.result.kind === 'invalid') return early;
  const stopped = seccompOpGate(world, task, op);
  const out = blockOnNotification(world, stopped ?? early ?? handler(world, task, op as never), op);
  if (out.world === world) return out;
  const settled = settleNotifications(out.world, op.op === 'exec' && out.result.kind === 'ok' ? task.tgid : 0);
  return settled === out.world ? out : { world: settled, result: out.result, tid: out.tid };
}

/** Run a list of ops from a world, returning every intermediate result. */
export function run(world: World, ops: readonly Op[]): { world: World; steps: StepOut[] } {
  const steps: StepOut[] = [];
  let w = world;
  for (const op of ops) {
    const out = step(w, op);
    steps.push(out);
    w = out.world;
  }
  return { world: w, steps };
}

/** A rename, link or exchange of a detached mount's root: `invalid` (model/landlock/detached-root.ts). */
function detachedRootOutsideModel(world: World, task: Task, req: ReparentRequest): StepOut | null {
  const why = world.fs.mounts === undefined ? null : detachedRootReason(world.fs, req);
  return why ? fail(world, task.tid, invalid(`probe: ${why}`)) : null;
}
