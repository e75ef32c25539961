// landlock_create_ruleset / landlock_add_rule: objects, error table (landlock.md §5) and check
// order, fd inheritance. Every failing call must return the very same world object.
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS, NET, SCOPE } from './access.js';

const { EINVAL, ENOMSG, EBADF, E2BIG, ENOENT } = ERRNO;

describe('landlock_create_ruleset', () => {
  it('returns an O_CLOEXEC fd on a new ruleset living in world.rulesets by id', () => {
    const s = Sim.linux();
    const fd = s.ok(P, { op: 'ruleset_create', fs: FS.READ_FILE, net: NET.BIND_TCP, scoped: SCOPE.SIGNAL });
    expect(fd).toBe(3);
    expect(s.task(P).fds).toEqual([{ fd: 3, cloexec: true, obj: { kind: 'ruleset', id: 0 } }]);
    expect(s.world.rulesets[0]).toMatchObject({ id: 0, handledFs: FS.READ_FILE, handledNet: NET.BIND_TCP, scoped: SCOPE.SIGNAL });
    expect(s.world.rulesets[0]!.fsRules.size).toBe(0);
    const fd2 = s.ok(P, { op: 'ruleset_create', fs: FS.EXECUTE, net: 0, scoped: 0 });
    expect(fd2).toBe(4);
    expect(s.world.rulesets[1]!.id).toBe(1);
  });

  it('unknown fs / net / scope bits at ABI 7 → EINVAL [V: fs 1<<16, net 1<<2]', () => {
    const s = Sim.linux(7);
    expect(s.errno(P, { op: 'ruleset_create', fs: 1 << 16, net: 0, scoped: 0 })).toBe(EINVAL);
    expect(s.errno(P, { op: 'ruleset_create', fs: 0, net: 1 << 2, scoped: 0 })).toBe(EINVAL);
    expect(s.errno(P, { op: 'ruleset_create', fs: 0, net: 0, scoped: 1 << 2 })).toBe(EINVAL);
    expect(s.errno(P, { op: 'ruleset_create', fs: 2 ** 40, net: 0, scoped: 0 })).toBe(EINVAL);
  });

  it('fs, net and scoped all empty → ENOMSG [V]', () => {
    expect(Sim.linux().errno(P, { op: 'ruleset_create', fs: 0, net: 0, scoped: 0 })).toBe(ENOMSG);
  });

  it('a scope-only and a net-only ruleset are valid [V]', () => {
    const s = Sim.linux();
    expect(s.run(P, { op: 'ruleset_create', fs: 0, net: 0, scoped: SCOPE.SIGNAL }).kind).toBe('ok');
    expect(s.run(P, { op: 'ruleset_create', fs: 0, net: NET.CONNECT_TCP, scoped: 0 }).kind).toBe('ok');
  });

  it('bits per ABI: REFER from 2, TRUNCATE from 3, net from 4, IOCTL_DEV from 5, scopes from 6', () => {
    expect(Sim.linux(1).errno(P, { op: 'ruleset_create', fs: FS.REFER, net: 0, scoped: 0 })).toBe(EINVAL);
    expect(Sim.linux(2).run(P, { op: 'ruleset_create', fs: FS.REFER, net: 0, scoped: 0 }).kind).toBe('ok');
    expect(Sim.linux(2).errno(P, { op: 'ruleset_create', fs: FS.TRUNCATE, net: 0, scoped: 0 })).toBe(EINVAL);
    expect(Sim.linux(4).errno(P, { op: 'ruleset_create', fs: FS.IOCTL_DEV, net: 0, scoped: 0 })).toBe(EINVAL);
    expect(Sim.linux(5).run(P, { op: 'ruleset_create', fs: FS.IOCTL_DEV, net: 0, scoped: 0 }).kind).toBe('ok');
  });

  it('fields past the struct the ABI knows must be zero, else E2BIG (copy_struct_from_user)', () => {
    expect(Sim.linux(3).errno(P, { op: 'ruleset_create', fs: FS.READ_FILE, net: NET.BIND_TCP, scoped: 0 })).toBe(E2BIG);
    expect(Sim.linux(5).errno(P, { op: 'ruleset_create', fs: FS.READ_FILE, net: 0, scoped: SCOPE.SIGNAL })).toBe(E2BIG);
    expect(Sim.linux(3).run(P, { op: 'ruleset_create', fs: FS.READ_FILE, net: 0, scoped: 0 }).kind).toBe('ok');
  });

  it('supervisor rulesets are invalid without the mutable-domains switch', () => {
    const s = Sim.linux();
    const before = s.world;
    expect(s.run(P, { op: 'ruleset_create', fs: FS.READ_FILE, net: 0, scoped: 0, supervisor: true }).kind).toBe('invalid');
    expect(s.world).toBe(before);
    expect(s.run(P, { op: 'ruleset_supervisee', ruleset: 0 }).kind).toBe('invalid');
  });
});

