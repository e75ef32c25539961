// 64-bit values held exactly (issue 13 item 4): the canonical form, the words seccomp_data gets,
// and the kernel's EINVAL for bits no Landlock ABI has, on the model.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isU64, u64, u64BigInt, u64Bits, u64Hi, u64Lo, u64Decimal, u64HasBitsOutside32 } from './u64.js';
import { seccompData } from './seccomp/data.js';
import { syscall } from './request.js';
import { compilePolicy } from './bpf/asm.js';
import { runSeccompProgram } from './bpf/interp.js';
import { runTrace } from '../properties/trace.js';
import { LINUX } from '../variants/linux.js';
import type { Op } from './ops.js';
import { ERRNO } from './errno.js';

const arbU64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe('u64', () => {
  it('one canonical form: a number below 2^53, a lower-case hex string at or above', () => {
    expect(u64(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(u64(2n ** 53n)).toBe('0x20000000000000');
    expect(u64('0xFFFFFFFFFFFFFFFF')).toBe('0xffffffffffffffff');
    expect(u64('0x10')).toBe(16);
    expect(() => u64(1n << 64n)).toThrow(RangeError);
    expect(isU64('0x10')).toBe(false); // not canonical: a small value is a number
    expect(isU64('0x0020000000000000')).toBe(false); // leading zeros
    fc.assert(fc.property(arbU64, (b) => {
      const v = u64(b);
      expect(isU64(v)).toBe(true);
      expect(u64BigInt(v)).toBe(b);
      expect(BigInt(u64Hi(v)) * 2n ** 32n + BigInt(u64Lo(v))).toBe(b);
      expect(u64Decimal(v)).toBe(b.toString());
      expect(u64Bits(v).reduce((a, i) => a | (1n << BigInt(i)), 0n)).toBe(b);
      expect(JSON.parse(JSON.stringify(v))).toBe(v);
    }));
  });

  it('bits outside a 32-bit mask: any high bit, or a low bit the mask lacks', () => {
    expect(u64HasBitsOutside32('0x8000000000000000', 0xffff)).toBe(true);
    expect(u64HasBitsOutside32(u64(1n << 32n), 0xffffffff)).toBe(true);
    expect(u64HasBitsOutside32(0x8000, 0xffff)).toBe(false);
  });

  it('seccomp_data holds every argument and ip word exactly (populate_seccomp_data)', () => {
    fc.assert(fc.property(fc.array(arbU64, { minLength: 7, maxLength: 7 }), (vs) => {
      const req = syscall(39, vs.slice(0, 6).map((b) => u64(b)), undefined, u64(vs[6]!));
      const d = seccompData(req);
      const word = (b: bigint, hi: boolean): number => Number(hi ? b >> 32n : b & 0xffffffffn);
      expect([d[2], d[3]]).toEqual([word(vs[6]!, false), word(vs[6]!, true)]);
      for (let i = 0; i < 6; i++) expect([d[4 + 2 * i], d[5 + 2 * i]]).toEqual([word(vs[i]!, false), word(vs[i]!, true)]);
    }));
  });

  it('a filter comparing both halves of an argument tells apart values that differ only above bit 53', () => {
    const prog = compilePolicy({ default: 0x7fff0000, rules: [{ nr: 39, argEq: [0, '0xfff0000000000001'], action: 0x50000 | 7 }] });
    const run = (a0: string | number): number => runSeccompProgram(prog, seccompData(syscall(39, [u64(BigInt(a0))])));
    expect(run('0xfff0000000000001') >>> 0).toBe(0x50007);
    expect(run('0xfff0000000000000') >>> 0).toBe(0x7fff0000); // one bit lower (not exact as a double)
    expect(run('0xeff0000000000001') >>> 0).toBe(0x7fff0000);
    expect(run(1) >>> 0).toBe(0x7fff0000);
  });
});

describe('Landlock u64 fields on the model (sys_landlock_create_ruleset, landlock_add_rule)', () => {
  const errnoOf = (ops: Op[], at: number): unknown => {
    const r = runTrace(LINUX, ops).steps[at]!.out.result;
    return r.kind === 'err' ? r.errno : r.kind;
  };
  it('a handled bit 32–63 is EINVAL, whatever else is set; ENOMSG only for nothing at all', () => {
    for (const b of [32, 52, 53, 60, 63]) {
      const fs = u64((1n << BigInt(b)) | 4n);
      expect(errnoOf([{ op: 'ruleset_create', task: 0, fs, net: 0, scoped: 0 }], 0)).toBe(ERRNO.EINVAL);
      expect(errnoOf([{ op: 'ruleset_create', task: 0, fs: 4, net: u64((1n << BigInt(b)) | 1n), scoped: 0 }], 0)).toBe(ERRNO.EINVAL);
      expect(errnoOf([{ op: 'ruleset_create', task: 0, fs: 4, net: 0, scoped: u64(1n << BigInt(b)) }], 0)).toBe(ERRNO.EINVAL);
    }
  });
  it('a rule right or a port in the high bits is EINVAL', () => {
    const rs: Op = { op: 'ruleset_create', task: 0, fs: 4, net: 1, scoped: 0 };
    expect(errnoOf([rs, { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a', access: '0x8000000000000004' } }], 1)).toBe(ERRNO.EINVAL);
    expect(errnoOf([rs, { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'net_port', port: '0x8000000000000050', access: 1 } }], 1)).toBe(ERRNO.EINVAL);
    expect(errnoOf([rs, { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'net_port', port: 80, access: '0x8000000000000001' } }], 1)).toBe(ERRNO.EINVAL);
    expect(errnoOf([rs, { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'net_port', port: 80, access: 1 } }], 1)).toBe('ok');
  });
});
