// Relations between domains (landlock.md §4): signal and abstract-socket scopes, ptrace.
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS, NET, SCOPE } from './access.js';

const { EPERM } = ERRNO;
const signal = (s: Sim, from: number, to: number) => s.decide(from, { kind: 'signal', target: s.ref(to) });
const unix = (s: Sim, from: number, to: number) => s.decide(from, { kind: 'abstract_unix', target: s.ref(to) });
const ptrace = (s: Sim, from: number, to: number) => s.decide(from, { kind: 'ptrace', target: s.ref(to) });

describe('SCOPE_SIGNAL [V]', () => {
  it('scoped child → unsandboxed parent EPERM; itself OK; parent → scoped child OK', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { scoped: SCOPE.SIGNAL });
    expect(signal(s, c, P)).toBe(EPERM);
    expect(signal(s, c, c)).toBe(0);
    expect(signal(s, P, c)).toBe(0);
  });

  it('child → its nested grandchild OK; nested → outer EPERM', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { scoped: SCOPE.SIGNAL });
    const g = s.fork(c);
    s.sandbox(g, { scoped: SCOPE.SIGNAL });
    expect(signal(s, c, g)).toBe(0);
    expect(signal(s, g, c)).toBe(EPERM);
  });

  it('same domain OK; sibling scoped domains EPERM', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { scoped: SCOPE.SIGNAL });
    const c1 = s.fork(c);
    const c2 = s.fork(c);
    expect(signal(s, c1, c2)).toBe(0);
    const a = s.fork(P);
    const b = s.fork(P);
    s.sandbox(a, { scoped: SCOPE.SIGNAL });
    s.sandbox(b, { scoped: SCOPE.SIGNAL });
    expect(signal(s, a, b)).toBe(EPERM);
    expect(signal(s, b, a)).toBe(EPERM);
  });

  it('L1 scoped + L2 fs-only → the L1 owner OK; → outside EPERM', () => {
    const s = Sim.linux();
    const owner = s.fork(P);
    s.sandbox(owner, { scoped: SCOPE.SIGNAL });
    const c = s.fork(owner);
    s.sandbox(c, { fs: FS.READ_FILE });
    expect(signal(s, c, owner)).toBe(0);
    expect(signal(s, c, P)).toBe(EPERM);
  });

  it('fs-only domain → parent OK; layers that do not set the bit do not matter', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { fs: FS.READ_FILE, scoped: SCOPE.ABSTRACT_UNIX_SOCKET });
    expect(signal(s, c, P)).toBe(0);
  });

  it('threads of one process may always signal each other (erratum 2)', () => {
    const s = Sim.linux();
    const t = s.thread(P);
    s.sandbox(t, { scoped: SCOPE.SIGNAL });
    expect(signal(s, t, P)).toBe(0);
    expect(signal(s, P, t)).toBe(0);
    const other = s.fork(P);
    expect(signal(s, t, other)).toBe(EPERM);
  });
});

describe('SCOPE_ABSTRACT_UNIX_SOCKET [V]', () => {
  it('scoped child → parent\'s abstract socket EPERM; → its own OK; fs-only child → parent OK', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(c, { scoped: SCOPE.ABSTRACT_UNIX_SOCKET });
    expect(unix(s, c, P)).toBe(EPERM);
    expect(unix(s, c, c)).toBe(0);
    expect(unix(s, P, c)).toBe(0);
    const f = s.fork(P);
    s.sandbox(f, { fs: FS.READ_FILE, scoped: SCOPE.SIGNAL });
    expect(unix(s, f, P)).toBe(0);
  });

  it('no thread exemption: the socket creator\'s domain decides', () => {
    const s = Sim.linux();
    const t = s.thread(P);
    s.sandbox(t, { scoped: SCOPE.ABSTRACT_UNIX_SOCKET });
    expect(unix(s, t, P)).toBe(EPERM);
  });
});

describe('ptrace [V: 8-case parent/child matrix]', () => {
  it('none: both ways OK', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    expect([ptrace(s, P, c), ptrace(s, c, P)]).toEqual([0, 0]);
  });

  it('same domain (restricted before fork): both ways OK', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE });
    const c = s.fork(P);
    expect([ptrace(s, P, c), ptrace(s, c, P)]).toEqual([0, 0]);
  });

  it('nested (child restricts further): parent → child OK, child → parent EPERM', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE });
    const c = s.fork(P);
    s.sandbox(c, { fs: FS.WRITE_FILE });
    expect([ptrace(s, P, c), ptrace(s, c, P)]).toEqual([0, EPERM]);
  });

  it('unrelated domains: both ways EPERM', () => {
    const s = Sim.linux();
    const c = s.fork(P);
    s.sandbox(P, { fs: FS.READ_FILE });
    s.sandbox(c, { fs: FS.READ_FILE });
    expect([ptrace(s, P, c), ptrace(s, c, P)]).toEqual([EPERM, EPERM]);
  });

  it('a net-only or scope-only child still cannot attach to its unsandboxed parent', () => {
    const s = Sim.linux();
    const n = s.fork(P);
    s.sandbox(n, { net: NET.BIND_TCP });
    const sc = s.fork(P);
    s.sandbox(sc, { scoped: SCOPE.SIGNAL });
    expect(ptrace(s, n, P)).toBe(EPERM);
    expect(ptrace(s, sc, P)).toBe(EPERM);
    expect(ptrace(s, P, n)).toBe(0);
  });

  it('threads of one group are exempt (__ptrace_may_access)', () => {
    const s = Sim.linux();
    const t = s.thread(P);
    s.sandbox(t, { fs: FS.READ_FILE });
    expect(ptrace(s, t, P)).toBe(0);
  });
});

describe('reach only shrinks along fork / exec / restrict', () => {
  it('a child\'s new layer nests inside the old domain: the old domain still reaches it', () => {
    const s = Sim.linux();
    s.sandbox(P, { scoped: SCOPE.SIGNAL | SCOPE.ABSTRACT_UNIX_SOCKET });
    const c = s.fork(P);
    s.ok(c, { op: 'exec' });
    s.sandbox(c, { scoped: SCOPE.SIGNAL });
    expect(signal(s, P, c)).toBe(0);
    expect(unix(s, P, c)).toBe(0);
    expect(ptrace(s, P, c)).toBe(0);
    expect(signal(s, c, P)).toBe(EPERM);
  });
});
