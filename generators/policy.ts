// Seccomp programs for generated filters: mostly small structured policies over the universe's
// syscalls, compiled by model/bpf/asm.ts:compilePolicy (so layers differ request by request
// and weakening is visible), sometimes one of a few hand-written raw programs that exercise
// the classic BPF machine (ALU, JSET, scratch memory, RET A). A compiled program remembers its
// policy, so the shrinker can drop rules one by one.
//
// A guard (the conformance profile, generators/options.ts) puts a fixed block in front of every
// program: x86_64 calls of the guarded numbers (the conformance executor's own syscalls,
// conformance/protocol.md) return ALLOW before the program runs, so a generated policy never
// decides how the executor talks to its tasks. The guard is part of the program the model and the
// kernel both evaluate, and survives shrinking (a guarded program remembers its guard).
import type { Insn } from '../model/ops.js';
import type { Universe } from '../model/universe.js';
import type { Policy, PolicyRule } from '../model/bpf/asm.js';
import {
  compilePolicy, ldNr, ldArch, ldArgLo, ldArgHi, ldMem, ldImm, st, and, or, retA, ret, ja, jeq, jge, jset,
} from '../model/bpf/asm.js';
import {
  SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_LOG,
  SECCOMP_RET_USER_NOTIF, retErrno, retTrap, retTrace, formatRet,
} from '../model/seccomp/action.js';
import { BPF_MAXINSNS } from '../model/limits.js';
import { ERRNO } from '../model/errno.js';
import { AUDIT_ARCH_X86_64 } from '../model/request.js';
import type { Rng } from './pick.js';
import { Weighted, pick } from './pick.js';

/** A program and the policy text it came from (the op's `source`). */
export interface GeneratedProgram {
  readonly program: readonly Insn[];
  readonly source: string;
}

/** Rule actions: mostly errnos, then allow, log, the non-errno stops and the kills. */
const RULE_ACTIONS = new Weighted<number>()
  .add(retErrno(ERRNO.EPERM), 3)
  .add(retErrno(ERRNO.EACCES), 3)
  .add(SECCOMP_RET_ALLOW, 3)
  .add(SECCOMP_RET_LOG, 1)
  .add(retTrap(7), 1)
  .add(retTrace(0), 1)
  .add(SECCOMP_RET_USER_NOTIF, 1)
  .add(SECCOMP_RET_KILL_THREAD, 1)
  .add(SECCOMP_RET_KILL_PROCESS, 1);

/** Defaults: mostly ALLOW; a deny-by-default filter also stops the task's own later ops
 * (model/seccomp/op-gate.ts), so it stays rare. */
const DEFAULT_ACTIONS = new Weighted<number>().add(SECCOMP_RET_ALLOW, 10).add(SECCOMP_RET_LOG, 1).add(retErrno(ERRNO.EPERM), 1);

/** The rule shapes the universe's syscalls call for: nr, arch when not native, arg 0 when set. */
export function ruleTargets(universe: Universe): readonly Omit<PolicyRule, 'action'>[] {
  return universe.syscalls.map((r) => ({
    nr: r.nr,
    ...(r.arch !== AUDIT_ARCH_X86_64 ? { arch: r.arch } : {}),
    ...(r.args[0] !== 0 ? { argEq: [0, r.args[0]] as const } : {}),
  }));
}

export function randomPolicy(rng: Rng, targets: readonly Omit<PolicyRule, 'action'>[], maxRules: number): Policy {
  const n = rng.nextInt(0, maxRules);
  const rules: PolicyRule[] = [];
  for (let i = 0; i < n; i++) rules.push({ ...pick(rng, targets), action: RULE_ACTIONS.draw(rng) });
  return { default: DEFAULT_ACTIONS.draw(rng), rules };
}

/** "ALLOW; 39->ERRNO(1), 102@0x40000003->KILL_PROCESS". */
export function formatPolicy(p: Policy): string {
  const rules = p.rules.map((r) => `${r.nr}${r.arch !== undefined ? `@0x${r.arch.toString(16)}` : ''}${r.argEq ? `[a${r.argEq[0]}=${r.argEq[1]}]` : ''}->${formatRet(r.action)}`);
  return rules.length ? `${formatRet(p.default)}; ${rules.join(', ')}` : formatRet(p.default);
}

