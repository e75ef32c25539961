import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compilePolicy, ldNr, jeq, ret } from './asm.js';
import type { Policy } from './asm.js';
import { checkSeccompProgram } from './check.js';
import { runSeccompProgram } from './interp.js';
import { disasm } from './insn.js';
import { seccompData } from '../seccomp/data.js';
import { syscall, AUDIT_ARCH_I386, AUDIT_ARCH_X86_64 } from '../request.js';
import type { SyscallRequest } from '../request.js';
import { retErrno, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS } from '../seccomp/action.js';

/** What a policy means: the first matching rule's action, else the default. */
function meaning(p: Policy, r: SyscallRequest): number {
  for (const rule of p.rules) {
    if (rule.nr !== r.nr) continue;
    if (rule.arch !== undefined && rule.arch !== r.arch) continue;
    if (rule.argEq && BigInt.asUintN(64, BigInt(r.args[rule.argEq[0]]!)) !== BigInt.asUintN(64, BigInt(rule.argEq[1]))) continue;
    return rule.action >>> 0;
  }
  return p.default >>> 0;
}

const arbArg = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 2 ** 32, 2 ** 40 + 1));
const arbRule = fc.record({
  nr: fc.integer({ min: 0, max: 5 }),
  arch: fc.option(fc.constantFrom(AUDIT_ARCH_X86_64, AUDIT_ARCH_I386), { nil: undefined }),
  argEq: fc.option(fc.tuple(fc.integer({ min: 0, max: 5 }), arbArg), { nil: undefined }),
  action: fc.integer({ min: 0, max: 0xffffffff }),
}).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as Policy['rules'][number]);
const arbPolicy: fc.Arbitrary<Policy> = fc.record({ default: fc.integer({ min: 0, max: 0xffffffff }), rules: fc.array(arbRule, { maxLength: 12 }) });
const arbReq = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom(AUDIT_ARCH_X86_64, AUDIT_ARCH_I386), fc.array(arbArg, { minLength: 6, maxLength: 6 }))
  .map(([nr, arch, args]) => syscall(nr, args, arch));

describe('assembler and policy compiler', () => {
  it('compiles a deny-list policy', () => {
    const p: Policy = { default: SECCOMP_RET_ALLOW, rules: [{ nr: 39, action: retErrno(1) }, { nr: 62, arch: AUDIT_ARCH_X86_64, action: SECCOMP_RET_KILL_PROCESS }] };
    const prog = compilePolicy(p);
    expect(checkSeccompProgram(prog).ok).toBe(true);
    const r = (req: SyscallRequest): number => runSeccompProgram(prog, seccompData(req));
    expect(r(syscall(39))).toBe(retErrno(1));
    expect(r(syscall(62))).toBe(SECCOMP_RET_KILL_PROCESS);
    expect(r(syscall(62, [], AUDIT_ARCH_I386))).toBe(SECCOMP_RET_ALLOW);
    expect(r(syscall(0))).toBe(SECCOMP_RET_ALLOW);
    expect(disasm(prog)).toContain('ld [0] ; nr');
  });
  it('writes programs readably', () => {
    expect([ldNr(), jeq(39, 0, 1), ret(0), ret(SECCOMP_RET_ALLOW)]).toEqual([[0x20, 0, 0, 0], [0x15, 0, 1, 39], [0x06, 0, 0, 0], [0x06, 0, 0, 0x7fff0000]]);
  });
  it('compiles random policies to valid programs that mean what the policy says', () => {
    fc.assert(fc.property(arbPolicy, fc.array(arbReq, { minLength: 1, maxLength: 8 }), (p, reqs) => {
      const prog = compilePolicy(p);
      expect(checkSeccompProgram(prog).ok).toBe(true);
      for (const r of reqs) expect(runSeccompProgram(prog, seccompData(r))).toBe(meaning(p, r));
    }), { numRuns: 500 });
  });
  it('refuses policies beyond BPF_MAXINSNS', () => {
    const rules = Array.from({ length: 2100 }, (_, i) => ({ nr: i, action: 0 }));
    expect(() => compilePolicy({ default: 0, rules })).toThrow(RangeError);
  });
});
