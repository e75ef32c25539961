// One arbitrary per op kind of a variant's API, and the weighted choice among them. Every op is
// plain data with index references (tasks modulo the live count, fds modulo the table), so a
// shrunk sequence stays meaningful. Ops carry only the fields the variant accepts.
import fc from 'fast-check';
import type { Op, OpName, Mutability, Insn } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import type { Request, TaskRequest } from '../model/request.js';
import type { FsTree } from '../model/landlock/fstree.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { GeneratorOptions, WeightKey } from './options.js';
import { programArbitrary, permissiveProgramArbitrary } from './policy.js';
import { rulesetBodyArbitrary, ruleArbitrary, restrictBodyArbitrary, broadRuleArbitrary } from './landlock.js';

/** What the op arbitraries are built from. */
export interface OpContext {
  readonly variant: Variant;
  readonly options: GeneratorOptions;
  readonly abi: number;
  readonly fs: FsTree;
}

const MUTABILITIES: readonly Mutability[] = ['immutable', 'stricter', 'any'];

/** Optional per-variant fields of an add (mutability, export), absent when not in the API. */
interface AddExtras {
  readonly mutability?: Mutability;
  readonly export?: boolean;
}

function addExtrasArbitrary(ctx: OpContext): fc.Arbitrary<AddExtras> {
  const mut = accepts(ctx.variant, 'mutability');
  const exp = accepts(ctx.variant, 'export');
  if (!mut && !exp) return fc.constant({});
  return fc.tuple(mut ? fc.constantFrom(...MUTABILITIES) : fc.constant(undefined), exp ? fc.boolean() : fc.constant(false)).map(([m, e]) => ({
    ...(m !== undefined ? { mutability: m } : {}),
    ...(e ? { export: true } : {}),
  }));
}

/** seccomp_filter flags the variant accepts (TSYNC needs TSYNC_ESRCH when combined with a listener). */
function seccompFlagsArbitrary(ctx: OpContext, attack: boolean): fc.Arbitrary<number> {
  const F = SECCOMP_FILTER_FLAG;
  const choices: fc.WeightedArbitrary<number>[] = [{ arbitrary: fc.constant(0), weight: attack ? 0 : 8 }];
  if (accepts(ctx.variant, 'seccomp_filter.tsync')) choices.push({ arbitrary: fc.constantFrom(F.TSYNC, F.TSYNC | F.TSYNC_ESRCH), weight: 3 });
  if (!attack && accepts(ctx.variant, 'seccomp_filter.listener')) choices.push({ arbitrary: fc.constant(F.NEW_LISTENER), weight: 1 });
  if (!attack && accepts(ctx.variant, 'seccomp_filter.log')) choices.push({ arbitrary: fc.constant(F.LOG), weight: 1 });
  const live = choices.filter((c) => c.weight > 0);
  return live.length ? fc.oneof(...live) : fc.constant(0);
}

function simple(name: 'fork' | 'thread' | 'exec' | 'exit' | 'set_nnp' | 'drop_cap' | 'seccomp_strict' | 'observe' | 'compromise', task: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return task.map((t) => ({ op: name, task: t }) as Op);
}

function seccompFilter(ctx: OpContext, task: fc.Arbitrary<number>, attack: boolean): fc.Arbitrary<Op> {
  const prog = attack ? permissiveProgramArbitrary() : programArbitrary(ctx.options.universe, ctx.options.maxPolicyRules);
  return fc.tuple(task, seccompFlagsArbitrary(ctx, attack), prog, addExtrasArbitrary(ctx)).map(([t, flags, p, extra]) => ({
    op: 'seccomp_filter', task: t, flags, program: p.program, ...extra, source: p.source,
  }) as Op);
}

function rulesetCreate(ctx: OpContext, task: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  const sup = accepts(ctx.variant, 'ruleset_create.supervisor');
  return fc.tuple(task, rulesetBodyArbitrary(ctx.abi), sup ? fc.boolean() : fc.constant(false)).map(([t, b, s]) => ({
    op: 'ruleset_create', task: t, fs: b.fs, net: b.net, scoped: b.scoped, ...(s ? { supervisor: true } : {}),
  }) as Op);
}

function rulesetAddRule(ctx: OpContext, task: fc.Arbitrary<number>, attack: boolean): fc.Arbitrary<Op> {
  const commit = accepts(ctx.variant, 'ruleset_add_rule.commit');
  const rule = attack ? broadRuleArbitrary(ctx.abi, ctx.fs) : ruleArbitrary(ctx.abi, ctx.fs, ctx.options.universe);
  return fc.tuple(task, fc.nat(ctx.options.maxFdRef), rule, commit ? fc.boolean() : fc.constant(false)).map(([t, rs, r, c]) => ({
    op: 'ruleset_add_rule', task: t, ruleset: rs, rule: r, ...(c ? { commit: true } : {}),
  }) as Op);
}