/** A call a guard allows: a syscall number, or a number with the exact value of its first argument. */
export type GuardEntry = number | { readonly nr: number; readonly arg0: number };

/** Calls (x86_64) that every program of a guard allows before it runs. */
export interface Guard {
  readonly entries: readonly GuardEntry[];
  /** The guard block: [ld arch; jeq x86_64; ld nr; jeq nr → ret ALLOW …; (ld nr; jeq; ld arg0; jeq
   * → ret ALLOW) …; ld #0], falling through to the program. */
  readonly prefix: readonly Insn[];
  /** How the guard shows in a program's source text. */
  readonly label: string;
}

const GUARDS = new Map<string, Guard>();

const entryKey = (e: GuardEntry): string => (typeof e === 'number' ? String(e) : `${e.nr}[a0=${e.arg0}]`);

/**
 * The guard for `entries` (one shared value per list). The block leaves A = 0 and X untouched for
 * the program that follows, as the kernel starts a filter (kernel/bpf/core.c:bpf_prog_run_classic;
 * net/core/filter.c:bpf_convert_filter clears A and X), and jumps only forward (bpf_check_classic).
 */
export function guardFor(entries: readonly GuardEntry[]): Guard {
  const key = entries.map(entryKey).join(',');
  let g = GUARDS.get(key);
  if (!g) {
    const nrs = [...new Set(entries.filter((e): e is number => typeof e === 'number'))].sort((a, b) => a - b);
    const withArg = entries.filter((e): e is { nr: number; arg0: number } => typeof e !== 'number');
    const n = nrs.length;
    // [0] ld arch [1] jeq x86_64 (else to the end) [2] ld nr [3..n+2] jeq nr → ret [n+3] ja 1 [n+4] ret ALLOW
    const body: Insn[] = [ldNr()];
    nrs.forEach((nr, i) => body.push(jeq(nr, n - i, 0)));
    body.push(ja(1), ret(SECCOMP_RET_ALLOW));
    // then per (nr, arg0): ld nr; jeq nr; ld arg0 lo; jeq lo; ld arg0 hi; jeq hi; ret ALLOW (7 insns)
    for (const e of withArg) {
      const lo = e.arg0 % 2 ** 32;
      const hi = Math.floor(e.arg0 / 2 ** 32);
      body.push(ldNr(), jeq(e.nr, 0, 5), ldArgLo(0), jeq(lo, 0, 3), ldArgHi(0), jeq(hi, 0, 1), ret(SECCOMP_RET_ALLOW));
    }
    const prefix: Insn[] = [ldArch(), jeq(AUDIT_ARCH_X86_64, 0, body.length), ...body, ldImm(0)];
    g = { entries: [...entries], prefix, label: `guard(${entries.length} executor calls) + ` };
    GUARDS.set(key, g);
  }
  return g;
}

/** Program array → the policy it was compiled from, and the guard in front of it (if any). */
const POLICY_OF = new WeakMap<readonly Insn[], Policy>();
const GUARD_OF = new WeakMap<readonly Insn[], Guard>();
/** Policy text (with the guard's label) → its compiled program (policies repeat; compile each once). */
const BY_SOURCE = new Map<string, GeneratedProgram>();
const CACHE_LIMIT = 10_000;

export function policyOf(program: readonly Insn[]): Policy | undefined {
  return POLICY_OF.get(program);
}

/** The guard a generated program starts with, if it has one. */
export function guardOf(program: readonly Insn[]): Guard | undefined {
  return GUARD_OF.get(program);
}

/** Compile a policy (memoised by its text), behind `guard` if given, remembering both for the shrinker. */
export function compiledProgram(p: Policy, guard?: Guard): GeneratedProgram {
  const source = `${guard?.label ?? ''}${formatPolicy(p)}`;
  let g = BY_SOURCE.get(source);
  if (!g) {
    const compiled = compilePolicy(p);
    const program = guard ? [...guard.prefix, ...compiled] : compiled;
    POLICY_OF.set(program, p);
    if (guard) GUARD_OF.set(program, guard);
    g = { program, source };
    if (BY_SOURCE.size >= CACHE_LIMIT) BY_SOURCE.clear();
    BY_SOURCE.set(source, g);
  }
  return g;
}