describe('landlock_add_rule', () => {
  const setup = (abi = 7) => {
    const s = Sim.linux(abi);
    const rs = s.ruleset(P, FS.READ_FILE | FS.READ_DIR | FS.EXECUTE, abi >= 4 ? NET.BIND_TCP : 0);
    return { s, rs };
  };

  it('no ruleset fd → EBADF [V]', () => {
    const s = Sim.linux();
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE } })).toBe(EBADF);
  });

  it('unknown rule type → EINVAL [V]', () => {
    const { s, rs } = setup();
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'bogus', access: 1 } as never })).toBe(EINVAL);
  });

  it('allowed_access 0 → ENOMSG [V]', () => {
    const { s, rs } = setup();
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'path_beneath', path: '/a', access: 0 } })).toBe(ENOMSG);
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'net_port', port: 80, access: 0 } })).toBe(ENOMSG);
  });

  it('access ⊄ handled → EINVAL, incl. REFER not handled, net rule in fs-only, path rule in net-only [V]', () => {
    const { s, rs } = setup();
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'path_beneath', path: '/a', access: FS.WRITE_FILE } })).toBe(EINVAL);
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE | FS.REFER } })).toBe(EINVAL);
    const fsOnly = s.ruleset(P, FS.READ_FILE);
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: fsOnly, rule: { type: 'net_port', port: 80, access: NET.BIND_TCP } })).toBe(EINVAL);
    const netOnly = s.ruleset(P, 0, NET.BIND_TCP);
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: netOnly, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE } })).toBe(EINVAL);
    const scopeOnly = s.ruleset(P, 0, 0, SCOPE.SIGNAL);
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: scopeOnly, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE } })).toBe(EINVAL);
  });

  it('dir-only right on a non-directory → EINVAL; file rights on a file are fine [V]', () => {
    const { s, rs } = setup();
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'path_beneath', path: '/a/f', access: FS.READ_DIR } })).toBe(EINVAL);
    expect(s.rule(P, rs, { type: 'path_beneath', path: '/a/f', access: FS.READ_FILE }).kind).toBe('ok');
    expect(s.rule(P, rs, { type: 'path_beneath', path: '/dev/zero', access: FS.READ_FILE | FS.EXECUTE }).kind).toBe('ok');
    expect(s.rule(P, rs, { type: 'path_beneath', path: '/a', access: FS.READ_DIR }).kind).toBe('ok');
  });

  it('port > 65535 → EINVAL [V]; port 0 and 65535 are fine', () => {
    const { s, rs } = setup();
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'net_port', port: 65536, access: NET.BIND_TCP } })).toBe(EINVAL);
    expect(s.rule(P, rs, { type: 'net_port', port: 0, access: NET.BIND_TCP }).kind).toBe('ok');
    expect(s.rule(P, rs, { type: 'net_port', port: 65535, access: NET.BIND_TCP }).kind).toBe('ok');
  });

  it('NET_PORT rules are an unknown type before ABI 4 → EINVAL', () => {
    const { s, rs } = setup(3);
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'net_port', port: 80, access: NET.BIND_TCP } })).toBe(EINVAL);
  });

  it('a path not in the tree → ENOENT (the executor cannot open the parent fd)', () => {
    const { s, rs } = setup();
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'path_beneath', path: '/nope', access: FS.READ_FILE } })).toBe(ENOENT);
  });

  it('check order: open of the path, flags, fd, type, attr [V base_test *_checks_ordering]', () => {
    const s = Sim.linux();
    // No ruleset fd and a missing path: the open fails first.
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: 0, rule: { type: 'path_beneath', path: '/nope', access: 0 } })).toBe(ENOENT);
    // No ruleset fd beats an unknown type and an empty access.
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: 0, rule: { type: 'bogus', access: 0 } as never })).toBe(EBADF);
    const rs = s.ruleset(P, FS.READ_FILE, NET.BIND_TCP);
    // The type beats the attr (access 0 would be ENOMSG).
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'bogus', access: 0 } as never })).toBe(EINVAL);
    // Within the attr: ENOMSG before the port check, handled check before the port check.
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'net_port', port: 70000, access: 0 } })).toBe(ENOMSG);
    // ENOMSG before the non-directory check.
    expect(s.errno(P, { op: 'ruleset_add_rule', ruleset: rs, rule: { type: 'path_beneath', path: '/a/f', access: 0 } })).toBe(ENOMSG);
  });

  it('a second rule on the same inode or port ORs the masks', () => {
    const { s, rs } = setup();
    s.path(P, rs, '/a', FS.READ_FILE);
    s.path(P, rs, '/a', FS.READ_DIR);
    s.port(P, rs, 80, NET.BIND_TCP);
    s.port(P, rs, 80, NET.BIND_TCP);
    const r = s.world.rulesets[0]!;
    expect(r.fsRules.get('/a')).toBe(FS.READ_FILE | FS.READ_DIR);
    expect([...r.netRules]).toEqual([[80, NET.BIND_TCP]]);
  });

  it('commit is invalid without the mutable-domains switch', () => {
    const { s, rs } = setup();
    const before = s.world;
    expect(s.rule(P, rs, { type: 'path_beneath', path: '/a', access: FS.READ_FILE }, true).kind).toBe('invalid');
    expect(s.world).toBe(before);
  });
});

