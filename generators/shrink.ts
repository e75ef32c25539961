// The op-list shrinker (generators/op-list.ts pairs it with generation). It works on the flat
// op list, which is plain data (the variant's model, through ShrinkContext, only rewrites
// references and proposes routes):
//   1. remove chunks of ops — halves, quarters, ..., single ops — so a result is 1-minimal
//      (no single op can go), whatever segment (attack burst) an op came from; then remove an
//      op that creates or ends a task, creates or closes a descriptor or pushes a layer,
//      keeping every later reference on the same task, descriptor and layer (retarget.ts);
//   2. every task reference at once toward 0 (from the end, −1, too);
//   3. simplify one op at a time: task / fd / target references toward 0, flags bit by bit,
//      optional fields dropped (a probe's socket type and family, a mount's call too), rule rights bit by bit, a rule's path one directory up, and
//      seccomp policies rule by rule
//      (a generated program remembers its policy and its guard, generators/policy.ts:policyOf,
//      guardOf — a guard is never shrunk away);
//   4. move a fork/thread one step later, its references kept;
//   5. shorter routes of another kind (explore/shorter.ts): when nothing above keeps the
//      failure, every shorter sequence over the counterexample's own ingredients and their
//      alternatives of another kind (a seccomp layer for a Landlock one, a listener's
//      descriptor for a ruleset's, a thread for a fork, another order), breadth first and
//      de-duplicated by world, so the first that still fails is the shortest of that scope.
// Each candidate is smaller in (length, references and bits, -positions of forks), so
// shrinking terminates.
import { u64Bits, u64Lo, u64Without, type U64 } from '../model/u64.js';
import type { Op, LandlockRule, Insn } from '../model/ops.js';
import { SECCOMP_RET_ALLOW } from '../model/seccomp/action.js';
import type { GeneratedProgram } from './policy.js';
import { compiledProgram, policyOf, guardOf, RAW_PROGRAMS } from './policy.js';
import type { Retargeter } from './retarget.js';
import { PTRACE_O } from '../model/ptrace/state.js';
import { shiftsReferences } from './retarget.js';
import type { ShorterRoutes } from '../explore/shorter.js';

/** What the shrinker may use besides the list: the variant's model, through these. */
export interface ShrinkContext {
  /** Reference-preserving removals and moves. */
  readonly retarget?: Retargeter;
  /** The last stage's candidates. */
  readonly routes?: ShorterRoutes;
}

/** Candidate simplifications of an op list, most drastic first. */
export function* shrinkOps(ops: readonly Op[], minOps = 0, ctx: ShrinkContext = {}): IterableIterator<Op[]> {
  const n = ops.length;
  const { retarget, routes } = ctx;
  for (let size = n; size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
    if (n - size < minOps) continue;
    for (let start = 0; start + size <= n; start += size) {
      yield [...ops.slice(0, start), ...ops.slice(start + size)];
    }
    if (size === 1) break;
  }
  // Dropping an op that creates or ends what later ops name, with their references kept.
  if (retarget && n - 1 >= minOps) {
    for (let i = 0; i < n; i++) if (shiftsReferences(ops[i]!)) yield retarget.without(ops, i);
  }
  // Every task reference at once: to 0, or one lower (as if a task had not been created).
  if (ops.some((o) => o.task !== 0)) {
    yield ops.map(taskZero);
    if (ops.some((o) => o.task > 1)) yield ops.map(taskDown);
  }
  for (let i = 0; i < n; i++) {
    for (const simpler of simplerOp(ops[i]!)) {
      const out = ops.slice();
      out[i] = simpler;
      yield out;
    }
  }
  // A fork/thread one step later (only ever later, so shrinking terminates): creating a task
  // after the setup it inherits is often what lets the setup's own helper ops go.
  for (let i = 0; i + 1 < n; i++) {
    const o = ops[i]!;
    const next = ops[i + 1]!;
    // Never past another fork/thread: the sum of their positions must strictly grow.
    if ((o.op !== 'fork' && o.op !== 'thread') || next.op === 'fork' || next.op === 'thread') continue;
    if (retarget) {
      yield retarget.moved(ops, i, i + 1);
      continue;
    }
    const out = ops.slice();
    out[i] = next;
    out[i + 1] = o;
    yield out;
  }
  // Shorter routes, of another kind: every candidate is shorter.
  if (routes && n - 1 >= minOps) {
    for (const c of routes.candidates(ops)) if (c.length >= minOps) yield c;
  }
}

function taskZero(o: Op): Op {
  return o.task === 0 ? o : ({ ...o, task: 0 } as Op);
}

