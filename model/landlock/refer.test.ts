// REFER / reparenting (landlock.md §3 "Special rights", fs.c:current_check_refer_path): the
// verified matrix, the non-fs-layer quirk, and the no_more_access rule.
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS, NET, SCOPE } from './access.js';
import type { ReparentRequest } from '../request.js';

const { EACCES, EXDEV } = ERRNO;
const MOVE = FS.MAKE_REG | FS.REMOVE_FILE;
const rename = (from: string, to: string): ReparentRequest => ({ kind: 'rename', from, to });
const link = (from: string, to: string): ReparentRequest => ({ kind: 'link', from, to });
const exchange = (from: string, to: string): ReparentRequest => ({ kind: 'exchange', from, to });

describe('REFER matrix [V]', () => {
  it('REFER not handled: same-directory rename and link OK; cross-directory rename and link EXDEV', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: MOVE | FS.READ_FILE }, { '/': MOVE | FS.READ_FILE });
    expect(s.decide(P, rename('/a/f', '/a'))).toBe(0);
    expect(s.decide(P, link('/a/f', '/a'))).toBe(0);
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(EXDEV);
    expect(s.decide(P, link('/a/f', '/b'))).toBe(EXDEV);
  });

  it('REFER granted on the common ancestor: OK', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: MOVE | FS.REFER }, { '/': MOVE | FS.REFER });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(0);
    expect(s.decide(P, link('/a/f', '/b'))).toBe(0);
    expect(s.decide(P, rename('/a/s/g', '/c'))).toBe(0);
  });

  it('destination lacks MAKE_REG: EACCES, which wins over EXDEV', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: MOVE | FS.REFER }, { '/': FS.REFER | FS.REMOVE_FILE, '/a': FS.MAKE_REG });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(EACCES);
    expect(s.decide(P, link('/a/f', '/b'))).toBe(EACCES);
    // REFER not handled at all: the missing MAKE_REG still gives EACCES, not EXDEV.
    const s2 = Sim.linux();
    s2.sandbox(P, { fs: MOVE }, { '/': FS.REMOVE_FILE, '/a': FS.MAKE_REG });
    expect(s2.decide(P, rename('/a/f', '/b'))).toBe(EACCES);
    // ... and so does a same-directory rename.
    expect(s2.decide(P, rename('/b/f', '/b'))).toBe(EACCES);
  });

  it('source lacks REMOVE_FILE: rename EACCES; link needs no removal', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: MOVE | FS.REFER }, { '/': FS.REFER | FS.MAKE_REG, '/b': FS.REMOVE_FILE });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(EACCES);
    expect(s.decide(P, link('/a/f', '/b'))).toBe(0);
  });

  it('moving a file from an unreadable directory into a readable one: EXDEV; the other way: OK', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: MOVE | FS.REFER | FS.READ_FILE }, { '/': MOVE | FS.REFER, '/b': FS.READ_FILE });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(EXDEV);
    expect(s.decide(P, link('/a/f', '/b'))).toBe(EXDEV);
    expect(s.decide(P, rename('/b/f', '/a'))).toBe(0);
  });
});

describe('the non-fs-layer quirk [V]', () => {
  const fsLayer = (s: Sim) => s.sandbox(P, { fs: MOVE | FS.REFER }, { '/': MOVE | FS.REFER });

  it('L1 fs (REFER granted) + L2 net-only → cross-directory rename EXDEV; same directory still OK', () => {
    const s = Sim.linux();
    fsLayer(s);
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(0);
    s.sandbox(P, { net: NET.BIND_TCP });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(EXDEV);
    expect(s.decide(P, link('/a/f', '/b'))).toBe(EXDEV);
    expect(s.decide(P, rename('/a/f', '/a'))).toBe(0);
  });

  it('L2 scope-only, or L2 handling only READ_FILE (granted everywhere) → EXDEV', () => {
    const s = Sim.linux();
    fsLayer(s);
    s.sandbox(P, { scoped: SCOPE.SIGNAL });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(EXDEV);
    const s2 = Sim.linux();
    fsLayer(s2);
    s2.sandbox(P, { fs: FS.READ_FILE }, { '/': FS.READ_FILE });
    expect(s2.decide(P, rename('/a/f', '/b'))).toBe(EXDEV);
  });

  it('a net-only layer below an fs layer → EXDEV', () => {
    const s = Sim.linux();
    s.sandbox(P, { net: NET.BIND_TCP });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(0);
    fsLayer(s);
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(EXDEV);
  });

  it('a domain with no fs layer (net-only, net + scope) does not restrict rename: OK', () => {
    const s = Sim.linux();
    s.sandbox(P, { net: NET.BIND_TCP });
    s.sandbox(P, { scoped: SCOPE.SIGNAL | SCOPE.ABSTRACT_UNIX_SOCKET });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(0);
    expect(s.decide(P, link('/a/f', '/c'))).toBe(0);
  });
});

