// The named scopes of `strata explore`: the finite set of ops a bounded-exhaustive search tries
// in every world. A scope fixes the task count, the seccomp programs and flags, the ruleset
// bodies and rules, and which op kinds are tried; the references (task, fd, layer and target
// indices) range over everything the world holds, so within a scope every op sequence up to the
// depth is tried. A variant's API (variants/variant.ts:accepts) removes what the design lacks.
import type { U64 } from '../model/u64.js';
import type { Insn, LandlockRule, Mutability, OpName } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import type { Request, TaskRequest } from '../model/request.js';
import { syscall } from '../model/request.js';
import { FS, SCOPE } from '../model/landlock/access.js';
import { ERRNO } from '../model/errno.js';
import { retErrno, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS } from '../model/seccomp/action.js';
import { compiledProgram, RAW_PROGRAMS } from '../generators/policy.js';

/** A seccomp program of a scope, with the policy text ops carry as `source`. */
export interface ScopeProgram {
  readonly program: readonly Insn[];
  readonly source: string;
}

export interface ScopeRuleset {
  readonly fs: U64;
  readonly net: U64;
  readonly scoped: U64;
}

/** The plain op kinds a scope may try (an op with a task and nothing else). */
export type PlainKind = Extract<OpName, 'fork' | 'thread' | 'exec' | 'exit' | 'set_nnp' | 'drop_cap' | 'seccomp_strict' | 'compromise' | 'observe'>;

export interface Scope {
  readonly name: string;
  /** One line: what the scope holds. */
  readonly summary: string;
  /** No fork or thread while this many tasks are alive. */
  readonly maxTasks: number;
  readonly plain: readonly PlainKind[];
  readonly programs: readonly ScopeProgram[];
  /** seccomp_filter flags tried (each where the API has its feature). */
  readonly seccompFlags: readonly number[];
  readonly rulesets: readonly ScopeRuleset[];
  readonly rules: readonly LandlockRule[];
  /** restrict_self flags tried with a ruleset fd (each where the API and ABI have it). */
  readonly restrictFlags: readonly number[];
  /** Also ops whose fd or layer reference names nothing (they fail: EBADF, EINVAL); otherwise
   * references range over what the task holds. */
  readonly danglingRefs: boolean;
  /** send_fd (every fd to every task) and close_fd (every fd). */
  readonly fds: boolean;
  /** Probes: tabled requests, and task-relative kinds towards every task. */
  readonly probes: readonly Request[];
  readonly relations: readonly TaskRequest['kind'][];
  /** Mutability values tried where the API has them (the field left out is tried too). */
  readonly mutabilities: readonly Mutability[];
  /** Adds with the export flag too, where the API has it. */
  readonly export: boolean;
  /** Supervisor rulesets, the supervisee ioctl and COMMIT, where the API has them. */
  readonly supervision: boolean;
  /** modify (where the API has it): of each own layer and each layer handle, to each of
   * modifyPrograms and to each ruleset fd. */
  readonly modify: boolean;
  readonly modifyPrograms: readonly ScopeProgram[];
  /** H1 maps (where the API has them, variants with `seccompMaps`): map_create, map_put of each
   * key through each descriptor, and filters of each mapPrograms whose rule reads the map behind
   * each descriptor; mapKeys empty: no map ops. */
  readonly mapKeys: readonly number[];
  readonly mapPrograms: readonly ScopeProgram[];
}

export const DENY_GETPID: ScopeProgram = (() => {
  const g = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 39, action: retErrno(ERRNO.EPERM) }] });
  return { program: g.program, source: g.source };
})();
export const ALLOW_ALL: ScopeProgram = RAW_PROGRAMS[0]!;
const KILL_GETUID: ScopeProgram = (() => {
  const g = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 102, action: SECCOMP_RET_KILL_PROCESS }] });
  return { program: g.program, source: g.source };
})();

