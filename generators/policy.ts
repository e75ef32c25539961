// Seccomp programs for generated filters: mostly small structured policies over the universe's
// syscalls, compiled by model/bpf/asm.ts:compilePolicy (so layers differ request by request
// and weakening is visible), sometimes one of a few hand-written raw programs that exercise
// the classic BPF machine (ALU, JSET, scratch memory, RET A). Shrinks toward ALLOW-by-default
// policies with fewer rules.
import fc from 'fast-check';
import type { Insn } from '../model/ops.js';
import type { Universe } from '../model/universe.js';
import type { Policy, PolicyRule } from '../model/bpf/asm.js';
import {
  compilePolicy, ldNr, ldArch, ldArgLo, ldMem, st, and, or, retA, ret, jeq, jge, jset,
} from '../model/bpf/asm.js';
import {
  SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_LOG,
  SECCOMP_RET_USER_NOTIF, retErrno, retTrap, retTrace, formatRet,
} from '../model/seccomp/action.js';
import { ERRNO } from '../model/errno.js';
import { AUDIT_ARCH_X86_64 } from '../model/request.js';

/** A program and the policy text it came from (the op's `source`). */
export interface GeneratedProgram {
  readonly program: readonly Insn[];
  readonly source: string;
}

/** Rule actions, the common ones first (shrinking moves toward the first). */
function actionArbitrary(): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(retErrno(ERRNO.EPERM), retErrno(ERRNO.EACCES)), weight: 6 },
    { arbitrary: fc.constant(SECCOMP_RET_ALLOW), weight: 3 },
    { arbitrary: fc.constant(SECCOMP_RET_LOG), weight: 1 },
    { arbitrary: fc.constantFrom(retTrap(7), retTrace(0), SECCOMP_RET_USER_NOTIF), weight: 2 },
    { arbitrary: fc.constantFrom(SECCOMP_RET_KILL_THREAD, SECCOMP_RET_KILL_PROCESS), weight: 1 },
  );
}

function defaultActionArbitrary(): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.constant(SECCOMP_RET_ALLOW), weight: 10 },
    { arbitrary: fc.constant(SECCOMP_RET_LOG), weight: 1 },
    // A deny-by-default filter also stops the task's own later ops (model/seccomp/op-gate.ts).
    { arbitrary: fc.constant(retErrno(ERRNO.EPERM)), weight: 1 },
  );
}

/** The rule shapes the universe's syscalls call for: nr, arch when not native, arg 0 when set. */
function ruleTargets(universe: Universe): readonly Omit<PolicyRule, 'action'>[] {
  return universe.syscalls.map((r) => ({
    nr: r.nr,
    ...(r.arch !== AUDIT_ARCH_X86_64 ? { arch: r.arch } : {}),
    ...(r.args[0] !== 0 ? { argEq: [0, r.args[0]] as const } : {}),
  }));
}

export function policyArbitrary(universe: Universe, maxRules: number): fc.Arbitrary<Policy> {
  const targets = ruleTargets(universe);
  const rule = fc.tuple(fc.nat(Math.max(0, targets.length - 1)), actionArbitrary()).map(([i, action]) => ({ ...targets[i]!, action }));
  return fc.record({ default: defaultActionArbitrary(), rules: fc.array(rule, { maxLength: maxRules }) });
}

/** "ALLOW; 39→ERRNO(1), 102@i386→KILL_PROCESS". */
export function formatPolicy(p: Policy): string {
  const rules = p.rules.map((r) => `${r.nr}${r.arch !== undefined ? `@0x${r.arch.toString(16)}` : ''}${r.argEq ? `[a${r.argEq[0]}=${r.argEq[1]}]` : ''}->${formatRet(r.action)}`);
  return rules.length ? `${formatRet(p.default)}; ${rules.join(', ')}` : formatRet(p.default);
}

/** Program array → the policy it was compiled from (for shrinking policies rule by rule). */
const POLICY_OF = new WeakMap<readonly Insn[], Policy>();

export function policyOf(program: readonly Insn[]): Policy | undefined {
  return POLICY_OF.get(program);
}

/** Compile a policy, remembering it for the shrinker. */
export function compiledProgram(p: Policy): GeneratedProgram {
  const program = compilePolicy(p);
  POLICY_OF.set(program, p);
  return { program, source: formatPolicy(p) };
}

/** Hand-written programs beyond what compilePolicy emits. */
export const RAW_PROGRAMS: readonly GeneratedProgram[] = [
  { source: 'raw: allow all', program: [ret(SECCOMP_RET_ALLOW)] },
  { source: 'raw: errno = nr & 0xff (RET A)', program: [ldNr(), and(0xff), or(SECCOMP_RET_ERRNO), retA()] },
  {
    source: 'raw: kill foreign arch; nr >= 100 -> ERRNO(EPERM)',
    program: [ldArch(), jeq(AUDIT_ARCH_X86_64, 1, 0), ret(SECCOMP_RET_KILL_PROCESS), ldNr(), jge(100, 0, 1), ret(retErrno(ERRNO.EPERM)), ret(SECCOMP_RET_ALLOW)],
  },
  { source: 'raw: arg0 bit 0 set -> ERRNO(EACCES)', program: [ldArgLo(0), jset(1, 0, 1), ret(retErrno(ERRNO.EACCES)), ret(SECCOMP_RET_ALLOW)] },
  { source: 'raw: nr via scratch memory; 39 -> TRAP(5)', program: [ldNr(), st(0), ldMem(0), jeq(39, 0, 1), ret(retTrap(5)), ret(SECCOMP_RET_ALLOW)] },
];

/** A seccomp program: a compiled policy (mostly) or a raw one. */
export function programArbitrary(universe: Universe, maxRules: number): fc.Arbitrary<GeneratedProgram> {
  return fc.oneof(
    { arbitrary: policyArbitrary(universe, maxRules).map(compiledProgram), weight: 8 },
    { arbitrary: fc.constantFrom(...RAW_PROGRAMS), weight: 1 },
  );
}

/** Attacker programs: as permissive as possible (what an attacker would TSYNC or modify to). */
export function permissiveProgramArbitrary(): fc.Arbitrary<GeneratedProgram> {
  return fc.constant(RAW_PROGRAMS[0]!);
}
