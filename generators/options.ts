// Generator options: sizes and per-op weights, all tunable. Weights are relative integers; an
// op kind the variant's API lacks is never emitted whatever its weight.
import type { Universe } from '../model/universe.js';
import { defaultUniverse } from '../model/universe.js';
import type { PolicyRule } from '../model/bpf/asm.js';
import type { GuardEntry } from './policy.js';
import { CLONE_FORK_FLAGS, CLONE_THREAD_FLAGS } from '../model/seccomp/op-gate.js';
import type { ScenarioWorld } from '../scenario/types.js';

/**
 * What the generator can emit: op kinds, plus segments of several ops (generators/ops.ts,
 * segments.ts): `attack` (a compromise burst), `supervise` (the mutable-domains workflow: a
 * supervisor ruleset, its supervisee, a child that drops the supervisor fd and restricts
 * itself), `sandbox` (Landlock as programs use it: a ruleset, rules within its handled rights,
 * restrict_self, then requests that need those rights), `layers` (restrict_self again and again
 * on one ruleset: a deep domain, up to LANDLOCK_MAX_NUM_LAYERS and E2BIG past it), `big_filters`
 * (seccomp programs padded to thousands of instructions: a stack near MAX_INSNS_PER_PATH and
 * ENOMEM past it), `precedence` (two filters with a rule each on one syscall, then a probe of
 * it: an ordered pair of actions in one evaluation), `listener` (a user-notification
 * listener made, used, closed, and made again on the same chain) and `handoff` (designs with
 * layer handles: a child's layer modified by its parent through a handle the child sent),
 * `keyring` (a child puts a session keyring onto its parent: keyctl, model/task/keyctl.ts),
 * `sockets` (unix sockets made by one task and used through another: a pair, its F_SETOWN
 * owner and SIGURG sends, or an abstract listener kept and connected to: model/task/socket.ts),
 * `notify` (the user-notification supervisor protocol around a notified probe: generators/notify.ts),
 * `tracer` (ptrace tracers: a recruited tracer of a RET_TRACE'd call, or one ptrace op;
 * generators/ptrace.ts) and `admin_escape` (not a segment: the weight of PTRACE_O_SUSPEND_SECCOMP
 * among the tracer segment's option draws, 0 by default — an administrator escape outside the
 * layering model, delegation.md §12 item 6). A scenario draws `notify` or `tracer`, not both.
 */
export type WeightKey =
  | 'fork' | 'thread' | 'exec' | 'exit' | 'set_nnp' | 'drop_cap' | 'seccomp_strict'
  | 'seccomp_filter' | 'ruleset_create' | 'ruleset_add_rule' | 'restrict_self' | 'ruleset_supervisee'
  | 'send_fd' | 'close_fd' | 'fd_call' | 'keyctl' | 'modify' | 'probe' | 'observe' | 'attack' | 'supervise'
  | 'sandbox' | 'layers' | 'big_filters' | 'precedence' | 'listener' | 'handoff' | 'keyring' | 'sockets' | 'maps' | 'notify'
  | 'tracer' | 'admin_escape' | 'sigsys';

/**
 * Defaults favour what builds interesting stacks (adds, forks, threads) and keep what ends
 * tasks (exit, strict mode) rare, so that scenarios rarely run out of live tasks. The segments
 * that reach the limits (layers, big_filters) are rare: they are long, and a few per thousand
 * scenarios reach every depth and both sides of each limit (coverage/default-budget.test.ts);
 * `layers` is drawn only where the scenario has room for all 18 of its ops.
 */
export const DEFAULT_WEIGHTS: Readonly<Record<WeightKey, number>> = {
  fork: 12,
  thread: 8,
  exec: 3,
  exit: 1,
  set_nnp: 2,
  drop_cap: 2,
  seccomp_strict: 1,
  seccomp_filter: 14,
  ruleset_create: 8,
  ruleset_add_rule: 10,
  restrict_self: 10,
  ruleset_supervisee: 4,
  send_fd: 3,
  close_fd: 2,
  fd_call: 1,
  keyctl: 2,
  modify: 8,
  probe: 2,
  observe: 1,
  attack: 4,
  supervise: 2,
  sandbox: 5,
  layers: 1,
  big_filters: 1,
  precedence: 3,
  listener: 1,
  handoff: 1,
  keyring: 1,
  sockets: 2,
  maps: 10,
  notify: 2,
  tracer: 3,
  admin_escape: 0,
  sigsys: 1,
};

