// Mounts of the tree's own directories (model/landlock/fstree.ts): rules are on inodes, the walk
// goes up the visible path, skipping a bind mount's hidden mount point and stopping at a detached
// mount's root (fs.c:is_access_to_paths_allowed); rename/link across mounts is EXDEV first.
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { ERRNO } from '../errno.js';
import { FS } from './access.js';
import { defaultFsTree, fsIndex, mountsFsTree, validateFsTree } from './fstree.js';
import type { FsTree } from './fstree.js';
import { walkFrom } from '../task/cwd.js';

const fs = mountsFsTree();
const sim = (): Sim => Sim.linux(7, { fs });
const R = FS.READ_FILE;

describe('the index of a tree with mounts', () => {
  it('visible paths name inodes of the tree; the walk parent of a bind root is the mount point\'s parent, a detached root has none', () => {
    const ix = fsIndex(fs);
    expect(ix.canonOf('/c/m')).toBe('/a/s');
    expect(ix.canonOf('/c/m/g')).toBe('/a/s/g');
    expect(ix.canonOf('/d/s/g')).toBe('/a/s/g');
    expect(ix.canonOf('/d')).toBe('/a');
    expect(ix.paths[ix.parent[ix.indexOf('/c/m')]!]).toBe('/c');
    expect(ix.parent[ix.indexOf('/d')]).toBe(-1);
    expect(ix.isMountRoot(ix.indexOf('/c/m'))).toBe(true);
    expect(ix.isMountRoot(ix.indexOf('/d'))).toBe(true);
    expect(ix.isMountRoot(ix.indexOf('/c/m/g'))).toBe(false);
    expect(ix.typeOf('/d/f')).toBe('file');
    // the hidden mount point is a node no path names
    expect(ix.size).toBe(ix.paths.length + 1);
    expect(ix.canon[ix.hiddenAt[ix.indexOf('/c/m')]!]).toBe('/c/m');
  });

  it('validation names each misplaced mount', () => {
    const base = defaultFsTree().entries;
    const bad = (mounts: FsTree['mounts'], entries = base): string[] => validateFsTree({ entries, mounts });
    expect(validateFsTree(fs)).toEqual([]);
    expect(bad([{ source: '/a/f', at: '/b' }])[0]).toMatch(/source "\/a\/f" is not a directory/);
    expect(bad([{ source: '/a', at: '/b' }])[0]).toMatch(/the mount point has entries/);
    expect(bad([{ source: '/a', at: '/a/x' }], [...base, { path: '/a/x', type: 'dir' }])[0]).toMatch(/inside the source \/a/);
    expect(bad([{ source: '/a', at: '/nope' }])[0]).toMatch(/not a directory of the tree/);
    expect(bad([{ source: '/a', at: '/b', detached: true }])[0]).toMatch(/top-level name that is no entry/);
    expect(bad([{ source: '/a', at: '/x/y', detached: true }])[0]).toMatch(/top-level name/);
    expect(bad([{ source: '/a', at: '/x', detached: true }, { source: '/b', at: '/x', detached: true }])[0]).toMatch(/two mounts there/);
    expect(bad(Array.from({ length: 5 }, (_, k) => ({ source: '/a', at: `/x${k}`, detached: true })))[0]).toMatch(/at most 4/);
  });
});

