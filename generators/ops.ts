// Ops for a variant, drawn directly from fast-check's Random: a weighted choice over the op
// kinds of the variant's API, then the op's fields. Every op is plain data with index
// references (tasks modulo the live count, fds modulo the table), so a shrunk sequence stays
// meaningful; ops carry only the fields the variant accepts. A compromise burst
// (`attack`) is [compromise(i), 1..k attacker calls as i]: modify (own layers or through
// handles), add_rule of broad rights (with COMMIT where it exists), TSYNC with a permissive
// layer, sending and closing fds — anything the API accepts, aimed at weakening others.
// Calls on descriptors are aimed where the generator's view of the fd tables
// (generators/population.ts) says one is: add_rule and restrict_self mostly as a task holding a
// ruleset, naming it, with rules within its handled rights, so that most Landlock calls act on
// live rulesets; the rest still fail each documented way. The multi-op segments (sandbox,
// layers, big_filters, precedence) are generators/segments.ts.
// Ops are immutable once generated: those with nothing but a task are shared values
// (generators/plain-ops.ts).
import { CREATE_RULESET, FS } from '../model/landlock/access.js';
import { u64, u64Lo } from '../model/u64.js';
import type { SyscallRequest } from '../model/request.js';
import type { Op, Mutability, LandlockRule } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import type { PolicyRule } from '../model/bpf/asm.js';
import { LANDLOCK_MAX_NUM_LAYERS } from '../model/limits.js';
import type { Request, TargetedRequest } from '../model/request.js';
import type { FsTree } from '../model/landlock/fstree.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { GeneratorOptions, WeightKey } from './options.js';
import type { GeneratedProgram } from './policy.js';
import { ProgramDraws, ruleTargets, guardFor, PERMISSIVE_PROGRAM } from './policy.js';
import type { RulesetBody } from './landlock.js';
import { LandlockPools, restrictBody, taskRequest } from './landlock.js';
import type { Rng } from './pick.js';
import { Weighted, chance, pick } from './pick.js';
import type { Population } from './population.js';
import { PlainOps } from './plain-ops.js';
import { sandbox, layers, bigFilters, precedence, listener, handoff, keyring, sockets, sigsysTrap } from './segments.js';
import { notifySegment, NOTIFY_MIN_ROOM } from './notify.js';
import { mapDraws } from './maps.js';
import type { MapDraws } from './maps.js';
import { tracerDraws } from './ptrace.js';
import type { TracerDraws } from './ptrace.js';
import { FD_CALLS } from '../model/task/fd-call.js';
import type { FdCall } from '../model/task/fd-call.js';

/** What the op generator is built from. */
export interface OpContext {
  readonly variant: Variant;
  readonly options: GeneratorOptions;
  readonly abi: number;
  readonly fs: FsTree;
}

/** The weight keys that are segments of several ops, not op kinds. */
const SEGMENTS = ['attack', 'supervise', 'sandbox', 'layers', 'big_filters', 'precedence', 'listener', 'handoff', 'keyring', 'sockets', 'maps', 'notify', 'tracer', 'admin_escape', 'sigsys'] as const;
type Kind = Exclude<WeightKey, (typeof SEGMENTS)[number]>;
type Segment = 'op' | (typeof SEGMENTS)[number];

/**
 * Op kinds by code (the weighted tables draw codes, dispatched by an integer switch). The plain
 * kinds, an op with a task and nothing else, come first (codes below PLAIN).
 */
const KINDS: readonly Kind[] = [
  'fork', 'thread', 'exec', 'exit', 'set_nnp', 'drop_cap', 'seccomp_strict', 'observe',
  'seccomp_filter', 'ruleset_create', 'ruleset_add_rule', 'restrict_self', 'ruleset_supervisee', 'send_fd', 'close_fd', 'fd_call', 'keyctl', 'modify', 'probe',
];
const codeOf = (k: Kind): number => KINDS.indexOf(k);
const FORK = codeOf('fork');
const THREAD = codeOf('thread');
const EXEC = codeOf('exec');
const EXIT = codeOf('exit');
const SECCOMP_FILTER = codeOf('seccomp_filter');
const PLAIN = SECCOMP_FILTER;
const RULESET_CREATE = codeOf('ruleset_create');
const RULESET_ADD_RULE = codeOf('ruleset_add_rule');
const RESTRICT_SELF = codeOf('restrict_self');
const RULESET_SUPERVISEE = codeOf('ruleset_supervisee');
const SEND_FD = codeOf('send_fd');
const CLOSE_FD = codeOf('close_fd');
const FD_CALL = codeOf('fd_call');
const KEYCTL = codeOf('keyctl');
const MODIFY = codeOf('modify');

