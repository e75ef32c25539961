// File-system decisions (landlock.md §3): allow/deny per layer, the L1/L2 examples, unhandled
// rights, per-right unions, TRUNCATE, IOCTL_DEV, mount, request interpretation.
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS, NET, SCOPE } from './access.js';

const { EACCES, EPERM, ENOENT, EINVAL } = ERRNO;

describe('fs allow / deny', () => {
  it('only layers handling the right take part: with READ_FILE handled, write, mkdir, rmdir, readdir stay allowed [V]', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE }, { '/a': FS.READ_FILE });
    expect(s.fs(P, 'read_file', '/a/f')).toBe(0);
    expect(s.fs(P, 'read_file', '/a/s/g')).toBe(0);
    expect(s.fs(P, 'read_file', '/b/f')).toBe(EACCES);
    expect(s.fs(P, 'write_file', '/b/f')).toBe(0);
    expect(s.fs(P, 'make_dir', '/b')).toBe(0);
    expect(s.fs(P, 'remove_dir', '/a/s')).toBe(0);
    expect(s.fs(P, 'read_dir', '/b')).toBe(0);
  });

  it('L1 rule on A/f plus L2 rule on the ancestor WORK → A/f OK, B/f EACCES [V]', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE }, { '/a/f': FS.READ_FILE });
    s.sandbox(P, { fs: FS.READ_FILE }, { '/': FS.READ_FILE });
    expect(s.fs(P, 'read_file', '/a/f')).toBe(0);
    expect(s.fs(P, 'read_file', '/b/f')).toBe(EACCES);
  });

  it('L1 allows A, L2 allows B → A/f and B/f both EACCES [V]', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE }, { '/a': FS.READ_FILE });
    s.sandbox(P, { fs: FS.READ_FILE }, { '/b': FS.READ_FILE });
    expect(s.fs(P, 'read_file', '/a/f')).toBe(EACCES);
    expect(s.fs(P, 'read_file', '/b/f')).toBe(EACCES);
  });

  it('L1 grants read, L2 grants write: each allowed (the O_RDWR case needs both, each granted by its layer) [V]', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE }, { '/a': FS.READ_FILE });
    s.sandbox(P, { fs: FS.WRITE_FILE }, { '/a': FS.WRITE_FILE });
    expect(s.fs(P, 'read_file', '/a/f')).toBe(0);
    expect(s.fs(P, 'write_file', '/a/f')).toBe(0);
    expect(s.fs(P, 'write_file', '/b/f')).toBe(EACCES);
  });

  it('within one layer, grants are unioned right by right over the ancestors (5.19+)', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE | FS.EXECUTE }, { '/a': FS.READ_FILE, '/a/s/g': FS.EXECUTE });
    // execve needs EXECUTE | READ_FILE: one rule each.
    expect(s.fs(P, 'execute', '/a/s/g')).toBe(0);
    expect(s.fs(P, 'execute', '/a/f')).toBe(EACCES);
  });

  it('rules anywhere in the tree position do not matter; a rule on a file grants only that file', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE }, { '/b/f': FS.READ_FILE });
    expect(s.fs(P, 'read_file', '/b/f')).toBe(0);
    expect(s.fs(P, 'read_file', '/c/f')).toBe(EACCES);
  });

  it('an unhandled right is always allowed [V]', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.MAKE_BLOCK });
    for (const access of ['read_file', 'write_file', 'truncate'] as const) expect(s.fs(P, access, '/a/f')).toBe(0);
    expect(s.fs(P, 'make_block', '/a')).toBe(EACCES);
  });

  it('removals are checked on the parent, creations on the directory itself', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.REMOVE_FILE | FS.REMOVE_DIR | FS.MAKE_REG }, { '/a': FS.REMOVE_FILE | FS.REMOVE_DIR, '/c': FS.MAKE_REG });
    expect(s.fs(P, 'remove_file', '/a/f')).toBe(0);
    expect(s.fs(P, 'remove_file', '/a/s/g')).toBe(0);
    expect(s.fs(P, 'remove_file', '/b/f')).toBe(EACCES);
    expect(s.fs(P, 'remove_dir', '/a/s')).toBe(0);
    // /a itself lives in /, which grants nothing.
    expect(s.fs(P, 'remove_dir', '/a')).toBe(EACCES);
    expect(s.fs(P, 'make_reg', '/c')).toBe(0);
    expect(s.fs(P, 'make_reg', '/b')).toBe(EACCES);
  });

  it('no domain: everything meaningful is allowed', () => {
    const s = Sim.linux();
    expect(s.fs(P, 'read_file', '/a/f')).toBe(0);
    expect(s.decide(P, { kind: 'rename', from: '/a/f', to: '/b' })).toBe(0);
  });

  it('meaningless requests answer a fixed errno whatever the domain', () => {
    const s = Sim.linux();
    expect(s.fs(P, 'read_file', '/nope')).toBe(ENOENT);
    expect(s.fs(P, 'read_dir', '/a/f')).toBe(EINVAL);
    expect(s.fs(P, 'refer', '/a')).toBe(EINVAL);
    expect(s.fs(P, 'remove_dir', '/')).toBe(EINVAL);
    expect(s.fs(P, 'ioctl_dev', '/a/f')).toBe(EINVAL);
    expect(s.decide(P, { kind: 'link', from: '/a/s', to: '/b' })).toBe(EINVAL);
    expect(s.decide(P, { kind: 'rename', from: '/a', to: '/a/s' })).toBe(EINVAL);
    s.sandbox(P, { fs: FS.READ_FILE });
    expect(s.fs(P, 'read_file', '/nope')).toBe(ENOENT);
  });
});

