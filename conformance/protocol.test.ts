// The Node half of the protocol and the skip rules, without a kernel.
import { describe, expect, test } from 'vitest';
import type { Op } from '../model/ops.js';
import { defaultFsTree } from '../model/landlock/fstree.js';
import { syscall, AUDIT_ARCH_I386 } from '../model/request.js';
import { encodeScenario, encodeToken, parseFeatures, parseReply, MAX_SENT_INSNS, type EncodeOptions } from './protocol.js';
import { kernelSkipReason } from './skips.js';
import type { KernelFeatures } from './result.js';
import { FS, NET, RET, SCOPE, filter, observe, probe, restrict, rulePath, rulePort, ruleset, sendFd, sys } from './fixtures.js';

const base: EncodeOptions = {
  id: 't', opTimeoutMs: 100, scenarioTimeoutMs: 200, nnp: false, capSysAdmin: true,
  fs: { entries: [{ path: '/a', type: 'dir' }, { path: '/a/f', type: 'file' }, { path: '/dev/zero', type: 'dev' }] },
  netns: true, noAnswer: false, skips: [],
};

const LINUX_6_18: KernelFeatures = {
  kernel: '6.18', landlockAbi: 7, landlockErrata: 7, seccompActions: ['kill_process', 'kill_thread', 'trap', 'errno', 'user_notif', 'trace', 'log', 'allow'],
  seccompFilterFlags: 63, landlockRestrictFlags: 7, userNotif: true, pidfdThread: true, pidfdGetfd: true, ia32: true,
  mountns: true, netns: true, execMemfd: true,
};

describe('encodeScenario', () => {
  test('every op kind has one line; strings are percent-encoded', () => {
    const ops: Op[] = [
      { op: 'fork', task: 0 }, { op: 'thread', task: -3, tid: 101 }, filter(0, [[6, 0, 0, RET.ALLOW]], 8), ruleset(0, 3, 1, 2),
      rulePath(0, 1, '/a b', 4), rulePort(0, 0, 80, 1), restrict(0, null, 4), restrict(0, 2, 0), sendFd(0, 1, 2),
      { op: 'close_fd', task: 0, fd: 0 }, sys(0, 39, [1, 2]), probe(0, { kind: 'fs', access: 'read_file', path: '/a/f' }),
      probe(0, { kind: 'rename', from: '/a/f', to: '/' }), probe(0, { kind: 'mount' }), probe(0, { kind: 'net', op: 'connect', port: 8080 }),
      probe(0, { kind: 'ptrace', target: -1 }), observe(0),
    ];
    const { text, invalid } = encodeScenario(ops, base);
    expect(invalid.size).toBe(0);
    expect(text.split('\n')).toEqual([
      'scenario t 100 200 0 1 netns 0', 'fs d /a', 'fs f /a/f', 'fs c /dev/zero',
      'op fork 0 -', 'op thread -3 101', 'op seccomp_filter 0 - 8 1 6 0 0 2147418112', 'op ruleset_create 0 - 3 1 2',
      'op ruleset_add_rule 0 - 1 path 4 /a%20b', 'op ruleset_add_rule 0 - 0 port 1 80', 'op restrict_self 0 - - 4',
      'op restrict_self 0 - 2 0', 'op send_fd 0 - 1 2', 'op close_fd 0 - 0', 'op probe 0 - sys 39 3221225534 0 1 2 0 0 0 0',
      'op probe 0 - fs read_file /a/f', 'op probe 0 - rename /a/f /', 'op probe 0 - mount new', 'op probe 0 - net connect 8080 4 tcp',
      'op probe 0 - ptrace -1', 'op observe 0 -', 'end', '',
    ]);
    expect(encodeToken('x\ny%')).toBe('x%0Ay%25');
  });

  test('malformed and unknown ops become invalid; skips carry their reason; long programs are truncated', () => {
    const ops = [
      { op: 'nope', task: 0 }, { op: 'observe', task: 'x' }, probe(0, { kind: 'fs', access: 'read_file', path: 'a//f' }),
      filter(0, [[6, 0, 0, 2 ** 32]]), observe(0), filter(0, Array(5000).fill([6, 0, 0, RET.ALLOW])),
    ] as unknown as Op[];
    const { text, invalid } = encodeScenario(ops, { ...base, skips: [null, null, null, null, 'no such thing', null] });
    expect([...invalid.keys()]).toEqual([0, 1, 2, 3]);
    const lines = text.split('\n');
    expect(lines[4]).toBe('op skip 0 - invalid');
    expect(lines[8]).toBe('op skip 0 - no%20such%20thing');
    expect(lines[9]!.split(' ').slice(0, 6)).toEqual(['op', 'seccomp_filter', '0', '-', '0', String(MAX_SENT_INSNS)]);
  });
});

