// Scripts of the supervisor protocol, one per group of delegation.md facts, with the model's
// expected results in short form. Test support (not used by transitions): the model test
// (notify.test.ts) runs them on the model, conformance/notify.test.ts on the live kernel.
import type { Insn, Op } from '../ops.js';
import { SECCOMP_FILTER_FLAG as F } from '../ops.js';
import { ret, ldNr, jeq } from '../bpf/asm.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_USER_NOTIF, retTrace } from './action.js';
import { syscall } from '../request.js';

export const NR_GETPID = 39;

/** `nr → action` (USER_NOTIF by default), everything else allowed. */
export function notifyOn(nr: number, action: number = SECCOMP_RET_USER_NOTIF): Insn[] {
  return [ldNr(), jeq(nr, 0, 1), ret(action >>> 0), ret(SECCOMP_RET_ALLOW)];
}

export interface NotifScript {
  readonly name: string;
  /** The delegation.md facts it checks. */
  readonly facts: string;
  readonly ops: readonly Op[];
  /** The model's results: `ok N`, `err E`, `probe <outcome kind> [errno]`, `invalid`, `observe`. */
  readonly expect: readonly string[];
}

const filter = (task: number, program: Insn[] = notifyOn(NR_GETPID), flags: number = F.NEW_LISTENER): Op => ({ op: 'seccomp_filter', task, flags, program, source: 'getpid->USER_NOTIF; ALLOW' });
const getpid = (task: number): Op => ({ op: 'probe', task, request: syscall(NR_GETPID) });
const send = (task: number, target: number, val: number, error: number, flags = 0): Op => ({ op: 'notif_send', task, fd: 0, target, val, error, flags });

