// Model facts pinned by the live kernel (found by conformance runs, see conformance/*.test.ts).
import { describe, it, expect } from 'vitest';
import { initialWorld } from '../state.js';
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { step } from '../step.js';
import { ERRNO } from '../errno.js';
import { opSyscall, NO_FD } from '../seccomp/op-gate.js';
import { SECCOMP_RET_ALLOW } from '../seccomp/action.js';

const ok = (out: StepOut): World => {
  if (out.result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(out.result)}`);
  return out.world;
};
const ALLOW: [number, number, number, number][] = [[6, 0, 0, SECCOMP_RET_ALLOW]];

describe('capabilities across execve (security/commoncap.c:cap_bprm_creds_from_file)', () => {
  it('root regains CAP_SYS_ADMIN at exec after dropping it from the effective set', () => {
    let w = ok(step(initialWorld(), { op: 'drop_cap', task: 0 }));
    expect(step(w, { op: 'seccomp_filter', task: 0, flags: 0, program: ALLOW }).result).toEqual({ kind: 'err', errno: ERRNO.EACCES });
    w = ok(step(w, { op: 'exec', task: 0 }));
    expect(w.tasks.at(0)!.capSysAdmin).toBe(true);
    expect(step(w, { op: 'seccomp_filter', task: 0, flags: 0, program: ALLOW }).result).toEqual({ kind: 'ok', ret: 0 });
  });
  it('a world started without the effective capability regains it at exec too (permitted kept)', () => {
    let w = initialWorld({ capSysAdmin: false });
    expect(step(w, { op: 'restrict_self', task: 0, ruleset: null, flags: 0 }).result).toEqual({ kind: 'err', errno: ERRNO.EPERM });
    w = ok(step(w, { op: 'exec', task: 0 }));
    expect(w.tasks.at(0)!.capSysAdmin).toBe(true);
  });
});

describe('PTRACE_ATTACH (kernel/ptrace.c:ptrace_attach)', () => {
  it('refuses a task of the caller\'s own thread group with EPERM before any LSM, itself included', () => {
    let w = ok(step(initialWorld(), { op: 'thread', task: 0 }));
    for (const target of [0, 1]) {
      const out = step(w, { op: 'probe', task: 0, request: { kind: 'ptrace', target } });
      expect(out.result).toEqual({ kind: 'probe', probe: { seccomp: null, outcome: { kind: 'errno', errno: ERRNO.EPERM, by: 'kernel' } } });
    }
    w = ok(step(w, { op: 'fork', task: 0 }));
    expect(step(w, { op: 'probe', task: 0, request: { kind: 'ptrace', target: 2 } }).result).toEqual({ kind: 'probe', probe: { seccomp: null, outcome: { kind: 'allow' } } });
  });
});

describe('the op gate sees the fd the op uses', () => {
  it('add_rule / restrict_self pass the ruleset fd the op resolves, NO_FD when there is none', () => {
    let w = initialWorld({ nnp: true });
    const t = (): Task => w.tasks.at(0)!;
    expect(opSyscall(t(), { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 })!.args[0]).toBe(NO_FD);
    expect(opSyscall(t(), { op: 'restrict_self', task: 0, ruleset: null, flags: 4 })!.args[0]).toBe(-1);
    expect(opSyscall(t(), { op: 'close_fd', task: 0, fd: 0 })!.args[0]).toBe(NO_FD);
    // a listener fd (3) then a ruleset fd (4): index 0 among ruleset fds is fd 4
    const notifyGetpid: [number, number, number, number][] = [[0x20, 0, 0, 0], [0x15, 0, 1, 39], [6, 0, 0, 0x7fc00000], [6, 0, 0, SECCOMP_RET_ALLOW]];
    w = step(w, { op: 'seccomp_filter', task: 0, flags: 8, program: notifyGetpid }).world;
    w = step(w, { op: 'ruleset_create', task: 0, fs: 1, net: 0, scoped: 0 }).world;
    expect(t().fds.map((e) => e.fd)).toEqual([3, 4]);
    expect(opSyscall(t(), { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: 1 } })!.args[0]).toBe(4);
    expect(opSyscall(t(), { op: 'close_fd', task: 0, fd: 0 })!.args[0]).toBe(3);
  });
});

describe('landlock_add_rule on a path the tree lacks (the parent fd is opened first)', () => {
  it('fails ENOENT before the syscall: a filter that decides every call does not stop it', () => {
    // nr & 0xff as the errno of every call (a filter from strata conform on Linux 6.1)
    const ERRNO_OF_NR: [number, number, number, number][] = [[0x20, 0, 0, 0], [0x54, 0, 0, 0xff], [0x44, 0, 0, 0x50000], [0x16, 0, 0, 0]];
    let w = ok(step(initialWorld(), { op: 'ruleset_create', task: 0, fs: 4, net: 0, scoped: 0 }));
    w = ok(step(w, { op: 'seccomp_filter', task: 0, flags: 0, program: ERRNO_OF_NR }));
    expect(step(w, { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/nonexistent', access: 4 } }).result)
      .toEqual({ kind: 'err', errno: ERRNO.ENOENT });
    // a path in the tree: the call is made, and the filter decides it (445 & 0xff = 189)
    expect(step(w, { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: 4 } }).result)
      .toEqual({ kind: 'stopped', outcome: { kind: 'errno', errno: 189, by: 'seccomp' } });
  });
});