describe('no_more_access: the moved object must not gain rights', () => {
  const base = MOVE | FS.MAKE_DIR | FS.REMOVE_DIR | FS.REFER;

  it('a file\'s own rule travels with it', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: base | FS.READ_FILE }, { '/': base, '/a/f': FS.READ_FILE, '/b': FS.READ_FILE });
    // /a/f keeps READ_FILE through its own rule: no gain in /b.
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(0);
    // /a/s/g has none: it would gain READ_FILE in /b.
    expect(s.decide(P, rename('/a/s/g', '/b'))).toBe(EXDEV);
  });

  it('for a file only file rights count; for a directory every right does', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: base | FS.READ_DIR }, { '/': base, '/b': FS.READ_DIR });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(0);
    expect(s.decide(P, rename('/a/s', '/b'))).toBe(EXDEV);
    expect(s.decide(P, rename('/c', '/b'))).toBe(EXDEV);
    // Into a more restricted place is fine.
    expect(s.decide(P, rename('/b/f', '/a'))).toBe(0);
  });

  it('directories need MAKE_DIR on the destination and REMOVE_DIR on the source', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: base }, { '/': FS.REFER | FS.REMOVE_DIR, '/a': FS.MAKE_DIR, '/c': FS.MAKE_DIR });
    expect(s.decide(P, rename('/a/s', '/c'))).toBe(0);
    expect(s.decide(P, rename('/a/s', '/b'))).toBe(EACCES);
    // A directory moved to where MAKE_DIR is granted would gain it inside: EXDEV.
    const s2 = Sim.linux();
    s2.sandbox(P, { fs: base }, { '/': FS.REFER | FS.REMOVE_DIR, '/c': FS.MAKE_DIR });
    expect(s2.decide(P, rename('/a/s', '/c'))).toBe(EXDEV);
  });

  it('every layer must grant REFER on both sides', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: MOVE | FS.REFER }, { '/': MOVE | FS.REFER });
    s.sandbox(P, { fs: FS.REFER }, { '/a': FS.REFER, '/b': FS.REFER });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(0);
    expect(s.decide(P, rename('/a/f', '/c'))).toBe(EXDEV);
  });

  it('ABI 1 cannot handle REFER: every cross-directory move in an fs domain is EXDEV', () => {
    const s = Sim.linux(1);
    s.sandbox(P, { fs: MOVE }, { '/': MOVE });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(EXDEV);
    expect(s.decide(P, rename('/a/f', '/a'))).toBe(0);
  });
});

describe('RENAME_EXCHANGE (delegation.md M4): both directions', () => {
  it('each side needs MAKE_<incoming type> and REMOVE_<outgoing type>: EACCES, which wins over EXDEV', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: MOVE | FS.REFER }, { '/': FS.REMOVE_FILE | FS.REFER, '/b': FS.MAKE_REG });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(0); // A gives no MAKE_REG, but nothing comes into A
    expect(s.decide(P, exchange('/a/f', '/b/f'))).toBe(EACCES);
    expect(s.decide(P, exchange('/b/f', '/a/f'))).toBe(EACCES);
  });

  it('neither object may gain rights: a file from an unreadable directory, or a directory gaining MAKE_DIR', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: MOVE | FS.REFER | FS.READ_FILE }, { '/': MOVE | FS.REFER, '/a': FS.READ_FILE });
    expect(s.decide(P, rename('/a/f', '/b'))).toBe(0);
    expect(s.decide(P, exchange('/a/f', '/b/f'))).toBe(EXDEV); // /b/f would gain READ_FILE under /a
    const d = Sim.linux();
    const DIRS = FS.MAKE_DIR | FS.REMOVE_DIR;
    d.sandbox(P, { fs: MOVE | DIRS | FS.REFER }, { '/': MOVE | FS.REMOVE_DIR | FS.REFER, '/b': FS.MAKE_DIR });
    expect(d.decide(P, exchange('/b/f', '/a/s'))).toBe(EXDEV); // /a/s would gain MAKE_DIR under /b
  });

  it('within one directory no REFER is needed; an entry with itself still meets the hook', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: MOVE | FS.REFER }, { '/': MOVE });
    expect(s.decide(P, exchange('/a/f', '/b/f'))).toBe(EXDEV);
    expect(s.decide(P, exchange('/a/f', '/a/f'))).toBe(0);
    const t = Sim.linux();
    t.sandbox(P, { fs: MOVE }, { '/b': MOVE });
    expect(t.decide(P, exchange('/a/f', '/a/f'))).toBe(EACCES);
  });

  it('not meaningful: the root, or one side containing the other (lock_rename\'s trap) → EINVAL; a missing side → ENOENT', () => {
    const s = Sim.linux();
    expect(s.decide(P, exchange('/', '/a'))).toBe(ERRNO.EINVAL);
    expect(s.decide(P, exchange('/a', '/a/s/g'))).toBe(ERRNO.EINVAL);
    expect(s.decide(P, exchange('/a/s/g', '/a'))).toBe(ERRNO.EINVAL);
    expect(s.decide(P, exchange('/a/f', '/nope'))).toBe(ERRNO.ENOENT);
  });
});

