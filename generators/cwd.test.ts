// The generator's working directories (generators/cwd.ts): relative paths that only descend.
import { describe, it, expect } from 'vitest';
import { beneath, chdirOp, fromCwd } from './cwd.js';
import { Population } from './population.js';
import type { Rng } from './pick.js';

/** An Rng whose every draw is the lowest value (chance → true, pick → the first). */
const lowest: Rng = { nextInt: (lo: number) => lo } as unknown as Rng;

describe('generated working directories', () => {
  it('beneath: a path under the directory, "." for itself, null elsewhere (never "..")', () => {
    expect(beneath('/a', '/a/s/g')).toBe('s/g');
    expect(beneath('/a', '/a')).toBe('.');
    expect(beneath('/', '/b/f')).toBe('b/f');
    expect(beneath('/a', '/ab/f')).toBeNull();
    expect(beneath('/a/s', '/a/f')).toBeNull();
  });

  it('a chdir into a directory moves the population\'s idea of the group; a fork copies it; probes are worded from it', () => {
    const pop = new Population();
    const op = chdirOp({ nextInt: (lo: number, hi: number) => (hi === 19 ? 5 : lo) } as unknown as Rng, pop, 0, ['/a', '/b'], ['/a/f']);
    expect(op).toEqual({ op: 'chdir', task: 0, path: 'a' });
    expect(pop.cwd(0)).toBe('/a');
    pop.fork(0);
    expect(pop.cwd(1)).toBe('/a');
    expect(fromCwd(lowest, pop, 1, { kind: 'fs', access: 'read_file', path: '/a/f' })).toEqual({ kind: 'fs', access: 'read_file', path: 'f' });
    expect(fromCwd(lowest, pop, 1, { kind: 'fs', access: 'read_file', path: '/b/f' })).toEqual({ kind: 'fs', access: 'read_file', path: '/b/f' });
  });

  it('a chdir to a file or to no entry leaves the population where it was', () => {
    const pop = new Population();
    chdirOp({ nextInt: (lo: number, hi: number) => (hi === 19 ? 1 : lo) } as unknown as Rng, pop, 0, ['/a'], ['/a/f']);
    expect(pop.cwd(0)).toBe('/');
    chdirOp({ nextInt: (lo: number, hi: number) => (hi === 19 ? 0 : lo) } as unknown as Rng, pop, 0, ['/a'], ['/a/f']);
    expect(pop.cwd(0)).toBe('/');
  });
});
