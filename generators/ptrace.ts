// Ops of ptrace tracers (model/ptrace/), for the variants whose API has them (variants/op-kinds.ts
// PTRACE_OPS): one `tracer` segment (generators/ops.ts) is one of
//   - the recruited tracer (delegation.md §6 R9, §12 item 4): T adds a filter that TRACEs a
//     syscall X of the universe (beside up to maxPolicyRules drawn rules, so that a rewrite may
//     meet another layer's ERRNO or KILL: R5), forks a helper H, H may declare a response
//     (continue, skip with an errno, or rewrite to another syscall of the universe), H seizes T
//     with TRACESECCOMP (or attaches and sets the option), then the tracee calls X; or, a quarter
//     of the time, the parent as tracer: C forked by T, T seizes C with TRACESECCOMP (and may dump
//     its still empty stack) and C adds the filter — or, when T is its group's only task, C adds
//     the filter and calls TRACEME, now and then twice, and T sets the option —, now and then
//     SETOPTIONS with an unknown bit (EINVAL), and T may dump C's filters; then C calls X;
//   - one ptrace op with drawn references: attach / seize (options 0, TRACESECCOMP, or an
//     unknown bit; then half the time a filter dump or SETOPTIONS of the same target), SETOPTIONS, a response, or GET_FILTER / GET_METADATA of index
//     0..2 or −1 — each failure of check_ptrace_options, ptrace_attach, ptrace_check_attach and
//     seccomp_get_filter is reached this way (coverage/ptrace.ts);
//   - with a positive `admin_escape` weight only (0 by default: delegation.md §12 item 6), the
//     SUSPEND_SECCOMP option in those draws: an administrator escape outside the layering model,
//     which properties/tracer-bounded.ts names where it decides a call.
// References are indices (tasks modulo the live count) as everywhere; −1 names the newest task.
import type { Op } from '../model/ops.js';
import type { TraceResponse } from '../model/ptrace/state.js';
import { PTRACE_O } from '../model/ptrace/state.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { GeneratorOptions } from './options.js';
import type { PolicyRule } from '../model/bpf/asm.js';
import { compiledProgram, guardFor, ruleTargets, ACTION_RETURNS } from './policy.js';
import type { Guard, GeneratedProgram } from './policy.js';
import type { Rng } from './pick.js';
import { Weighted, chance, pick } from './pick.js';
import type { Population } from './population.js';
import { SECCOMP_RET_ALLOW, SECCOMP_RET_TRACE, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_TRAP, retErrno } from '../model/seccomp/action.js';
import { ERRNO } from '../model/errno.js';
import type { SyscallRequest } from '../model/request.js';
import { AUDIT_ARCH_X86_64 } from '../model/request.js';

type TracerSegment = 'recruit' | 'attach' | 'setoptions' | 'response' | 'get_filter';

/** A ptrace option bit no kernel knows (outside PTRACE_O_MASK): SEIZE → EIO, SETOPTIONS → EINVAL. */
const UNKNOWN_OPTION = 0x100;
/** Errnos a skipping tracer returns (0: the call returns 0; ENOSYS: rax left as the kernel set it, R3). */
const SKIP_ERRNOS: readonly number[] = [0, ERRNO.EPERM, ERRNO.EACCES, ERRNO.ENOSYS];
/**
 * Syscalls a rewriting tracer turns a call into: argument-free calls of the universe that succeed
 * whenever they run (getpid, getuid, getgid, geteuid, getppid), so the call's result is the
 * re-check's (R4/R5); with arguments 0, 1 or 2 (the universe's getpid(1), getpid(2): arg filters).
 */
const REWRITE_NRS: readonly number[] = [39, 102, 104, 107, 110];
/** Filter indices a parent dumps of its child's one-filter stack: mostly the filter itself. */
const DUMP_INDICES: readonly number[] = [0, 0, 0, -1, 1];
/** Kernel-final actions a rewrite may meet on re-check (R5). */
const FINAL_ACTIONS: readonly number[] = [retErrno(ERRNO.EPERM), retErrno(ERRNO.EACCES), SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_TRAP | 7];

class TracerDraws {
  private readonly kinds = new Weighted<TracerSegment>();
  private readonly options = new Weighted<number>();
  private readonly traced: readonly SyscallRequest[];
  private readonly targets: readonly Omit<PolicyRule, 'action'>[];
  private readonly guard: Guard | undefined;
  private readonly maxRules: number;