const MUTABILITIES: readonly Mutability[] = ['immutable', 'stricter', 'any'];
/** The fd_call calls the model decides on a socket end. */
const SOCKET_FD_CALLS: readonly FdCall[] = ['lseek', 'reopen'];
const TASK_REQUESTS: readonly TargetedRequest['kind'][] = ['signal', 'abstract_unix', 'ptrace', 'proc'];
/** The attacker's tools, calls on shared objects. */
const ATTACK_KINDS: readonly Kind[] = ['modify', 'ruleset_add_rule', 'seccomp_filter', 'restrict_self', 'send_fd', 'close_fd', 'ruleset_supervisee', 'exec'];
const F = SECCOMP_FILTER_FLAG;
/** The fewest ops each workflow segment needs (generators/segments.ts). */
const MIN_ROOM: Partial<Record<Segment, number>> = { sigsys: 4, tracer: 6, sandbox: 3, layers: LANDLOCK_MAX_NUM_LAYERS + 2, big_filters: 3, precedence: 3, listener: 6, handoff: 4, keyring: 2, sockets: 4, notify: NOTIFY_MIN_ROOM };
/** seccomp(2) flag bit 6: the proposed ALLOW_NESTED_LISTENERS, unknown to 6.18 (EINVAL; seccomp.md §2 (1)). */
const UNKNOWN_FILTER_FLAG = 1 << 6;
/** landlock_restrict_self(2) flag bit 4: a future flag no released kernel knows (EINVAL; landlock.md §2). */
const UNKNOWN_RESTRICT_FLAG = 1 << 4;
/** The supervision workflow's two fixed ops (supervise, below): one value each, shared. */
const CLOSE_SUPERVISOR_FD: Op = { op: 'close_fd', task: -1, fd: -2 };
const RESTRICT_TO_SUPERVISEE: Op = { op: 'restrict_self', task: -1, ruleset: -1, flags: 0 };

export class OpGenerator {
  private readonly kinds = new Weighted<number>();
  private readonly attackKinds = new Weighted<number>();
  readonly plain = new PlainOps();
  private readonly segments = new Weighted<Segment>();
  readonly seccompFlags = new Weighted<number>();
  private readonly attackSeccompFlags = new Weighted<number>();
  private readonly targets: readonly Omit<PolicyRule, 'action'>[];
  readonly programs: ProgramDraws;
  readonly landlock: LandlockPools;
  private readonly tabled: readonly Request[];
  /** The universe's syscall requests (the first targets of generated policies are theirs). */
  readonly syscalls: readonly Request[];
  readonly maxTasks: number;
  private readonly attackOps: number;
  private readonly maxFd: number;
  readonly maxRules: number;
  private readonly misuse: number;
  private readonly mutability: boolean;
  private readonly export: boolean;
  private readonly supervisor: boolean;
  private readonly commit: boolean;
  private readonly restrictLog: boolean;
  private readonly restrictTsync: boolean;
  readonly listener: boolean;
  readonly tsync: boolean;
  /** Scratch for task picks. */
  private readonly picks: number[] = [];
  /** The H1 map calls (generators/maps.ts), when the variant's API has them. */
  private readonly maps: MapDraws | null;
  /** The ptrace tracer ops (generators/ptrace.ts), when the variant's API has them. */
  private readonly tracers: TracerDraws | null;

