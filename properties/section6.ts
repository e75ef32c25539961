// The rows of layering-designs §6 ("who violates what, with the shortest sequences") as
// scripts: each names its variant, its ops (task references are indices into the live tasks:
// P = 0, then children in creation order), the properties it violates and at which step, and
// for the "must reject" rows the results the model must give. Tests run them; the CLI and the
// README can show them as rationale traces.
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import { ERRNO } from '../model/errno.js';
import { FS, SCOPE } from '../model/landlock/access.js';
import { retErrno, retTrace, SECCOMP_RET_ALLOW, SECCOMP_RET_TRACE, SECCOMP_RET_USER_NOTIF } from '../model/seccomp/action.js';
import { PTRACE_O } from '../model/ptrace/state.js';
import { AUDIT_ARCH_X86_64 } from '../model/request.js';
import { compiledProgram, RAW_PROGRAMS } from '../generators/policy.js';
import type { PropertyId } from './ids.js';

export interface Section6Row {
  /** The §6 row, quoted. */
  readonly row: string;
  readonly variant: string;
  readonly ops: readonly Op[];
  /** Every property the script violates, with the step each first fails at; all others hold. */
  readonly violates: Readonly<Partial<Record<PropertyId, number>>>;
  /** Legal relaxations: the step at which some task does become more permissive (the
   * properties must attribute it to the variant's explicit path). */
  readonly relaxesAt?: number;
  /** Results the model must give, by step (the "must reject" rows). */
  readonly results?: Readonly<Record<number, OpResult>>;
}

/** A filter denying syscall `nr` with EPERM (the universe's getpid is 39, getuid 102). */
function deny(nr: number, task: number, extra: Partial<Extract<Op, { op: 'seccomp_filter' }>> = {}): Op {
  const g = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [{ nr, action: retErrno(ERRNO.EPERM) }] });
  return { op: 'seccomp_filter', task, flags: 0, program: g.program, source: g.source, ...extra };
}

/** A filter returning `action` for syscall `nr`, allowing the rest. */
function oneRule(nr: number, action: number, task: number, flags = 0): Op {
  const g = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [{ nr, action }] });
  return { op: 'seccomp_filter', task, flags, program: g.program, source: g.source };
}

const ALLOW_ALL = RAW_PROGRAMS[0]!.program;

/** A filter passing syscall `nr` to a tracer (SECCOMP_RET_TRACE). */
function traceTo(nr: number, task: number): Op {
  return oneRule(nr, SECCOMP_RET_TRACE, task);
}
const { TSYNC } = SECCOMP_FILTER_FLAG;
const READ = FS.READ_FILE;
const WRITE = FS.WRITE_FILE;

