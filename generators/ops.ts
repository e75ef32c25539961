// Ops for a variant, drawn directly from fast-check's Random: a weighted choice over the op
// kinds of the variant's API, then the op's fields. Every op is plain data with index
// references (tasks modulo the live count, fds modulo the table), so a shrunk sequence stays
// meaningful; ops carry only the fields the variant accepts. A compromise burst
// (`attack`) is [compromise(i), 1..k attacker calls as i]: modify (own layers or through
// handles), add_rule of broad rights (with COMMIT where it exists), TSYNC with a permissive
// layer, sending and closing fds — anything the API accepts, aimed at weakening others.
// Ops are immutable once generated: those with nothing but a task are shared values
// (generators/plain-ops.ts).
import type { Op, Mutability } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import type { PolicyRule } from '../model/bpf/asm.js';
import type { Request, TaskRequest } from '../model/request.js';
import type { FsTree } from '../model/landlock/fstree.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { GeneratorOptions, WeightKey } from './options.js';
import type { GeneratedProgram } from './policy.js';
import { ProgramDraws, ruleTargets, guardFor, PERMISSIVE_PROGRAM } from './policy.js';
import { LandlockPools, restrictBody } from './landlock.js';
import type { Rng } from './pick.js';
import { Weighted, chance, pick } from './pick.js';
import type { Population } from './population.js';
import { PlainOps } from './plain-ops.js';
import { mapDraws } from './maps.js';
import type { MapDraws } from './maps.js';

/** What the op generator is built from. */
export interface OpContext {
  readonly variant: Variant;
  readonly options: GeneratorOptions;
  readonly abi: number;
  readonly fs: FsTree;
}

type Kind = Exclude<WeightKey, 'attack' | 'supervise' | 'maps'>;
type Segment = 'op' | 'attack' | 'supervise' | 'maps';

/**
 * Op kinds by code (the weighted tables draw codes, dispatched by an integer switch). The plain
 * kinds, an op with a task and nothing else, come first (codes below PLAIN).
 */
