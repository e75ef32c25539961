// The `notify` segment: the seccomp user-notification supervisor protocol (model/seccomp/notify.ts;
// delegation.md §1–§5). One task gets a USER_NOTIF rule on a universe syscall with a listener —
// sometimes over an older layer that delegated the same call elsewhere (TRACE with no tracer, a
// USER_NOTIF layer whose listener is closed or never existed) or denies it (ERRNO): the
// precedence and self-escape corners of §5 (U36–U39). A supervisor holding the listener — a
// thread of the task (self-approval, U32) or the task itself supervising a forked child (U30,
// U31) — then runs a few protocol calls around the notified probe: poll, ID_VALID, RECV, SEND
// with a value, an error, CONTINUE or a malformed response, ADDFD (with SEND), SET_FLAGS,
// GET_NOTIF_SIZES, or closes the listener (ENOSYS, U22); the target then collects its return.
// The scenario's first `notif_supervise` turns the harness's automatic answer off.
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as F } from '../model/ops.js';
import { KNOWN_ACTIONS, SECCOMP_RET_USER_NOTIF, retErrno, retTrace } from '../model/seccomp/action.js';
import { ERRNO } from '../model/errno.js';
import type { OpGenerator } from './ops.js';
import type { Population } from './population.js';
import type { Rng } from './pick.js';
import { chance, pick } from './pick.js';

/** The fewest ops the segment needs (filter, supervise, helper, probe, recv, send, return). */
export const NOTIFY_MIN_ROOM = 7;

const SUPERVISE: Op = { op: 'notif_supervise', task: 0 };

/** Answers: [val, error, flags] — a value, errors (negative, and a positive one: U15), CONTINUE,
 * and the malformed responses SEND refuses (U14). */
const ANSWERS: readonly (readonly [number, number, number])[] = [
  [0, 0, 1], [0, 0, 1], [0, 0, 1], [4242, 0, 0], [0, 0, 0], [99, -ERRNO.EACCES, 0], [0, -ERRNO.EPERM, 0],
  [0, 5, 0], [1, 0, 1], [0, 0, 2],
];

/**
 * A filter whose only user goes: a thread installs it (its listener lands in the table it
 * shares with the task), is maybe notified and answered by the task, and exits — the filter then
 * has no users: poll says POLLHUP and RECV fails ENOENT at once (U13, U21, U27).
 */
function loneUser(gen: OpGenerator, rng: Rng, push: (op: Op) => void, pop: Population, task: number, s: number, left: number): void {
  push(gen.plainOp('thread', task));
  pop.thread(task);
  const t = pop.size - 1;
  push(gen.seccompFilter(rng, t, gen.programs.oneRule(s, SECCOMP_RET_USER_NOTIF), F.NEW_LISTENER, pop));
  const fd = pop.lastInstalled;
  if (left >= 11 && chance(rng, 1, 2)) {
    push({ op: 'probe', task: t, request: gen.syscalls[s]! });
    push({ op: 'notif_recv', task, fd });
    push({ op: 'notif_send', task, fd, target: t, val: 0, error: 0, flags: 1 });
    push({ op: 'notif_return', task: t });
  }
  push(gen.exitOp(t));
  pop.exit(t);
  push({ op: 'notif_poll', task: task < t ? task : 0, fd });
  push({ op: 'notif_recv', task: task < t ? task : 0, fd });
}

