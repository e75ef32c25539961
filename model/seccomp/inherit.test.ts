import { describe, it, expect } from 'vitest';
import { step } from '../step.js';
import { SECCOMP_FILTER_FLAG as F } from '../ops.js';
import { nnpWorld, install, must, always, outcomeOfTask } from './fixtures.js';
import { retErrno } from './action.js';
import { ldNr, jeq, ret } from '../bpf/asm.js';

const E = (n: number) => ({ kind: 'errno', errno: n, by: 'seccomp' }) as const;
/** ERRNO(e) for syscall nr only. */
const deny = (nr: number, e: number) => [ldNr(), jeq(nr, 0, 1), ret(retErrno(e)), ret(0x7fff0000)];

describe('inheritance (copy_seccomp, exec)', () => {
  it('[V p01] fork shares the node: same object, same count and errno', () => {
    let w = must(install(nnpWorld(), 0, deny(39, 7)));
    w = must(step(w, { op: 'fork', task: 0 }));
    const [p, c] = w.tasks;
    expect(c!.filter).toBe(p!.filter);
    expect(c).toMatchObject({ seccompMode: 2, filterCount: 1, nnp: true });
    expect(outcomeOfTask(w, 1, 39)).toEqual(E(7));
  });
  it('[V p01] installs after fork diverge: neither side sees the other\'s new filter', () => {
    let w = must(install(nnpWorld(), 0, deny(39, 7)));
    w = must(step(w, { op: 'fork', task: 0 }));
    const shared = w.tasks.at(0)!.filter;
    w = must(install(w, 0, deny(102, 2))); // parent's F2
    w = must(install(w, 1, deny(104, 3))); // child's F3
    const [p, c] = w.tasks;
    expect(p!.filter!.prev).toBe(shared);
    expect(c!.filter!.prev).toBe(shared);
    expect(outcomeOfTask(w, 0, 104)).toEqual({ kind: 'allow' });
    expect(outcomeOfTask(w, 1, 102)).toEqual({ kind: 'allow' });
    expect(outcomeOfTask(w, 0, 102)).toEqual(E(2));
    expect(outcomeOfTask(w, 1, 104)).toEqual(E(3));
    expect([p!.filterCount, c!.filterCount]).toEqual([2, 2]);
  });
  it('[V p01] exec keeps the filters, the count and NNP', () => {
    let w = must(install(nnpWorld(), 0, deny(39, 7)));
    w = must(install(w, 0, deny(102, 8)));
    const before = w.tasks.at(0)!.filter;
    w = must(step(w, { op: 'exec', task: 0 }));
    expect(w.tasks.at(0)).toMatchObject({ seccompMode: 2, filterCount: 2, nnp: true });
    expect(w.tasks.at(0)!.filter).toBe(before);
    expect(outcomeOfTask(w, 0, 39)).toEqual(E(7));
    expect(outcomeOfTask(w, 0, 102)).toEqual(E(8));
  });
  it('[V p04 G] exec from a thread with a shorter stack: the image keeps the short stack', () => {
    let w = must(step(nnpWorld(), { op: 'thread', task: 0 })); // sibling with 0 filters
    w = must(install(w, 0, deny(39, 7)));                     // leader: 1 filter, no TSYNC
    const sibling = w.tasks.at(1)!;
    w = must(step(w, { op: 'exec', task: 1 }));
    expect(w.tasks.length).toBe(1);
    expect(w.tasks.at(0)).toMatchObject({ tid: sibling.tgid, seccompMode: 0, filterCount: 0, filter: null });
    expect(outcomeOfTask(w, 0, 39)).toEqual({ kind: 'allow' });
  });
  it('[V p05] the listener fd is close-on-exec: after exec the listener is gone → ENOSYS', () => {
    let w = must(install(nnpWorld(), 0, always(0x7fc00000), F.NEW_LISTENER));
    expect(outcomeOfTask(w, 0, 39)).toEqual({ kind: 'notify', listener: 1 });
    w = must(step(w, { op: 'exec', task: 0 }));
    expect(w.tasks.at(0)!.fds).toEqual([]);
    expect(outcomeOfTask(w, 0, 39)).toEqual(E(38));
  });
});
