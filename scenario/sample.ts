// A sample trace that uses every op, request kind and result kind once: the round-trip fixture
// of the scenario tests and a readable example of the format. Not a model run: its results are
// typed by hand and only need to be well-formed.
import type { Op } from '../model/ops.js';
import type { TraceStep } from './types.js';
import type { Scenario } from './types.js';
import type { KernelStep } from './kernel-result.js';
import { scenarioOf } from './make.js';

const ALLOW_ALL = [[6, 0, 0, 0x7fff0000]] as const;

export const SAMPLE_OPS: readonly Op[] = [
  { op: 'fork', task: 0 },
  { op: 'thread', task: 0 },
  { op: 'set_nnp', task: 0 },
  { op: 'drop_cap', task: 1, tid: 101 },
  { op: 'seccomp_filter', task: 0, flags: 1, program: ALLOW_ALL, mutability: 'stricter', export: true, source: 'allow all' },
  { op: 'ruleset_create', task: 0, fs: 3, net: 0, scoped: 0, supervisor: false },
  { op: 'ruleset_supervisee', task: 0, ruleset: 0 },
  { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: 1 }, commit: true },
  { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'net_port', port: 8080, access: 1 } },
  { op: 'restrict_self', task: 0, ruleset: 0, flags: 8, mutability: 'any', export: false },
  { op: 'restrict_self', task: 0, ruleset: null, flags: 4 },
  { op: 'send_fd', task: 0, fd: 0, to: 1 },
  { op: 'close_fd', task: 1, fd: 0 },
  { op: 'modify', task: 0, layer: 0, handle: 1, program: ALLOW_ALL, ruleset: 0 },
  { op: 'probe', task: 0, request: { kind: 'syscall', nr: 39, arch: 0xc000003e, ip: 0, args: [1, 0, 0, 0, 0, 0] } },
  { op: 'probe', task: 0, request: { kind: 'fs', access: 'read_file', path: '/a/f' } },
  { op: 'probe', task: 0, request: { kind: 'rename', from: '/a/f', to: '/b' } },
  { op: 'probe', task: 0, request: { kind: 'mount' } },
  { op: 'probe', task: 0, request: { kind: 'net', op: 'connect', port: 8080 } },
  { op: 'probe', task: 0, request: { kind: 'ptrace', target: 1 } },
  { op: 'observe', task: 2 },
  { op: 'compromise', task: 0 },
  { op: 'exec', task: 1 },
  { op: 'seccomp_strict', task: 2 },
  { op: 'exit', task: 2 },
  { op: 'map_create', task: 0 },
  { op: 'seccomp_filter', task: 0, flags: 0, program: ALLOW_ALL, map: 1 },
  { op: 'map_put', task: 0, map: 1, key: 39 },
  { op: 'ptrace_attach', task: 0, target: 1, seize: true, options: 0x80 },
  { op: 'ptrace_traceme', task: 1 },
  { op: 'ptrace_setoptions', task: 0, target: 1, options: 0x200000 },
  { op: 'ptrace_response', task: 0, response: { kind: 'rewrite', nr: 102, args: [1] } },
  { op: 'ptrace_response', task: 0, response: { kind: 'skip', errno: 1 } },
  { op: 'ptrace_get_filter', task: 0, target: 1, index: 0, metadata: true },
  { op: 'notif_supervise', task: 0 },
  { op: 'notif_recv', task: 0, fd: 0 },
  { op: 'notif_send', task: 0, fd: 0, target: 1, val: 0, error: 0, flags: 1 },
  { op: 'notif_id_valid', task: 0, fd: 0, target: 1 },
  { op: 'notif_addfd', task: 0, fd: 0, target: 1, src: 0, flags: 2, cloexec: true },
  { op: 'notif_set_flags', task: 0, fd: 0, flags: 1 },
  { op: 'notif_sizes', task: 0 },
  { op: 'notif_poll', task: 0, fd: 0 },
  { op: 'notif_return', task: 1 },
  { op: 'seccomp_action_avail', task: 0, action: 0x7fc00001, flags: 0 },
  { op: 'fd_call', task: 0, fd: 0, call: 'lseek' },
  { op: 'keyctl', task: 0, call: 'join_session' },
  { op: 'socketpair', task: 0 },
  { op: 'fown_set', task: 0, fd: 0, target: 1, owner: 'group' },
  { op: 'probe', task: 0, request: { kind: 'sigurg', fd: 1, to: 1 } },
  { op: 'unix_listen', task: 0 },
  { op: 'probe', task: 0, request: { kind: 'proc', target: 1, file: 'mem' } },
  { op: 'chdir', task: 0, path: '../a' },
  { op: 'umount', task: 0, path: '/c' },
  { op: 'sigsys', task: 0, action: 'block' },
  { op: 'setpgid', task: 0, pid: 1, pgid: 0 },
];