  constructor(v: Variant, o: GeneratorOptions) {
    // the recruited tracer forks its helper: not where fork's weight is 0
    const recruit = accepts(v, 'seccomp_filter') && accepts(v, 'fork') && accepts(v, 'probe') && (o.weights.fork ?? 0) > 0;
    // TRACEME only in the recruit workflow, by a child whose parent the model knows
    this.kinds.add('recruit', recruit ? 6 : 0).add('attach', 3).add('setoptions', 2)
      .add('response', 2).add('get_filter', 2);
    const escape = o.weights.admin_escape ?? 0;
    this.options.add(0, 2).add(PTRACE_O.TRACESECCOMP, 4).add(UNKNOWN_OPTION, 1)
      .add(PTRACE_O.SUSPEND_SECCOMP, escape).add(PTRACE_O.SUSPEND_SECCOMP | PTRACE_O.TRACESECCOMP, escape);
    // native, argument-free calls of the universe (a filter's TRACE rule targets the number)
    this.traced = o.universe.syscalls.filter((r): r is SyscallRequest => r.kind === 'syscall' && r.arch === AUDIT_ARCH_X86_64 && r.args.every((a) => a === 0) && REWRITE_NRS.includes(r.nr));
    this.targets = [...ruleTargets(o.universe), ...o.extraRuleTargets];
    this.guard = o.reservedSyscalls.length ? guardFor(o.reservedSyscalls) : undefined;
    this.maxRules = o.maxPolicyRules;
  }

