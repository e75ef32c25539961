// Each kind of corner, reached by a small hand-written scenario and counted exactly; and the
// counter's report as plain data, with corners it does not declare set apart.
import { describe, it, expect } from 'vitest';
import type { Op, Insn } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG as F, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import { compilePolicy, ret } from '../model/bpf/asm.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_USER_NOTIF, retErrno } from '../model/seccomp/action.js';
import { ERRNO } from '../model/errno.js';
import { FS, SCOPE } from '../model/landlock/access.js';
import { syscall } from '../model/request.js';
import { LANDLOCK_MAX_NUM_LAYERS } from '../model/limits.js';
import { runTrace } from '../properties/trace.js';
import { builtinVariant } from '../variants/registry.js';
import type { Variant } from '../variants/variant.js';
import { CoverageCounter } from './counter.js';
import { cornersFor, ALL_CORNERS } from './catalogue.js';
import type { Coverage } from './report.js';

const LINUX = builtinVariant('linux')!;
const GETPID = syscall(39);

/** The coverage of one run of `ops` on `v`. */
function cover(ops: readonly Op[], v: Variant = LINUX): Coverage {
  const c = new CoverageCounter(v);
  c.count(runTrace(v, ops));
  return c.report();
}

const count = (c: Coverage, id: string): number => {
  const x = c.corners.find((k) => k.id === id);
  if (x === undefined) throw new Error(`${id} is not a corner of ${c.variant}`);
  return x.count;
};

/** A filter whose only rule sends getpid to `action` (ALLOW otherwise). */
const onGetpid = (action: number): readonly Insn[] => compilePolicy({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 39, action }] });
const filter = (program: readonly Insn[], flags = 0, task = 0): Op => ({ op: 'seccomp_filter', task, flags, program });
const ALLOW_ALL: readonly Insn[] = [ret(SECCOMP_RET_ALLOW)];

describe('the corner catalogue', () => {
  it('has each id once, each with a spec section and a group', () => {
    const ids = ALL_CORNERS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of ALL_CORNERS) {
      expect(c.spec, c.id).toMatch(/(seccomp|landlock|delegation|layering-designs)\.md|model/);
      expect(c.group.length, c.id).toBeGreaterThan(0);
    }
  });

  it('gives each design the corners its API and switches have', () => {
    const ids = (id: string): string[] => cornersFor(builtinVariant(id)!).map((c) => c.id);
    expect(ids('linux')).toContain('landlock.depth.16');
    expect(ids('linux')).not.toContain('landlock.tsync.ok');
    expect(ids('linux-abi8')).toContain('landlock.tsync.ok');
    expect(ids('v5-2017').some((id) => id.startsWith('landlock.depth'))).toBe(false);
    expect(ids('v5-2017')).toContain('design.in-place.append');
    expect(ids('newest-filter-wins').some((id) => id.startsWith('seccomp.order.'))).toBe(false);
    expect(ids('newest-filter-wins')).toContain('design.newest-wins.overrides');
    expect(ids('tsync-overwrite')).not.toContain('seccomp.tsync.fail');
    expect(ids('lutomirski-2017')).toContain('design.handle.esrch');
    expect(ids('linux').filter((id) => id.startsWith('seccomp.order.')).length).toBe(64);
  });
});