/** A raw program behind `guard` (memoised; remembers its guard, not a policy). */
export function guardedRaw(raw: GeneratedProgram, guard: Guard): GeneratedProgram {
  const source = `${guard.label}${raw.source}`;
  let g = BY_SOURCE.get(source);
  if (!g) {
    const program = [...guard.prefix, ...raw.program];
    GUARD_OF.set(program, guard);
    g = { program, source };
    if (BY_SOURCE.size >= CACHE_LIMIT) BY_SOURCE.clear();
    BY_SOURCE.set(source, g);
  }
  return g;
}

/** Hand-written programs beyond what compilePolicy emits; the first allows everything. */
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

/** The program an attacker installs or modifies to: allow everything. */
export const PERMISSIVE_PROGRAM: GeneratedProgram = RAW_PROGRAMS[0]!;

/** A program seccomp(2) refuses: it does not end in RET (bpf_check_classic: EINVAL; seccomp.md §2 (5)). */
export const UNTERMINATED_PROGRAM: GeneratedProgram = { source: 'raw: no RET (invalid)', program: [ldNr()] };

/**
 * One return value per action kind, least permissive first (seccomp.md §3 order); ERRNO and TRAP
 * with two data values each, so that two filters can tie on the action with different data.
 */
export const ACTION_RETURNS: readonly (readonly number[])[] = [
  [SECCOMP_RET_KILL_PROCESS],
  [SECCOMP_RET_KILL_THREAD],
  [retTrap(7), retTrap(5)],
  [retErrno(ERRNO.EPERM), retErrno(ERRNO.EACCES)],
  [SECCOMP_RET_USER_NOTIF],
  [retTrace(0)],
  [SECCOMP_RET_LOG],
  [SECCOMP_RET_ALLOW],
];

/** Padded programs by the source text of the program they pad and their length: a few values
 * per process, kept apart from compiledProgram's cache (which is cleared when full), as checking
 * a program of thousands of instructions costs milliseconds (model/bpf/check.ts). */
const PADDED = new Map<string, GeneratedProgram>();

/**
 * `g` made `length` instructions long (at most BPF_MAXINSNS) with RET ALLOW after its last RET,
 * where no path reaches (bpf_check_classic checks jumps and the final RET, not reachability;
 * seccomp.md §4 measures all-RET programs). It decides as `g` does and costs what its length
 * costs on the path (seccomp_attach_filter), and remembers `g`'s policy and guard, so that the
 * shrinker's simpler programs drop the padding.
 */
export function paddedProgram(g: GeneratedProgram, length: number): GeneratedProgram {
  const n = Math.min(length, BPF_MAXINSNS);
  if (g.program.length >= n) return g;
  const key = `${g.source}\u0000${n}`;
  let p = PADDED.get(key);
  if (p === undefined) {
    const program: Insn[] = [...g.program];
    const allow = ret(SECCOMP_RET_ALLOW);
    while (program.length < n) program.push(allow);
    const policy = POLICY_OF.get(g.program);
    if (policy) POLICY_OF.set(program, policy);
    const guard = GUARD_OF.get(g.program);
    if (guard) GUARD_OF.set(program, guard);
    p = { program, source: `${g.source} (padded to ${n} insns)` };
    PADDED.set(key, p);
  }
  return p;
}

/**
 * Seccomp programs drawn for one target list behind one guard: a compiled policy (8 in 9), else a
 * raw one (the allow-everything program needs no guard). Drawn policies are cached by their
 * draw, per rule count n: the default's index, then each rule's target × action index, as the
 * digits of one number. A policy drawn again costs its draws and one look-up; it is neither
 * rebuilt, formatted nor compiled.
 */
export class ProgramDraws {
  /** Per rule count, programs by draw number. */
  private readonly byCount: Map<number, GeneratedProgram>[] = [];
  private cached = 0;
  /** Rule counts up to this have exact draw numbers (below 2^53); more are compiled uncached. */
  private readonly exactRules: number;
  /** The drawn (target, action) indices of the current draw, for a miss. */
  private readonly scratch: number[] = [];
  /** RAW_PROGRAMS behind the guard (or as they are), by index. */
  private readonly raws: readonly GeneratedProgram[];
  /** UNTERMINATED_PROGRAM behind the guard: still no RET at its end. */
  readonly unterminated: GeneratedProgram;