  constructor(readonly ctx: OpContext) {
    const { variant: v, options: o } = ctx;
    for (const [kind, weight] of Object.entries(o.weights) as [WeightKey, number][]) {
      if (!(SEGMENTS as readonly string[]).includes(kind) && weight > 0 && accepts(v, kind as Kind)) this.kinds.add(codeOf(kind as Kind), weight);
    }
    if (this.kinds.size === 0) throw new RangeError(`variant ${v.id}: no op kind with a positive weight in its API`);
    for (const k of ATTACK_KINDS) if (accepts(v, k)) this.attackKinds.add(codeOf(k), 1);
    const attack = accepts(v, 'compromise') && this.attackKinds.size > 0 ? (o.weights.attack ?? 0) : 0;
    const total = this.kinds.values.reduce((s, k) => s + (o.weights[KINDS[k]!] ?? 0), 0);
    const supervise = accepts(v, 'ruleset_create.supervisor') && accepts(v, 'ruleset_supervisee') && accepts(v, 'fork') && accepts(v, 'close_fd') ? (o.weights.supervise ?? 0) : 0;
    const rulesets = accepts(v, 'ruleset_create') && accepts(v, 'restrict_self');
    this.maps = mapDraws(v, o);
    this.tracers = tracerDraws(v, o);
    const filters = accepts(v, 'seccomp_filter');
    this.segments.add('op', total).add('attack', attack).add('supervise', supervise)
      .add('sandbox', rulesets && accepts(v, 'ruleset_add_rule') ? (o.weights.sandbox ?? 0) : 0)
      .add('layers', rulesets ? (o.weights.layers ?? 0) : 0)
      .add('big_filters', filters ? (o.weights.big_filters ?? 0) : 0)
      .add('precedence', filters && accepts(v, 'probe') && o.universe.syscalls.length > 0 ? (o.weights.precedence ?? 0) : 0)
      .add('handoff', accepts(v, 'export') && accepts(v, 'modify') && accepts(v, 'send_fd') && accepts(v, 'fork') && accepts(v, 'exit') && filters ? (o.weights.handoff ?? 0) : 0)
      .add('listener', accepts(v, 'seccomp_filter.listener') && accepts(v, 'probe') && accepts(v, 'close_fd') && accepts(v, 'exec') && o.universe.syscalls.length > 0 ? (o.weights.listener ?? 0) : 0)
      .add('keyring', accepts(v, 'keyctl') ? (o.weights.keyring ?? 0) : 0)
      .add('sockets', accepts(v, 'socketpair') && accepts(v, 'fown_set') && accepts(v, 'probe') ? (o.weights.sockets ?? 0) : 0)
      .add('maps', this.maps ? (o.weights.maps ?? 0) : 0)
      .add('notify', accepts(v, 'notif_supervise') && accepts(v, 'seccomp_filter.listener') && accepts(v, 'probe') && o.universe.syscalls.length > 0 ? (o.weights.notify ?? 0) : 0)
      .add('tracer', this.tracers ? (o.weights.tracer ?? 0) : 0)
      .add('sigsys', accepts(v, 'sigsys') && filters && accepts(v, 'probe') && o.universe.syscalls.length > 0 ? (o.weights.sigsys ?? 0) : 0);
    this.tsync = accepts(v, 'seccomp_filter.tsync');
    this.listener = accepts(v, 'seccomp_filter.listener');
    this.seccompFlags.add(0, 8);
    if (this.tsync) {
      this.seccompFlags.add(F.TSYNC, 2).add(F.TSYNC | F.TSYNC_ESRCH, 1);
      this.attackSeccompFlags.add(F.TSYNC, 1).add(F.TSYNC | F.TSYNC_ESRCH, 1);
    } else {
      this.attackSeccompFlags.add(0, 1);
    }
    if (this.listener) this.seccompFlags.add(F.NEW_LISTENER, 1);
    if (accepts(v, 'seccomp_filter.log')) this.seccompFlags.add(F.LOG, 1);
    this.targets = [...ruleTargets(o.universe), ...o.extraRuleTargets];
    this.programs = new ProgramDraws(this.targets, o.reservedSyscalls.length ? guardFor(o.reservedSyscalls) : undefined);
    this.landlock = new LandlockPools(ctx.abi, ctx.fs, o.universe);
    this.tabled = [...o.universe.syscalls, ...o.universe.landlock];
    this.syscalls = o.universe.syscalls;
    this.maxTasks = o.maxTasks;
    this.attackOps = o.attackOps;
    this.maxFd = o.maxFdRef;
    this.maxRules = o.maxPolicyRules;
    this.misuse = o.misuse;
    this.mutability = accepts(v, 'mutability');
    this.export = accepts(v, 'export');
    this.supervisor = accepts(v, 'ruleset_create.supervisor');
    this.commit = accepts(v, 'ruleset_add_rule.commit');
    this.restrictLog = accepts(v, 'restrict_self.log');
    this.restrictTsync = accepts(v, 'restrict_self.tsync');
  }

