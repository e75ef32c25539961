// Parts of the kernel surface added for issue 13, on this kernel against the model, every step
// the same: 64-bit values (model/u64.ts; protocol.ts sends them in decimal), the
// landlock_create_ruleset queries (delegation.md M1) and descriptors of other kinds given where a
// ruleset is expected (M3). The [V] values are asserted too, so the model cannot drift with the
// kernel unnoticed.
import { describe, expect, test } from 'vitest';
import type { Op } from '../model/ops.js';
import { u64 } from '../model/u64.js';
import { runTrace } from '../properties/trace.js';
import { LINUX } from '../variants/linux.js';
import { diffScenario } from './diff.js';
import { kx, f, useSharedExecutor } from './shared-executor.js';
import { E, FS, NET, NR, RET, filter, observe, ruleset, rulePath, rulePort, sys } from './fixtures.js';
import { compilePolicy } from '../model/bpf/asm.js';
import type { KernelOpResult } from './result.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';

useSharedExecutor();

async function agree(ops: Op[]): Promise<KernelOpResult[]> {
  const t = await kx.run(ops);
  expect(t.status).toBe('ok');
  const model = runTrace(LINUX, ops);
  const d = diffScenario({ ops, model, kernel: t.steps });
  expect(d.steps.map((s, i) => `#${i} ${s.status}${s.status === 'same' ? '' : `: ${'why' in s ? s.why : ''}`}`)).toEqual(ops.map((_, i) => `#${i} same`));
  return t.steps.map((s) => s.result);
}

describe('u64 fields: model and kernel agree', () => {
  test('Landlock: handled bits 32–63 and rule rights/ports there are EINVAL (sys_landlock_create_ruleset, add_rule_*)', async (ctx) => {
    ctx.skip(f.landlockAbi < 4, 'needs Landlock ABI 4 (net rules)');
    const high = (b: number, low: number) => u64((1n << BigInt(b)) | BigInt(low));
    await agree([
      ruleset(0, high(63, FS.READ_FILE)), ruleset(0, high(53, FS.READ_FILE)), ruleset(0, high(32, FS.READ_FILE)),
      ruleset(0, FS.READ_FILE, high(60, NET.BIND_TCP)), ruleset(0, FS.READ_FILE, 0, high(55, 1)),
      ruleset(0, FS.READ_FILE, NET.BIND_TCP),
      rulePath(0, 0, '/a', high(62, FS.READ_FILE)), rulePort(0, 0, high(58, 80), NET.BIND_TCP), rulePort(0, 0, 80, high(61, NET.BIND_TCP)),
      rulePath(0, 0, '/a', FS.READ_FILE), observe(0),
    ]);
  });

  test('seccomp: a filter on both words of an argument decides values that differ only above bit 53', async () => {
    const prog = compilePolicy({ default: RET.ALLOW, rules: [{ nr: NR.getpid, argEq: [0, '0xfff0000000000001'], action: RET.ERRNO | E.EACCES }] });
    await agree([
      filter(0, prog),
      sys(0, NR.getpid, ['0xfff0000000000001']), sys(0, NR.getpid, ['0xfff0000000000000']), sys(0, NR.getpid, ['0xeff0000000000001']),
      sys(0, NR.getpid, [1]), sys(0, NR.getpid, ['0xfff0000000000001', '0xffffffffffffffff']),
    ]);
  });
});

describe('landlock_create_ruleset queries (delegation.md M1)', () => {
  test('[V d11] (NULL,0,VERSION) = 7, (NULL,0,ERRATA) = 0x7; VERSION|ERRATA, an attr, or flag 1<<2 → EINVAL; no descriptor made', async (ctx) => {
    ctx.skip(f.landlockAbi !== 7 || f.landlockErrata !== 0x7, 'the [V] values are this machine\'s (ABI 7, errata 0x7)');
    const q = (flags: number, fs = 0): Op => ({ op: 'ruleset_create', task: 0, fs, net: 0, scoped: 0, flags });
    const r = await agree([q(1), q(2), q(3), q(4), q(1, FS.READ_FILE), q(2, FS.READ_FILE), ruleset(0, FS.READ_FILE), observe(0)]);
    expect(r.slice(0, 7)).toEqual([{ kind: 'ok', ret: 7 }, { kind: 'ok', ret: 7 }, ...Array(4).fill({ kind: 'err', errno: E.EINVAL }), { kind: 'ok', ret: 3 }]);
  });
});

describe('a descriptor that is not a ruleset, where one is expected (delegation.md M3)', () => {
  test('[V d11] a seccomp listener → EBADFD for add_rule and restrict_self; the ruleset itself works; nothing at all → EBADF', async (ctx) => {
    ctx.skip(f.landlockAbi < 1 || !f.userNotif, 'needs Landlock and seccomp user notification');
    const listener = filter(0, compilePolicy({ default: RET.ALLOW, rules: [] }), SECCOMP_FILTER_FLAG.NEW_LISTENER);
    const addAny = (index: number): Op => ({ op: 'ruleset_add_rule', task: 0, ruleset: index, anyFd: true, rule: { type: 'path_beneath', path: '/a', access: FS.READ_FILE } });
    const restrictAny = (index: number): Op => ({ op: 'restrict_self', task: 0, ruleset: index, anyFd: true, flags: 0 });
    const r = await agree([
      addAny(0), restrictAny(0), // no descriptor at all
      listener, ruleset(0, FS.READ_FILE), // fd 3 the listener, fd 4 the ruleset
      addAny(0), restrictAny(0), addAny(1), restrictAny(1), observe(0),
    ]);
    expect(r.slice(0, 2)).toEqual([{ kind: 'err', errno: E.EBADF }, { kind: 'err', errno: E.EBADF }]);
    expect(r.slice(4, 8)).toEqual([{ kind: 'err', errno: E.EBADFD }, { kind: 'err', errno: E.EBADFD }, { kind: 'ok', ret: 0 }, { kind: 'ok', ret: 0 }]);
  });
});