  /** Append one tracer segment to `out`, tracking the forks it makes in `pop`. */
  segment(rng: Rng, out: Op[], pop: Population): void {
    let kind = this.kinds.draw(rng);
    if (kind === 'recruit' && this.traced.length === 0) kind = 'attach';
    const task = rng.nextInt(0, pop.size - 1);
    const other = (): number => rng.nextInt(0, pop.size - 1);
    switch (kind) {
      case 'recruit': {
        const x = pick(rng, this.traced);
        // half the time a kernel-final verdict on another call D, in the TRACE filter or an
        // older one of its own, and the tracer's rewrite aims at D (R5: the re-check)
        let deny: PolicyRule | null = null;
        if (chance(rng, 1, 2)) {
          const d = pick(rng, REWRITE_NRS.filter((n) => n !== x.nr));
          deny = { nr: d, action: pick(rng, FINAL_ACTIONS) };
          if (chance(rng, 1, 2)) {
            const own = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [deny] }, this.guard);
            out.push({ op: 'seccomp_filter', task, flags: 0, program: own.program, source: own.source });
            deny = { nr: d, action: SECCOMP_RET_ALLOW };
          }
        }
        const p = this.traceProgram(rng, x.nr, deny);
        const aim = deny && chance(rng, 2, 3) ? deny.nr : undefined;
        const how = rng.nextInt(0, 7);
        if (how >= 6) {
          // the parent traces its sandboxed child (a supervisor's set-up, as strace does): T forks
          // C, C adds the filter; C asks with TRACEME (T its group's only task: the model knows
          // C's real parent) — a second TRACEME is EPERM — or T seizes C; T sets TRACESECCOMP.
          // The tracer has no filter of this segment's, so its dumps of C's stack succeed or fail
          // on the index (F1–F3) rather than on its own seccomp mode (F4).
          const traceme = how === 7 && pop.soleLeader(task);
          out.push({ op: 'fork', task });
          pop.fork(task);
          if (traceme) {
            out.push({ op: 'seccomp_filter', task: -1, flags: 0, program: p.program, source: p.source });
            out.push({ op: 'ptrace_traceme', task: -1 });
            if (chance(rng, 1, 3)) out.push({ op: 'ptrace_traceme', task: -1 });
          } else {
            // T seizes C before C's filter: a dump then finds no filter (EINVAL, F5)
            out.push({ op: 'ptrace_attach', task, target: -1, seize: true, options: PTRACE_O.TRACESECCOMP });
            if (chance(rng, 1, 3)) out.push({ op: 'ptrace_get_filter', task, target: -1, index: 0, metadata: chance(rng, 1, 2) });
            out.push({ op: 'seccomp_filter', task: -1, flags: 0, program: p.program, source: p.source });
          }
          if (aim !== undefined || chance(rng, 2, 3)) out.push({ op: 'ptrace_response', task, response: this.response(rng, aim) });
          if (traceme) out.push({ op: 'ptrace_setoptions', task, target: -1, options: PTRACE_O.TRACESECCOMP });
          // now and then an unknown option: EINVAL, the old options kept (check_ptrace_options)
          if (chance(rng, 1, 6)) out.push({ op: 'ptrace_setoptions', task, target: -1, options: PTRACE_O.TRACESECCOMP | UNKNOWN_OPTION });
          // C's one filter is index 0 (F1); −1 and 1 are past the stack (ENOENT)
          if (chance(rng, 2, 3)) out.push({ op: 'ptrace_get_filter', task, target: -1, index: pick(rng, DUMP_INDICES), metadata: chance(rng, 1, 2) });
          out.push({ op: 'probe', task: -1, request: x });
          return;
        }
        out.push({ op: 'seccomp_filter', task, flags: 0, program: p.program, source: p.source });
        out.push({ op: 'fork', task });
        pop.fork(task);
        if (aim !== undefined || chance(rng, 2, 3)) out.push({ op: 'ptrace_response', task: -1, response: this.response(rng, aim) });
        if (how === 0) {
          out.push({ op: 'ptrace_attach', task: -1, target: task, seize: false, options: 0 });
          out.push({ op: 'ptrace_setoptions', task: -1, target: task, options: PTRACE_O.TRACESECCOMP });
        } else {
          out.push({ op: 'ptrace_attach', task: -1, target: task, seize: true, options: how === 1 ? 0 : PTRACE_O.TRACESECCOMP });
        }
        // the tracer reads its tracee's filters (F1–F5) a third of the time
        if (chance(rng, 1, 3)) out.push({ op: 'ptrace_get_filter', task: -1, target: task, index: rng.nextInt(-1, 2), metadata: chance(rng, 1, 2) });
        out.push({ op: 'probe', task, request: x });
        return;
      }
      case 'attach': {
        const seize = chance(rng, 2, 3);
        const target = other();
        out.push({ op: 'ptrace_attach', task, target, seize, options: seize ? this.options.draw(rng) : 0 });
        // half the time the new tracer then reads the filters of, or sets options on, its target
        if (chance(rng, 1, 2)) {
          out.push(chance(rng, 1, 2)
            ? { op: 'ptrace_get_filter', task, target, index: rng.nextInt(-1, 2), metadata: chance(rng, 1, 2) }
            : { op: 'ptrace_setoptions', task, target, options: this.options.draw(rng) });
        }
        return;
      }
      case 'setoptions':
        out.push({ op: 'ptrace_setoptions', task, target: other(), options: this.options.draw(rng) });
        return;
      case 'response':
        out.push({ op: 'ptrace_response', task, response: this.response(rng) });
        return;
      case 'get_filter':
        out.push({ op: 'ptrace_get_filter', task, target: other(), index: rng.nextInt(-1, 2), metadata: chance(rng, 1, 2) });
        return;
    }
  }

  /** TRACE (data 0..2) on `nr`, after up to maxRules drawn rules (which a rewrite may meet). */
  private traceProgram(rng: Rng, nr: number, deny: PolicyRule | null): GeneratedProgram {
    const rules: PolicyRule[] = deny && deny.action !== SECCOMP_RET_ALLOW ? [deny] : [];
    const n = rng.nextInt(0, this.maxRules);
    for (let i = 0; i < n; i++) {
      const t = pick(rng, this.targets);
      const actions = pick(rng, ACTION_RETURNS);
      rules.push({ ...t, action: pick(rng, actions) });
    }
    rules.splice(rng.nextInt(0, rules.length), 0, { nr, action: (SECCOMP_RET_TRACE | rng.nextInt(0, 2)) >>> 0 });
    return compiledProgram({ default: SECCOMP_RET_ALLOW, rules }, this.guard);
  }

  private response(rng: Rng, aim?: number): TraceResponse {
    if (aim !== undefined) return { kind: 'rewrite', nr: aim, args: [] };
    switch (rng.nextInt(0, 2)) {
      case 0: return { kind: 'allow' };
      case 1: return { kind: 'skip', errno: pick(rng, SKIP_ERRNOS) };
      default: {
        const nr = pick(rng, REWRITE_NRS);
        const a = rng.nextInt(0, 3);
        return { kind: 'rewrite', nr, args: a === 0 ? [] : [a - 1] };
      }
    }
  }
}

/** The tracer-op generator of a variant, or null when its API has no ptrace ops. */
export function tracerDraws(v: Variant, o: GeneratorOptions): TracerDraws | null {
  return accepts(v, 'ptrace_attach') && accepts(v, 'ptrace_response') ? new TracerDraws(v, o) : null;
}

export type { TracerDraws };
