// 64-bit values on this kernel against the model (issue 13 item 4): every step the same. The
// model and the executor both take the exact u64 (model/u64.ts; protocol.ts sends it in decimal).
import { describe, expect, test } from 'vitest';
import type { Op } from '../model/ops.js';
import { u64 } from '../model/u64.js';
import { runTrace } from '../properties/trace.js';
import { LINUX } from '../variants/linux.js';
import { diffScenario } from './diff.js';
import { kx, f, useSharedExecutor } from './shared-executor.js';
import { E, FS, NET, NR, RET, filter, observe, ruleset, rulePath, rulePort, sys } from './fixtures.js';
import { compilePolicy } from '../model/bpf/asm.js';

useSharedExecutor();

async function agree(ops: Op[]): Promise<void> {
  const t = await kx.run(ops);
  expect(t.status).toBe('ok');
  const model = runTrace(LINUX, ops);
  const d = diffScenario({ ops, model, kernel: t.steps });
  expect(d.steps.map((s, i) => `#${i} ${s.status}${s.status === 'same' ? '' : `: ${'why' in s ? s.why : ''}`}`)).toEqual(ops.map((_, i) => `#${i} same`));
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
