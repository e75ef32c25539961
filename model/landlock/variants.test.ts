// Semantics switches: e1 live rulesets (landlockRestrictSnapshot: false) and the
// mutable-domains supervisor (landlockSupervisor), layering-designs §3 (e1), (f), §6.
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS } from './access.js';

const { EACCES, EPERM, EINVAL, EBADF } = ERRNO;

describe('e1: live ruleset', () => {
  it('P.mkrs R; P.restrict(R); P.fork C; P.rule(R, x) → C (and P) gain x', () => {
    const s = Sim.variant({ landlockRestrictSnapshot: false });
    const rs = s.ruleset(P, FS.READ_FILE);
    s.path(P, rs, '/a', FS.READ_FILE);
    s.enforce(P, rs);
    const c = s.fork(P);
    const before = s.task(c).domain!;
    expect(s.fs(c, 'read_file', '/b/f')).toBe(EACCES);
    s.path(P, rs, '/b', FS.READ_FILE);
    expect(s.fs(c, 'read_file', '/b/f')).toBe(0);
    expect(s.fs(P, 'read_file', '/b/f')).toBe(0);
    const after = s.task(c).domain!;
    expect(after).not.toBe(before);
    expect(after.id).toBe(before.id);
    expect(after.rev).toBe(before.rev + 1);
    // Shared before, shared after (path copying is memoised).
    expect(s.task(P).domain).toBe(after);
  });

  it('rebuilds the nodes above a changed layer, keeping their ids and revs', () => {
    const s = Sim.variant({ landlockRestrictSnapshot: false });
    const r1 = s.ruleset(P, FS.READ_FILE);
    s.enforce(P, r1);
    const c = s.fork(P);
    s.sandbox(c, { fs: FS.WRITE_FILE }, { '/': FS.WRITE_FILE });
    const top = s.task(c).domain!;
    s.path(P, r1, '/a', FS.READ_FILE);
    const top2 = s.task(c).domain!;
    expect(top2).not.toBe(top);
    expect([top2.id, top2.rev]).toEqual([top.id, top.rev]);
    expect(top2.prev).toBe(s.task(P).domain);
    expect(top2.prev!.rev).toBe(1);
    expect(s.fs(c, 'read_file', '/a/f')).toBe(0);
  });

  it('Linux (snapshot): the same sequence changes no domain', () => {
    const s = Sim.linux();
    const rs = s.ruleset(P, FS.READ_FILE);
    s.enforce(P, rs);
    const c = s.fork(P);
    const d = s.task(c).domain;
    s.path(P, rs, '/b', FS.READ_FILE);
    expect(s.task(c).domain).toBe(d);
    expect(s.fs(c, 'read_file', '/b/f')).toBe(EACCES);
  });
});

describe('mutable domains (supervisor)', () => {
  const sup = () => Sim.variant({ landlockSupervisor: true });

  it('S.mkrs(SUPERVISOR) → Rs; S.supervisee → Re; S.fork C; C.close(Rs); C.restrict(Re); S.rule(Rs, x, COMMIT) → C gains x', () => {
    const s = sup();
    const rsFd = s.ok(P, { op: 'ruleset_create', fs: FS.READ_FILE | FS.WRITE_FILE, net: 0, scoped: 0, supervisor: true });
    const rs = s.rulesetIndex(P, rsFd);
    const reFd = s.ok(P, { op: 'ruleset_supervisee', ruleset: rs });
    expect(s.task(P).fds.find((e) => e.fd === reFd)!.cloexec).toBe(true);
    const c = s.fork(P);
    // The child's own additions to the supervisee are part of its snapshot.
    s.path(c, s.rulesetIndex(c, reFd), '/c', FS.WRITE_FILE);
    s.ok(c, { op: 'close_fd', fd: s.task(c).fds.findIndex((e) => e.fd === rsFd) });
    s.enforce(c, s.rulesetIndex(c, reFd));
    expect(s.fs(c, 'write_file', '/c/f')).toBe(0);
    expect(s.fs(c, 'read_file', '/a/f')).toBe(EACCES);
    // Staged, not committed: invisible.
    s.path(P, rs, '/a', FS.READ_FILE);
    expect(s.fs(c, 'read_file', '/a/f')).toBe(EACCES);
    const before = s.task(c).domain!;
    expect(s.rule(P, rs, { type: 'path_beneath', path: '/b', access: FS.READ_FILE }, true).kind).toBe('ok');
    expect(s.fs(c, 'read_file', '/a/f')).toBe(0);
    expect(s.fs(c, 'read_file', '/b/f')).toBe(0);
    expect(s.fs(c, 'write_file', '/c/f')).toBe(0);
    expect(s.task(c).domain!.id).toBe(before.id);
    expect(s.task(c).domain!.rev).toBe(before.rev + 1);
  });

  it('a commit widens the layer only within the other layers (∩)', () => {
    const s = sup();
    const rs = s.rulesetIndex(P, s.ok(P, { op: 'ruleset_create', fs: FS.READ_FILE, net: 0, scoped: 0, supervisor: true }));
    const reFd = s.ok(P, { op: 'ruleset_supervisee', ruleset: rs });
    const c = s.fork(P);
    s.sandbox(c, { fs: FS.READ_FILE }, { '/a': FS.READ_FILE });
    s.ok(c, { op: 'close_fd', fd: s.task(c).fds.findIndex((e) => e.obj.kind === 'ruleset' && e.obj.id === 0) });
    s.enforce(c, s.rulesetIndex(c, reFd));
    s.rule(P, rs, { type: 'path_beneath', path: '/', access: FS.READ_FILE }, true);
    expect(s.fs(c, 'read_file', '/a/f')).toBe(0);
    expect(s.fs(c, 'read_file', '/b/f')).toBe(EACCES);
  });

  it('a task may not restrict itself with a supervisee of a supervisor it holds, nor with the supervisor → EPERM', () => {
    const s = sup();
    const rs = s.rulesetIndex(P, s.ok(P, { op: 'ruleset_create', fs: FS.READ_FILE, net: 0, scoped: 0, supervisor: true }));
    const reFd = s.ok(P, { op: 'ruleset_supervisee', ruleset: rs });
    expect(s.errno(P, { op: 'restrict_self', ruleset: s.rulesetIndex(P, reFd), flags: 0 })).toBe(EPERM);
    expect(s.errno(P, { op: 'restrict_self', ruleset: rs, flags: 0 })).toBe(EPERM);
  });

  it('commit on a non-supervisor ruleset → EINVAL; supervisee of a non-supervisor → EINVAL; no fd → EBADF', () => {
    const s = sup();
    expect(s.errno(P, { op: 'ruleset_supervisee', ruleset: 0 })).toBe(EBADF);
    const plain = s.ruleset(P, FS.READ_FILE);
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: plain, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE }, commit: true })).toBe(EINVAL);
    expect(s.errno(P, { op: 'ruleset_supervisee', ruleset: plain })).toBe(EINVAL);
  });
});