  /**
   * Append one segment — an op, a compromise burst, a workflow of several ops — to `out`,
   * tracking `pop`. The workflows fit themselves to `room`, the ops the scenario has left (their
   * point is at their end: a probe, the limit); one that cannot fit is a single op instead. The
   * older segments (attack, supervise) are cut where the scenario ends.
   */
  segment(rng: Rng, out: Op[], pop: Population, room: number = Infinity): void {
    let seg = this.segments.draw(rng);
    if (room < (MIN_ROOM[seg] ?? 1)) seg = 'op';
    // a scenario has its own supervisor or tracers, not both (model/step.ts: delegationApart)
    else if ((seg === 'notify' || seg === 'tracer') && drawsOtherDelegate(out, seg)) seg = 'op';
    switch (seg) {
      case 'op': {
        const k = this.kind(rng, this.kinds, pop);
        this.append(rng, out, pop, k, this.taskFor(rng, k, pop), false);
        return;
      }
      case 'supervise':
        this.supervise(rng, out, pop);
        return;
      case 'sandbox':
        sandbox(this, rng, out, pop, room);
        return;
      case 'layers':
        layers(this, rng, out, pop);
        return;
      case 'big_filters':
        bigFilters(this, rng, out, pop, room);
        return;
      case 'precedence':
        precedence(this, rng, out, pop, room);
        return;
      case 'listener':
        listener(this, rng, out, pop, room);
        return;
      case 'handoff':
        handoff(this, rng, out, pop, room);
        return;
      case 'keyring':
        keyring(this, rng, out, pop, room);
        return;
      case 'sockets':
        sockets(this, rng, out, pop, room);
        return;
      case 'maps':
        this.maps!.segment(rng, out, pop);
        return;
      case 'notify':
        notifySegment(this, rng, out, pop, room);
        return;
      case 'tracer':
        this.tracers!.segment(rng, out, pop);
        return;
      case 'sigsys':
        sigsysTrap(this, rng, out, pop, room);
        return;
      case 'admin_escape':
        return;
      case 'attack': {
        const task = rng.nextInt(0, pop.size - 1);
        out.push(this.plain.compromise(task));
        const n = rng.nextInt(1, this.attackOps);
        for (let i = 0; i < n; i++) this.append(rng, out, pop, this.kind(rng, this.attackKinds, pop), task, true);
        return;
      }
    }
  }

  /**
   * The task an op of kind `k` is made by: for add_rule, restrict_self and the supervisee ioctl,
   * 7 in 8 times a task whose process holds a ruleset (if one does); for send_fd and close_fd,
   * 3 in 4 times one that holds a descriptor; else any.
   */
  private taskFor(rng: Rng, k: number, pop: Population): number {
    if (k === RULESET_ADD_RULE || k === RESTRICT_SELF || k === RULESET_SUPERVISEE) {
      const holders = pop.rulesetHolders(this.picks);
      if (holders.length > 0 && !chance(rng, 1, 8)) return pick(rng, holders);
    } else if (k === SEND_FD || k === CLOSE_FD) {
      const p = this.picks;
      p.length = 0;
      for (let i = 0; i < pop.size; i++) if (pop.table(i).length > 0) p.push(i);
      if (p.length > 0 && !chance(rng, 1, 4)) return pick(rng, p);
    }
    return rng.nextInt(0, pop.size - 1);
  }

  /** A task to sandbox: 2 in 3 times one that has not restricted itself yet (if any), whose
   * domain is then the new ruleset's alone. */
  sandboxTask(rng: Rng, pop: Population): number {
    const fresh = pop.unrestricted(this.picks);
    if (fresh.length > 0 && !chance(rng, 1, 3)) return pick(rng, fresh);
    return rng.nextInt(0, pop.size - 1);
  }

  /** restrict_self flags as single restrict_self ops draw them: LOG_* and TSYNC where the design
   * has them (a sandbox may synchronise its threads). */
  restrictFlags(rng: Rng): number {
    return restrictBody(rng, 0, this.restrictLog, this.restrictTsync).flags;
  }

  /** Whether the variant's API has op kind `kind` with a positive weight. */
  has(kind: Kind): boolean {
    return this.kinds.values.includes(codeOf(kind));
  }

  /** A plain op (a task and nothing else) of `kind` as `task` (a shared value). */
  plainOp(kind: Kind, task: number): Op {
    return this.plain.op(kind, codeOf(kind), task);
  }

  /** fork as `task` (a shared value). */
  forkOp(task: number): Op {
    return this.plain.op('fork', FORK, task);
  }