describe('full-table observes', () => {
  test('encoded: the table option and one table line per request, before the ops', () => {
    const { text } = encodeScenario([observe(0)], { ...base, table: [syscall(39), { kind: 'fs', access: 'truncate', path: '/a/f' }] });
    expect(text.split('\n')).toEqual([
      'scenario t 100 200 0 1 netns,table 0', 'fs d /a', 'fs f /a/f', 'fs c /dev/zero',
      'table sys 39 3221225534 0 0 0 0 0 0 0', 'table fs truncate /a/f', 'op observe 0 -', 'end', '',
    ]);
  });

  test('parsed: t lines are table entries, not op results', () => {
    const r = parseReply([
      'result t ok 1 clean', 'r 0 100 observe 2 1 0 0', 't 0 100 0 probe killed process - 1', 't 0 100 signal:101 probe returned 0',
      't end 101 1 skip the task is in strict mode: no disposable child can be made', 't end 100 ptrace:102 probe errno 1',
      't end 100 abstract_unix:x probe returned 0', 't 2 100', 'end',
    ], 1);
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]!.result.kind).toBe('observe');
    expect(r.tables).toEqual([
      { point: 0, tid: 100, request: 0, result: { kind: 'probe', outcome: { kind: 'kill_process', signal: null, alone: true } } },
      { point: 0, tid: 100, request: { kind: 'signal', target: 101 }, result: { kind: 'probe', outcome: { kind: 'returned', ret: 0 } } },
      { point: 'end', tid: 101, request: 1, result: { kind: 'skip', reason: 'the task is in strict mode: no disposable child can be made' } },
      { point: 'end', tid: 100, request: { kind: 'ptrace', target: 102 }, result: { kind: 'probe', outcome: { kind: 'errno', errno: 1 } } },
    ]);
  });
});

describe('parseReply', () => {
  test('every result kind', () => {
    const lines = [
      'result t ok 123 clean', 'r 0 100 ok 101', 'r 1 100 err 13', 'r 2 100 tsync_fail 101', 'r 3 101 probe returned 5',
      'r 4 101 probe errno 38', 'r 5 101 probe trap 17 39 3221225534', 'r 6 101 probe notify 1 125', 'r 7 101 probe killed thread - 0',
      'r 8 101 probe killed process sig:31 1', 'r 9 100 killed process sig:9 1', 'r 10 100 observe 2 1 1 3', 'r 11 100 observe 1 0 0 -1 layer oracle failed: errno 1',
      'r 12 0 invalid observe: no live task', 'r 13 100 skip no way', 'r 14 100 timeout 300', 'r 15 0 timeout 400 scenario',
      'r 16 0 notrun the scenario timed out', 'r 17 100 error send_fd: errno 9', 'r 18 100 killed process exit:0 1', 'end',
    ];
    const r = parseReply(lines, 20);
    expect(r.status).toBe('ok');
    expect(r.elapsedUs).toBe(123);
    expect(r.steps.map((s) => s.result)).toEqual([
      { kind: 'ok', ret: 101 }, { kind: 'err', errno: 13 }, { kind: 'tsync_fail', tid: 101 },
      { kind: 'probe', outcome: { kind: 'returned', ret: 5 } }, { kind: 'probe', outcome: { kind: 'errno', errno: 38 } },
      { kind: 'probe', outcome: { kind: 'trap', data: 17, nr: 39, arch: 0xc000003e } },
      { kind: 'probe', outcome: { kind: 'notify', listener: 1, errno: 125 } }, { kind: 'probe', outcome: { kind: 'kill_thread' } },
      { kind: 'probe', outcome: { kind: 'kill_process', signal: 'SIGSYS', alone: true } },
      { kind: 'killed', scope: 'process', signal: 'SIGKILL', alone: true },
      { kind: 'observe', state: { seccompMode: 2, filterCount: 1, nnp: true, landlockLayers: 3 } },
      { kind: 'observe', state: { seccompMode: 1, filterCount: 0, nnp: false, landlockLayers: null, landlockError: 'layer oracle failed: errno 1' } },
      { kind: 'invalid', reason: 'observe: no live task' }, { kind: 'skip', reason: 'no way' }, { kind: 'timeout', ms: 300, scope: 'op' },
      { kind: 'timeout', ms: 400, scope: 'scenario' }, { kind: 'not_run', reason: 'the scenario timed out' },
      { kind: 'error', message: 'send_fd: errno 9' }, { kind: 'killed', scope: 'process', signal: null, exitCode: 0, alone: true },
      { kind: 'error', message: 'the executor sent no result for this op' },
    ]);
    expect(r.steps[0]!.tid).toBe(100);
  });

  test('a call that returned, then its task was killed at the executor\'s reply', () => {
    const r = parseReply(['result t ok 1 clean', 'r 0 101 ok 0 then-killed process sig:31 1', 'r 1 102 err 22 then-killed thread - 0', 'end'], 2);
    expect(r.steps.map((s) => s.result)).toEqual([
      { kind: 'ok', ret: 0, thenKilled: { scope: 'process', signal: 'SIGSYS', alone: true } },
      { kind: 'err', errno: 22, thenKilled: { scope: 'thread', signal: null, alone: false } },
    ]);
  });

  test('a refused request', () => {
    const r = parseReply(['result t error 0 clean', 'protocol op 3: bad number', 'end'], 1);
    expect(r.status).toBe('error');
    expect(r.steps[0]!.result).toEqual({ kind: 'error', message: 'op 3: bad number' });
  });

  test('features', () => {
    const f = parseFeatures(['feature kernel 6.18.44', 'feature landlock_abi 7', 'feature seccomp_actions errno,allow', 'feature ia32 1', 'end']);
    expect(f).toMatchObject({ kernel: '6.18.44', landlockAbi: 7, seccompActions: ['errno', 'allow'], ia32: true, userNotif: false, landlockErrata: -1 });
  });
});