export const SECTION6: readonly Section6Row[] = [
  {
    row: 'V5: P.add(fs:r1); P.fork->C; P.add(fs:r2) -> C\'s list now has r2',
    variant: 'v5-2017',
    ops: [deny(39, 0), { op: 'fork', task: 0 }, deny(102, 0)],
    violates: { I1: 2, I4: 2, 'non-interference': 2 },
  },
  {
    row: 'V5 I4 (child changes parent): P.add(fs:r1); P.fork->C; C.add(fs:r2) -> P gets r2',
    variant: 'v5-2017',
    ops: [deny(39, 0), { op: 'fork', task: 0 }, deny(102, 1)],
    violates: { I4: 2 },
  },
  {
    row: 'V5 I4 (siblings): P.add(fs:r1); P.fork->C1; P.fork->C2; C1.add(fs:r2) -> C2 changes',
    variant: 'v5-2017',
    ops: [deny(39, 0), { op: 'fork', task: 0 }, { op: 'fork', task: 0 }, deny(102, 1)],
    violates: { I1: 3, I4: 3, 'non-interference': 3 },
  },
  {
    row: "Andy's scenario: the first V5 row with compromise(P) before the last op",
    variant: 'v5-2017',
    ops: [deny(39, 0), { op: 'fork', task: 0 }, { op: 'compromise', task: 0 }, deny(102, 0)],
    violates: { I1: 3, I4: 3, 'non-interference': 3 },
  },
  {
    row: 'ANDY must reject: P.add(L); P.fork->C; P.modify(L,U) -> EPERM',
    variant: 'lutomirski-2017',
    ops: [deny(39, 0), { op: 'fork', task: 0 }, { op: 'modify', task: 0, layer: 0, program: ALLOW_ALL }],
    violates: {},
    results: { 2: { kind: 'err', errno: ERRNO.EPERM } },
  },
  {
    row: 'ANDY must reject: P.add(L,STRICTER); P.modify(L,C⊋C(L)) -> EPERM',
    variant: 'lutomirski-2017',
    ops: [deny(39, 0, { mutability: 'stricter' }), { op: 'modify', task: 0, layer: 0, program: ALLOW_ALL }],
    violates: {},
    results: { 1: { kind: 'err', errno: ERRNO.EPERM } },
  },
  {
    row: 'ANDY legal, attributed to the flag: P.add(L,ANY); P.fork->C; P.modify(L,U)',
    variant: 'lutomirski-2017',
    ops: [deny(39, 0, { mutability: 'any' }), { op: 'fork', task: 0 }, { op: 'modify', task: 0, layer: 0, program: ALLOW_ALL }],
    violates: {},
    relaxesAt: 2,
    results: { 2: { kind: 'ok', ret: 0 } },
  },
  {
    row: "ANDY b2: P.fork->C; P.add(L,ANY,export); P.sendfd(C, handle); C.modify(L,U) -> a layer outside S(C), through the granted handle",
    variant: 'lutomirski-2017',
    ops: [
      { op: 'fork', task: 0 },
      deny(39, 0, { mutability: 'any', export: true }),
      { op: 'send_fd', task: 0, fd: 0, to: 1 },
      { op: 'modify', task: 1, layer: 0, handle: 0, program: ALLOW_ALL },
    ],
    violates: {},
    relaxesAt: 3,
    results: { 3: { kind: 'ok', ret: 0 } },
  },
  {
    row: "SECCOMP must reject: P.thread->T; T.add(L2); P.tsync(L1) -> returns T's tid, nothing changes",
    variant: 'linux',
    ops: [{ op: 'thread', task: 0 }, deny(102, 1), deny(39, 0, { flags: TSYNC })],
    violates: {},
    results: { 2: { kind: 'tsync_fail', tid: 101 } },
  },
  {
    row: "LANDLOCK (ABI 8): P.thread->T; T.restrict(R2); P.restrict(R1,TSYNC) -> T's layer R2 is gone",
    variant: 'linux-abi8',
    ops: [
      { op: 'ruleset_create', task: 0, fs: READ, net: 0, scoped: 0 },
      { op: 'ruleset_create', task: 0, fs: WRITE, net: 0, scoped: 0 },
      { op: 'thread', task: 0 },
      { op: 'restrict_self', task: 1, ruleset: 1, flags: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: LANDLOCK_RESTRICT_SELF.TSYNC },
    ],
    violates: { I9: 4, 'I2-thread': 4 },
  },
  {
    row: 'LANDLOCK must hold: P.mkrs->R; P.restrict(R); P.fork->C; P.rule(R,x) -> A(C), A(P) unchanged',
    variant: 'linux',
    ops: [
      { op: 'ruleset_create', task: 0, fs: READ | WRITE, net: 0, scoped: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      { op: 'fork', task: 0 },
      { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: READ } },
    ],
    violates: {},
    results: { 3: { kind: 'ok', ret: 0 } },
  },
  {
    row: 'LL-MUTABLE legal: S.mkrs(SUPERVISOR)->Rs; S.ioctl->Re; S.fork->C; C.restrict(Re); S.rule(Rs,x,COMMIT) (C first closes its inherited Rs)',
    variant: 'mutable-domains-rfc',
    ops: [
      { op: 'ruleset_create', task: 0, fs: READ | WRITE, net: 0, scoped: 0, supervisor: true },
      { op: 'ruleset_supervisee', task: 0, ruleset: 0 },
      { op: 'fork', task: 0 },
      { op: 'close_fd', task: 1, fd: 0 },
      { op: 'restrict_self', task: 1, ruleset: 0, flags: 0 },
      { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: READ }, commit: true },
    ],
    violates: {},
    relaxesAt: 5,
    results: { 4: { kind: 'ok', ret: 0 }, 5: { kind: 'ok', ret: 0 } },
  },
  {
    row: 'e1 LIVE-RULESET: P.mkrs->R; P.restrict(R); P.fork->C; P.rule(R,x) -> A(C) grows',
    variant: 'live-ruleset',
    ops: [
      { op: 'ruleset_create', task: 0, fs: READ | WRITE, net: 0, scoped: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      { op: 'fork', task: 0 },
      { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: READ } },
    ],
    violates: { I1: 3, I2: 3, I3: 3, I6: 3, I11: 3, 'children-never-weakened': 3, 'non-interference': 3 },
  },
  {
    row: 'e2 TSYNC-OVERWRITE: P.thread->T; T.add(L2); P.tsync(L1) -> S(T) = [L1, P\'s old layers], L2 lost',
    variant: 'tsync-overwrite',
    ops: [{ op: 'thread', task: 0 }, deny(102, 1), deny(39, 0, { flags: TSYNC })],
    violates: { I9: 2, 'I2-thread': 2 },
  },
  {
    row: 'e3 EXEC-RESET: P.add(L); P.exec -> A(P) = U',
    variant: 'exec-reset',
    ops: [deny(39, 0), { op: 'exec', task: 0 }],
    violates: { I3: 1, I10: 1 },
  },
  {
    row: 'e4 NEWEST-FILTER-WINS (evaluation only): P.add(deny getpid); P.add(allow all) -> A(P) regains getpid',
    variant: 'newest-filter-wins',
    ops: [deny(39, 0), { op: 'seccomp_filter', task: 0, flags: 0, program: ALLOW_ALL }],
    violates: { I3: 1 },
  },
  {
    row: 'e4 with TSYNC: P.thread->T; P.add(deny getpid); T.add(allow all, TSYNC) -> A(P) regains getpid',
    variant: 'newest-filter-wins',
    ops: [{ op: 'thread', task: 0 }, deny(39, 0, { flags: TSYNC }), { op: 'seccomp_filter', task: 1, flags: TSYNC, program: ALLOW_ALL }],
    violates: { 'I2-thread': 2, I3: 2 },
  },
  {
    row: 'Landlock TSYNC (linux-abi8): P.mkrs->R; P.thread->T; P.restrict(R); P.fork->C; P.restrict(R, TSYNC) -> C can ptrace T',
    variant: 'linux-abi8',
    ops: [
      { op: 'ruleset_create', task: 0, fs: FS.TRUNCATE, net: 0, scoped: 0 },
      { op: 'thread', task: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      { op: 'fork', task: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: LANDLOCK_RESTRICT_SELF.TSYNC },
    ],
    violates: { I2: 4, I6: 4, 'children-never-weakened': 4 },
  },
  {
    row: 'V5+H1: P.add(fs: deny unless x∈M); P.fork->C; P.mapput(M,x) -> A(C) grows (M made first: 4 ops; the rule decides the universe\'s syscalls, x = getpid)',
    variant: 'v5-2017-maps',
    ops: [
      { op: 'map_create', task: 0 },
      { op: 'seccomp_filter', task: 0, flags: 0, program: ALLOW_ALL, map: 0, source: RAW_PROGRAMS[0]!.source },
      { op: 'fork', task: 0 },
      { op: 'map_put', task: 0, map: 0, key: 39 },
    ],
    violates: { I1: 3, I2: 3, I3: 3, I6: 3, I11: 3, 'children-never-weakened': 3, 'non-interference': 3 },
    results: { 0: { kind: 'ok', ret: 3 }, 1: { kind: 'ok', ret: 0 }, 3: { kind: 'ok', ret: 0 } },
  },
  {
    row: 'R9 recruited tracer (linux, legal: RET_TRACE delegates): P.add(trace getpid); P.fork->H; H.seize(P, TRACESECCOMP); P.getpid -> runs (ENOSYS before)',
    variant: 'linux',
    ops: [traceTo(39, 0), { op: 'fork', task: 0 }, { op: 'ptrace_attach', task: 1, target: 0, seize: true, options: PTRACE_O.TRACESECCOMP }, { op: 'probe', task: 0, request: { kind: 'syscall', nr: 39, arch: 0xc000003e, ip: 0, args: [0, 0, 0, 0, 0, 0] } }],
    violates: {},
    results: { 2: { kind: 'ok', ret: 0 } },
  },
  {
    row: 'NO-TRACE-RECHECK (before 4.8): P.add(deny getuid); P.add(trace getpid); P.fork->H; H rewrites to getuid; H.seize(P); P.getpid -> getuid runs past the ERRNO layer (R5)',
    variant: 'no-trace-recheck',
    ops: [
      deny(102, 0),
      traceTo(39, 0),
      { op: 'fork', task: 0 },
      { op: 'ptrace_response', task: 1, response: { kind: 'rewrite', nr: 102, args: [] } },
      { op: 'ptrace_attach', task: 1, target: 0, seize: true, options: PTRACE_O.TRACESECCOMP },
      { op: 'probe', task: 0, request: { kind: 'syscall', nr: 39, arch: 0xc000003e, ip: 0, args: [0, 0, 0, 0, 0, 0] } },
    ],
    violates: { 'tracer-bounded': 5 },
  },
  {
    row: 'delegation U39 self-escape past TRACE (linux, by design): P.add(getpid→TRACE); P.add(getpid→USER_NOTIF, NEW_LISTENER); P.thread→T; P.getpid blocks; T.recv; T.send(CONTINUE) -> getpid runs, which the older layer delegated to a tracer',
    variant: 'linux',
    ops: [
      { op: 'notif_supervise', task: 0 }, oneRule(39, retTrace(0), 0), oneRule(39, SECCOMP_RET_USER_NOTIF, 0, SECCOMP_FILTER_FLAG.NEW_LISTENER),
      { op: 'thread', task: 0 }, { op: 'probe', task: 0, request: { kind: 'syscall', nr: 39, arch: AUDIT_ARCH_X86_64, ip: 0, args: [0, 0, 0, 0, 0, 0] } },
      { op: 'notif_recv', task: 1, fd: 0 }, { op: 'notif_send', task: 1, fd: 0, target: 0, val: 0, error: 0, flags: 1 },
    ],
    violates: { I6: 6 },
  },
  {
    row: 'delegation U39 self-escape past a closed listener (linux, by design): P.add(getpid→USER_NOTIF, NEW_LISTENER); P.close(listener); P.add(getpid→USER_NOTIF, NEW_LISTENER); P.thread→T; P.getpid blocks; T.recv; T.send(CONTINUE) -> getpid runs, which failed ENOSYS before',
    variant: 'linux',
    ops: [
      { op: 'notif_supervise', task: 0 }, oneRule(39, SECCOMP_RET_USER_NOTIF, 0, SECCOMP_FILTER_FLAG.NEW_LISTENER), { op: 'close_fd', task: 0, fd: 0 },
      oneRule(39, SECCOMP_RET_USER_NOTIF, 0, SECCOMP_FILTER_FLAG.NEW_LISTENER),
      { op: 'thread', task: 0 }, { op: 'probe', task: 0, request: { kind: 'syscall', nr: 39, arch: AUDIT_ARCH_X86_64, ip: 0, args: [0, 0, 0, 0, 0, 0] } },
      { op: 'notif_recv', task: 1, fd: 0 }, { op: 'notif_send', task: 1, fd: 0, target: 0, val: 0, error: 0, flags: 1 },
    ],
    violates: { I6: 7 },
  },
  {
    row: 'e5 NOTIF-OVERRIDES (evaluation only): P.add(deny getpid); P.add(getpid→USER_NOTIF, NEW_LISTENER) -> getpid goes from a denial to the listener',
    variant: 'notif-overrides',
    ops: [deny(39, 0), oneRule(39, SECCOMP_RET_USER_NOTIF, 0, SECCOMP_FILTER_FLAG.NEW_LISTENER)],
    violates: { I3: 1 },
  },
  {
    row: 'e5 with a supervisor: P.add(deny getpid); P.add(getpid→USER_NOTIF, NEW_LISTENER); P.thread→T; P.getpid blocks; T.recv; T.send(CONTINUE) -> the denied getpid runs',
    variant: 'notif-overrides',
    ops: [
      { op: 'notif_supervise', task: 0 }, deny(39, 0), oneRule(39, SECCOMP_RET_USER_NOTIF, 0, SECCOMP_FILTER_FLAG.NEW_LISTENER),
      { op: 'thread', task: 0 }, { op: 'probe', task: 0, request: { kind: 'syscall', nr: 39, arch: AUDIT_ARCH_X86_64, ip: 0, args: [0, 0, 0, 0, 0, 0] } },
      { op: 'notif_recv', task: 1, fd: 0 }, { op: 'notif_send', task: 1, fd: 0, target: 0, val: 0, error: 0, flags: 1 },
    ],
    violates: { I3: 2, I6: 6 },
  },
  {
    row: 'Landlock TSYNC joins the caller\'s own scope (linux-abi8): P.mkrs(scoped abstract_unix)->R; P.thread->T; P.restrict(R); P.restrict(R, TSYNC) -> P may connect to T\'s abstract socket (found by strata check, seed 3)',
    variant: 'linux-abi8',
    ops: [
      { op: 'ruleset_create', task: 0, fs: 0, net: 0, scoped: SCOPE.ABSTRACT_UNIX_SOCKET },
      { op: 'thread', task: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: LANDLOCK_RESTRICT_SELF.TSYNC },
    ],
    violates: { I3: 3 },
  },
  {
    row: 'KEYRING-DROPS-DOMAIN (CVE-2024-42318, before 6.11): P.mkrs(fs)->R; P.restrict(R); P.fork->C; P.join_session; C.session_to_parent -> P\'s new cred has no domain',
    variant: 'keyring-drops-domain',
    ops: [
      { op: 'ruleset_create', task: 0, fs: FS.READ_FILE, net: 0, scoped: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      { op: 'fork', task: 0 },
      { op: 'keyctl', task: 0, call: 'join_session' },
      { op: 'keyctl', task: 1, call: 'session_to_parent' },
    ],
    violates: { I2: 4, I6: 4 },
  },
  {
    row: 'KEYRING-DROPS-DOMAIN, a forked child stripped by its own child: P.mkrs(fs)->R; P.restrict(R); P.fork->C; C.fork->G; C.join_session; G.session_to_parent -> C\'s inherited domain is gone',
    variant: 'keyring-drops-domain',
    ops: [
      { op: 'ruleset_create', task: 0, fs: FS.READ_FILE, net: 0, scoped: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      { op: 'fork', task: 0 },
      { op: 'fork', task: 1 },
      { op: 'keyctl', task: 1, call: 'join_session' },
      { op: 'keyctl', task: 2, call: 'session_to_parent' },
    ],
    violates: { I1: 5, I2: 5, I6: 5, 'children-never-weakened': 5, 'non-interference': 5 },
  },
  {
    row: 'NOTIF-OVERRIDES with TSYNC: P.add(getpid[a0=2]→ERRNO); P.thread->T; P.add(getpid[a0=2]→USER_NOTIF, TSYNC) -> T\'s denial is now a notification (ENOSYS with no listener, a supervisor\'s CONTINUE with one) (found by strata check, seed 1)',
    variant: 'notif-overrides',
    ops: [
      deny(39, 0),
      { op: 'thread', task: 0 },
      oneRule(39, SECCOMP_RET_USER_NOTIF, 0, TSYNC),
    ],
    violates: { 'I2-thread': 2, I3: 2 },
  },
];