describe('ruleset fds', () => {
  it('are inherited on fork, shared by threads, closed on exec (O_CLOEXEC)', () => {
    const s = Sim.linux();
    s.ruleset(P, FS.READ_FILE);
    const c = s.fork(P);
    const t = s.thread(P);
    expect(s.task(c).fds.map((e) => e.obj)).toEqual([{ kind: 'ruleset', id: 0 }]);
    expect(s.task(t).fds).toBe(s.task(P).fds);
    s.ok(c, { op: 'exec' });
    expect(s.task(c).fds).toEqual([]);
  });

  it('every holder sees the same mutable ruleset (fork, send_fd) [V]', () => {
    const s = Sim.linux();
    const rs = s.ruleset(P, FS.READ_FILE);
    const c = s.fork(P);
    s.path(c, rs, '/b', FS.READ_FILE);
    expect(s.world.rulesets[0]!.fsRules.get('/b')).toBe(FS.READ_FILE);
    const d = s.fork(P);
    s.ok(P, { op: 'close_fd', fd: 0 });
    expect(s.task(P).fds).toEqual([]);
    s.ok(d, { op: 'send_fd', fd: 0, to: s.ref(P) });
    expect(s.task(P).fds[0]!.obj).toEqual({ kind: 'ruleset', id: 0 });
    expect(s.task(P).fds[0]!.cloexec).toBe(false);
    s.path(P, 0, '/c', FS.READ_FILE);
    expect(s.world.rulesets[0]!.fsRules.get('/c')).toBe(FS.READ_FILE);
  });
});