export const SAMPLE_RESULTS: readonly TraceStep[] = [
  { tid: 100, result: { kind: 'ok', ret: 101 } },
  { tid: 100, result: { kind: 'ok', ret: 102 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 101, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'tsync_fail', tid: 102 } },
  { tid: 100, result: { kind: 'ok', ret: 3 } },
  { tid: 100, result: { kind: 'invalid', reason: 'ruleset_supervisee: not in this variant' } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'err', errno: 22 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'err', errno: 9 } },
  { tid: 100, result: { kind: 'ok', ret: 3 } },
  { tid: 101, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'err', errno: 1 } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: { action: 'errno', ret: 0x50001, data: 1, layer: 1 }, outcome: { kind: 'errno', errno: 1, by: 'seccomp' } } } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: null, outcome: { kind: 'allow' } } } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: null, outcome: { kind: 'errno', errno: 18, by: 'landlock' } } } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: { action: 'trap', ret: 0x30005, data: 5, layer: 1 }, outcome: { kind: 'trap', data: 5 } } } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: { action: 'user_notif', ret: 0x7fc00000, data: 0, layer: 1 }, outcome: { kind: 'notify', listener: 1 } } } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: { action: 'log', ret: 0x7ffc0000, data: 0, layer: null }, outcome: { kind: 'allow', logged: true } } } },
  { tid: 102, result: { kind: 'observe', state: { seccompMode: 2, filterCount: 1, nnp: true, landlockLayers: 1 } } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 101, result: { kind: 'stopped', outcome: { kind: 'errno', errno: 1, by: 'seccomp' } } },
  { tid: 102, result: { kind: 'killed', scope: 'thread', signal: 'SIGKILL' } },
  { tid: 0, result: { kind: 'probe', probe: { seccomp: { action: 'kill_process', ret: 0x80000000, data: 0, layer: 2 }, outcome: { kind: 'kill_process' } } } },
  { tid: 100, result: { kind: 'ok', ret: 4 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 101, result: { kind: 'err', errno: 1 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: { action: 'trace', ret: 0x7ff00000, data: 0, layer: 1 }, outcome: { kind: 'errno', errno: 1, by: 'tracer' }, trace: { tracer: 100, response: { kind: 'skip', errno: 1 }, call: { kind: 'syscall', nr: 39, arch: 0xc000003e, ip: 0, args: [0, 0, 0, 0, 0, 0] } } } } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: { action: 'errno', ret: 0x50001, data: 1, layer: 1 }, outcome: { kind: 'allow' }, suspended: true } } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'ok', ret: 101 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'err', errno: 2 } },
  { tid: 100, result: { kind: 'ok', ret: 4 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'ok', ret: 80024064 } },
  { tid: 100, result: { kind: 'ok', ret: 1 } },
  { tid: 101, result: { kind: 'probe', probe: { seccomp: { action: 'user_notif', ret: 0x7fc00000, data: 0, layer: 1 }, outcome: { kind: 'allow' } } } },
  { tid: 100, result: { kind: 'err', errno: 95 } },
  { tid: 100, result: { kind: 'err', errno: 29 } },
  { tid: 100, result: { kind: 'ok', ret: 1 } },
  { tid: 100, result: { kind: 'ok', ret: 5 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: null, outcome: { kind: 'errno', errno: 1, by: 'landlock' } } } },
  { tid: 100, result: { kind: 'ok', ret: 7 } },
  { tid: 100, result: { kind: 'probe', probe: { seccomp: null, outcome: { kind: 'errno', errno: 13, by: 'landlock' } } } },
  { tid: 100, result: { kind: 'err', errno: 20 } },
  { tid: 100, result: { kind: 'err', errno: 22 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
];

/** The sample as a trace with a finding. */
export function sampleScenario(): Scenario {
  return scenarioOf({
    variant: { id: 'my-design', module: './my-design.ts' },
    description: 'every op, request and result kind once',
    ops: SAMPLE_OPS,
    results: SAMPLE_RESULTS,
    target: 'model',
    finding: {
      property: 'I2',
      statement: 'no weakening of others',
      seed: -1234,
      path: '3:1:0',
      atStep: 11,
      message: 'task 101 gained read_file /a/f',
    },
  });
}

/** The steps a kernel run of SAMPLE_OPS made before its timeout, using every kernel result and
 * outcome kind once (by hand, like SAMPLE_RESULTS: well-formed, not a real run). */
const KERNEL_RAN: readonly KernelStep[] = [
  { tid: 100, result: { kind: 'ok', ret: 101 } },
  { tid: 100, result: { kind: 'ok', ret: 102 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 101, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'tsync_fail', tid: 102 } },
  { tid: 100, result: { kind: 'ok', ret: 3 } },
  { tid: 0, result: { kind: 'skip', reason: 'variant-only operation: Linux has no ruleset_supervisee' } },
  { tid: 100, result: { kind: 'err', errno: 22 } },
  { tid: 100, result: { kind: 'err', errno: 22 } },
  { tid: 100, result: { kind: 'ok', ret: 0 } },
  { tid: 100, result: { kind: 'err', errno: 9 } },
  { tid: 100, result: { kind: 'ok', ret: 3 } },
  { tid: 101, result: { kind: 'ok', ret: 0 } },
  { tid: 0, result: { kind: 'skip', reason: 'variant-only operation: Linux has no modify' } },
  { tid: 100, result: { kind: 'probe', outcome: { kind: 'errno', errno: 1 } } },
  { tid: 100, result: { kind: 'probe', outcome: { kind: 'returned', ret: 3 } } },
  { tid: 100, result: { kind: 'probe', outcome: { kind: 'kill_thread' } } },
  { tid: 100, result: { kind: 'probe', outcome: { kind: 'trap', data: 5, nr: 165, arch: 0xc000003e } } },
  { tid: 100, result: { kind: 'probe', outcome: { kind: 'notify', listener: 1, errno: 125 } } },
  { tid: 100, result: { kind: 'probe', outcome: { kind: 'kill_process', signal: 'SIGSYS', alone: false } } },
  { tid: 102, result: { kind: 'observe', state: { seccompMode: 2, filterCount: 1, nnp: true, landlockLayers: null, landlockError: 'a filter denies clone' } } },
  { tid: 100, result: { kind: 'stopped', outcome: { kind: 'trap', data: 7, nr: 59, arch: 0xc000003e } } },
  { tid: 101, result: { kind: 'killed', scope: 'process', signal: null, exitCode: 0, alone: true } },
  { tid: 102, result: { kind: 'timeout', ms: 2000, scope: 'op' } },
];

/** The kernel's results: what ran before the timeout, then every later op not run. */
export const SAMPLE_KERNEL_RESULTS: readonly KernelStep[] = [
  ...KERNEL_RAN,
  ...SAMPLE_OPS.slice(KERNEL_RAN.length).map((): KernelStep => ({ tid: 0, result: { kind: 'not_run', reason: 'an earlier op timed out' } })),
];

/** The sample as a conformance discrepancy: model results, a kernel run, the differing steps.
 * The kernel kinds `invalid` and `error` appear in kernelRunWithErrors(). */
export function sampleDiscrepancy(): Scenario {
  return scenarioOf({
    variant: { id: 'linux' },
    description: 'strata conform: the kernel differs from the model',
    ops: SAMPLE_OPS,
    results: SAMPLE_RESULTS,
    target: 'model',
    kernel: { release: '6.18.0-sample', landlockAbi: 7, status: 'timeout', results: SAMPLE_KERNEL_RESULTS },
    discrepancy: { seed: 42, path: '17:0:3', steps: [16, 19], message: 'model errno 18 (landlock), kernel kill_thread' },
  });
}

/** A small trace with a kernel run (no discrepancy) that has the remaining kinds (`invalid`, `error`). */
export function kernelRunWithErrors(): Scenario {
  return scenarioOf({
    variant: { id: 'linux' },
    ops: [{ op: 'fork', task: 0 }, { op: 'observe', task: 5, tid: 999 }],
    results: [{ tid: 100, result: { kind: 'ok', ret: 101 } }, { tid: 0, result: { kind: 'invalid', reason: 'observe: task 999 is not alive' } }],
    target: 'model',
    kernel: {
      release: '6.18.0-sample', landlockAbi: 7, status: 'ok',
      results: [{ tid: 100, result: { kind: 'error', message: 'fork: recvmsg of the child\'s channel failed' } }, { tid: 0, result: { kind: 'invalid', reason: 'no live task 999' } }],
    },
  });
}