const { TSYNC, NEW_LISTENER } = SECCOMP_FILTER_FLAG;
const RESTRICT_TSYNC = LANDLOCK_RESTRICT_SELF.TSYNC;
export const FILES: ScopeRuleset = { fs: FS.READ_FILE | FS.WRITE_FILE, net: 0, scoped: 0 };
export const SCOPED: ScopeRuleset = { fs: 0, net: 0, scoped: SCOPE.SIGNAL | SCOPE.ABSTRACT_UNIX_SOCKET };
const READ_A: LandlockRule = { type: 'path_beneath', path: '/a', access: FS.READ_FILE };
const WRITE_B: LandlockRule = { type: 'path_beneath', path: '/b', access: FS.WRITE_FILE };

/** The scopes, smallest first; `small` is the default. */
export const SCOPES: readonly Scope[] = [
  {
    name: 'tiny',
    summary: '≤ 2 tasks; fork, thread, exec; seccomp deny-getpid / allow-all (TSYNC too); one file ruleset, one rule, restrict (TSYNC too)',
    maxTasks: 2,
    plain: ['fork', 'thread', 'exec'],
    programs: [DENY_GETPID, ALLOW_ALL],
    seccompFlags: [0, TSYNC],
    rulesets: [FILES],
    rules: [READ_A],
    restrictFlags: [0, RESTRICT_TSYNC],
    danglingRefs: false,
    fds: false,
    probes: [],
    relations: [],
    mutabilities: [],
    export: false,
    supervision: false,
    modify: true,
    modifyPrograms: [ALLOW_ALL],
    mapKeys: [],
    mapPrograms: [],
  },
  {
    name: 'small',
    summary: '≤ 3 tasks; fork, thread, exec, exit, set_nnp, drop_cap; seccomp deny-getpid / allow-all / kill-on-getuid (TSYNC too); a file ruleset and a scoped one, rules on /a and /b, restrict (TSYNC too); fd passing and closing; probes of getpid and getuid; modify to allow-all and ANY layers where the design has them; H1 maps (create, put getpid / getuid, an allow-all filter reading a map) where the design has them',
    maxTasks: 3,
    plain: ['fork', 'thread', 'exec', 'exit', 'set_nnp', 'drop_cap'],
    programs: [DENY_GETPID, ALLOW_ALL, KILL_GETUID],
    seccompFlags: [0, TSYNC],
    rulesets: [FILES, SCOPED],
    rules: [READ_A, WRITE_B],
    restrictFlags: [0, RESTRICT_TSYNC],
    danglingRefs: false,
    fds: true,
    probes: [syscall(39), syscall(102)],
    relations: [],
    mutabilities: ['any'],
    export: false,
    supervision: false,
    modify: true,
    modifyPrograms: [ALLOW_ALL],
    mapKeys: [39, 102],
    mapPrograms: [ALLOW_ALL],
  },
  {
    name: 'wide',
    summary: 'small, and listeners (NEW_LISTENER), STRICTER layers, exported layer handles, supervisor rulesets with their supervisee and COMMIT, modify to deny-getpid, signal, abstract-socket and ptrace probes towards every task, and ops whose fd or layer reference names nothing (they fail)',
    maxTasks: 3,
    plain: ['fork', 'thread', 'exec', 'exit', 'set_nnp', 'drop_cap'],
    programs: [DENY_GETPID, ALLOW_ALL, KILL_GETUID],
    seccompFlags: [0, TSYNC, NEW_LISTENER],
    rulesets: [FILES, SCOPED],
    rules: [READ_A, WRITE_B],
    restrictFlags: [0, RESTRICT_TSYNC],
    danglingRefs: true,
    fds: true,
    probes: [syscall(39), syscall(102)],
    relations: ['signal', 'abstract_unix', 'ptrace'],
    mutabilities: ['stricter', 'any'],
    export: true,
    supervision: true,
    modify: true,
    modifyPrograms: [ALLOW_ALL, DENY_GETPID],
    mapKeys: [39, 102],
    mapPrograms: [ALLOW_ALL],
  },
];

export const DEFAULT_SCOPE = 'small';

export function scopeByName(name: string): Scope | undefined {
  return SCOPES.find((s) => s.name === name);
}