function taskDown(o: Op): Op {
  return o.task > 0 ? ({ ...o, task: o.task - 1 } as Op) : o;
}

/** Toward 0: [0, x-1] without duplicates or no-ops; a reference from the end (−1: the newest)
 * toward 0, the oldest (the same task when it is the only one). */
function smallerRefs(x: number): number[] {
  if (!Number.isInteger(x) || x === 0) return [];
  if (x < 0) return [0];
  return x === 1 ? [0] : [0, x - 1];
}

/** `mask` with one set bit cleared, each way, keeping it non-zero if `nonZero`. */
function fewerBits(mask: number, nonZero: boolean): number[] {
  const out: number[] = [];
  for (let b = 1; b !== 0 && b <= mask; b = (b << 1) >>> 0) {
    if ((mask & b) === 0) continue;
    const m = (mask & ~b) >>> 0;
    if (!nonZero || m !== 0) out.push(m);
  }
  return out;
}

function* withField<T extends Op>(op: T, key: string, values: readonly unknown[]): IterableIterator<Op> {
  for (const v of values) yield { ...op, [key]: v } as Op;
}

function* without<T extends Op>(op: T, keys: readonly string[]): IterableIterator<Op> {
  for (const k of keys) {
    if (!(k in op)) continue;
    const copy: Record<string, unknown> = { ...op };
    delete copy[k];
    yield copy as unknown as Op;
  }
}

/** Simpler programs: the policy minus one rule, or with an ALLOW default (behind the same
 * guard); raw ones → allow all (which needs no guard). */
function* simplerPrograms(program: readonly Insn[]): IterableIterator<GeneratedProgram> {
  const policy = policyOf(program);
  if (!policy) {
    const allow = RAW_PROGRAMS[0]!;
    if (program !== allow.program) yield allow;
    return;
  }
  const guard = guardOf(program);
  for (let j = 0; j < policy.rules.length; j++) {
    yield compiledProgram({ ...policy, rules: [...policy.rules.slice(0, j), ...policy.rules.slice(j + 1)] }, guard);
  }
  if (policy.default !== SECCOMP_RET_ALLOW) yield compiledProgram({ ...policy, default: SECCOMP_RET_ALLOW }, guard);
}

function* simplerRule(rule: LandlockRule): IterableIterator<LandlockRule> {
  for (const access of fewerBits64(rule.access, true)) yield { ...rule, access };
  // a path_beneath rule one directory up (toward /): one rule where two were needed (REFER on
  // both sides of a move) may then do; the path only ever shortens
  if (rule.type === 'path_beneath' && rule.path !== '/') {
    const cut = rule.path.lastIndexOf('/');
    yield { ...rule, path: cut <= 0 ? '/' : rule.path.slice(0, cut) };
  }
}

/** fewerBits of a u64 (model/u64.ts): a value with a bit above 31 first loses its high bits. */
function fewerBits64(mask: U64, nonZero: boolean): U64[] {
  if (typeof mask === 'number' && mask <= 0xffffffff) return fewerBits(mask, nonZero);
  const lo = u64Lo(mask);
  const out: U64[] = lo !== 0 || !nonZero ? [lo] : [];
  for (const b of u64Bits(mask)) {
    const m = u64Without(mask, b);
    if (!nonZero || m !== 0) out.push(m);
  }
  return out;
}

/** One-step simplifications of an op: each a well-formed op of the same kind, but a TRACEME,
 * whose simpler form is the parent's SEIZE (a kind that never becomes a TRACEME again). */