export function notifySegment(gen: OpGenerator, rng: Rng, out: Op[], pop: Population, room: number): void {
  const task = rng.nextInt(0, pop.size - 1);
  const s = rng.nextInt(0, gen.syscalls.length - 1);
  const request = gen.syscalls[s]!;
  let left = room;
  const push = (op: Op): void => {
    out.push(op);
    left--;
  };
  if (!out.some((o) => o.op === 'notif_supervise')) push(SUPERVISE);
  if (left >= 7 && pop.size < gen.maxTasks && gen.has('thread') && gen.has('exit') && chance(rng, 1, 5)) {
    loneUser(gen, rng, push, pop, task, s, left);
    return;
  }
  // an older layer on the same call: delegated elsewhere, or denied
  if (left >= NOTIFY_MIN_ROOM + 2 && chance(rng, 1, 2)) {
    switch (rng.nextInt(0, 3)) {
      case 0:
        push(gen.seccompFilter(rng, task, gen.programs.oneRule(s, retTrace(0)), 0, pop));
        break;
      case 1: {
        push(gen.seccompFilter(rng, task, gen.programs.oneRule(s, SECCOMP_RET_USER_NOTIF), F.NEW_LISTENER, pop));
        const fd = pop.lastInstalled;
        push({ op: 'close_fd', task, fd });
        pop.close(task, fd);
        break;
      }
      case 2:
        push(gen.seccompFilter(rng, task, gen.programs.oneRule(s, SECCOMP_RET_USER_NOTIF), 0, pop));
        break;
      default:
        push(gen.seccompFilter(rng, task, gen.programs.oneRule(s, retErrno(ERRNO.EACCES)), 0, pop));
    }
  }
  push(gen.seccompFilter(rng, task, gen.programs.oneRule(s, SECCOMP_RET_USER_NOTIF), F.NEW_LISTENER, pop));
  const fd = pop.lastInstalled;
  // now and then the listener where a ruleset is expected: EBADFD (delegation.md M3)
  if (left >= NOTIFY_MIN_ROOM && chance(rng, 1, 6)) {
    if (gen.has('restrict_self') && chance(rng, 1, 2)) push({ op: 'restrict_self', task, ruleset: fd, anyFd: true, flags: 0 });
    else if (gen.has('ruleset_add_rule')) push({ op: 'ruleset_add_rule', task, ruleset: fd, anyFd: true, rule: gen.landlock.rule(rng) });
  }
  // the supervisor: a thread of the task (it shares the table), or the task over a forked child
  let sup: number;
  let target: number;
  if (pop.size < gen.maxTasks && gen.has('thread') && chance(rng, 1, 2)) {
    push(gen.plainOp('thread', task));
    pop.thread(task);
    sup = pop.size - 1;
    target = task;
  } else if (pop.size < gen.maxTasks && gen.has('fork')) {
    push(gen.forkOp(task));
    pop.fork(task);
    sup = task;
    target = pop.size - 1;
  } else {
    sup = task;
    target = task; // the task blocks itself: only the release of its listener can free it
  }
  push({ op: 'probe', task: target, request });
  // RECV first, most of the time (SEND and ADDFD need the id it gives: U14)
  if (chance(rng, 3, 4)) push({ op: 'notif_recv', task: sup, fd });
  const steps = Math.max(1, Math.min(left - 1, rng.nextInt(1, 5)));
  // now and then a call through another task (1 in 8) or descriptor (1 in 5: EBADF, ENOTTY on
  // a ruleset's file — each call's misuse is a corner of its own)
  const who = (): number => (chance(rng, 1, 8) ? rng.nextInt(0, pop.size - 1) : sup);
  const at = (): number => (chance(rng, 1, 5) ? rng.nextInt(0, 3) : fd);
  for (let k = 0; k < steps && left > 1; k++) {
    const r = rng.nextInt(0, 11);
    if (r === 0) {
      // not a socket end: its readiness is not modelled (model/seccomp/notify.ts)
      const t = who();
      const f = at();
      push({ op: 'notif_poll', task: t, fd: pop.isSocket(t, f) ? fd : f });
    }
    else if (r === 1) push({ op: 'notif_id_valid', task: who(), fd: at(), target });
    else if (r === 2) push({ op: 'notif_set_flags', task: who(), fd: at(), flags: pick(rng, [0, 1, 2]) });
    else if (r === 3) push(chance(rng, 1, 2) ? { op: 'notif_sizes', task: sup } : actionAvail(rng, sup));
    else if (r === 4) {
      // 1 in 6 times through a ruleset's descriptor the caller holds (ENOTTY: no ioctl there)
      const t = who();
      const rs = chance(rng, 1, 6) ? pop.table(t).findIndex((e) => e.ruleset !== null) : -1;
      push({ op: 'notif_addfd', task: t, fd: rs >= 0 ? rs : at(), target, src: rng.nextInt(0, 3), flags: pick(rng, [0, 2, 2, 4]), cloexec: chance(rng, 1, 2) });
    }
    else if (r === 5) {
      push({ op: 'close_fd', task: sup, fd });
      pop.close(sup, fd);
    } else if (r === 6) push({ op: 'notif_recv', task: who(), fd: at() });
    else {
      const [val, error, flags] = pick(rng, ANSWERS);
      push({ op: 'notif_send', task: who(), fd: at(), target, val, error, flags });
    }
  }
  if (left >= 1) push({ op: 'notif_return', task: target });
  if (left >= 1 && chance(rng, 1, 3)) push({ op: 'probe', task: target, request });
}

/** Values GET_ACTION_AVAIL refuses (EOPNOTSUPP): data bits on a known action, unknown actions. */
const UNAVAILABLE_ACTIONS: readonly number[] = [(SECCOMP_RET_USER_NOTIF | 1) >>> 0, retErrno(5), 0x7fff0001, 0x10000000, 0x00040000, 0xffffffff];

/** seccomp(GET_ACTION_AVAIL): a supervisor asks whether USER_NOTIF (or another action) exists;
 * now and then a value the kernel refuses, or a flag (EINVAL). */
function actionAvail(rng: Rng, task: number): Op {
  const action = chance(rng, 3, 4) ? (chance(rng, 1, 2) ? SECCOMP_RET_USER_NOTIF : pick(rng, KNOWN_ACTIONS)) : pick(rng, UNAVAILABLE_ACTIONS);
  return { op: 'seccomp_action_avail', task, action, flags: chance(rng, 1, 8) ? pick(rng, [1, 2, 0x80000000]) : 0 };
}