describe('Landlock through a bind mount', () => {
  it('a rule above the mount point reaches the mounted files; one above the source does not', () => {
    const s = sim();
    s.sandbox(P, { fs: R }, { '/c': R });
    expect(s.fs(P, 'read_file', '/c/m/g')).toBe(0);
    expect(s.fs(P, 'read_file', '/a/s/g')).toBe(ERRNO.EACCES);
    const t = sim();
    t.sandbox(P, { fs: R }, { '/a': R });
    expect(t.fs(P, 'read_file', '/a/s/g')).toBe(0);
    expect(t.fs(P, 'read_file', '/c/m/g')).toBe(ERRNO.EACCES);
  });

  it('a rule is on the inode: added through the mount it reaches the source\'s path too, and the other way round', () => {
    const s = sim();
    s.sandbox(P, { fs: R }, { '/c/m': R });
    expect(s.fs(P, 'read_file', '/a/s/g')).toBe(0);
    expect(s.fs(P, 'read_file', '/c/m/g')).toBe(0);
    expect(s.fs(P, 'read_file', '/a/f')).toBe(ERRNO.EACCES);
    const t = sim();
    t.sandbox(P, { fs: R }, { '/a/s/g': R });
    expect(t.fs(P, 'read_file', '/c/m/g')).toBe(0);
  });

  it('rename and link across mounts: EXDEV before any hook, whatever the domain', () => {
    const s = sim();
    expect(s.decide(P, { kind: 'rename', from: '/c/m/g', to: '/a' })).toBe(ERRNO.EXDEV);
    expect(s.decide(P, { kind: 'link', from: '/a/f', to: '/c/m' })).toBe(ERRNO.EXDEV);
    expect(s.decide(P, { kind: 'exchange', from: '/c/m/g', to: '/a/s/g' })).toBe(ERRNO.EXDEV);
    expect(s.decide(P, { kind: 'rename', from: '/d/f', to: '/a' })).toBe(ERRNO.EXDEV);
    // within one mount: decided as usual
    expect(s.decide(P, { kind: 'rename', from: '/d/f', to: '/d/s' })).toBe(0);
    s.sandbox(P, { fs: FS.MAKE_REG | FS.REMOVE_FILE | FS.REFER }, { '/c/m': FS.MAKE_REG | FS.REMOVE_FILE | FS.REFER });
    expect(s.decide(P, { kind: 'rename', from: '/c/m/g', to: '/c/m' })).toBe(0);
    expect(s.decide(P, { kind: 'rename', from: '/c/m/g', to: '/a' })).toBe(ERRNO.EXDEV);
    expect(s.decide(P, { kind: 'rename', from: '/a/s/g', to: '/a/s' })).toBe(0); // the same inode, through the source
  });

  it('renaming the mount point: Landlock sees the hidden mount point as the entry moved (its rules, none), then EBUSY', () => {
    const s = sim();
    // REFER granted on both parents, but no rule can be on the hidden mount point: it would gain rights
    // (the rule on /c/m is on the mounted /a/s, not on the entry the rename moves)
    s.sandbox(P, { fs: FS.MAKE_DIR | FS.REMOVE_DIR | FS.REFER | R }, { '/c': FS.MAKE_DIR | FS.REMOVE_DIR | FS.REFER, '/b': FS.MAKE_DIR | FS.REFER | R, '/c/m': R });
    expect(s.decide(P, { kind: 'rename', from: '/c/m', to: '/b' })).toBe(ERRNO.EXDEV);
    const t = sim();
    t.sandbox(P, { fs: FS.MAKE_DIR | FS.REMOVE_DIR }, { '/c': FS.MAKE_DIR | FS.REMOVE_DIR });
    expect(t.decide(P, { kind: 'rename', from: '/c/m', to: '/c' })).toBe(0); // same directory; the kernel then says EBUSY
    expect(t.fs(P, 'remove_dir', '/c/m')).toBe(0); // REMOVE_DIR on /c; the kernel then says EBUSY
  });
});