describe('kernelSkipReason', () => {
  const skip = (op: Op, worldAbi = 7, f: KernelFeatures = LINUX_6_18): string | null => kernelSkipReason(op, worldAbi, f);

  test('runs what both the kernel and the world know, and what neither knows (both reject it)', () => {
    expect(skip(ruleset(0, FS.IOCTL_DEV, NET.BIND_TCP, SCOPE.SIGNAL))).toBeNull();
    expect(skip(ruleset(0, 1 << 16))).toBeNull(); // ABI 9 on both sides: EINVAL on both
    expect(skip(restrict(0, 0, 1 << 3))).toBeNull(); // TSYNC: ABI 8, neither has it
    expect(skip(filter(0, [[6, 0, 0, RET.USER_NOTIF]], 8))).toBeNull();
    expect(skip(sys(0, 20, [], AUDIT_ARCH_I386))).toBeNull();
  });

  test('skips rights and flags on which the world ABI and the kernel ABI disagree', () => {
    expect(skip(restrict(0, 0, 1 << 3), 8)).toMatch(/needs Landlock ABI 8: the kernel has ABI 7, the scenario's world ABI 8/);
    expect(skip(ruleset(0, FS.TRUNCATE), 2)).toMatch(/ABI 3/);
    expect(skip(rulePort(0, 0, 80, NET.BIND_TCP), 3)).toMatch(/net_port rule/);
    expect(skip(ruleset(0, 0, 0, SCOPE.SIGNAL), 7, { ...LINUX_6_18, landlockAbi: 5 })).toMatch(/scope bit 1 needs Landlock ABI 6/);
    expect(skip(ruleset(0, FS.READ_FILE), 7, { ...LINUX_6_18, landlockAbi: 0 })).toBe('this kernel has no Landlock');
  });

  test('runs the create_ruleset queries only where the model answers as this kernel would (delegation.md M1)', () => {
    const q = (flags: number): Op => ({ op: 'ruleset_create', task: 0, fs: 0, net: 0, scoped: 0, flags });
    expect(skip(q(1))).toBeNull();
    expect(skip(q(2))).toBeNull();
    expect(skip(q(1), 6)).toMatch(/VERSION query answers the kernel's Landlock ABI 7, the scenario's world is ABI 6/);
    expect(skip(q(2), 7, { ...LINUX_6_18, landlockErrata: -1 })).toMatch(/ERRATA query: this kernel has no such query/);
    expect(skip(q(2), 7, { ...LINUX_6_18, landlockErrata: 3 })).toMatch(/fixes errata 0x3/);
    expect(skip(q(3), 6)).toBeNull(); // VERSION|ERRATA: EINVAL on both
  });

  test('skips variant-only ops and fields, and what this kernel lacks', () => {
    expect(skip({ op: 'modify', task: 0, layer: 0 })).toBe('variant-only operation: Linux has no modify');
    expect(skip({ op: 'ruleset_create', task: 0, fs: 1, net: 0, scoped: 0, supervisor: true })).toMatch(/variant-only/);
    expect(skip({ op: 'restrict_self', task: 0, ruleset: 0, flags: 0, mutability: 'any' })).toMatch(/variant-only/);
    expect(skip({ op: 'restrict_self', task: 0, ruleset: 0, flags: 0, mutability: 'immutable' })).toBeNull();
    const old = { ...LINUX_6_18, seccompFilterFlags: 31, userNotif: false, ia32: false, pidfdThread: false, seccompActions: ['errno', 'allow'] };
    expect(skip(filter(0, [[6, 0, 0, RET.ALLOW]], 32), 7, old)).toMatch(/flag\(s\) 0x20/);
    expect(skip(filter(0, [[6, 0, 0, RET.ALLOW]], 8), 7, old)).toMatch(/user notification/);
    expect(skip(filter(0, [[6, 0, 0, RET.TRAP | 3]]), 7, old)).toBe('this kernel lacks the seccomp action trap');
    expect(skip(probe(0, syscall(20, [], AUDIT_ARCH_I386)), 7, old)).toMatch(/i386/);
    // before PIDFD_THREAD (6.9) the executor watches a thread's death in /proc (native/call.c)
    expect(skip({ op: 'thread', task: 0 }, 7, old)).toBeNull();
    expect(skip(probe(0, syscall(39, [], 0xc000003e, 0x1000)))).toMatch(/instruction pointer/);
  });

  test('the default tree encodes', () => {
    expect(() => encodeScenario([observe(0)], { ...base, fs: defaultFsTree() })).not.toThrow();
  });
});
