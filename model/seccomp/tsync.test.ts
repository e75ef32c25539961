import { describe, it, expect } from 'vitest';
import { step } from '../step.js';
import { initialWorld } from '../state.js';
import { SECCOMP_FILTER_FLAG as F } from '../ops.js';
import { ERRNO } from '../errno.js';
import { LINUX_SEMANTICS } from '../semantics.js';
import { nnpWorld, install, must, always, outcomeOfTask } from './fixtures.js';
import { SECCOMP_RET_ALLOW, retErrno } from './action.js';
import { ldNr, jeq, ret } from '../bpf/asm.js';

const ALLOW = always(SECCOMP_RET_ALLOW);
const E = (n: number) => ({ kind: 'errno', errno: n, by: 'seccomp' }) as const;
const thread = (w: ReturnType<typeof nnpWorld>, i = 0) => must(step(w, { op: 'thread', task: i }));

describe('TSYNC (seccomp_can_sync_threads / seccomp_sync_threads)', () => {
  it('[V p04 A] siblings get the caller\'s chain and count', () => {
    const w = must(install(thread(nnpWorld()), 0, always(retErrno(77)), F.TSYNC));
    const [a, b] = w.tasks;
    expect(b!.filter).toBe(a!.filter);
    expect(b!.filterCount).toBe(1);
    expect(outcomeOfTask(w, 1, 39)).toEqual(E(77));
  });
  it('[V p04 B] a diverged sibling → its tid; with TSYNC_ESRCH → ESRCH; nothing changes', () => {
    let w = thread(nnpWorld());
    w = must(install(w, 1, always(retErrno(5)))); // the sibling installs its own filter
    w = must(install(w, 0, always(retErrno(6)))); // the caller diverges from it
    const out = install(w, 0, ALLOW, F.TSYNC);
    expect(out.result).toEqual({ kind: 'tsync_fail', tid: w.tasks.at(1)!.tid });
    expect(out.world).toBe(w);
    expect(out.world.tasks.at(0)!.filterCount).toBe(1);
    const esrch = install(w, 0, ALLOW, F.TSYNC | F.TSYNC_ESRCH);
    expect(esrch.result).toEqual({ kind: 'err', errno: ERRNO.ESRCH });
    expect(esrch.world).toBe(w);
  });
  it('the first failing thread in thread-list order is reported', () => {
    let w = thread(thread(nnpWorld()));
    w = must(install(w, 2, ALLOW));
    w = must(install(w, 1, ALLOW));
    expect(install(w, 0, ALLOW, F.TSYNC).result).toEqual({ kind: 'tsync_fail', tid: w.tasks.at(1)!.tid });
  });
  it('[V p04 E] a strict-mode sibling blocks TSYNC', () => {
    let w = thread(nnpWorld());
    w = must(step(w, { op: 'seccomp_strict', task: 1 }));
    expect(install(w, 0, ALLOW, F.TSYNC).result).toEqual({ kind: 'tsync_fail', tid: w.tasks.at(1)!.tid });
    expect(install(w, 0, ALLOW, F.TSYNC | F.TSYNC_ESRCH).result).toEqual({ kind: 'err', errno: ERRNO.ESRCH });
  });
  it('[V p04 C] a lagging sibling gains the caller\'s earlier non-TSYNC filters (1 → 3)', () => {
    let w = must(install(nnpWorld(), 0, always(retErrno(1))));
    w = thread(w); // sibling: 1 filter
    w = must(install(w, 0, [ldNr(), jeq(102, 0, 1), ret(retErrno(66)), ret(SECCOMP_RET_ALLOW)])); // F66, no TSYNC
    expect(w.tasks.at(1)!.filterCount).toBe(1);
    w = must(install(w, 0, ALLOW, F.TSYNC));
    expect(w.tasks.at(1)!.filterCount).toBe(3);
    expect(w.tasks.at(1)!.filter).toBe(w.tasks.at(0)!.filter);
    expect(outcomeOfTask(w, 1, 102)).toEqual(E(66));
  });
  it('[V p04 D] mode 0 becomes 2 and NNP is copied from an NNP caller', () => {
    let w = thread(initialWorld({ nnp: false, capSysAdmin: true })); // sibling: mode 0, no NNP
    w = must(step(w, { op: 'set_nnp', task: 0 }));
    expect(w.tasks.at(1)).toMatchObject({ seccompMode: 0, nnp: false });
    w = must(install(w, 0, ALLOW, F.TSYNC));
    expect(w.tasks.at(1)).toMatchObject({ seccompMode: 2, nnp: true, filterCount: 1 });
  });
  it('[V p04 H] a root caller without NNP leaves the sibling at NNP 0', () => {
    let w = thread(initialWorld({ nnp: false, capSysAdmin: true }));
    w = must(install(w, 0, ALLOW, F.TSYNC));
    expect(w.tasks.at(1)).toMatchObject({ seccompMode: 2, nnp: false });
  });
  it('[V p04 I] a dead group leader does not block TSYNC', () => {
    let w = thread(nnpWorld());
    w = must(install(w, 1, always(retErrno(3)))); // the sibling diverges...
    w = must(step(w, { op: 'exit', task: 1 }));    // ...and exits
    w = must(step(w, { op: 'thread', task: 0 }));
    w = must(step(w, { op: 'exit', task: 0 }));    // the leader exits
    expect(install(w, 0, ALLOW, F.TSYNC).result.kind).toBe('ok');
  });
  it('TSYNC only ever lengthens a sibling\'s chain on Linux', () => {
    let w = thread(nnpWorld());
    w = must(install(w, 0, always(retErrno(9))));
    w = must(install(w, 0, ALLOW, F.TSYNC));
    expect(outcomeOfTask(w, 1, 39)).toEqual(E(9));
  });
  it('[V p04 F] TSYNC|NEW_LISTENER|TSYNC_ESRCH → fd; the sibling then gets EBUSY for its own listener', () => {
    const w = thread(nnpWorld());
    const out = install(w, 0, always(0x7fc00000), F.TSYNC | F.NEW_LISTENER | F.TSYNC_ESRCH);
    expect(out.result).toEqual({ kind: 'ok', ret: 3 });
    expect(outcomeOfTask(out.world, 1, 39)).toEqual({ kind: 'notify', listener: 1 });
    expect(install(out.world, 1, ALLOW, F.NEW_LISTENER).result).toEqual({ kind: 'err', errno: ERRNO.EBUSY });
  });
  it('the unsafe e2 variant copies the caller\'s chain over a diverged sibling (it loses its own filter)', () => {
    let w = thread(nnpWorld({ semantics: { ...LINUX_SEMANTICS, seccompTsyncAncestorCheck: false } }));
    w = must(install(w, 1, always(retErrno(5))));
    const out = install(w, 0, ALLOW, F.TSYNC);
    expect(out.result.kind).toBe('ok');
    expect(outcomeOfTask(out.world, 1, 39)).toEqual({ kind: 'allow' });
    expect(out.world.tasks.at(1)!.filter).toBe(out.world.tasks.at(0)!.filter);
  });
});