const KINDS: readonly Kind[] = [
  'fork', 'thread', 'exec', 'exit', 'set_nnp', 'drop_cap', 'seccomp_strict', 'observe',
  'seccomp_filter', 'ruleset_create', 'ruleset_add_rule', 'restrict_self', 'ruleset_supervisee', 'send_fd', 'close_fd', 'modify', 'probe',
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
const MODIFY = codeOf('modify');

const MUTABILITIES: readonly Mutability[] = ['immutable', 'stricter', 'any'];
const TASK_REQUESTS: readonly TaskRequest['kind'][] = ['signal', 'abstract_unix', 'ptrace'];
/** The attacker's tools, calls on shared objects. */
const ATTACK_KINDS: readonly Kind[] = ['modify', 'ruleset_add_rule', 'seccomp_filter', 'restrict_self', 'send_fd', 'close_fd', 'ruleset_supervisee', 'exec'];
const F = SECCOMP_FILTER_FLAG;
/** The supervision workflow's two fixed ops (supervise, below): one value each, shared. */
const CLOSE_SUPERVISOR_FD: Op = { op: 'close_fd', task: -1, fd: -2 };
const RESTRICT_TO_SUPERVISEE: Op = { op: 'restrict_self', task: -1, ruleset: -1, flags: 0 };

export class OpGenerator {
  private readonly kinds = new Weighted<number>();
  private readonly attackKinds = new Weighted<number>();
  private readonly plain = new PlainOps();
  private readonly segments = new Weighted<Segment>();
  private readonly seccompFlags = new Weighted<number>();
  private readonly attackSeccompFlags = new Weighted<number>();
  private readonly targets: readonly Omit<PolicyRule, 'action'>[];
  private readonly programs: ProgramDraws;
  private readonly landlock: LandlockPools;
  private readonly tabled: readonly Request[];
  private readonly maxTasks: number;
  private readonly attackOps: number;
  private readonly maxFd: number;
  private readonly maxRules: number;
  private readonly mutability: boolean;
  private readonly export: boolean;
  private readonly supervisor: boolean;
  private readonly commit: boolean;
  private readonly restrictLog: boolean;
  private readonly restrictTsync: boolean;
  /** The H1 map calls (generators/maps.ts), when the variant's API has them. */
  private readonly maps: MapDraws | null;

  constructor(readonly ctx: OpContext) {
    const { variant: v, options: o } = ctx;
    for (const [kind, weight] of Object.entries(o.weights) as [WeightKey, number][]) {
      if (kind !== 'attack' && kind !== 'supervise' && kind !== 'maps' && weight > 0 && accepts(v, kind)) this.kinds.add(codeOf(kind), weight);
    }
    if (this.kinds.size === 0) throw new RangeError(`variant ${v.id}: no op kind with a positive weight in its API`);
    for (const k of ATTACK_KINDS) if (accepts(v, k)) this.attackKinds.add(codeOf(k), 1);
    const attack = accepts(v, 'compromise') && this.attackKinds.size > 0 ? (o.weights.attack ?? 0) : 0;
    const total = this.kinds.values.reduce((s, k) => s + (o.weights[KINDS[k]!] ?? 0), 0);
    const supervise = accepts(v, 'ruleset_create.supervisor') && accepts(v, 'ruleset_supervisee') && accepts(v, 'fork') && accepts(v, 'close_fd') ? (o.weights.supervise ?? 0) : 0;
    this.maps = mapDraws(v, o);
    this.segments.add('op', total).add('attack', attack).add('supervise', supervise).add('maps', this.maps ? (o.weights.maps ?? 0) : 0);
    this.seccompFlags.add(0, 8);
    if (accepts(v, 'seccomp_filter.tsync')) {
      this.seccompFlags.add(F.TSYNC, 2).add(F.TSYNC | F.TSYNC_ESRCH, 1);
      this.attackSeccompFlags.add(F.TSYNC, 1).add(F.TSYNC | F.TSYNC_ESRCH, 1);
    } else {
      this.attackSeccompFlags.add(0, 1);
    }
    if (accepts(v, 'seccomp_filter.listener')) this.seccompFlags.add(F.NEW_LISTENER, 1);
    if (accepts(v, 'seccomp_filter.log')) this.seccompFlags.add(F.LOG, 1);
    this.targets = [...ruleTargets(o.universe), ...o.extraRuleTargets];
    this.programs = new ProgramDraws(this.targets, o.reservedSyscalls.length ? guardFor(o.reservedSyscalls) : undefined);
    this.landlock = new LandlockPools(ctx.abi, ctx.fs, o.universe);
    this.tabled = [...o.universe.syscalls, ...o.universe.landlock];
    this.maxTasks = o.maxTasks;
    this.attackOps = o.attackOps;
    this.maxFd = o.maxFdRef;
    this.maxRules = o.maxPolicyRules;
    this.mutability = accepts(v, 'mutability');
    this.export = accepts(v, 'export');
    this.supervisor = accepts(v, 'ruleset_create.supervisor');
    this.commit = accepts(v, 'ruleset_add_rule.commit');
    this.restrictLog = accepts(v, 'restrict_self.log');
    this.restrictTsync = accepts(v, 'restrict_self.tsync');
  }

  /** Append one segment — an op, a compromise burst, a supervision set-up — to `out`, tracking `pop`. */
  segment(rng: Rng, out: Op[], pop: Population): void {
    const seg = this.segments.draw(rng);
    if (seg === 'op') {
      const k = this.kind(rng, this.kinds, pop);
      this.append(rng, out, pop, k, rng.nextInt(0, pop.size - 1), false);
      return;
    }
    if (seg === 'supervise') {
      this.supervise(rng, out, pop);
      return;
    }
    if (seg === 'maps') {
      this.maps!.segment(rng, out, pop);
      return;
    }
    const task = rng.nextInt(0, pop.size - 1);
    out.push(this.plain.compromise(task));
    const n = rng.nextInt(1, this.attackOps);
    for (let i = 0; i < n; i++) this.append(rng, out, pop, this.kind(rng, this.attackKinds, pop), task, true);
  }

  /** Append an op of kind code `k` as task `task`, tracking what it does to the task list. */
  private append(rng: Rng, out: Op[], pop: Population, k: number, task: number, attack: boolean): void {
    if (k >= PLAIN) {
      out.push(this.op(rng, k, task, attack, pop));
      return;
    }
    out.push(this.plain.op(KINDS[k]!, k, task));
    if (k === FORK) pop.fork();
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
    out.push(this.plain.op('fork', FORK, s));
    pop.fork();
    out.push(CLOSE_SUPERVISOR_FD, RESTRICT_TO_SUPERVISEE);
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

  // The ops are object literals written out per combination of optional fields, in one key
  // order (the scenario JSON's): spreads of optional parts cost several times more.

  /** One op of kind code `k` (not a plain one) as task `task`; `attack` biases it toward
   * loosening shared objects. */
  private op(rng: Rng, k: number, task: number, attack: boolean, pop: Population): Op {
    switch (k) {
      case SECCOMP_FILTER:
        return attack
          ? this.seccompFilter(rng, task, PERMISSIVE_PROGRAM, this.attackSeccompFlags)
          : this.seccompFilter(rng, task, this.programs.draw(rng, this.maxRules), this.seccompFlags);
      case RULESET_CREATE: {
        const ll = this.landlock;
        const fs = ll.rulesetFs(rng);
        const net = ll.rulesetNet(rng);
        const scoped = ll.rulesetScoped(rng);
        return this.supervisor && chance(rng, 1, 2)
          ? { op: 'ruleset_create', task, fs, net, scoped, supervisor: true }
          : { op: 'ruleset_create', task, fs, net, scoped };
      }
      case RULESET_ADD_RULE: {
        const rule = attack ? this.landlock.broadRule(rng) : this.landlock.rule(rng);
        const ruleset = rng.nextInt(0, this.maxFd);
        return this.commit && chance(rng, 1, 2)
          ? { op: 'ruleset_add_rule', task, ruleset, rule, commit: true }
          : { op: 'ruleset_add_rule', task, ruleset, rule };
      }
      case RESTRICT_SELF: {
        const b = restrictBody(rng, this.maxFd, this.restrictLog && !attack, this.restrictTsync);
        return this.restrictSelf(rng, task, b.ruleset, b.flags);
      }
      case RULESET_SUPERVISEE:
        return { op: 'ruleset_supervisee', task, ruleset: rng.nextInt(0, this.maxFd) };
      case SEND_FD: {
        const fd = rng.nextInt(0, this.maxFd);
        return { op: 'send_fd', task, fd, to: rng.nextInt(0, pop.size - 1) };
      }
      case CLOSE_FD:
        return { op: 'close_fd', task, fd: rng.nextInt(0, this.maxFd) };
      case MODIFY:
        return this.modify(rng, task, attack);
      default: {
        // probe, the last code (16)
        if (chance(rng, 3, 4)) return { op: 'probe', task, request: pick(rng, this.tabled) };
        const kind = pick(rng, TASK_REQUESTS);
        return { op: 'probe', task, request: { kind, target: rng.nextInt(0, pop.size - 1) } };
      }
    }
  }
  /** seccomp_filter of `p`: flags from `flags`, then the optional add fields (mutability, export). */
  private seccompFilter(rng: Rng, task: number, p: GeneratedProgram, flagTable: Weighted<number>): Op {
    const flags = flagTable.draw(rng);
    const program = p.program;
    const source = p.source;
    if (!this.mutability && !this.export) return { op: 'seccomp_filter', task, flags, program, source };
    const mutability = this.mutability ? pick(rng, MUTABILITIES) : undefined;
    if (this.export && chance(rng, 1, 2)) {
      return mutability === undefined
        ? { op: 'seccomp_filter', task, flags, program, export: true, source }
        : { op: 'seccomp_filter', task, flags, program, mutability, export: true, source };
    }
    return mutability === undefined
      ? { op: 'seccomp_filter', task, flags, program, source }
      : { op: 'seccomp_filter', task, flags, program, mutability, source };
  }

  /** restrict_self with the optional add fields (mutability, export). */
  private restrictSelf(rng: Rng, task: number, ruleset: number | null, flags: number): Op {
    if (!this.mutability && !this.export) return { op: 'restrict_self', task, ruleset, flags };
    const mutability = this.mutability ? pick(rng, MUTABILITIES) : undefined;
    if (this.export && chance(rng, 1, 2)) {
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