describe('Landlock through a detached mount', () => {
  it('the walk stops at the detached root: a rule on the tree\'s root does not reach it, one on the source does', () => {
    const s = sim();
    s.sandbox(P, { fs: R }, { '/': R });
    expect(s.fs(P, 'read_file', '/a/f')).toBe(0);
    expect(s.fs(P, 'read_file', '/d/f')).toBe(ERRNO.EACCES);
    const t = sim();
    t.sandbox(P, { fs: R }, { '/a': R });
    expect(t.fs(P, 'read_file', '/d/f')).toBe(0);
    expect(t.fs(P, 'read_file', '/d/s/g')).toBe(0);
  });

  it('`..` at its root stays there; naming the root in a removal or rename is not modelled', () => {
    expect(walkFrom(fs, '/d', '..')).toEqual({ path: '/d' });
    expect(walkFrom(fs, '/d', '../s/g')).toEqual({ path: '/d/s/g' });
    expect(walkFrom(fs, '/d/s', '..')).toEqual({ path: '/d' });
    const s = sim();
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'remove_dir', path: '/d' } }).kind).toBe('invalid');
    expect(s.run(P, { op: 'probe', request: { kind: 'rename', from: '/d', to: '/b' } }).kind).toBe('invalid');
    expect(s.run(P, { op: 'probe', request: { kind: 'exchange', from: '/b', to: '/d' } }).kind).toBe('invalid');
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'remove_dir', path: '/d/s' } }).kind).toBe('probe');
    s.ok(P, { op: 'chdir', path: '/d' });
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'remove_dir', path: '../d' } }).kind).toBe('probe'); // "../d" from /d is /d/d: missing
  });

  it('removing the inode of a task\'s working directory through another path is not modelled either', () => {
    const tree: FsTree = { entries: [...defaultFsTree().entries, { path: '/e', type: 'dir' }, { path: '/c/m', type: 'dir' }], mounts: [{ source: '/e', at: '/c/m' }] };
    const s = Sim.linux(7, { fs: tree });
    s.ok(P, { op: 'chdir', path: '/c/m' });
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'remove_dir', path: '/e' } }).kind).toBe('invalid');
  });
});

describe('umount of a mount of the tree (model/landlock/umount.ts)', () => {
  it('in the kernel\'s order: ENOENT, EPERM without CAP_SYS_ADMIN, EINVAL for no mount\'s root or a detached one, EPERM in an fs domain, EBUSY while a cwd is inside', () => {
    const s = sim();
    const c = s.fork(P);
    expect(s.errno(P, { op: 'umount', path: '/nope' })).toBe(ERRNO.ENOENT);
    expect(s.errno(P, { op: 'umount', path: '/c' })).toBe(ERRNO.EINVAL);
    expect(s.errno(P, { op: 'umount', path: '/c/m/g' })).toBe(ERRNO.EINVAL);
    expect(s.errno(P, { op: 'umount', path: '/d' })).toBe(ERRNO.EINVAL);
    s.ok(c, { op: 'drop_cap' });
    expect(s.errno(c, { op: 'umount', path: '/c/m' })).toBe(ERRNO.EPERM);
    const d = s.fork(P);
    s.sandbox(d, { fs: FS.READ_FILE });
    expect(s.errno(d, { op: 'umount', path: '/c/m' })).toBe(ERRNO.EPERM);
    expect(s.errno(d, { op: 'umount', path: '/nope' })).toBe(ERRNO.ENOENT); // the lookup comes first
    s.ok(c, { op: 'chdir', path: '/c/m' });
    expect(s.errno(P, { op: 'umount', path: '/c/m' })).toBe(ERRNO.EBUSY);
    s.ok(c, { op: 'chdir', path: '/' });
    expect(s.ok(P, { op: 'umount', path: '/c/m' })).toBe(0);
    expect(s.errno(P, { op: 'umount', path: '/c/m' })).toBe(ERRNO.EINVAL); // no mount there any more
  });

  it('after it the mount point shows the directory it hid; rules added through the mount stay on the source\'s inodes', () => {
    const s = sim();
    const before = s.world.fs;
    s.sandbox(s.fork(P), { fs: R | FS.READ_DIR }, { '/c/m': R | FS.READ_DIR });
    const c = 101;
    expect(s.fs(c, 'read_file', '/c/m/g')).toBe(0);
    expect(s.fs(c, 'read_dir', '/c/m')).toBe(0);
    s.ok(P, { op: 'umount', path: '/c/m' });
    expect(s.world.fs).not.toBe(before);
    expect(s.world.fs.mounts).toEqual([{ source: '/a', at: '/d', detached: true }]);
    expect(s.fs(c, 'read_file', '/c/m/g')).toBe(ERRNO.ENOENT);
    expect(s.fs(c, 'read_dir', '/c/m')).toBe(ERRNO.EACCES); // the hidden directory: no rule on it
    expect(s.fs(c, 'read_file', '/a/s/g')).toBe(0);
    // one shared tree value per unmount (the per-tree caches are reused)
    const t = sim();
    t.ok(P, { op: 'umount', path: '/c/m' });
    expect(t.world.fs).toBe(s.world.fs);
  });
});