describe('TRUNCATE (ABI 3) [V]', () => {
  it('WRITE_FILE granted but not TRUNCATE: truncate EACCES, write OK', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.WRITE_FILE | FS.TRUNCATE }, { '/c': FS.WRITE_FILE });
    expect(s.fs(P, 'write_file', '/c/f')).toBe(0);
    expect(s.fs(P, 'truncate', '/c/f')).toBe(EACCES);
  });

  it('TRUNCATE granted → OK; TRUNCATE not handled → OK even with WRITE_FILE denied', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.TRUNCATE }, { '/c': FS.TRUNCATE });
    expect(s.fs(P, 'truncate', '/c/f')).toBe(0);
    expect(s.fs(P, 'truncate', '/a/f')).toBe(EACCES);
    const s2 = Sim.linux();
    s2.sandbox(P, { fs: FS.WRITE_FILE });
    expect(s2.fs(P, 'truncate', '/c/f')).toBe(0);
  });
});

describe('IOCTL_DEV (ABI 5)', () => {
  it('a device ioctl needs IOCTL_DEV (and READ_FILE for the open) when handled [V: FIONREAD EACCES]', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE | FS.IOCTL_DEV }, { '/dev': FS.READ_FILE });
    expect(s.fs(P, 'read_file', '/dev/zero')).toBe(0);
    expect(s.fs(P, 'ioctl_dev', '/dev/zero')).toBe(EACCES);
    const s2 = Sim.linux();
    s2.sandbox(P, { fs: FS.READ_FILE | FS.IOCTL_DEV }, { '/dev/zero': FS.READ_FILE | FS.IOCTL_DEV });
    expect(s2.fs(P, 'ioctl_dev', '/dev/zero')).toBe(0);
    const s3 = Sim.linux();
    s3.sandbox(P, { fs: FS.READ_FILE }, { '/dev': FS.READ_FILE });
    expect(s3.fs(P, 'ioctl_dev', '/dev/zero')).toBe(0);
  });
});

describe('mount family: EPERM iff some layer handles an fs right [V]', () => {
  const mount = { kind: 'mount' } as const;
  it('fs domain → EPERM; net-only, scope-only or no domain → OK; net-only on top of fs → EPERM', () => {
    const s = Sim.linux();
    expect(s.decide(P, mount)).toBe(0);
    const net = s.fork(P);
    s.sandbox(net, { net: NET.BIND_TCP });
    expect(s.decide(net, mount)).toBe(0);
    const scope = s.fork(P);
    s.sandbox(scope, { scoped: SCOPE.SIGNAL });
    expect(s.decide(scope, mount)).toBe(0);
    const fs = s.fork(P);
    s.sandbox(fs, { fs: FS.MAKE_BLOCK });
    expect(s.decide(fs, mount)).toBe(EPERM);
    s.sandbox(fs, { net: NET.BIND_TCP });
    expect(s.decide(fs, mount)).toBe(EPERM);
    s.sandbox(net, { fs: FS.READ_FILE }, { '/': FS.READ_FILE });
    expect(s.decide(net, mount)).toBe(EPERM);
  });
});