function restrictSelf(ctx: OpContext, task: fc.Arbitrary<number>, attack: boolean): fc.Arbitrary<Op> {
  const tsync = accepts(ctx.variant, 'restrict_self.tsync');
  const body = restrictBodyArbitrary(ctx.options.maxFdRef, accepts(ctx.variant, 'restrict_self.log') && !attack, tsync);
  return fc.tuple(task, body, addExtrasArbitrary(ctx)).map(([t, b, extra]) => ({
    op: 'restrict_self', task: t, ruleset: b.ruleset, flags: b.flags, ...extra,
  }) as Op);
}

function rulesetSupervisee(ctx: OpContext, task: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return fc.tuple(task, fc.nat(ctx.options.maxFdRef)).map(([t, rs]) => ({ op: 'ruleset_supervisee', task: t, ruleset: rs }) as Op);
}

function sendFd(ctx: OpContext, task: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return fc.tuple(task, fc.nat(ctx.options.maxFdRef), fc.nat(ctx.options.maxTaskRef)).map(([t, fd, to]) => ({ op: 'send_fd', task: t, fd, to }) as Op);
}

function closeFd(ctx: OpContext, task: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return fc.tuple(task, fc.nat(ctx.options.maxFdRef)).map(([t, fd]) => ({ op: 'close_fd', task: t, fd }) as Op);
}

/** The new content of a modify: a program for a seccomp layer, a ruleset fd for a Landlock one. */
type ModifyContent = { readonly program: readonly Insn[] } | { readonly ruleset: number };

/** modify: a layer of the caller's own stack, or through a handle fd; new content by kind. */
function modify(ctx: OpContext, task: fc.Arbitrary<number>, attack: boolean): fc.Arbitrary<Op> {
  const n = ctx.options.maxFdRef;
  const handles = accepts(ctx.variant, 'export');
  const handle = handles ? fc.option(fc.nat(n), { nil: undefined, freq: attack ? 2 : 3 }) : fc.constant(undefined);
  const prog = attack ? permissiveProgramArbitrary() : programArbitrary(ctx.options.universe, ctx.options.maxPolicyRules);
  const content = fc.oneof(
    prog.map((p): ModifyContent => ({ program: p.program })),
    fc.nat(n).map((r): ModifyContent => ({ ruleset: r })),
  );
  return fc.tuple(task, fc.nat(n), handle, content).map(([t, layer, h, c]) => ({
    op: 'modify', task: t, layer, ...(h !== undefined ? { handle: h } : {}), ...c,
  }) as Op);
}

function probeRequests(ctx: OpContext): fc.Arbitrary<Request> {
  const u = ctx.options.universe;
  const tabled: Request[] = [...u.syscalls, ...u.landlock];
  const taskReq = fc.tuple(fc.constantFrom<TaskRequest['kind']>('signal', 'abstract_unix', 'ptrace'), fc.nat(ctx.options.maxTaskRef)).map(([kind, target]) => ({ kind, target }) as Request);
  return fc.oneof({ arbitrary: fc.constantFrom(...tabled), weight: 3 }, { arbitrary: taskReq, weight: 1 });
}

function probe(ctx: OpContext, task: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  return fc.tuple(task, probeRequests(ctx)).map(([t, request]) => ({ op: 'probe', task: t, request }) as Op);
}

/** The arbitrary of one op kind (normal or attacker-biased), or null if the API lacks it. */
export function opKindArbitrary(ctx: OpContext, kind: Exclude<WeightKey, 'attack'>, task: fc.Arbitrary<number>, attack = false): fc.Arbitrary<Op> | null {
  if (!accepts(ctx.variant, kind as OpName)) return null;
  switch (kind) {
    case 'fork': case 'thread': case 'exec': case 'exit': case 'set_nnp': case 'drop_cap': case 'seccomp_strict': case 'observe':
      return simple(kind, task);
    case 'seccomp_filter': return seccompFilter(ctx, task, attack);
    case 'ruleset_create': return rulesetCreate(ctx, task);
    case 'ruleset_add_rule': return rulesetAddRule(ctx, task, attack);
    case 'restrict_self': return restrictSelf(ctx, task, attack);
    case 'ruleset_supervisee': return rulesetSupervisee(ctx, task);
    case 'send_fd': return sendFd(ctx, task);
    case 'close_fd': return closeFd(ctx, task);
    case 'modify': return modify(ctx, task, attack);
    case 'probe': return probe(ctx, task);
  }
}

/** The weighted choice over every op kind the variant has (attack bursts excluded). */
export function opArbitrary(ctx: OpContext): fc.Arbitrary<Op> {
  const task = fc.nat(ctx.options.maxTaskRef);
  const arbs: fc.WeightedArbitrary<Op>[] = [];
  for (const [kind, weight] of Object.entries(ctx.options.weights) as [WeightKey, number][]) {
    if (kind === 'attack' || weight <= 0) continue;
    const a = opKindArbitrary(ctx, kind, task);
    if (a) arbs.push({ arbitrary: a, weight });
  }
  if (arbs.length === 0) throw new RangeError(`variant ${ctx.variant.id}: no op kind with a positive weight in its API`);
  return fc.oneof(...arbs);
}

export { simple as simpleOpArbitrary };
