// Path copying of Landlock layers (rewrite.ts).
import { describe, it, expect } from 'vitest';
import { Sim, INIT_TID as P } from './testkit.js';
import { FS } from './access.js';
import { replaceDomainLayers } from './rewrite.js';

describe('replaceDomainLayers', () => {
  it('returns the same world when nothing changes', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE });
    expect(replaceDomainLayers(s.world, () => null)).toBe(s.world);
  });

  it('rebuilds from the changed layer up, memoised: shared prefixes stay shared', () => {
    const s = Sim.linux();
    s.sandbox(P, { fs: FS.READ_FILE });
    const root = s.task(P).domain!;
    const a = s.fork(P);
    const b = s.fork(P);
    s.sandbox(a, { fs: FS.WRITE_FILE });
    const c = s.fork(a);
    s.sandbox(b, { fs: FS.EXECUTE });
    const calls: number[] = [];
    const newLayer = { ...root.layer, fsRules: new Map([['/a', FS.READ_FILE]]) };
    const w = replaceDomainLayers(s.world, (n) => {
      calls.push(n.id);
      return n.id === root.id ? newLayer : null;
    });
    // One call per distinct node: root, a's layer, b's layer.
    expect(calls.sort()).toEqual([1, 2, 3]);
    const dom = (tid: number) => w.tasks.find((t) => t.tid === tid)!.domain!;
    expect(dom(P)).toEqual({ ...root, layer: newLayer, rev: 1 });
    expect(dom(a).prev).toBe(dom(P));
    expect(dom(b).prev).toBe(dom(P));
    expect(dom(c)).toBe(dom(a));
    expect(dom(a).rev).toBe(0);
    expect(w.tasks.find((t) => t.tid === a)!.domain!.id).toBe(s.task(a).domain!.id);
  });
});