  constructor(private readonly targets: readonly Omit<PolicyRule, 'action'>[], readonly guard?: Guard) {
    this.raws = RAW_PROGRAMS.map((raw) => (guard && raw !== PERMISSIVE_PROGRAM ? guardedRaw(raw, guard) : raw));
    this.unterminated = guard ? guardedRaw(UNTERMINATED_PROGRAM, guard) : UNTERMINATED_PROGRAM;
    const radix = targets.length * RULE_ACTIONS.size;
    let exact = 0;
    for (let top = DEFAULT_ACTIONS.size; radix > 1 && top * radix <= Number.MAX_SAFE_INTEGER; top *= radix) exact++;
    this.exactRules = exact;
  }

  /** A program with 0..maxRules rules; the draws are randomProgram's. */
  draw(rng: Rng, maxRules: number): GeneratedProgram {
    if (rng.nextInt(0, 8) === 0) return this.raws[rng.nextInt(0, this.raws.length - 1)]!;
    const d = DEFAULT_ACTIONS.drawIndex(rng);
    const n = rng.nextInt(0, maxRules);
    const last = this.targets.length - 1;
    const actions = RULE_ACTIONS.size;
    const radix = this.targets.length * actions;
    const scratch = this.scratch;
    let key = d;
    for (let i = 0; i < n; i++) {
      const t = rng.nextInt(0, last);
      const a = RULE_ACTIONS.drawIndex(rng);
      scratch[2 * i] = t;
      scratch[2 * i + 1] = a;
      key = key * radix + t * actions + a;
    }
    if (n > this.exactRules) return this.compile(d, n);
    let programs = this.byCount[n];
    if (programs === undefined) {
      programs = new Map();
      this.byCount[n] = programs;
    }
    let g = programs.get(key);
    if (g === undefined) {
      g = this.compile(d, n);
      if (this.cached >= CACHE_LIMIT) {
        for (const m of this.byCount) m?.clear();
        this.cached = 0;
      }
      programs.set(key, g);
      this.cached++;
    }
    return g;
  }

  /** One-rule programs by target × 2^32 + action: a few hundred, kept here (compiledProgram's
   * cache is cleared when it fills, and a new array would be checked, padded and compiled again). */
  private readonly single = new Map<number, GeneratedProgram>();

  /** A program with one rule, `target` (an index into the targets) → `action`, and an ALLOW default. */
  oneRule(target: number, action: number): GeneratedProgram {
    const key = target * 4294967296 + (action >>> 0);
    let g = this.single.get(key);
    if (g === undefined) {
      g = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [{ ...this.targets[target]!, action }] }, this.guard);
      this.single.set(key, g);
    }
    return g;
  }

  /** The program of the current draw (default index `d`, `n` rules in the scratch list). */
  private compile(d: number, n: number): GeneratedProgram {
    const rules: PolicyRule[] = [];
    for (let i = 0; i < n; i++) rules.push({ ...this.targets[this.scratch[2 * i]!]!, action: RULE_ACTIONS.values[this.scratch[2 * i + 1]!]! });
    return compiledProgram({ default: DEFAULT_ACTIONS.values[d]!, rules }, this.guard);
  }
}

/** Program draws per target list and guard (for randomProgram). */
const DRAWS = new WeakMap<readonly unknown[], Map<Guard | undefined, ProgramDraws>>();

/**
 * A seccomp program: a compiled policy (8 in 9), else a raw one, behind `guard` if given (the
 * allow-everything program needs none). Drawn policies are cached (ProgramDraws).
 */
export function randomProgram(rng: Rng, targets: readonly Omit<PolicyRule, 'action'>[], maxRules: number, guard?: Guard): GeneratedProgram {
  let byGuard = DRAWS.get(targets);
  if (!byGuard) {
    byGuard = new Map();
    DRAWS.set(targets, byGuard);
  }
  let draws = byGuard.get(guard);
  if (!draws) {
    draws = new ProgramDraws(targets, guard);
    byGuard.set(guard, draws);
  }
  return draws.draw(rng, maxRules);
}