export const NOTIF_SCRIPTS: readonly NotifScript[] = [
  {
    name: 'RECV, ID_VALID, poll, SEND and its checks, SET_FLAGS, GET_NOTIF_SIZES',
    facts: 'U7 U8 U10 U12 U14 U15 U21',
    ops: [
      filter(0), { op: 'notif_supervise', task: 0 }, { op: 'thread', task: 0 }, getpid(1),
      { op: 'notif_poll', task: 0, fd: 0 }, { op: 'notif_id_valid', task: 0, fd: 0, target: 1 },
      { op: 'notif_recv', task: 0, fd: 0 }, { op: 'notif_poll', task: 0, fd: 0 }, { op: 'notif_id_valid', task: 0, fd: 0, target: 1 },
      send(0, 1, 0, 0, 2), send(0, 1, 1, 0, 1), send(0, 1, 4242, 0), send(0, 1, 4242, 0),
      { op: 'notif_id_valid', task: 0, fd: 0, target: 1 }, { op: 'notif_return', task: 1 },
      { op: 'notif_set_flags', task: 0, fd: 0, flags: 1 }, { op: 'notif_set_flags', task: 0, fd: 0, flags: 0 },
      { op: 'notif_set_flags', task: 0, fd: 0, flags: 2 }, { op: 'notif_sizes', task: 0 },
    ],
    expect: [
      'ok 3', 'ok 0', 'ok 101', 'probe notify',
      'ok 1', 'err 2',
      'ok 101', 'ok 4', 'ok 0',
      'err 22', 'err 22', 'ok 0', 'err 2',
      'err 2', 'ok 4242',
      'ok 0', 'ok 0', 'err 22', 'ok 80024064',
    ],
  },
  {
    name: 'the answer is the return: error wins over val, its sign unchecked; CONTINUE runs the call',
    facts: 'U15 U16',
    ops: [
      filter(0), { op: 'notif_supervise', task: 0 }, { op: 'thread', task: 0 },
      getpid(1), { op: 'notif_recv', task: 0, fd: 0 }, send(0, 1, 99, -13), { op: 'notif_return', task: 1 },
      getpid(1), { op: 'notif_recv', task: 0, fd: 0 }, send(0, 1, 0, 5), { op: 'notif_return', task: 1 },
      getpid(1), { op: 'notif_recv', task: 0, fd: 0 }, send(0, 1, 0, 0, 1), { op: 'notif_return', task: 1 },
      { op: 'observe', task: 1 },
    ],
    expect: [
      'ok 3', 'ok 0', 'ok 101',
      'probe notify', 'ok 101', 'ok 0', 'err 13',
      'probe notify', 'ok 101', 'ok 0', 'ok 5',
      'probe notify', 'ok 101', 'ok 0', 'probe allow',
      'observe',
    ],
  },
  {
    name: 'a blocked thread runs nothing; closing the last listener answers ENOSYS, and later calls fail ENOSYS',
    facts: 'U9 U22',
    ops: [
      filter(0), { op: 'notif_supervise', task: 0 }, { op: 'thread', task: 0 }, getpid(1),
      { op: 'observe', task: 1 }, { op: 'notif_return', task: 1 }, { op: 'close_fd', task: 0, fd: 0 },
      { op: 'notif_return', task: 1 }, getpid(1),
    ],
    expect: ['ok 3', 'ok 0', 'ok 101', 'probe notify', 'invalid', 'invalid', 'ok 0', 'err 38', 'probe errno 38'],
  },
  {
    name: 'a filter with no users: RECV fails ENOENT at once, poll says POLLHUP',
    facts: 'U13 U21 U27',
    ops: [
      { op: 'thread', task: 0 }, filter(1), { op: 'notif_supervise', task: 0 },
      { op: 'notif_recv', task: 0, fd: 0 }, { op: 'notif_poll', task: 0, fd: 0 },
      { op: 'exit', task: 1 }, { op: 'notif_poll', task: 0, fd: 0 }, { op: 'notif_recv', task: 0, fd: 0 },
    ],
    expect: ['ok 101', 'ok 3', 'ok 0', 'invalid', 'ok 0', 'ok 0', 'ok 16', 'err 2'],
  },
  {
    name: 'self-escape: a dead listener gives ENOSYS; the task installs its own listener and its thread CONTINUEs',
    facts: 'U5 U32 U37 U39',
    ops: [
      filter(0), { op: 'close_fd', task: 0, fd: 0 }, getpid(0),
      filter(0), { op: 'notif_supervise', task: 0 }, { op: 'thread', task: 0 }, getpid(0),
      { op: 'notif_recv', task: 1, fd: 0 }, send(1, 0, 0, 0, 1), { op: 'notif_return', task: 0 },
    ],
    expect: ['ok 3', 'ok 0', 'probe errno 38', 'ok 3', 'ok 0', 'ok 101', 'probe notify', 'ok 100', 'ok 0', 'probe allow'],
  },
  {
    name: 'self-escape past a TRACE verdict with no tracer',
    facts: 'R1 U36 U39',
    ops: [
      filter(0, notifyOn(NR_GETPID, retTrace(0)), 0), getpid(0),
      filter(0), { op: 'notif_supervise', task: 0 }, { op: 'thread', task: 0 }, getpid(0),
      { op: 'notif_recv', task: 1, fd: 0 }, send(1, 0, 0, 0, 1), { op: 'notif_return', task: 0 },
    ],
    expect: ['ok 0', 'probe errno 38', 'ok 3', 'ok 0', 'ok 101', 'probe notify', 'ok 100', 'ok 0', 'probe allow'],
  },
  {
    name: 'ADDFD installs at the lowest free fd; ADDFD|SEND answers with it and a later SEND finds nothing',
    facts: 'U2 U17 U19 U30',
    ops: [
      filter(0), { op: 'notif_supervise', task: 0 }, { op: 'fork', task: 0 }, getpid(1),
      { op: 'notif_recv', task: 0, fd: 0 },
      { op: 'notif_addfd', task: 0, fd: 0, target: 1, src: 0, flags: 0, cloexec: true },
      { op: 'notif_addfd', task: 0, fd: 0, target: 1, src: 0, flags: 2, cloexec: false },
      send(0, 1, 0, 0), { op: 'notif_return', task: 1 }, { op: 'observe', task: 1 },
    ],
    expect: ['ok 3', 'ok 0', 'ok 101', 'probe notify', 'ok 101', 'ok 4', 'ok 5', 'err 2', 'ok 5', 'observe'],
  },
];
