// The model file system: helpers and validation.
import { describe, it, expect } from 'vitest';
import { defaultFsTree, parentPath, ancestors, ancestorsOrSelf, baseName, isAncestorOrSelf, validateFsTree, typeOf, fsIndex } from './fstree.js';

describe('fs tree', () => {
  it('parent, ancestors up to the root, base name, type lookup', () => {
    expect(parentPath('/a/s/g')).toBe('/a/s');
    expect(parentPath('/a')).toBe('/');
    expect(parentPath('/')).toBe(null);
    expect(ancestors('/a/s/g')).toEqual(['/a/s', '/a', '/']);
    expect(ancestorsOrSelf('/a')).toEqual(['/a', '/']);
    expect(baseName('/a/s/g')).toBe('g');
    expect(isAncestorOrSelf('/a', '/a/s/g')).toBe(true);
    expect(isAncestorOrSelf('/a', '/ab')).toBe(false);
    expect(isAncestorOrSelf('/', '/ab')).toBe(true);
    const t = defaultFsTree();
    expect(typeOf(t, '/')).toBe('dir');
    expect(typeOf(t, '/dev/zero')).toBe('dev');
    expect(typeOf(t, '/a/f')).toBe('file');
    expect(typeOf(t, '/x')).toBe(undefined);
  });

  it('validation: absolute normalised paths whose parents exist and are directories', () => {
    expect(validateFsTree(defaultFsTree())).toEqual([]);
    const errors = validateFsTree({
      entries: [
        { path: 'a', type: 'dir' },
        { path: '/b/', type: 'dir' },
        { path: '/c/../d', type: 'dir' },
        { path: '/x/y', type: 'file' },
        { path: '/f', type: 'file' },
        { path: '/f/g', type: 'file' },
        { path: '/f', type: 'dir' },
      ],
    });
    expect(errors).toHaveLength(6);
    expect(errors.join('\n')).toMatch(/\/x\/y: parent \/x does not exist/);
    expect(errors.join('\n')).toMatch(/\/f\/g: parent \/f is not a directory/);
    expect(errors.join('\n')).toMatch(/\/f: duplicate/);
  });

  it('index: root first, parents before children, cached per tree', () => {
    const t = { entries: [{ path: '/a/b', type: 'file' as const }, { path: '/a', type: 'dir' as const }] };
    const ix = fsIndex(t);
    expect(ix.paths).toEqual(['/', '/a', '/a/b']);
    expect([...ix.parent]).toEqual([-1, 0, 1]);
    expect(fsIndex(t)).toBe(ix);
    expect(() => fsIndex({ entries: [{ path: '/x/y', type: 'dir' }] })).toThrow(/parent/);
  });
});
