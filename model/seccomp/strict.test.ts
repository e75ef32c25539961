import { describe, it, expect } from 'vitest';
import { step } from '../step.js';
import { ERRNO } from '../errno.js';
import { syscall, AUDIT_ARCH_I386 } from '../request.js';
import { nnpWorld, install, must, always, outcomeOfTask, verdictOfTask } from './fixtures.js';
import { SECCOMP_RET_ALLOW } from './action.js';
import { strictAllows } from './strict.js';

const strictWorld = () => must(step(nnpWorld(), { op: 'seccomp_strict', task: 0 }));

describe('strict mode', () => {
  it('mode 0 → 1', () => {
    const w = strictWorld();
    expect(w.tasks.at(0)!.seccompMode).toBe(1);
    expect(w.tasks.at(0)!.filter).toBeNull();
  });
  it('[V p06] filter then strict → EINVAL, nothing changes; PR_GET_SECCOMP shows 2', () => {
    const w = must(install(nnpWorld(), 0, always(SECCOMP_RET_ALLOW)));
    const out = step(w, { op: 'seccomp_strict', task: 0 });
    expect(out.result).toEqual({ kind: 'err', errno: ERRNO.EINVAL });
    expect(out.world).toBe(w);
    expect(step(w, { op: 'observe', task: 0 }).result).toMatchObject({ kind: 'observe', state: { seccompMode: 2, filterCount: 1 } });
  });
  it('[V p06] read, write, exit, rt_sigreturn (and uretprobe/uprobe on 6.18) are allowed', () => {
    const w = strictWorld();
    for (const nr of [0, 1, 60, 15, 335, 336]) expect(outcomeOfTask(w, 0, nr)).toEqual({ kind: 'allow' });
  });
  it('[V p06] anything else (exit_group, prctl, getppid) kills with SIGKILL', () => {
    const w = strictWorld();
    for (const nr of [231, 157, 110, 39, 317]) {
      expect(verdictOfTask(w, 0, nr)).toEqual({ action: 'kill_thread', ret: 0, data: 0, layer: null });
      expect(outcomeOfTask(w, 0, nr)).toEqual({ kind: 'kill_process' }); // the only thread
    }
  });
  it('kills only the calling thread while other threads live', () => {
    let w = must(step(nnpWorld(), { op: 'thread', task: 0 }));
    w = must(step(w, { op: 'seccomp_strict', task: 1 }));
    expect(outcomeOfTask(w, 1, 110)).toEqual({ kind: 'kill_thread' });
    expect(outcomeOfTask(w, 0, 110)).toEqual({ kind: 'allow' }); // strict mode is per thread
  });
  it('uses the i386 list for a compat entry', () => {
    expect(strictAllows(syscall(3, [], AUDIT_ARCH_I386))).toBe(true);
    expect(strictAllows(syscall(119, [], AUDIT_ARCH_I386))).toBe(true);
    expect(strictAllows(syscall(0, [], AUDIT_ARCH_I386))).toBe(false);
    expect(strictAllows(syscall(336, [], AUDIT_ARCH_I386))).toBe(false);
  });
  it('strict then seccomp_strict or seccomp_filter: the call itself kills the thread (the process, when it is the last thread)', () => {
    const w = strictWorld();
    for (const out of [step(w, { op: 'seccomp_strict', task: 0 }), install(w, 0, always(SECCOMP_RET_ALLOW))]) {
      expect(out.result).toEqual({ kind: 'killed', scope: 'process', signal: 'SIGKILL' });
      expect(out.world.tasks.length).toBe(0);
    }
  });
});