describe('CoverageCounter', () => {
  it('counts every Landlock depth to the limit and E2BIG past it', () => {
    const ops: Op[] = [{ op: 'ruleset_create', task: 0, fs: FS.READ_FILE, net: 0, scoped: 0 }];
    for (let i = 0; i <= LANDLOCK_MAX_NUM_LAYERS; i++) ops.push({ op: 'restrict_self', task: 0, ruleset: 0, flags: 0 });
    const c = cover(ops);
    for (let d = 1; d <= LANDLOCK_MAX_NUM_LAYERS; d++) expect(count(c, `landlock.depth.${d}`), `depth ${d}`).toBe(1);
    expect(count(c, 'landlock.depth.e2big')).toBe(1);
    expect(count(c, 'op.restrict_self.E2BIG')).toBe(1);
    expect(count(c, 'op.restrict_self.ok')).toBe(LANDLOCK_MAX_NUM_LAYERS);
  });

  it('counts the ordered pairs of actions of one evaluation, the verdict, and the tie rule', () => {
    const c = cover([
      filter(onGetpid(SECCOMP_RET_KILL_THREAD)),
      filter(onGetpid(retErrno(ERRNO.EPERM))),
      filter(onGetpid(retErrno(ERRNO.EACCES))),
      { op: 'probe', task: 0, request: GETPID },
    ]);
    // the probe's evaluation: older KILL_THREAD, then ERRNO, ERRNO (and the op gate's evaluations
    // of the second and third seccomp() calls: ALLOW under each older filter)
    expect(count(c, 'seccomp.order.kill_thread.errno')).toBe(1);
    expect(count(c, 'seccomp.order.errno.errno')).toBe(1);
    expect(count(c, 'seccomp.order.allow.allow')).toBe(1);
    expect(count(c, 'seccomp.order.errno.kill_thread')).toBe(0);
    expect(count(c, 'seccomp.verdict.kill_thread')).toBe(1);
    expect(count(c, 'seccomp.tie.data')).toBe(0); // KILL_THREAD won: no tie decided it
    const tie = cover([filter(onGetpid(retErrno(ERRNO.EPERM))), filter(onGetpid(retErrno(ERRNO.EACCES))), { op: 'probe', task: 0, request: GETPID }]);
    expect(count(tie, 'seccomp.tie.data')).toBe(1);
    expect(count(tie, 'seccomp.verdict.errno')).toBe(1);
  });

  it('counts the path limit: near it, and ENOMEM past it', () => {
    const big: Insn[] = Array.from({ length: 4096 }, () => ret(SECCOMP_RET_ALLOW));
    const c = cover([filter(big), filter(big), filter(big), filter(big.slice(0, 3072)), filter(big)]);
    expect(count(c, 'seccomp.path.near')).toBe(1);
    expect(count(c, 'seccomp.path.over')).toBe(1);
    expect(count(c, 'op.seccomp_filter.ENOMEM')).toBe(1);
  });

  it('counts TSYNC success, failure naming the thread, and ESRCH', () => {
    const c = cover([
      { op: 'thread', task: 0 },
      filter(ALLOW_ALL, F.TSYNC, 0), // both threads get it
      filter(ALLOW_ALL, 0, 1), // the thread diverges
      filter(ALLOW_ALL, F.TSYNC, 0), // names the thread
      filter(ALLOW_ALL, F.TSYNC | F.TSYNC_ESRCH, 0), // ESRCH
    ]);
    expect(count(c, 'seccomp.tsync.ok')).toBe(1);
    expect(count(c, 'seccomp.tsync.fail')).toBe(1);
    expect(count(c, 'seccomp.tsync.esrch')).toBe(1);
    expect(count(c, 'op.seccomp_filter.tsync_fail')).toBe(1);
  });

  it('counts a listener made, refused (EBUSY), notified, closed, ENOSYS after, and made again', () => {
    const notif = onGetpid(SECCOMP_RET_USER_NOTIF);
    const c = cover([
      filter(notif, F.NEW_LISTENER),
      filter(notif, F.NEW_LISTENER),
      { op: 'probe', task: 0, request: GETPID },
      { op: 'close_fd', task: 0, fd: 0 },
      { op: 'probe', task: 0, request: GETPID },
      filter(notif, F.NEW_LISTENER),
    ]);
    expect(count(c, 'seccomp.listener.created')).toBe(2);
    expect(count(c, 'seccomp.listener.ebusy')).toBe(1);
    expect(count(c, 'seccomp.listener.notify')).toBe(1);
    expect(count(c, 'seccomp.listener.closed')).toBe(1);
    expect(count(c, 'seccomp.listener.enosys')).toBe(1);
    expect(count(c, 'seccomp.listener.after-close')).toBe(1);
  });

  it('counts strict mode entered and its killing', () => {
    const c = cover([{ op: 'fork', task: 0 }, { op: 'seccomp_strict', task: 1 }, { op: 'fork', task: 1 }, { op: 'seccomp_strict', task: 0 }]);
    expect(count(c, 'seccomp.strict.entered')).toBe(2);
    expect(count(c, 'seccomp.strict.kill')).toBe(1);
    expect(c.opResults.find((t) => t.op === 'fork')!.results).toEqual({ ok: 1, killed: 1 });
  });

  it('counts exec with and without no_new_privs and CAP_SYS_ADMIN, and from a thread', () => {
    const c = cover([
      { op: 'exec', task: 0 },
      { op: 'drop_cap', task: 0 },
      { op: 'exec', task: 0 }, // gives CAP_SYS_ADMIN back
      { op: 'set_nnp', task: 0 },
      { op: 'exec', task: 0 },
      { op: 'drop_cap', task: 0 },
      { op: 'thread', task: 0 },
      { op: 'exec', task: 1 },
    ]);
    expect(count(c, 'exec.nonnp.cap')).toBe(1);
    expect(count(c, 'exec.nonnp.nocap')).toBe(1);
    expect(count(c, 'exec.nnp.cap')).toBe(1);
    expect(count(c, 'exec.nnp.nocap')).toBe(1);
    expect(count(c, 'exec.from-thread')).toBe(1);
  });

  it('counts each right granted, denied, unhandled; REFER; mount; scopes; ptrace', () => {
    const c = cover([
      { op: 'ruleset_create', task: 0, fs: FS.READ_FILE | FS.MAKE_REG, net: 0, scoped: SCOPE.SIGNAL },
      { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE | FS.MAKE_REG } },
      { op: 'fork', task: 0 }, // outside the domain to come
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      { op: 'probe', task: 0, request: { kind: 'fs', access: 'read_file', path: '/a/f' } },
      { op: 'probe', task: 0, request: { kind: 'fs', access: 'read_file', path: '/b/f' } },
      { op: 'probe', task: 0, request: { kind: 'fs', access: 'write_file', path: '/b/f' } },
      { op: 'probe', task: 0, request: { kind: 'rename', from: '/a/s/g', to: '/a/s' } },
      { op: 'probe', task: 0, request: { kind: 'rename', from: '/b/f', to: '/a/s' } },
      { op: 'probe', task: 0, request: { kind: 'rename', from: '/a/f', to: '/b' } },
      { op: 'probe', task: 0, request: { kind: 'mount' } },
      { op: 'probe', task: 0, request: { kind: 'mount', call: 'pivot_root' } },
      { op: 'probe', task: 0, request: { kind: 'mount', call: 'open_tree' } },
      { op: 'probe', task: 0, request: { kind: 'signal', target: 1 } },
      { op: 'probe', task: 0, request: { kind: 'ptrace', target: 1 } },
      { op: 'thread', task: 0 },
      { op: 'probe', task: 0, request: { kind: 'signal', target: 2 } },
      { op: 'probe', task: 0, request: { kind: 'ptrace', target: 2 } },
    ]);
    expect(count(c, 'landlock.fs.read_file.granted')).toBe(1);
    expect(count(c, 'landlock.fs.read_file.denied')).toBe(1);
    expect(count(c, 'landlock.fs.write_file.unhandled')).toBe(1);
    expect(count(c, 'landlock.refer.same-dir')).toBe(1);
    expect(count(c, 'landlock.refer.exdev')).toBe(1); // REFER counts as handled, granted nowhere
    expect(count(c, 'landlock.refer.eacces')).toBe(1); // MAKE_REG denied on /b: EACCES wins
    expect(count(c, 'landlock.mount.denied')).toBe(2);
    expect(count(c, 'landlock.mount.other-hook.denied')).toBe(1);
    expect(count(c, 'landlock.mount.unhooked-in-fs-domain')).toBe(1);
    expect(count(c, 'landlock.mount.allowed')).toBe(1);
    expect(count(c, 'landlock.scope.signal.denied')).toBe(1);
    expect(count(c, 'landlock.ptrace.denied')).toBe(1);
    expect(count(c, 'landlock.scope.signal.thread')).toBe(1);
    expect(count(c, 'landlock.ptrace.own-group')).toBe(1);
  });

  it('counts SIGURG dropped by the recorded domain, delivered past the sender\'s scope, and a kept listener denied by its creator', () => {
    const scope = (scoped: number): Op[] => [{ op: 'ruleset_create', task: 0, fs: 0, net: 0, scoped }, { op: 'restrict_self', task: 0, ruleset: -1, flags: 0 }];
    const c = cover([
      { op: 'socketpair', task: 0 },
      { op: 'unix_listen', task: 0 },
      { op: 'fork', task: 0 },
      { op: 'fown_set', task: 0, fd: 0, target: 1 }, // recorded before the sandbox
      ...scope(SCOPE.SIGNAL | SCOPE.ABSTRACT_UNIX_SOCKET),
      { op: 'probe', task: 0, request: { kind: 'sigurg', fd: 1 } }, // delivered: the sender could not kill t101
      { op: 'fown_set', task: 0, fd: 0, target: 1 }, // recorded inside it
      { op: 'probe', task: 1, request: { kind: 'sigurg', fd: 1 } }, // dropped
      { op: 'probe', task: 0, request: { kind: 'abstract_unix', target: 0, listener: 0 } }, // made before: denied
      { op: 'probe', task: 0, request: { kind: 'abstract_unix', target: 0 } }, // made now: not a kept listener
    ]);
    expect(count(c, 'landlock.fown.sender-scoped-delivered')).toBe(1);
    expect(count(c, 'landlock.fown.dropped')).toBe(1);
    expect(count(c, 'landlock.scope.abstract_unix.kept-listener.denied')).toBe(1);
    expect(count(c, 'landlock.scope.abstract_unix.denied')).toBe(1);
    expect(count(c, 'landlock.scope.abstract_unix.allowed')).toBe(1);
  });

  it('counts the procfs corners: a file check under READ_FILE, nsfs unchecked, a ptrace refusal, environ past the ptrace check', () => {
    const proc = (task: number, target: number, file: 'status' | 'environ' | 'mem' | 'ns'): Op => ({ op: 'probe', task, request: { kind: 'proc', target, file } });
    const c = cover([
      { op: 'fork', task: 0 },
      { op: 'ruleset_create', task: 1, fs: 0, net: 0, scoped: SCOPE.SIGNAL },
      { op: 'restrict_self', task: 1, ruleset: 0, flags: 0 },
      proc(1, 0, 'environ'), // out of the domain, no ptrace check: allowed
      proc(1, 0, 'mem'), // the ptrace check: EACCES
      proc(1, 1, 'mem'), // itself: allowed, no corner
      { op: 'fork', task: 0 },
      { op: 'ruleset_create', task: 2, fs: FS.READ_FILE, net: 0, scoped: 0 },
      { op: 'restrict_self', task: 2, ruleset: 0, flags: 0 },
      proc(2, 2, 'status'), // no rule reaches procfs: EACCES
      proc(2, 2, 'ns'), // nsfs: allowed
      proc(2, 0, 'ns'), // the ptrace check: EACCES
    ]);
    expect(count(c, 'landlock.proc.environ.unchecked')).toBe(1);
    expect(count(c, 'landlock.proc.ptrace.denied')).toBe(2);
    expect(count(c, 'landlock.proc.fs.denied')).toBe(1);
    expect(count(c, 'landlock.proc.ns.in-fs-domain')).toBe(1);
  });

  it('counts the working-directory corners: chdir into a directory the domain may not list, relative probes granted and denied, and chdir\'s ends', () => {
    const fsp = (path: string): Op => ({ op: 'probe', task: 0, request: { kind: 'fs', access: 'read_file', path } });
    const c = cover([
      { op: 'chdir', task: 0, path: '/a' }, // no domain: op.chdir.ok only
      { op: 'ruleset_create', task: 0, fs: FS.READ_FILE | FS.READ_DIR, net: 0, scoped: 0 },
      { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/b', access: FS.READ_FILE } },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      fsp('f'), // denied
      fsp('../b/f'), // granted
      fsp('/b/f'), // absolute: no relative corner
      { op: 'chdir', task: 0, path: '../c' }, // /c: READ_DIR denied
      { op: 'chdir', task: 0, path: '/b' }, // /b: READ_DIR denied too (the rule grants READ_FILE only)
      { op: 'chdir', task: 0, path: 'f' }, // ENOTDIR
      { op: 'chdir', task: 0, path: 'nothing' }, // ENOENT
    ]);
    expect(count(c, 'landlock.fs.relative.denied')).toBe(1);
    expect(count(c, 'landlock.fs.relative.granted')).toBe(1);
    expect(count(c, 'landlock.chdir.denied-dir')).toBe(2);
    expect(count(c, 'op.chdir.ok')).toBe(3);
    expect(count(c, 'op.chdir.ENOTDIR')).toBe(1);
    expect(count(c, 'op.chdir.ENOENT')).toBe(1);
  });

  it('counts a ruleset sent to another process and used there, and a rule after restrict', () => {
    const c = cover([
      { op: 'fork', task: 0 },
      { op: 'fork', task: 0 },
      { op: 'ruleset_create', task: 0, fs: FS.READ_FILE, net: 0, scoped: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 },
      { op: 'send_fd', task: 0, fd: 0, to: 1 },
      { op: 'ruleset_add_rule', task: 1, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE } },
      { op: 'ruleset_add_rule', task: 2, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE } }, // EBADF
    ]);
    expect(count(c, 'landlock.ruleset.sent')).toBe(1);
    expect(count(c, 'landlock.ruleset.used-after-send')).toBe(1);
    expect(count(c, 'landlock.ruleset.used-by-other')).toBe(1);
    expect(count(c, 'landlock.ruleset.rule-after-restrict')).toBe(1);
    expect(count(c, 'op.ruleset_add_rule.ok')).toBe(1);
    expect(count(c, 'op.ruleset_add_rule.EBADF')).toBe(1);
    expect(c.opResults.find((t) => t.op === 'ruleset_add_rule')).toEqual({ op: 'ruleset_add_rule', calls: 2, results: { ok: 1, EBADF: 1 } });
  });

  it('counts Landlock TSYNC overwriting a sibling (linux-abi8)', () => {
    const c = cover([
      { op: 'ruleset_create', task: 0, fs: FS.READ_FILE, net: 0, scoped: 0 },
      { op: 'thread', task: 0 },
      { op: 'restrict_self', task: 1, ruleset: 0, flags: 0 },
      { op: 'restrict_self', task: 0, ruleset: 0, flags: LANDLOCK_RESTRICT_SELF.TSYNC },
    ], builtinVariant('linux-abi8')!);
    expect(count(c, 'landlock.restrict.one-thread')).toBe(1);
    expect(count(c, 'landlock.tsync.ok')).toBe(1);
    expect(count(c, 'landlock.tsync.overwrites')).toBe(1);
  });

  it('counts a design\'s own calls: a modify through a handle of a layer no task holds (ESRCH)', () => {
    const c = cover([
      { op: 'fork', task: 0 },
      { op: 'seccomp_filter', task: 1, flags: 0, program: ALLOW_ALL, mutability: 'any', export: true },
      { op: 'send_fd', task: 1, fd: 0, to: 0 },
      { op: 'modify', task: 0, layer: 0, handle: 0, program: ALLOW_ALL },
      { op: 'exit', task: 1 },
      { op: 'modify', task: 0, layer: 0, handle: 0, program: ALLOW_ALL },
    ], builtinVariant('lutomirski-2017')!);
    expect(count(c, 'design.handle.exported')).toBe(1);
    expect(count(c, 'design.handle.modify')).toBe(1);
    expect(count(c, 'design.handle.not-own')).toBe(1);
    expect(count(c, 'design.modify.any')).toBe(1);
    expect(count(c, 'design.modify.reaches-other')).toBe(1);
    expect(count(c, 'design.handle.esrch')).toBe(1);
    expect(count(c, 'op.modify.ESRCH')).toBe(1);
  });

  it('reports plain data, with what its catalogue lacks set apart', () => {
    const c = cover([{ op: 'fork', task: 0 }, { op: 'probe', task: 0, request: { kind: 'ptrace', target: 0 } }], builtinVariant('v5-2017')!);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(c.undeclared).toEqual([]);
    expect(c.scenarios).toBe(1);
    expect(c.ops).toBe(2);
    expect(c.reached).toBe(c.corners.filter((x) => x.count > 0).length);
    const counter = new CoverageCounter(LINUX);
    counter.hit('not.a.corner');
    expect(counter.report().undeclared).toEqual([{ id: 'not.a.corner', count: 1 }]);
  });
});