  /** exec as `task` (a shared value). */
  execOp(task: number): Op {
    return this.plain.op('exec', EXEC, task);
  }

  /** exit as `task` (a shared value). */
  exitOp(task: number): Op {
    return this.plain.op('exit', EXIT, task);
  }

  /** seccomp_filter of `p` with EXPORT (designs with layer handles): its handle fd goes into the table. */
  exportedFilter(rng: Rng, task: number, p: GeneratedProgram, pop: Population): Op {
    pop.install(task, true, null);
    const flags = 0;
    const program = p.program;
    const source = p.source;
    if (!this.mutability) return { op: 'seccomp_filter', task, flags, program, export: true, source };
    return { op: 'seccomp_filter', task, flags, program, mutability: pick(rng, MUTABILITIES), export: true, source };
  }

  /** modify through the task's `handle`-th handle fd, to a drawn program. */
  modifyThrough(rng: Rng, task: number, handle: number): Op {
    return { op: 'modify', task, layer: 0, handle, program: this.programs.draw(rng, this.maxRules).program };
  }

  /** Append an op of kind code `k` as task `task`, tracking what it does to the task list. An
   * add_rule or restrict_self by a task that holds no ruleset comes, 3 in 4 times, after a new
   * one (as a program makes them). */
  private append(rng: Rng, out: Op[], pop: Population, k: number, task: number, attack: boolean): void {
    if (k >= PLAIN) {
      if ((k === RULESET_ADD_RULE || k === RESTRICT_SELF) && !attack && this.kinds.values.includes(RULESET_CREATE) && pop.rulesetCount(task) === 0 && !chance(rng, 1, 4)) {
        out.push(this.op(rng, RULESET_CREATE, task, false, pop));
      }
      out.push(this.op(rng, k, task, attack, pop));
      return;
    }
    out.push(this.plain.op(KINDS[k]!, k, task));
    if (k === FORK) pop.fork(task);
    else if (k === THREAD) pop.thread(task);
    else if (k === EXEC) pop.exec(task);
    else if (k === EXIT) pop.exit(task);
  }

  /**
   * The mutable-domains workflow (layering-designs §6 LL-MUTABLE): S creates a supervisor
   * ruleset Rs and its supervisee Re, forks C; C closes its inherited Rs (a task may not be
   * supervised through a supervisor fd it holds) and restricts itself to Re. Index −1 names
   * the newest task / fd, −2 the one before. S's commits on Rs (one may follow) reach C's layer.
   */
  private supervise(rng: Rng, out: Op[], pop: Population): void {
    const s = rng.nextInt(0, pop.size - 1);
    const ll = this.landlock;
    const fs = ll.rulesetFs(rng);
    const net = ll.rulesetNet(rng);
    const scoped = ll.rulesetScoped(rng);
    out.push({ op: 'ruleset_create', task: s, fs, net, scoped, supervisor: true });
    out.push({ op: 'ruleset_supervisee', task: s, ruleset: -1 });
    pop.install(s, true, { fs, net, scoped });
    pop.install(s, true, { fs, net, scoped });
    out.push(this.plain.op('fork', FORK, s));
    pop.fork(s);
    out.push(CLOSE_SUPERVISOR_FD, RESTRICT_TO_SUPERVISEE);
    pop.close(-1, -2);
    pop.restrict(-1);
    if (chance(rng, 1, 2)) out.push({ op: 'ruleset_add_rule', task: s, ruleset: -2, rule: ll.rule(rng), commit: true });
  }

  /** A kind code from `table`, redrawn (a few times) while it would grow the population past
   * the cap or end its last task. */
  private kind(rng: Rng, table: Weighted<number>, pop: Population): number {
    let k = table.draw(rng);
    for (let tries = 0; tries < 8; tries++) {
      const grows = k === FORK || k === THREAD;
      if (!(grows && pop.size >= this.maxTasks) && !(k === EXIT && pop.size <= 1)) break;
      k = table.draw(rng);
    }
    return k;
  }

  /** This call is one of its kind's documented misuses (GeneratorOptions.misuse). */
  private misused(rng: Rng): boolean {
    return this.misuse > 0 && chance(rng, 1, this.misuse);
  }