export interface GeneratorOptions {
  /** Scenario length bounds (ops, after flattening attack bursts). */
  readonly minOps: number;
  readonly maxOps: number;
  /** Relative weight per op kind (merged over DEFAULT_WEIGHTS). */
  readonly weights: Readonly<Partial<Record<WeightKey, number>>>;
  /**
   * Live tasks the generator aims to stay within: it tracks the task list its own fork, thread,
   * exec and exit ops produce (generators/population.ts), draws task references among those
   * tasks, emits no fork/thread at this many and no exit of the last task. Kills by filters or
   * probes are not tracked, so the cap and the references are approximate (references are
   * resolved modulo the live count anyway).
   */
  readonly maxTasks: number;
  /** fd and layer references are drawn from 0..maxFdRef. */
  readonly maxFdRef: number;
  /** Rules per generated seccomp policy (0..maxPolicyRules). */
  readonly maxPolicyRules: number;
  /** Attacker calls after one `compromise` (1..attackOps). */
  readonly attackOps: number;
  /** Scenario world overrides (ABI, first task's credentials). */
  readonly world: Readonly<Partial<ScenarioWorld>>;
  readonly universe: Universe;
  /**
   * Calls (x86_64 numbers, or a number with its first argument) every generated seccomp program
   * allows before anything else (a guard block in front of it, generators/policy.ts:guardFor);
   * empty: no guard.
   */
  readonly reservedSyscalls: readonly GuardEntry[];
  /** Rule targets for generated policies besides the universe's syscalls (e.g. the ops' own calls). */
  readonly extraRuleTargets: readonly Omit<PolicyRule, 'action'>[];
  /**
   * One call in this many, of the kinds with documented misuses, is one of them on purpose
   * (an unknown flag, a program without RET, a ruleset handling nothing or an unknown right, a
   * rule with no rights, on a missing path or past port 65535, fd −1 without the log flag), so
   * that each call's errors are reached (coverage/op-results.ts); 0: never.
   */
  readonly misuse: number;
}

export const DEFAULT_OPTIONS: GeneratorOptions = {
  minOps: 0,
  maxOps: 20,
  weights: {},
  maxTasks: 6,
  maxFdRef: 3,
  maxPolicyRules: 3,
  attackOps: 3,
  world: {},
  universe: defaultUniverse(),
  reservedSyscalls: [],
  extraRuleTargets: [],
  misuse: 24,
};

export type GeneratorOptionsInput = Partial<Omit<GeneratorOptions, 'weights'>> & { readonly weights?: Readonly<Partial<Record<WeightKey, number>>> };

/** Options with defaults filled in; throws RangeError naming a bad option. */
export function resolveOptions(input: GeneratorOptionsInput = {}): GeneratorOptions {
  const o: GeneratorOptions = { ...DEFAULT_OPTIONS, ...input, weights: { ...DEFAULT_WEIGHTS, ...input.weights } };
  const int = (name: keyof GeneratorOptions, min: number) => {
    const v = o[name] as number;
    if (!Number.isInteger(v) || v < min) throw new RangeError(`generator option ${name} must be an integer >= ${min} (got ${String(v)})`);
  };
  int('minOps', 0);
  int('maxOps', 0);
  int('maxTasks', 1);
  int('maxFdRef', 0);
  int('maxPolicyRules', 0);
  int('attackOps', 1);
  int('misuse', 0);
  for (const e of o.reservedSyscalls) {
    const nr = typeof e === 'number' ? e : e?.nr;
    const arg = typeof e === 'number' ? 0 : e?.arg0;
    if (!Number.isInteger(nr) || nr! < 0 || !Number.isSafeInteger(arg) || arg! < 0) throw new RangeError(`generator option reservedSyscalls: ${JSON.stringify(e)} is not a syscall number (or {nr, arg0})`);
  }
  if (o.minOps > o.maxOps) throw new RangeError(`generator option minOps (${o.minOps}) exceeds maxOps (${o.maxOps})`);
  for (const [k, w] of Object.entries(o.weights)) {
    if (!(k in DEFAULT_WEIGHTS)) throw new RangeError(`generator option weights.${k}: unknown op kind (known: ${Object.keys(DEFAULT_WEIGHTS).join(', ')})`);
    if (!Number.isInteger(w) || (w as number) < 0) throw new RangeError(`generator option weights.${k} must be a non-negative integer (got ${String(w)})`);
  }
  return o;
}

