// Ops for a variant, drawn directly from fast-check's Random: a weighted choice over the op
// kinds of the variant's API, then the op's fields. Every op is plain data with index
// references (tasks modulo the live count, fds modulo the table), so a shrunk sequence stays
// meaningful; ops carry only the fields the variant accepts. A compromise burst
// (`attack`) is [compromise(i), 1..k attacker calls as i]: modify (own layers or through
// handles), add_rule of broad rights (with COMMIT where it exists), TSYNC with a permissive
// layer, sending and closing fds — anything the API accepts, aimed at weakening others.
import type { Op, Mutability } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import type { PolicyRule } from '../model/bpf/asm.js';
import type { Request, TaskRequest } from '../model/request.js';
import type { FsTree } from '../model/landlock/fstree.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { GeneratorOptions, WeightKey } from './options.js';
import type { GeneratedProgram, Guard } from './policy.js';
import { randomProgram, ruleTargets, guardFor, PERMISSIVE_PROGRAM } from './policy.js';
import { LandlockPools, restrictBody } from './landlock.js';
import type { Rng } from './pick.js';
import { Weighted, chance, pick } from './pick.js';
import type { Population } from './population.js';

/** What the op generator is built from. */
export interface OpContext {
  readonly variant: Variant;
  readonly options: GeneratorOptions;
  readonly abi: number;
  readonly fs: FsTree;
}

type Kind = Exclude<WeightKey, 'attack' | 'supervise'>;
type Segment = 'op' | 'attack' | 'supervise';

const MUTABILITIES: readonly Mutability[] = ['immutable', 'stricter', 'any'];
const TASK_REQUESTS: readonly TaskRequest['kind'][] = ['signal', 'abstract_unix', 'ptrace'];
/** The attacker's tools, calls on shared objects. */
const ATTACK_KINDS: readonly Kind[] = ['modify', 'ruleset_add_rule', 'seccomp_filter', 'restrict_self', 'send_fd', 'close_fd', 'ruleset_supervisee', 'exec'];
const F = SECCOMP_FILTER_FLAG;

export class OpGenerator {
  private readonly kinds = new Weighted<Kind>();
  private readonly attackKinds = new Weighted<Kind>();
  private readonly segments = new Weighted<Segment>();
  private readonly seccompFlags = new Weighted<number>();
  private readonly attackSeccompFlags = new Weighted<number>();
  private readonly targets: readonly Omit<PolicyRule, 'action'>[];
  private readonly guard: Guard | undefined;
  private readonly landlock: LandlockPools;
  private readonly tabled: readonly Request[];
  private readonly maxTasks: number;
  private readonly maxFd: number;
  private readonly maxRules: number;
  private readonly mutability: boolean;
  private readonly export: boolean;
  private readonly supervisor: boolean;
  private readonly commit: boolean;
  private readonly restrictLog: boolean;
  private readonly restrictTsync: boolean;