  /** Which of the task's rulesets a call names (an index among its ruleset fds, as the model
   * resolves it), with that ruleset's handled sets: 7 in 8 times one it holds, else any index. */
  private heldRuleset(rng: Rng, task: number, pop: Population): { readonly index: number; readonly body: RulesetBody | null } {
    const n = pop.rulesetCount(task);
    if (n > 0 && !chance(rng, 1, 8)) {
      const index = rng.nextInt(0, n - 1);
      return { index, body: pop.rulesetAt(task, index).ruleset };
    }
    return { index: rng.nextInt(0, this.maxFd), body: null };
  }

  // The ops are object literals written out per combination of optional fields, in one key
  // order (the scenario JSON's): spreads of optional parts cost several times more.

  /** One op of kind code `k` (not a plain one) as task `task`; `attack` biases it toward
   * loosening shared objects. */
  private op(rng: Rng, k: number, task: number, attack: boolean, pop: Population): Op {
    switch (k) {
      case SECCOMP_FILTER: {
        if (attack) return this.seccompFilter(rng, task, PERMISSIVE_PROGRAM, this.attackSeccompFlags.draw(rng), pop);
        if (this.misused(rng)) return this.misusedFilter(rng, task, pop);
        return this.seccompFilter(rng, task, this.programs.draw(rng, this.maxRules), this.seccompFlags.draw(rng), pop);
      }
      case RULESET_CREATE: {
        const ll = this.landlock;
        if (this.misused(rng)) {
          // 1 in 3: a query (VERSION, ERRATA, both, an unknown flag; 1 in 4 with an attr: EINVAL)
          if (chance(rng, 1, 3)) {
            const flags = pick(rng, QUERY_FLAGS);
            return chance(rng, 1, 4) ? { op: 'ruleset_create', task, fs: FS.READ_FILE, net: 0, scoped: 0, flags } : { op: 'ruleset_create', task, fs: 0, net: 0, scoped: 0, flags };
          }
          const b = ll.misusedRuleset(rng);
          return { op: 'ruleset_create', task, fs: b.fs, net: b.net, scoped: b.scoped };
        }
        const fs = ll.rulesetFs(rng);
        const net = ll.rulesetNet(rng);
        const scoped = ll.rulesetScoped(rng);
        pop.install(task, true, { fs, net, scoped });
        return this.supervisor && chance(rng, 1, 2)
          ? { op: 'ruleset_create', task, fs, net, scoped, supervisor: true }
          : { op: 'ruleset_create', task, fs, net, scoped };
      }
      case RULESET_ADD_RULE: {
        const held = this.heldRuleset(rng, task, pop);
        const ruleset = held.index;
        let rule: LandlockRule;
        if (attack) rule = this.landlock.broadRule(rng);
        else if (this.misused(rng)) {
          // 1 in 3: the task's descriptor of any kind (a listener, a map: EBADFD)
          if (chance(rng, 1, 3)) return { op: 'ruleset_add_rule', task, ruleset: this.anyFdIndex(rng, task, pop), anyFd: true, rule: this.landlock.rule(rng) };
          rule = this.landlock.misusedRule(rng);
        }
        else if (held.body !== null && !chance(rng, 1, 8)) rule = this.landlock.ruleWithin(rng, held.body.fs, held.body.net);
        else rule = this.landlock.rule(rng);
        return this.commit && chance(rng, 1, 2)
          ? { op: 'ruleset_add_rule', task, ruleset, rule, commit: true }
          : { op: 'ruleset_add_rule', task, ruleset, rule };
      }
      case RESTRICT_SELF: {
        const held = this.heldRuleset(rng, task, pop);
        const b = restrictBody(rng, this.maxFd, this.restrictLog && !attack, this.restrictTsync);
        if (!attack && this.misused(rng)) {
          // fd −1 without LOG_SUBDOMAINS_OFF (EBADF), or a flag the ABI does not know (EINVAL),
          // or a descriptor of any kind (EBADFD unless it is a ruleset)
          if (chance(rng, 1, 3)) return { op: 'restrict_self', task, ruleset: this.anyFdIndex(rng, task, pop), anyFd: true, flags: 0 };
          if (!this.restrictLog || chance(rng, 1, 2)) return this.restrictSelf(rng, task, null, 0, pop);
          return this.restrictSelf(rng, task, held.index, b.flags | UNKNOWN_RESTRICT_FLAG, pop);
        }
        return this.restrictSelf(rng, task, b.ruleset === null ? null : held.index, b.flags, pop);
      }
      case RULESET_SUPERVISEE: {
        const held = this.heldRuleset(rng, task, pop);
        if (held.body !== null) pop.install(task, true, held.body);
        return { op: 'ruleset_supervisee', task, ruleset: held.index };
      }
      case SEND_FD: {
        const n = pop.table(task).length;
        const fd = n > 0 ? rng.nextInt(0, n - 1) : rng.nextInt(0, this.maxFd);
        const to = rng.nextInt(0, pop.size - 1);
        pop.send(task, fd, to);
        return { op: 'send_fd', task, fd, to };
      }
      case CLOSE_FD: {
        const n = pop.table(task).length;
        const fd = n > 0 ? rng.nextInt(0, n - 1) : rng.nextInt(0, this.maxFd);
        pop.close(task, fd);
        return { op: 'close_fd', task, fd };
      }
      case FD_CALL: {
        // read / write / lseek / FIONREAD on one of its descriptors (M2), or on none (EBADF); on
        // a socket end only what the model decides (model/task/fd-call.ts)
        const n = pop.table(task).length;
        const fd = n > 0 ? rng.nextInt(0, n - 1) : rng.nextInt(0, this.maxFd);
        return { op: 'fd_call', task, fd, call: pick(rng, pop.isSocket(task, fd) ? SOCKET_FD_CALLS : FD_CALLS) };
      }
      case KEYCTL:
        // a new session keyring, or the task's onto its parent where that is a scenario task
        return { op: 'keyctl', task, call: !pop.modelledParent(task) || chance(rng, 1, 2) ? 'join_session' : 'session_to_parent' };
      case MODIFY:
        return this.modify(rng, task, attack);
      default:
        return this.probe(rng, task, pop);
    }
  }