export function* simplerOp(op: Op): IterableIterator<Op> {
  yield* withField(op, 'task', smallerRefs(op.task));
  switch (op.op) {
    case 'seccomp_filter':
      yield* withField(op, 'flags', op.flags ? [0, ...fewerBits(op.flags, false).filter((f) => f !== 0)] : []);
      yield* without(op, ['export', 'mutability']);
      if (op.map !== undefined) {
        yield* without(op, ['map']);
        yield* withField(op, 'map', smallerRefs(op.map));
      }
      for (const p of simplerPrograms(op.program)) yield { ...op, program: p.program, source: p.source };
      return;
    case 'ruleset_create':
      yield* without(op, ['supervisor']);
      if (op.net) yield { ...op, net: 0 };
      if (op.scoped) yield { ...op, scoped: 0 };
      yield* withField(op, 'fs', fewerBits64(op.fs, op.net === 0 && op.scoped === 0));
      return;
    case 'ruleset_supervisee':
      yield* withField(op, 'ruleset', smallerRefs(op.ruleset));
      return;
    case 'ruleset_add_rule':
      yield* without(op, ['commit']);
      yield* withField(op, 'ruleset', smallerRefs(op.ruleset));
      for (const rule of simplerRule(op.rule)) yield { ...op, rule };
      return;
    case 'restrict_self':
      if (op.ruleset !== null) yield* withField(op, 'ruleset', smallerRefs(op.ruleset));
      if (op.ruleset !== null && op.flags) yield* withField(op, 'flags', [0, ...fewerBits(op.flags, false).filter((f) => f !== 0)]);
      yield* without(op, ['export', 'mutability']);
      return;
    case 'send_fd':
      yield* withField(op, 'fd', smallerRefs(op.fd));
      yield* withField(op, 'to', smallerRefs(op.to));
      return;
    case 'close_fd':
      yield* withField(op, 'fd', smallerRefs(op.fd));
      return;
    case 'fown_set':
      yield* withField(op, 'fd', smallerRefs(op.fd));
      yield* withField(op, 'target', smallerRefs(op.target));
      if (op.owner !== undefined) yield* without(op, ['owner']);
      return;
    case 'setpgid':
      yield* without(op, ['pid']);
      yield* without(op, ['pgid']);
      if (op.pid !== undefined) yield* withField(op, 'pid', smallerRefs(op.pid));
      if (op.pgid !== undefined) yield* withField(op, 'pgid', smallerRefs(op.pgid));
      return;
    case 'map_put':
      yield* withField(op, 'map', smallerRefs(op.map));
      return;
    case 'modify':
      yield* withField(op, 'layer', smallerRefs(op.layer));
      yield* without(op, ['handle']);
      if (op.handle !== undefined) yield* withField(op, 'handle', smallerRefs(op.handle));
      if (op.ruleset !== undefined) yield* withField(op, 'ruleset', smallerRefs(op.ruleset));
      if (op.program) for (const p of simplerPrograms(op.program)) yield { ...op, program: p.program };
      return;
    case 'probe': {
      const r = op.request;
      if ('target' in r) for (const target of smallerRefs(r.target)) yield { ...op, request: { ...r, target } };
      if ('target' in r && r.kind !== 'proc') {
        // a datagram's scoping is a stream connect's; a kept listener's, one made at the request
        if (r.type !== undefined || r.listener !== undefined) yield { ...op, request: { kind: r.kind, target: r.target } };
        if (r.listener !== undefined) for (const listener of smallerRefs(r.listener)) yield { ...op, request: { ...r, listener } };
      }
      // the plain TCP over IPv4 the other families and sockets vary
      if (r.kind === 'net' && (r.family !== undefined || r.proto !== undefined)) yield { ...op, request: { kind: 'net', op: r.op, port: r.port } };
      if (r.kind === 'sigurg') {
        for (const fd of smallerRefs(r.fd)) yield { ...op, request: { ...r, fd } };
        if (r.to !== undefined) {
          yield { ...op, request: { kind: 'sigurg', fd: r.fd } };
          for (const to of smallerRefs(r.to)) yield { ...op, request: { ...r, to } };
        }
      }
      // the plain tmpfs mount the other mount-tree calls vary
      if (r.kind === 'mount' && r.call !== undefined) yield { ...op, request: { kind: 'mount' } };
      return;
    }
    case 'ptrace_attach':
      // an attach whose options come from a later SETOPTIONS: the seize that sets them at once
      // (the SETOPTIONS may then go)
      if (!op.seize) yield { ...op, seize: true, options: PTRACE_O.TRACESECCOMP };
      yield* withField(op, 'target', smallerRefs(op.target));
      if (op.options) yield* withField(op, 'options', [0, ...fewerBits(op.options, false).filter((f) => f !== 0)]);
      return;
    case 'ptrace_traceme':
      // a TRACEME whose tracer then sets its options: a seize of the caller by an older task
      // (references are indices, so the parent is one of the smaller ones) with the options at
      // once (the SETOPTIONS may then go)
      for (let t = 0; t < Math.min(op.task < 0 ? 3 : op.task, 3); t++) yield { op: 'ptrace_attach', task: t, target: op.task, seize: true, options: PTRACE_O.TRACESECCOMP };
      return;
    case 'ptrace_setoptions':
      yield* withField(op, 'target', smallerRefs(op.target));
      if (op.options) yield* withField(op, 'options', [0, ...fewerBits(op.options, false).filter((f) => f !== 0)]);
      return;
    case 'ptrace_get_filter':
      yield* withField(op, 'target', smallerRefs(op.target));
      yield* withField(op, 'index', smallerRefs(op.index));
      return;
    case 'ptrace_response':
      if (op.response.kind !== 'allow') yield { ...op, response: { kind: 'allow' } };
      return;
    default:
      return;
  }
}
