// The working directory and relative paths (model/task/cwd.ts).
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from '../landlock/testkit.js';
import { ERRNO } from '../errno.js';
import { FS } from '../landlock/access.js';
import { defaultFsTree } from '../landlock/fstree.js';
import { walkFrom } from './cwd.js';

const tree = defaultFsTree();

describe('walkFrom', () => {
  it('joins a relative path to the cwd, through directories, with . and ..', () => {
    expect(walkFrom(tree, '/a', 'f')).toEqual({ path: '/a/f' });
    expect(walkFrom(tree, '/a/s', '../../b/f')).toEqual({ path: '/b/f' });
    expect(walkFrom(tree, '/', './a/./s/g')).toEqual({ path: '/a/s/g' });
    expect(walkFrom(tree, '/a', '..')).toEqual({ path: '/' });
    expect(walkFrom(tree, '/a', 'nothing')).toEqual({ path: '/a/nothing' }); // the last component may be missing
    expect(walkFrom(tree, '/c', '/a/f')).toEqual({ path: '/a/f' }); // absolute: as it is
  });

  it('a walk through a file is ENOTDIR, through a missing directory ENOENT (the first failing component)', () => {
    expect(walkFrom(tree, '/a', 'f/x')).toEqual({ errno: ERRNO.ENOTDIR });
    expect(walkFrom(tree, '/a', 'gone/x')).toEqual({ errno: ERRNO.ENOENT });
    expect(walkFrom(tree, '/a', 'gone/f/x')).toEqual({ errno: ERRNO.ENOENT });
    expect(walkFrom(tree, '/', 'a/f/s/g')).toEqual({ errno: ERRNO.ENOTDIR });
  });

  it('does not follow a walk above the tree, or a path with an empty component', () => {
    expect(walkFrom(tree, '/a', '../..')).toHaveProperty('invalid', expect.stringContaining('climbs above'));
    expect(walkFrom(tree, '/a', 'gone/../../..')).toHaveProperty('invalid', expect.stringContaining('climbs above'));
    expect(walkFrom(tree, '/a', 's//g')).toHaveProperty('invalid', expect.stringContaining('empty component'));
  });
});

describe('chdir and relative probes', () => {
  it('chdir: ENOENT, ENOTDIR, ok; a fork copies the cwd, a thread shares it', () => {
    const s = Sim.linux();
    expect(s.errno(P, { op: 'chdir', path: '/nothing' })).toBe(ERRNO.ENOENT);
    expect(s.errno(P, { op: 'chdir', path: '/a/f' })).toBe(ERRNO.ENOTDIR);
    s.ok(P, { op: 'chdir', path: '/a' });
    const c = s.fork(P);
    const t = s.thread(P);
    expect(s.task(c).cwd).toBe('/a');
    s.ok(t, { op: 'chdir', path: 's' });
    expect(s.task(P).cwd).toBe('/a/s');
    expect(s.task(c).cwd).toBe('/a');
    s.ok(c, { op: 'chdir', path: '../b' });
    expect(s.task(c).cwd).toBe('/b');
    expect(s.task(P).cwd).toBe('/a/s');
  });

  it('a cwd taken before the sandbox opens nothing more: a relative probe is decided as its absolute path', () => {
    const s = Sim.linux();
    s.ok(P, { op: 'chdir', path: '/a' });
    s.sandbox(P, { fs: FS.READ_FILE | FS.READ_DIR }, { '/b': FS.READ_FILE });
    const probe = (path: string): unknown => {
      const r = s.run(P, { op: 'probe', request: { kind: 'fs', access: 'read_file', path } });
      return r.kind === 'probe' ? r.probe.outcome : r.kind;
    };
    expect(probe('f')).toEqual({ kind: 'errno', errno: ERRNO.EACCES, by: 'landlock' });
    expect(probe('../b/f')).toEqual({ kind: 'allow' });
    // chdir into a directory the domain may not list: no hook
    s.ok(P, { op: 'chdir', path: '/c' });
    expect(probe('../..')).toBe('invalid');
  });

  it('a failed lookup of a relative probe is the kernel\'s errno after seccomp, and no Landlock decision', () => {
    const s = Sim.linux();
    s.ok(P, { op: 'chdir', path: '/a' });
    s.sandbox(P, { fs: FS.READ_FILE });
    const outcome = (path: string): unknown => {
      const r = s.run(P, { op: 'probe', request: { kind: 'fs', access: 'read_file', path } });
      return r.kind === 'probe' ? r.probe.outcome : r.kind;
    };
    expect(outcome('f/x')).toEqual({ kind: 'errno', errno: ERRNO.ENOTDIR, by: 'kernel' });
    expect(outcome('gone/f')).toEqual({ kind: 'errno', errno: ERRNO.ENOENT, by: 'kernel' });
    expect(outcome('f')).toEqual({ kind: 'errno', errno: ERRNO.EACCES, by: 'landlock' });
    expect(s.errno(P, { op: 'chdir', path: 'f/x' })).toBe(ERRNO.ENOTDIR);
  });

  it('rmdir of "." is EINVAL and of ".." ENOTEMPTY, unlink of either EISDIR, before any hook (do_rmdir, do_unlinkat: found by strata conform)', () => {
    const s = Sim.linux();
    s.ok(P, { op: 'chdir', path: '/a/s' });
    s.sandbox(P, { fs: FS.REMOVE_DIR | FS.REMOVE_FILE });
    const outcome = (access: 'remove_dir' | 'remove_file', path: string): unknown => {
      const r = s.run(P, { op: 'probe', request: { kind: 'fs', access, path } });
      return r.kind === 'probe' ? r.probe.outcome : r.kind;
    };
    expect(outcome('remove_dir', '.')).toEqual({ kind: 'errno', errno: ERRNO.EINVAL, by: 'kernel' });
    expect(outcome('remove_dir', '..')).toEqual({ kind: 'errno', errno: ERRNO.ENOTEMPTY, by: 'kernel' });
    expect(outcome('remove_dir', '../s/..')).toEqual({ kind: 'errno', errno: ERRNO.ENOTEMPTY, by: 'kernel' });
    expect(outcome('remove_file', '.')).toEqual({ kind: 'errno', errno: ERRNO.EISDIR, by: 'kernel' });
    expect(outcome('remove_dir', '/a/s')).toEqual({ kind: 'errno', errno: ERRNO.EACCES, by: 'landlock' }); // its absolute path: the hook decides
  });

  it('removing an empty directory that is a task\'s working directory is not modelled (a full one: ENOTEMPTY, as always); in a supervised scenario a relative probe with ".." is not either', () => {
    const s = new Sim({ fs: { entries: [{ path: '/e', type: 'dir' }, { path: '/d', type: 'dir' }, { path: '/d/f', type: 'file' }] } });
    s.ok(P, { op: 'chdir', path: '/e' });
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'remove_dir', path: '/e' } }).kind).toBe('invalid');
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'remove_dir', path: '.' } }).kind).toBe('invalid');
    s.ok(P, { op: 'chdir', path: '/d' });
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'remove_dir', path: '/d' } }).kind).toBe('probe');
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'remove_dir', path: '/e' } }).kind).toBe('probe');
    s.ok(P, { op: 'notif_supervise' });
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'read_dir', path: '../e' } }).kind).toBe('invalid');
    expect(s.run(P, { op: 'probe', request: { kind: 'fs', access: 'read_file', path: 'f' } }).kind).toBe('probe');
  });
});