  constructor(readonly ctx: OpContext) {
    const { variant: v, options: o } = ctx;
    for (const [kind, weight] of Object.entries(o.weights) as [WeightKey, number][]) {
      if (kind !== 'attack' && kind !== 'supervise' && weight > 0 && accepts(v, kind)) this.kinds.add(kind, weight);
    }
    if (this.kinds.size === 0) throw new RangeError(`variant ${v.id}: no op kind with a positive weight in its API`);
    for (const k of ATTACK_KINDS) if (accepts(v, k)) this.attackKinds.add(k, 1);
    const attack = accepts(v, 'compromise') && this.attackKinds.size > 0 ? (o.weights.attack ?? 0) : 0;
    const total = this.kinds.values.reduce((s, k) => s + (o.weights[k] ?? 0), 0);
    const supervise = accepts(v, 'ruleset_create.supervisor') && accepts(v, 'ruleset_supervisee') && accepts(v, 'fork') && accepts(v, 'close_fd') ? (o.weights.supervise ?? 0) : 0;
    this.segments.add('op', total).add('attack', attack).add('supervise', supervise);
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
    this.guard = o.reservedSyscalls.length ? guardFor(o.reservedSyscalls) : undefined;
    this.landlock = new LandlockPools(ctx.abi, ctx.fs, o.universe);
    this.tabled = [...o.universe.syscalls, ...o.universe.landlock];
    this.maxTasks = o.maxTasks;
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
      this.push(out, pop, this.op(rng, this.kind(rng, this.kinds, pop), rng.nextInt(0, pop.size - 1), false, pop));
      return;
    }
    if (seg === 'supervise') {
      this.supervise(rng, out, pop);
      return;
    }
    const task = rng.nextInt(0, pop.size - 1);
    this.push(out, pop, { op: 'compromise', task });
    const n = rng.nextInt(1, this.ctx.options.attackOps);
    for (let i = 0; i < n; i++) this.push(out, pop, this.op(rng, this.kind(rng, this.attackKinds, pop), task, true, pop));
  }

  /**
   * The mutable-domains workflow (layering-designs §6 LL-MUTABLE): S creates a supervisor
   * ruleset Rs and its supervisee Re, forks C; C closes its inherited Rs (a task may not be
   * supervised through a supervisor fd it holds) and restricts itself to Re. Index −1 names
   * the newest task / fd, −2 the one before. S's commits on Rs (one may follow) reach C's layer.
   */
  private supervise(rng: Rng, out: Op[], pop: Population): void {
    const s = rng.nextInt(0, pop.size - 1);
    const b = this.landlock.rulesetBody(rng);
    this.push(out, pop, { op: 'ruleset_create', task: s, fs: b.fs, net: b.net, scoped: b.scoped, supervisor: true });
    this.push(out, pop, { op: 'ruleset_supervisee', task: s, ruleset: -1 });
    this.push(out, pop, { op: 'fork', task: s });
    this.push(out, pop, { op: 'close_fd', task: -1, fd: -2 });
    this.push(out, pop, { op: 'restrict_self', task: -1, ruleset: -1, flags: 0 });
    if (chance(rng, 1, 2)) this.push(out, pop, { op: 'ruleset_add_rule', task: s, ruleset: -2, rule: this.landlock.rule(rng), commit: true });
  }

  private push(out: Op[], pop: Population, op: Op): void {
    out.push(op);
    pop.apply(op);
  }

  /** A kind from `table`, redrawn (a few times) while it would grow the population past the
   * cap or end its last task. */
  private kind(rng: Rng, table: Weighted<Kind>, pop: Population): Kind {
    let k = table.draw(rng);
    for (let tries = 0; tries < 8; tries++) {
      const grows = k === 'fork' || k === 'thread';
      if (!(grows && pop.size >= this.maxTasks) && !(k === 'exit' && pop.size <= 1)) break;
      k = table.draw(rng);
    }
    return k;
  }

  /** One op of `kind` as task `task`; `attack` biases it toward loosening shared objects. */
  op(rng: Rng, kind: Kind, task: number, attack: boolean, pop: Population): Op {
    switch (kind) {
      case 'fork': case 'thread': case 'exec': case 'exit': case 'set_nnp': case 'drop_cap': case 'seccomp_strict': case 'observe':
        return { op: kind, task };
      case 'seccomp_filter': {
        const p = attack ? PERMISSIVE_PROGRAM : this.program(rng);
        const flags = (attack ? this.attackSeccompFlags : this.seccompFlags).draw(rng);
        return { op: 'seccomp_filter', task, flags, program: p.program, ...this.addExtras(rng), source: p.source };
      }
      case 'ruleset_create': {
        const b = this.landlock.rulesetBody(rng);
        return { op: 'ruleset_create', task, fs: b.fs, net: b.net, scoped: b.scoped, ...(this.supervisor && chance(rng, 1, 2) ? { supervisor: true } : {}) };
      }
      case 'ruleset_add_rule': {
        const rule = attack ? this.landlock.broadRule(rng) : this.landlock.rule(rng);
        return { op: 'ruleset_add_rule', task, ruleset: rng.nextInt(0, this.maxFd), rule, ...(this.commit && chance(rng, 1, 2) ? { commit: true } : {}) };
      }
      case 'restrict_self': {
        const b = restrictBody(rng, this.maxFd, this.restrictLog && !attack, this.restrictTsync);
        return { op: 'restrict_self', task, ruleset: b.ruleset, flags: b.flags, ...this.addExtras(rng) };
      }
      case 'ruleset_supervisee':
        return { op: 'ruleset_supervisee', task, ruleset: rng.nextInt(0, this.maxFd) };
      case 'send_fd':
        return { op: 'send_fd', task, fd: rng.nextInt(0, this.maxFd), to: rng.nextInt(0, pop.size - 1) };
      case 'close_fd':
        return { op: 'close_fd', task, fd: rng.nextInt(0, this.maxFd) };
      case 'modify': {
        const layer = rng.nextInt(0, this.maxFd);
        const handle = this.export && chance(rng, 1, attack ? 2 : 4) ? { handle: rng.nextInt(0, this.maxFd) } : {};
        const content = chance(rng, 1, 2)
          ? { program: (attack ? PERMISSIVE_PROGRAM : this.program(rng)).program }
          : { ruleset: rng.nextInt(0, this.maxFd) };
        return { op: 'modify', task, layer, ...handle, ...content };
      }
      case 'probe': {
        const request: Request = chance(rng, 3, 4) ? pick(rng, this.tabled) : { kind: pick(rng, TASK_REQUESTS), target: rng.nextInt(0, pop.size - 1) };
        return { op: 'probe', task, request };
      }
    }
  }

  private program(rng: Rng): GeneratedProgram {
    return randomProgram(rng, this.targets, this.maxRules, this.guard);
  }

  /** Optional per-variant fields of an add (mutability, export), absent when not in the API. */
  private addExtras(rng: Rng): { mutability?: Mutability; export?: boolean } {
    if (!this.mutability && !this.export) return {};
    const m = this.mutability ? { mutability: pick(rng, MUTABILITIES) } : {};
    return this.export && chance(rng, 1, 2) ? { ...m, export: true } : m;
  }
}