  /** A probe (the last code, 17): a request of the universe (1 in 2), another meaningful
   * Landlock request (1 in 4, where Landlock exists), or a task-relative one. A universe syscall
   * with a non-zero first argument is made 1 in 8 times with a high word added to it: the same
   * low word, so a filter comparing both halves (model/bpf/asm.ts: argEq) no longer matches. */
  probe(rng: Rng, task: number, pop: Population): Op {
    const r = rng.nextInt(0, 3);
    if (r <= 1 || (r === 2 && this.landlock.requests.fs.length === 0)) {
      const request = pick(rng, this.tabled);
      if (request.kind === 'syscall' && request.args[0] !== 0 && chance(rng, 1, 8)) return { op: 'probe', task, request: withHighWord(rng, request) };
      return { op: 'probe', task, request };
    }
    if (r === 2) return { op: 'probe', task, request: this.landlock.request(rng) };
    return { op: 'probe', task, request: taskRequest(rng, pick(rng, TASK_REQUESTS), rng.nextInt(0, pop.size - 1)) };
  }

  /** seccomp(2)'s documented misuses (EINVAL): a program without RET, an unknown flag, or
   * WAIT_KILLABLE_RECV without NEW_LISTENER / TSYNC|NEW_LISTENER without TSYNC_ESRCH where
   * the design has those flags (seccomp.md §2 (1)–(5)). */
  private misusedFilter(rng: Rng, task: number, pop: Population): Op {
    const r = rng.nextInt(0, 2);
    if (r === 0) return this.seccompFilter(rng, task, this.programs.unterminated, 0, pop);
    const p = this.programs.draw(rng, this.maxRules);
    if (r === 2 && this.listener) return this.seccompFilter(rng, task, p, this.tsync && chance(rng, 1, 2) ? F.TSYNC | F.NEW_LISTENER : F.WAIT_KILLABLE_RECV, pop);
    return this.seccompFilter(rng, task, p, UNKNOWN_FILTER_FLAG, pop);
  }

  /** seccomp_filter of `p` with `flags`, then the optional add fields (mutability, export); the
   * listener and handle fds it gives go into the task's table. */
  seccompFilter(rng: Rng, task: number, p: GeneratedProgram, flags: number, pop: Population): Op {
    const program = p.program;
    const source = p.source;
    if ((flags & F.NEW_LISTENER) !== 0 && (flags & ~(F.NEW_LISTENER | F.TSYNC | F.TSYNC_ESRCH | F.LOG | F.WAIT_KILLABLE_RECV)) === 0 && ((flags & F.TSYNC) === 0 || (flags & F.TSYNC_ESRCH) !== 0)) {
      pop.install(task, true, null);
    }
    if (!this.mutability && !this.export) return { op: 'seccomp_filter', task, flags, program, source };
    const mutability = this.mutability ? pick(rng, MUTABILITIES) : undefined;
    if (this.export && chance(rng, 1, 2)) {
      pop.install(task, true, null);
      return mutability === undefined
        ? { op: 'seccomp_filter', task, flags, program, export: true, source }
        : { op: 'seccomp_filter', task, flags, program, mutability, export: true, source };
    }
    return mutability === undefined
      ? { op: 'seccomp_filter', task, flags, program, source }
      : { op: 'seccomp_filter', task, flags, program, mutability, source };
  }

