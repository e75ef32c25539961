import { ldNr, jeq, ret } from '../bpf/asm.js';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { step } from '../step.js';
import type { World } from '../state.js';
import { SECCOMP_FILTER_FLAG as F } from '../ops.js';
import { ERRNO } from '../errno.js';
import { syscall, AUDIT_ARCH_I386, AUDIT_ARCH_X86_64 } from '../request.js';
import { nnpWorld, install, must, always, outcomeOfTask, verdictOfTask } from './fixtures.js';
import { retErrno, retTrace, foldNewestFirst, actionKind, SECCOMP_RET_ALLOW, SECCOMP_RET_LOG, SECCOMP_RET_USER_NOTIF } from './action.js';
import { chainOf } from './stack.js';
import { evalLayer, seccompVerdict } from './eval.js';
import { seccompData } from './data.js';
import { validProgram } from '../bpf/arb.js';
import { runSeccompProgram } from '../bpf/interp.js';
import { LINUX_EVALUATION } from '../evaluation.js';

const E = (n: number) => ({ kind: 'errno', errno: n, by: 'seccomp' }) as const;
const NOTIF = always(SECCOMP_RET_USER_NOTIF);

describe('evaluation (__seccomp_filter)', () => {
  it('an unfiltered task has no verdict', () => {
    expect(verdictOfTask(nnpWorld(), 0, 39)).toBeNull();
  });
  it('[V p06] uprobe exemption: native 335/336 pass a deny-all ERRNO(99) filter; 334 and i386 do not', () => {
    const w = must(install(nnpWorld(), 0, always(retErrno(99))));
    expect(outcomeOfTask(w, 0, 334)).toEqual(E(99));
    expect(outcomeOfTask(w, 0, 335)).toEqual({ kind: 'allow' });
    expect(outcomeOfTask(w, 0, 336)).toEqual({ kind: 'allow' });
    expect(outcomeOfTask(w, 0, syscall(336, [], AUDIT_ARCH_I386))).toEqual(E(99));
    const kill = must(install(w, 0, always(0x80000000)));
    expect(outcomeOfTask(kill, 0, 336)).toEqual({ kind: 'allow' });
  });
  it('[V p02] TRACE without a tracer → ENOSYS; LOG runs the call, logged', () => {
    expect(outcomeOfTask(must(install(nnpWorld(), 0, always(retTrace(5)))), 0, 39)).toEqual(E(ERRNO.ENOSYS));
    expect(outcomeOfTask(must(install(nnpWorld(), 0, always(SECCOMP_RET_LOG))), 0, 39)).toEqual({ kind: 'allow', logged: true });
  });
  it('[V p02] USER_NOTIF without a listener → ENOSYS', () => {
    expect(outcomeOfTask(must(install(nnpWorld(), 0, NOTIF)), 0, 39)).toEqual(E(ERRNO.ENOSYS));
  });
  it('[V p05] USER_NOTIF goes to the open listener; closing it → ENOSYS', () => {
    let w = must(install(nnpWorld(), 0, NOTIF, F.NEW_LISTENER));
    expect(outcomeOfTask(w, 0, 39)).toEqual({ kind: 'notify', listener: 1 });
    w = must(step(w, { op: 'close_fd', task: 0, fd: 0 }));
    expect(outcomeOfTask(w, 0, 39)).toEqual(E(ERRNO.ENOSYS));
  });
  it('[V p05] the listener belongs to the filter: a forked child reports to it; a copy held elsewhere keeps it open', () => {
    let w = must(install(nnpWorld(), 0, NOTIF, F.NEW_LISTENER));
    w = must(step(w, { op: 'fork', task: 0 }));   // child: same filter, its own copy of the fd table
    w = must(step(w, { op: 'fork', task: 1 }));   // grandchild
    expect(outcomeOfTask(w, 2, 39)).toEqual({ kind: 'notify', listener: 1 });
    w = must(step(w, { op: 'close_fd', task: 0, fd: 0 }));
    w = must(step(w, { op: 'close_fd', task: 1, fd: 0 }));
    expect(outcomeOfTask(w, 2, 39)).toEqual({ kind: 'notify', listener: 1 }); // the grandchild's copy
    w = must(step(w, { op: 'close_fd', task: 2, fd: 0 }));
    expect(outcomeOfTask(w, 0, 39)).toEqual(E(ERRNO.ENOSYS));
  });
  it('[V p05 [6]] a newer listener-less USER_NOTIF on top → ENOSYS (the tie keeps the newer filter)', () => {
    let w = must(install(nnpWorld(), 0, NOTIF, F.NEW_LISTENER));
    w = must(install(w, 0, NOTIF));
    expect(verdictOfTask(w, 0, 39)!.layer).toBe(2);
    expect(outcomeOfTask(w, 0, 39)).toEqual(E(ERRNO.ENOSYS));
  });
  it('[V p05 [4]] ERRNO on top wins over USER_NOTIF; [5] ALLOW on top cannot bypass it', () => {
    const base = must(install(nnpWorld(), 0, NOTIF, F.NEW_LISTENER));
    expect(outcomeOfTask(must(install(base, 0, always(retErrno(13)))), 0, 39)).toEqual(E(13));
    expect(outcomeOfTask(must(install(base, 0, always(SECCOMP_RET_ALLOW))), 0, 39)).toEqual({ kind: 'notify', listener: 1 });
    expect(outcomeOfTask(must(install(base, 0, always(retTrace(1)))), 0, 39)).toEqual({ kind: 'notify', listener: 1 });
  });
  it('evaluation of a stack equals the fold of its filters\' individual results', () => {
    const arbReq = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.constantFrom(AUDIT_ARCH_X86_64, AUDIT_ARCH_I386), fc.array(fc.integer({ min: -5, max: 2 ** 40 }), { minLength: 6, maxLength: 6 }))
      .map(([nr, arch, args]) => syscall(nr, args, arch));
    fc.assert(fc.property(fc.array(validProgram(12), { minLength: 1, maxLength: 6 }), fc.array(arbReq, { minLength: 1, maxLength: 5 }), (progs, reqs) => {
      let w: World = nnpWorld();
      // Each program lets seccomp() itself through, so the next install is not stopped by it.
      for (const p of progs) w = must(install(w, 0, [ldNr(), jeq(317, 0, 1), ret(SECCOMP_RET_ALLOW), ...p]));
      const t = w.tasks.at(0)!;
      const nodes = chainOf(t.filter); // newest first
      for (const r of reqs) {
        if (r.arch === AUDIT_ARCH_X86_64 && (r.nr === 335 || r.nr === 336)) continue;
        const data = seccompData(r);
        const each = nodes.map((n) => runSeccompProgram(n.programs[0]!, data));
        expect(each).toEqual(nodes.map((n) => evalLayer(n, data, LINUX_EVALUATION)));
        const fold = foldNewestFirst(each);
        const v = seccompVerdict(t, r, LINUX_EVALUATION)!;
        expect(v.ret).toBe(fold.ret);
        expect(v.layer).toBe(fold.index < 0 ? null : nodes[fold.index]!.id);
        expect(v.action).toBe(actionKind(fold.ret));
      }
    }), { numRuns: 300 });
  });
});
