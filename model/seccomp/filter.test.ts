import { describe, it, expect } from 'vitest';
import { step } from '../step.js';
import { initialWorld } from '../state.js';
import type { World } from '../state.js';
import { SECCOMP_FILTER_FLAG as F } from '../ops.js';
import { ERRNO } from '../errno.js';
import { ld, ldNr, jeq, ja, ret } from '../bpf/asm.js';
import { stmt } from '../bpf/insn.js';
import { nnpWorld, install, must, always, everything } from './fixtures.js';
import { SECCOMP_RET_ALLOW, retErrno } from './action.js';
import { LINUX_SEMANTICS } from '../semantics.js';

const ALLOW = everything(SECCOMP_RET_ALLOW);
const expectErr = (w: World, out: ReturnType<typeof install>, errno: number): void => {
  expect(out.result).toEqual({ kind: 'err', errno });
  expect(out.world).toBe(w); // a failed op changes nothing
};

describe('seccomp_set_mode_filter', () => {
  it('installs: mode 2, count + 1, a new node over the old one, return 0', () => {
    const w0 = nnpWorld();
    const out = install(w0, 0, ALLOW);
    expect(out.result).toEqual({ kind: 'ok', ret: 0 });
    const t = out.world.tasks.at(0)!;
    expect(t.seccompMode).toBe(2);
    expect(t.filterCount).toBe(1);
    expect(t.filter).toMatchObject({ id: 1, rev: 0, prev: null, depth: 1, pathLen: 5, listener: null, log: false, mutability: 'immutable' });
    const w2 = must(install(out.world, 0, everything(retErrno(1)), F.LOG, { mutability: 'stricter' }));
    const t2 = w2.tasks.at(0)!;
    expect(t2.filterCount).toBe(2);
    expect(t2.filter!.prev).toBe(t.filter);
    expect(t2.filter).toMatchObject({ id: 2, depth: 2, pathLen: 5 + 5 + 4, log: true, mutability: 'stricter' });
    expect(w2.nextLayerId).toBe(3);
  });
  it('[V p06] flag bits 6 and 7 are unknown → EINVAL; bits 0–4 are accepted', () => {
    const w = nnpWorld();
    expectErr(w, install(w, 0, ALLOW, 1 << 6), ERRNO.EINVAL);
    expectErr(w, install(w, 0, ALLOW, 1 << 7), ERRNO.EINVAL);
    for (const bit of [0, 1, 2, 3, 4]) expect(install(w, 0, ALLOW, 1 << bit).result.kind).toBe('ok');
  });
  it('[V p06] WAIT_KILLABLE_RECV needs NEW_LISTENER', () => {
    const w = nnpWorld();
    expectErr(w, install(w, 0, ALLOW, F.WAIT_KILLABLE_RECV), ERRNO.EINVAL);
    const out = install(w, 0, ALLOW, F.WAIT_KILLABLE_RECV | F.NEW_LISTENER);
    expect(out.result).toEqual({ kind: 'ok', ret: 3 });
    expect(out.world.tasks.at(0)!.filter!.waitKillableRecv).toBe(true);
  });
  it('[V p04 F] TSYNC|NEW_LISTENER → EINVAL; with TSYNC_ESRCH → an fd', () => {
    const w = must(step(nnpWorld(), { op: 'thread', task: 0 }));
    expectErr(w, install(w, 0, ALLOW, F.TSYNC | F.NEW_LISTENER), ERRNO.EINVAL);
    const out = install(w, 0, ALLOW, F.TSYNC | F.NEW_LISTENER | F.TSYNC_ESRCH);
    expect(out.result).toEqual({ kind: 'ok', ret: 3 });
    expect(out.world.tasks.at(1)!.filter).toBe(out.world.tasks.at(0)!.filter);
  });
  it('[V p03] length 4096 is accepted, 4097 and 0 are EINVAL', () => {
    const w = nnpWorld();
    expect(install(w, 0, Array.from({ length: 4096 }, () => ret(SECCOMP_RET_ALLOW))).result.kind).toBe('ok');
    expectErr(w, install(w, 0, Array.from({ length: 4097 }, () => ret(SECCOMP_RET_ALLOW))), ERRNO.EINVAL);
    expectErr(w, install(w, 0, []), ERRNO.EINVAL);
  });
  it('[V p06] each invalid program is EINVAL', () => {
    const w = nnpWorld();
    const bad = [
      [ld(64), ret(0)], [ld(2), ret(0)], [stmt(0x28, 0), ret(0)], [ldNr()],
      [ldNr(), jeq(0, 5, 0), ret(0)], [ja(3), ret(0)], [ldNr(), stmt(0x94, 2), ret(0)],
    ];
    for (const p of bad) expectErr(w, install(w, 0, p), ERRNO.EINVAL);
  });
  it('[V p06] no NNP and no CAP_SYS_ADMIN → EACCES; root without NNP succeeds and NNP stays 0', () => {
    const unpriv = initialWorld({ nnp: false, capSysAdmin: false });
    expectErr(unpriv, install(unpriv, 0, ALLOW), ERRNO.EACCES);
    const root = initialWorld({ nnp: false, capSysAdmin: true });
    const out = install(root, 0, ALLOW);
    expect(out.result).toEqual({ kind: 'ok', ret: 0 });
    expect(out.world.tasks.at(0)!.nnp).toBe(false);
    const dropped = must(step(root, { op: 'drop_cap', task: 0 }));
    expectErr(dropped, install(dropped, 0, ALLOW), ERRNO.EACCES);
    const withNnp = must(step(dropped, { op: 'set_nnp', task: 0 }));
    expect(install(withNnp, 0, ALLOW).result.kind).toBe('ok');
  });
  it('checks in the kernel order: flags, length, privilege, program', () => {
    const unpriv = initialWorld({ nnp: false, capSysAdmin: false });
    expectErr(unpriv, install(unpriv, 0, ALLOW, 1 << 7), ERRNO.EINVAL);
    expectErr(unpriv, install(unpriv, 0, []), ERRNO.EINVAL); // length before EACCES
    expectErr(unpriv, install(unpriv, 0, [ld(2), ret(0)]), ERRNO.EACCES); // EACCES before the program check
  });
  it('[V p05] NEW_LISTENER returns an O_CLOEXEC fd in the group\'s shared table', () => {
    const w = must(step(nnpWorld(), { op: 'thread', task: 0 }));
    const out = install(w, 0, always(0x7fc00000), F.NEW_LISTENER);
    expect(out.result).toEqual({ kind: 'ok', ret: 3 });
    const [a, b] = out.world.tasks;
    expect(a!.fds).toEqual([{ fd: 3, cloexec: true, obj: { kind: 'listener', id: 1 } }]);
    expect(b!.fds).toBe(a!.fds);
    expect(a!.filter!.listener).toBe(1);
    expect(out.world.nextListenerId).toBe(2);
    expect(b!.filter).toBeNull(); // no TSYNC: the sibling is not filtered
  });
  it('[V p05] EBUSY for a second listener anywhere in the chain, also in a forked child', () => {
    let w = must(install(nnpWorld(), 0, always(0x7fc00000), F.NEW_LISTENER));
    w = must(install(w, 0, ALLOW));
    expectErr(w, install(w, 0, ALLOW, F.NEW_LISTENER), ERRNO.EBUSY);
    const f = must(step(w, { op: 'fork', task: 0 }));
    expectErr(f, install(f, 1, ALLOW, F.NEW_LISTENER), ERRNO.EBUSY);
    expect(install(f, 1, ALLOW).result.kind).toBe('ok');
  });
  it('[K conform] a listener whose every descriptor is closed no longer counts: a new one is accepted', () => {
    // kernel/seccomp.c:seccomp_notify_detach sets filter->notif = NULL when the listener file is
    // released; has_duplicate_listener then finds none. Pinned on Linux 6.18 (strata conform):
    // NEW_LISTENER, close(listener), NEW_LISTENER → ok 3.
    let w = must(install(nnpWorld(), 0, always(0x7fc00000), F.NEW_LISTENER));
    const f = must(step(w, { op: 'fork', task: 0 }));
    w = must(step(w, { op: 'close_fd', task: 0, fd: 0 }));
    const again = install(w, 0, ALLOW, F.NEW_LISTENER);
    expect(again.result).toEqual({ kind: 'ok', ret: 3 });
    expect(again.world.tasks.at(0)!.filter!.listener).toBe(2);
    // while another task (a forked child) still holds the listener, the chain is busy
    const parentClosed = must(step(f, { op: 'close_fd', task: 0, fd: 0 }));
    expectErr(parentClosed, install(parentClosed, 0, ALLOW, F.NEW_LISTENER), ERRNO.EBUSY);
  });
  it('EBUSY is checked before the path length', () => {
    let w = must(install(nnpWorld(), 0, ALLOW, F.NEW_LISTENER));
    for (;;) {
      const out = install(w, 0, ALLOW);
      if (out.result.kind !== 'ok') break;
      w = out.world;
    }
    expectErr(w, install(w, 0, ALLOW), ERRNO.ENOMEM);
    expectErr(w, install(w, 0, ALLOW, F.NEW_LISTENER), ERRNO.EBUSY);
  });
  it('never throws on malformed ops', () => {
    const w = nnpWorld();
    expectErr(w, install(w, 0, 'x' as never), ERRNO.EINVAL);
    expectErr(w, install(w, 0, ALLOW, -1), ERRNO.EINVAL);
    expectErr(w, install(w, 0, ALLOW, 1.5), ERRNO.EINVAL);
    expectErr(w, install(w, 0, [[6, 0, 0, 'a']] as never), ERRNO.EINVAL);
  });
  it('[V p06] a strict-mode task calling seccomp(SET_MODE_FILTER) is killed (SIGKILL)', () => {
    let w = must(step(nnpWorld(), { op: 'fork', task: 0 }));
    w = must(step(w, { op: 'seccomp_strict', task: 1 }));
    const out = install(w, 1, ALLOW);
    // do_exit(SIGKILL) of the only thread of the forked process: the process dies.
    expect(out.result).toEqual({ kind: 'killed', scope: 'process', signal: 'SIGKILL' });
    expect(out.world.tasks.map((t) => t.tid)).toEqual([w.tasks.at(0)!.tid]);
  });
  it('variant b2 (modify: handle): export installs an O_CLOEXEC layer handle; Linux ignores the field', () => {
    const b2 = nnpWorld({ semantics: { ...LINUX_SEMANTICS, modify: 'handle' } });
    const out = install(b2, 0, ALLOW, 0, { export: true });
    expect(out.result).toEqual({ kind: 'ok', ret: 3 });
    expect(out.world.tasks.at(0)!.fds).toEqual([{ fd: 3, cloexec: true, obj: { kind: 'layer_handle', layer: 1 } }]);
    const both = install(b2, 0, ALLOW, F.NEW_LISTENER, { export: true });
    expect(both.result).toEqual({ kind: 'ok', ret: 3 });
    expect(both.world.tasks.at(0)!.fds.map((e) => e.obj.kind)).toEqual(['listener', 'layer_handle']);
    const linux = install(nnpWorld(), 0, ALLOW, 0, { export: true });
    expect(linux.result).toEqual({ kind: 'ok', ret: 0 });
    expect(linux.world.tasks.at(0)!.fds).toEqual([]);
  });
});