  /** restrict_self with the optional add fields (mutability, export). */
  /** An index into the task's whole descriptor table (any kind), as `anyFd` reads it: 3 in 4
   * times one the population guesses is not a ruleset (a listener, a map, a handle: EBADFD). */
  private anyFdIndex(rng: Rng, task: number, pop: Population): number {
    const table = pop.table(task);
    const others: number[] = [];
    for (let k = 0; k < table.length; k++) if (table[k]!.ruleset === null) others.push(k);
    if (others.length > 0 && !chance(rng, 1, 4)) return pick(rng, others);
    return table.length > 0 ? rng.nextInt(0, table.length - 1) : rng.nextInt(0, this.maxFd);
  }

  restrictSelf(rng: Rng, task: number, ruleset: number | null, flags: number, pop: Population): Op {
    if (ruleset !== null) pop.restrict(task);
    if (!this.mutability && !this.export) return { op: 'restrict_self', task, ruleset, flags };
    const mutability = this.mutability ? pick(rng, MUTABILITIES) : undefined;
    if (this.export && chance(rng, 1, 2)) {
      pop.install(task, true, null);
      return mutability === undefined
        ? { op: 'restrict_self', task, ruleset, flags, export: true }
        : { op: 'restrict_self', task, ruleset, flags, mutability, export: true };
    }
    return mutability === undefined
      ? { op: 'restrict_self', task, ruleset, flags }
      : { op: 'restrict_self', task, ruleset, flags, mutability };
  }

  /** modify of a layer (through a handle, 1 in 4, 1 in 2 by an attacker, where export exists)
   * to a program or a ruleset. */
  private modify(rng: Rng, task: number, attack: boolean): Op {
    const layer = rng.nextInt(0, this.maxFd);
    const handle = this.export && chance(rng, 1, attack ? 2 : 4) ? rng.nextInt(0, this.maxFd) : undefined;
    if (chance(rng, 1, 2)) {
      const program = (attack ? PERMISSIVE_PROGRAM : this.programs.draw(rng, this.maxRules)).program;
      return handle === undefined ? { op: 'modify', task, layer, program } : { op: 'modify', task, layer, handle, program };
    }
    const ruleset = rng.nextInt(0, this.maxFd);
    return handle === undefined ? { op: 'modify', task, layer, ruleset } : { op: 'modify', task, layer, handle, ruleset };
  }
}

/** landlock_create_ruleset query flags: VERSION, ERRATA, both (EINVAL), an unknown one (EINVAL). */
const QUERY_FLAGS: readonly number[] = [CREATE_RULESET.VERSION, CREATE_RULESET.ERRATA, CREATE_RULESET.VERSION | CREATE_RULESET.ERRATA, 1 << 2];

/** `req` with a high word in its first argument (1..2^32-1 above the same low word), exact as a
 * u64 (model/u64.ts): half the time at or above 2^53, where only the hex form is exact. */
function withHighWord(rng: Rng, req: SyscallRequest): SyscallRequest {
  const hi = chance(rng, 1, 2) ? rng.nextInt(0x200000, 0xffffffff) : rng.nextInt(1, 0x1fffff);
  const a0 = u64((BigInt(hi) << 32n) | BigInt(u64Lo(req.args[0])));
  return { ...req, args: [a0, req.args[1], req.args[2], req.args[3], req.args[4], req.args[5]] };
}

/** Does `out` already hold the other delegate's ops (ptrace_* for notify, notif_* for tracer)? */
function drawsOtherDelegate(out: readonly Op[], seg: 'notify' | 'tracer'): boolean {
  const prefix = seg === 'notify' ? 'ptrace_' : 'notif_';
  for (let i = 0; i < out.length; i++) if (out[i]!.op.startsWith(prefix)) return true;
  return false;
}
