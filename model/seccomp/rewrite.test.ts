import { describe, it, expect } from 'vitest';
import { step } from '../step.js';
import { LINUX_SEMANTICS } from '../semantics.js';
import { ERRNO } from '../errno.js';
import { SECCOMP_FILTER_FLAG as F } from '../ops.js';
import { nnpWorld, install, must, always, everything, outcomeOfTask } from './fixtures.js';
import { replaceFilterLayer } from './rewrite.js';
import { retErrno, SECCOMP_RET_ALLOW } from './action.js';
import { ldNr, jeq, ret } from '../bpf/asm.js';

const E = (n: number) => ({ kind: 'errno', errno: n, by: 'seccomp' }) as const;
const deny = (nr: number, e: number) => [ldNr(), jeq(nr, 0, 1), ret(retErrno(e)), ret(SECCOMP_RET_ALLOW)];
const V5 = { ...LINUX_SEMANTICS, seccompInPlaceAppend: true };

describe('replaceFilterLayer (path copying)', () => {
  it('rebuilds from the layer up for every holder, memoised so shared nodes stay shared', () => {
    let w = must(install(nnpWorld(), 0, deny(39, 1)));          // L1
    w = must(install(w, 0, deny(102, 2)));                       // L2
    w = must(step(w, { op: 'fork', task: 0 }));                  // child shares L2
    w = must(step(w, { op: 'fork', task: 0 }));                  // second child shares L2
    w = must(install(w, 2, deny(104, 3)));                       // L3 above L2 in child 2
    const L1 = w.tasks.at(0)!.filter!.prev!;
    const w2 = replaceFilterLayer(w, L1.id, [deny(39, 9)]);
    const [p, c1, c2] = w2.tasks;
    expect(p!.filter).toBe(c1!.filter);                          // still shared
    expect(c2!.filter!.prev).toBe(p!.filter);                    // L3 rebuilt over the new L2
    expect(p!.filter!.prev).toMatchObject({ id: L1.id, rev: L1.rev + 1 });
    expect(p!.filter!.id).toBe(w.tasks.at(0)!.filter!.id);
    expect(p!.filter!.rev).toBe(w.tasks.at(0)!.filter!.rev);
    for (const i of [0, 1, 2]) expect(outcomeOfTask(w2, i, 39)).toEqual(E(9));
    expect(outcomeOfTask(w2, 2, 104)).toEqual(E(3));
    expect(c2!.filter!.pathLen).toBe(w.tasks.at(2)!.filter!.pathLen);
  });
  it('leaves tasks without the layer untouched, and the world itself if nobody holds it', () => {
    let w = must(step(nnpWorld(), { op: 'fork', task: 0 }));
    w = must(install(w, 0, deny(39, 1)));
    w = must(install(w, 1, deny(39, 2)));
    const w2 = replaceFilterLayer(w, w.tasks.at(0)!.filter!.id, [deny(39, 5)]);
    expect(w2.tasks.at(1)).toBe(w.tasks.at(1));
    expect(replaceFilterLayer(w, 999, [deny(39, 5)])).toBe(w);
  });
});

describe('in-place append (Landlock v5 2017 variant)', () => {
  it('appends to the caller\'s shared top layer: every sharer sees it, same id, rev + 1, count unchanged', () => {
    let w = must(install(nnpWorld({ semantics: V5 }), 0, deny(39, 1)));
    w = must(step(w, { op: 'fork', task: 0 }));
    const L = w.tasks.at(0)!.filter!;
    w = must(install(w, 1, deny(102, 2)));                       // the child's add lands in the parent too
    const [p, c] = w.tasks;
    expect(p!.filter).toBe(c!.filter);
    expect(p!.filter).toMatchObject({ id: L.id, rev: L.rev + 1, depth: 1 });
    expect(p!.filter!.programs.length).toBe(2);
    expect([p!.filterCount, c!.filterCount]).toEqual([1, 1]);
    expect(outcomeOfTask(w, 0, 102)).toEqual(E(2));
    expect(w.nextLayerId).toBe(2);
  });
  it('a first add (no filter yet) creates a layer; NEW_LISTENER always creates one', () => {
    let w = must(install(nnpWorld({ semantics: V5 }), 0, deny(39, 1)));
    expect(w.tasks.at(0)!.filter!.depth).toBe(1);
    const out = install(w, 0, always(0x7fc00000), F.NEW_LISTENER);
    expect(out.result).toEqual({ kind: 'ok', ret: 3 });
    w = out.world;
    expect(w.tasks.at(0)!.filter!.depth).toBe(2);
    w = must(install(w, 0, deny(39, 4)));
    expect(w.tasks.at(0)!.filter!.programs.length).toBe(2);
  });
  it('counts every program of a layer against the path limit', () => {
    let w = nnpWorld({ semantics: V5 });
    let n = 0;
    for (;;) {
      const out = install(w, 0, everything(SECCOMP_RET_ALLOW));
      if (out.result.kind !== 'ok') {
        expect(out.result).toEqual({ kind: 'err', errno: ERRNO.ENOMEM });
        break;
      }
      w = out.world;
      n++;
    }
    expect(n).toBe(3641);
    expect(w.tasks.at(0)!.filter!.programs.length).toBe(3641);
  });
  it('evaluates a layer\'s programs with the precedence rule (newest program wins ties)', () => {
    let w = must(install(nnpWorld({ semantics: V5 }), 0, always(retErrno(1))));
    w = must(install(w, 0, always(retErrno(2))));
    expect(outcomeOfTask(w, 0, 39)).toEqual(E(2));
    w = must(install(w, 0, always(0x30005)));
    expect(outcomeOfTask(w, 0, 39)).toEqual({ kind: 'trap', data: 5 });
  });
});