/**
 * The conformance executor's own system calls inside a task (conformance/protocol.md "Processes",
 * conformance/native/task.c, probe.c): the command loop's read, write and recvmsg, the descriptor
 * moves (dup3, dup2, fcntl, close_range), gettid after a clone a filter skipped, exit_group when
 * the coordinator is gone, rt_sigaction at the exec'd image's start, rt_sigreturn from the SIGSYS
 * handler, socket and listen for an abstract-socket target's listener, the ptrace probe's wait4
 * and PTRACE_DETACH after its PTRACE_ATTACH, and the layer oracle's clone (its flags are neither
 * fork's nor thread's). The oracle child's Landlock calls are also ops' calls: not guarded. A filter that decides them changes what the
 * executor can see, not what the model says, so generated conformance policies leave them
 * alone: a documented constraint of `strata conform`, not a silenced check.
 */
export const EXECUTOR_SYSCALLS: readonly GuardEntry[] = [
  0, // read
  1, // write
  13, // rt_sigaction
  15, // rt_sigreturn
  33, // dup2
  41, // socket
  47, // recvmsg
  50, // listen
  72, // fcntl
  186, // gettid
  231, // exit_group
  292, // dup3
  436, // close_range
  61, // wait4
  { nr: 101, arg0: 17 }, // ptrace(PTRACE_DETACH, …)
  // a tracer's own calls around its ops and at its tracees' stops (conformance/native/tracer.c):
  // PTRACE_CONT, PTRACE_GETREGS, PTRACE_SETREGS, PTRACE_INTERRUPT, GETSIGINFO, GET_SYSCALL_INFO,
  // tgkill(SIGSTOP) to stop a tracee attached without SEIZE, poll and waitid while serving
  { nr: 101, arg0: 7 },
  { nr: 101, arg0: 12 },
  { nr: 101, arg0: 13 },
  { nr: 101, arg0: 0x4207 },
  { nr: 101, arg0: 0x4202 }, // PTRACE_GETSIGINFO
  { nr: 101, arg0: 0x420e }, // PTRACE_GET_SYSCALL_INFO
  234, // tgkill
  7, // poll: a serving tracer's wait on its channel
  247, // waitid: a serving tracer's wait for its tracees' stops
  { nr: 56, arg0: 0x4111 }, // clone(CLONE_VM|CLONE_VFORK|SIGCHLD): the layer oracle's child
];

/**
 * The ops' own syscalls as model/seccomp/op-gate.ts sees them (number and constant arguments),
 * as rule targets, so generated policies decide ops and not only probes: fork's and thread's
 * clone, execve, exit, prctl(PR_SET_NO_NEW_PRIVS), capset, seccomp(SET_MODE_FILTER), the three
 * Landlock calls (also on the first model descriptor, 3), sendmsg, close(3) and keyctl (also
 * KEYCTL_SESSION_TO_PARENT alone).
 */
export const OP_RULE_TARGETS: readonly Omit<PolicyRule, 'action'>[] = [
  { nr: 56, argEq: [0, CLONE_FORK_FLAGS] },
  { nr: 56, argEq: [0, CLONE_THREAD_FLAGS] },
  { nr: 59 },
  { nr: 60 },
  { nr: 157, argEq: [0, 38] },
  { nr: 126 },
  { nr: 317, argEq: [0, 1] },
  { nr: 444 },
  { nr: 445 },
  { nr: 445, argEq: [0, 3] },
  { nr: 446 },
  { nr: 446, argEq: [0, 3] },
  { nr: 46 },
  { nr: 3, argEq: [0, 3] },
  { nr: 250 },
  { nr: 250, argEq: [0, 18] },
];

/**
 * The generator profile of `strata conform`: scenarios that exercise what the kernel can show —
 * probes of both layer kinds and observes (weighted up), forks, threads, exec, seccomp and
 * Landlock TSYNC, listeners, rulesets, restrict_self, fd passing, strict mode — with policies
 * that may decide the ops' own calls but never the executor's (EXECUTOR_SYSCALLS). Variant-only
 * ops (modify, supervision) get no weight: Linux has none.
 */
export function conformanceProfile(): GeneratorOptionsInput {
  return {
    weights: {
      fork: 10, thread: 7, exec: 4, exit: 1, set_nnp: 3, drop_cap: 2, seccomp_strict: 1,
      seccomp_filter: 12, ruleset_create: 8, ruleset_add_rule: 10, restrict_self: 9,
      ruleset_supervisee: 0, send_fd: 4, close_fd: 3, fd_call: 2, keyctl: 2, modify: 0, probe: 18, observe: 8,
      attack: 1, supervise: 0, sandbox: 4, layers: 1, big_filters: 1, precedence: 3, listener: 1,
      handoff: 0, keyring: 1, sockets: 2, maps: 0, notify: 3, tracer: 4, admin_escape: 0, sigsys: 1,
    },
    reservedSyscalls: EXECUTOR_SYSCALLS,
    extraRuleTargets: OP_RULE_TARGETS,
  };
}
