import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Op, Insn } from '../model/ops.js';
import type { Scenario } from '../scenario/types.js';
import { SECCOMP_FILTER_FLAG, LANDLOCK_RESTRICT_SELF } from '../model/ops.js';
import { checkSeccompProgram } from '../model/bpf/check.js';
import { BUILTIN_VARIANTS, builtinVariant } from '../variants/registry.js';
import type { OpKind, Variant } from '../variants/variant.js';
import { loadVariant } from '../variants/registry.js';
import { scenarioArbitrary, opsArbitrary } from './scenario.js';
import { resolveOptions, DEFAULT_WEIGHTS, conformanceProfile, EXECUTOR_SYSCALLS, OP_RULE_TARGETS } from './options.js';
import { shrinkOps, simplerOp } from './shrink.js';
import { randomProgram, randomPolicy, ruleTargets, RAW_PROGRAMS, compiledProgram, policyOf, guardFor, guardOf } from './policy.js';
import { runSeccompProgram } from '../model/bpf/interp.js';
import { seccompData } from '../model/seccomp/data.js';
import { syscall, AUDIT_ARCH_I386 } from '../model/request.js';
import type { Request } from '../model/request.js';
import { FS } from '../model/landlock/access.js';
import { SECCOMP_RET_ALLOW } from '../model/seccomp/action.js';
import { linuxVariant } from '../variants/linux.js';
import { Retargeter } from './retarget.js';
import { PTRACE_O } from '../model/ptrace/state.js';
import { runTrace, traceScenario, traceToScenario, initialWorldFor, defaultScenarioWorld } from '../properties/trace.js';
import { validateScenario } from '../scenario/validate.js';
import { stepFor } from '../variants/step-for.js';
import { defaultUniverse } from '../model/universe.js';

/** The op kinds and features an op uses. */
function kindsOf(op: Op): OpKind[] {
  const out: OpKind[] = [op.op];
  if (op.op === 'seccomp_filter') {
    if (op.flags & (SECCOMP_FILTER_FLAG.TSYNC | SECCOMP_FILTER_FLAG.TSYNC_ESRCH)) out.push('seccomp_filter.tsync');
    if (op.flags & SECCOMP_FILTER_FLAG.NEW_LISTENER) out.push('seccomp_filter.listener');
    if (op.flags & SECCOMP_FILTER_FLAG.LOG) out.push('seccomp_filter.log');
  }
  if (op.op === 'restrict_self') {
    if (op.flags & LANDLOCK_RESTRICT_SELF.TSYNC) out.push('restrict_self.tsync');
    if (op.flags & ~LANDLOCK_RESTRICT_SELF.TSYNC) out.push('restrict_self.log');
  }
  if ((op.op === 'seccomp_filter' || op.op === 'restrict_self') && op.mutability !== undefined) out.push('mutability');
  if ((op.op === 'seccomp_filter' || op.op === 'restrict_self') && op.export !== undefined) out.push('export');
  if (op.op === 'ruleset_create' && op.supervisor !== undefined) out.push('ruleset_create.supervisor');
  if (op.op === 'ruleset_add_rule' && op.commit !== undefined) out.push('ruleset_add_rule.commit');
  if (op.op === 'seccomp_filter' && op.map !== undefined) out.push('seccomp_filter.map');
  return out;
}

async function allVariants(): Promise<Variant[]> {
  return [...BUILTIN_VARIANTS, await loadVariant('variants/examples/tsync-intersect.ts', `${import.meta.dirname}/..`)];
}

describe('scenarioArbitrary', () => {
  it('emits only what each variant accepts, as plain JSON data, within the length bounds', async () => {
    for (const v of await allVariants()) {
      for (const s of fc.sample(scenarioArbitrary(v, { minOps: 2, maxOps: 25 }), { numRuns: 150, seed: 11 })) {
        expect(s.kind).toBe('script');
        expect(s.variant.id).toBe(v.id);
        expect(s.ops.length).toBeGreaterThanOrEqual(2);
        expect(s.ops.length).toBeLessThanOrEqual(25);
        expect(JSON.parse(JSON.stringify(s))).toEqual(s);
        for (const op of s.ops) for (const k of kindsOf(op)) expect(v.opKinds, `${v.id} emitted ${k}`).toContain(k);
      }
    }
  });

  it('produces scripts and traces that pass the scenario schema', async () => {
    for (const v of await allVariants()) {
      for (const s of fc.sample(scenarioArbitrary(v, { maxOps: 30 }), { numRuns: 40, seed: 8 })) {
        expect(validateScenario(JSON.parse(JSON.stringify(s)), `${v.id} script`)).toEqual(s);
        const trace = traceToScenario(traceScenario(s, v));
        expect(() => validateScenario(JSON.parse(JSON.stringify(trace)), `${v.id} trace`)).not.toThrow();
      }
    }
  });

  it('never produces an invalid result while a task is alive (every variant, every op kind)', async () => {
    for (const v of await allVariants()) {
      const seen = new Set<string>();
      for (const s of fc.sample(scenarioArbitrary(v, { maxOps: 30 }), { numRuns: 200, seed: 5 })) {
        const trace = traceScenario(s, v);
        for (const st of trace.steps) {
          if (st.before.tasks.length === 0) continue;
          seen.add(st.op.op);
          // a supervised scenario's invalid steps are states of the protocol, not generator
          // mistakes: a thread blocked in a notified call, a notification not yet received, a
          // RECV that would sleep (model/seccomp/notify.ts)
          if (st.before.notifs !== null && st.out.result.kind === 'invalid') continue;
          // a tracer whose own filters stop its ptrace(2) calls cannot serve a seccomp stop: the
          // model does not guess what the stopped call comes to (model/ptrace/trace-stop.ts)
          // nor is a TRACEME or SESSION_TO_PARENT run whose real parent the model does not know (a
          // kill the generator does not track removed the parent, or left its group several threads)
          if (st.out.result.kind === 'invalid' && /stops its ptrace\(2\) calls|(ptrace_traceme|keyctl session_to_parent): the (real parent|parent's thread group)/.test(st.out.result.reason)) continue;
          expect(st.out.result.kind, `${v.id}: ${JSON.stringify(st.op)} -> ${JSON.stringify(st.out.result)}`).not.toBe('invalid');
        }
      }
      for (const k of v.opKinds) if (!k.includes('.') && k !== 'mutability' && k !== 'export' && (DEFAULT_WEIGHTS as Record<string, number>)[k]) expect(seen, `${v.id} exercised ${k}`).toContain(k);
    }
  });

  it('mostly builds state: most ops succeed and scenarios rarely run out of tasks', () => {
    const v = builtinVariant('linux')!;
    let ops = 0;
    let ok = 0;
    let extinct = 0;
    const samples = fc.sample(scenarioArbitrary(v, { maxOps: 30 }), { numRuns: 300, seed: 3 });
    for (const s of samples) {
      const t = traceScenario(s, v);
      for (const st of t.steps) {
        ops++;
        if (st.out.result.kind === 'ok') ok++;
      }
      if (t.steps.length && t.steps[t.steps.length - 1]!.after.tasks.length === 0) extinct++;
    }
    expect(ok / ops).toBeGreaterThan(0.5);
    expect(extinct / samples.length).toBeLessThan(0.15);
  });

  it('is deterministic for a seed', () => {
    const v = builtinVariant('lutomirski-2017')!;
    const a = fc.sample(scenarioArbitrary(v), { numRuns: 20, seed: 99 });
    const b = fc.sample(scenarioArbitrary(v), { numRuns: 20, seed: 99 });
    expect(a).toEqual(b);
  });

  it('honours weights: a zero weight removes the op kind, attack bursts start with compromise', () => {
    const v = builtinVariant('linux')!;
    const noFork = fc.sample(opsArbitrary(v, { weights: { fork: 0, thread: 0 }, maxOps: 30 }), { numRuns: 100, seed: 1 }).flat();
    expect(noFork.some((o) => o.op === 'fork' || o.op === 'thread')).toBe(false);
    const attacks = fc.sample(opsArbitrary(v, { weights: { attack: 100 }, maxOps: 30 }), { numRuns: 100, seed: 1 });
    let bursts = 0;
    for (const ops of attacks) {
      ops.forEach((o, i) => {
        if (o.op !== 'compromise' || i + 1 >= ops.length) return;
        bursts++;
        expect(ops[i + 1]!.task, 'the attacker acts as the compromised task').toBe(o.task);
      });
    }
    expect(bursts).toBeGreaterThan(50);
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => resolveOptions({ maxOps: -1 })).toThrow(/maxOps must be an integer >= 0/);
    expect(() => resolveOptions({ minOps: 5, maxOps: 2 })).toThrow(/minOps \(5\) exceeds maxOps \(2\)/);
    expect(() => resolveOptions({ weights: { teleport: 1 } as never })).toThrow(/weights.teleport: unknown op kind/);
    expect(() => resolveOptions({ weights: { fork: -2 } })).toThrow(/weights.fork must be a non-negative integer/);
    expect(() => opsArbitrary(builtinVariant('v5-2017')!, { weights: { fork: 0, thread: 0, exec: 0, exit: 0, set_nnp: 0, drop_cap: 0, seccomp_filter: 0, probe: 0, observe: 0, attack: 0, keyctl: 0 } })).toThrow(/no op kind with a positive weight/);
  });
});

/** A fast-check Random for a seed (drawn through an arbitrary, as generation would). */
class RngArbitrary extends fc.Arbitrary<fc.Random> {
  generate(mrng: fc.Random): fc.Value<fc.Random> {
    return new fc.Value(mrng.clone(), undefined);
  }
  canShrinkWithoutContext(v: unknown): v is fc.Random {
    return false;
  }
  shrink(): fc.Stream<fc.Value<fc.Random>> {
    return fc.Stream.nil();
  }
}
const rngFor = (seed: number): fc.Random => fc.sample(new RngArbitrary(), { numRuns: 1, seed })[0]!;

describe('seccomp programs', () => {
  it('are valid classic programs, compiled policies remember their policy', () => {
    const u = defaultUniverse();
    const rng = rngFor(2);
    const targets = ruleTargets(u);
    for (let i = 0; i < 300; i++) {
      const p = randomProgram(rng, targets, 3);
      expect(checkSeccompProgram(p.program).ok, p.source).toBe(true);
    }
    for (const r of RAW_PROGRAMS) expect(checkSeccompProgram(r.program).ok, r.source).toBe(true);
    const policy = randomPolicy(rng, targets, 3);
    const g = compiledProgram(policy);
    expect(policyOf(g.program)).toEqual(policy);
    expect(compiledProgram({ ...policy }).program).toBe(g.program);
  });
});

describe('the conformance profile (guarded policies)', () => {
  const ret = (program: readonly Insn[], nr: number, args: number[] = [], arch?: number): number =>
    runSeccompProgram(program, seccompData(syscall(nr, args, arch))) >>> 0;

  it('a guarded program allows the executor\'s own x86_64 calls and otherwise decides as the policy', () => {
    const guard = guardFor(EXECUTOR_SYSCALLS);
    const rng = rngFor(7);
    const targets = [...ruleTargets(defaultUniverse()), ...OP_RULE_TARGETS];
    const reservedNrs = EXECUTOR_SYSCALLS.flatMap((e) => (typeof e === 'number' ? [e] : []));
    const probes = [39, 56, 59, 60, 101, 102, 157, 317, 444, 445, 446, 3, 46, 49, 257, ...reservedNrs];
    let denyByDefault = 0;
    for (let i = 0; i < 300; i++) {
      const g = randomProgram(rng, targets, 3, guard);
      expect(checkSeccompProgram(g.program).ok, g.source).toBe(true);
      if (g === RAW_PROGRAMS[0]) continue; // allow-all needs no guard
      expect(guardOf(g.program)).toBe(guard);
      expect(g.source.startsWith(guard.label)).toBe(true);
      const inner = g.program.slice(guard.prefix.length);
      if (policyOf(g.program)?.default !== undefined && policyOf(g.program)!.default !== SECCOMP_RET_ALLOW) denyByDefault++;
      for (const nr of probes) {
        for (const args of [[], [3, 1], [17], [16], [0x50f00], [0x4111], [17 + 2 ** 32]]) {
          const reserved = reservedNrs.includes(nr) || (nr === 101 && args[0] === 17) || (nr === 56 && args[0] === 0x4111); // PTRACE_DETACH, the oracle's clone
          const expected = reserved ? SECCOMP_RET_ALLOW : ret(inner, nr, args);
          expect(ret(g.program, nr, args), `${g.source} on ${nr}(${args.join(',')})`).toBe(expected);
          // i386 calls are not guarded: decided as the program alone decides them
          expect(ret(g.program, nr, args, AUDIT_ARCH_I386)).toBe(ret(inner, nr, args, AUDIT_ARCH_I386));
        }
      }
    }
    expect(denyByDefault).toBeGreaterThan(5);
  });

  it('shrinking keeps the guard', () => {
    const guard = guardFor(EXECUTOR_SYSCALLS);
    const g = compiledProgram({ default: 0x50001, rules: [{ nr: 39, action: 0x30007 }, { nr: 56, argEq: [0, 17], action: 0 }] }, guard);
    const op: Op = { op: 'seccomp_filter', task: 0, flags: 0, program: g.program, source: g.source };
    const programs = [...simplerOp(op)].flatMap((o) => (o.op === 'seccomp_filter' && o.program !== g.program ? [o.program] : []));
    expect(programs.length).toBe(3);
    for (const p of programs) expect(guardOf(p)).toBe(guard);
  });

  it('generates linux scenarios with probes, observes, threads and both layer kinds, every policy guarded', () => {
    const v = linuxVariant(7);
    const seen = new Map<string, number>();
    let filters = 0;
    fc.assert(
      fc.property(scenarioArbitrary(v, { ...conformanceProfile(), maxOps: 20 }), (s) => {
        validateScenario(s, 'generated');
        for (const op of s.ops) {
          seen.set(op.op, (seen.get(op.op) ?? 0) + 1);
          if (op.op === 'seccomp_filter') {
            filters++;
            if (op.program !== RAW_PROGRAMS[0]!.program) expect(guardOf(op.program), op.source).toBeDefined();
          }
          expect(['modify', 'ruleset_supervisee']).not.toContain(op.op);
        }
      }),
      { seed: 11, numRuns: 200 },
    );
    for (const k of ['probe', 'observe', 'fork', 'thread', 'exec', 'seccomp_filter', 'ruleset_create', 'ruleset_add_rule', 'restrict_self', 'send_fd', 'close_fd', 'seccomp_strict']) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
    }
    expect(seen.get('probe')!).toBeGreaterThan(seen.get('seccomp_filter')!);
    expect(filters).toBeGreaterThan(50);
  });
});

describe('the op-list shrinker', () => {
  const ops: Op[] = [
    { op: 'fork', task: 2 },
    { op: 'seccomp_filter', task: 1, flags: SECCOMP_FILTER_FLAG.TSYNC | SECCOMP_FILTER_FLAG.LOG, program: RAW_PROGRAMS[1]!.program, source: RAW_PROGRAMS[1]!.source, mutability: 'any' },
    { op: 'send_fd', task: 0, fd: 3, to: 2 },
    { op: 'thread', task: 1 },
    { op: 'probe', task: 0, request: { kind: 'signal', target: 3 } },
  ];

  it('tries single-op removals, so a shrunk result is 1-minimal', () => {
    const cands = [...shrinkOps(ops)];
    for (let i = 0; i < ops.length; i++) expect(cands).toContainEqual([...ops.slice(0, i), ...ops.slice(i + 1)]);
    expect(cands[0]).toEqual([]);
    for (const c of [...shrinkOps(ops, 4)]) expect(c.length).toBeGreaterThanOrEqual(4);
  });

  it('only simplifies: references go down, flags lose bits, optional fields go', () => {
    for (const op of ops) {
      for (const s of simplerOp(op)) {
        expect(s.op).toBe(op.op);
        expect(s.task).toBeLessThanOrEqual(op.task);
        expect(JSON.stringify(s).length).toBeLessThanOrEqual(JSON.stringify(op).length + 5);
      }
    }
    const seccomp = [...simplerOp(ops[1]!)] as Extract<Op, { op: 'seccomp_filter' }>[];
    expect(seccomp.some((o) => o.flags === 0)).toBe(true);
    expect(seccomp.some((o) => o.mutability === undefined)).toBe(true);
    expect(seccomp.some((o) => o.program === RAW_PROGRAMS[0]!.program)).toBe(true);
  });

  it('draws a notification supervisor or tracers in one scenario, never both (model/step.ts delegationApart)', () => {
    const scenarios = fc.sample(scenarioArbitrary(linuxVariant(7), conformanceProfile()), { seed: 5, numRuns: 3000 });
    const has = (s: Scenario, prefix: string): boolean => s.ops.some((o) => o.op.startsWith(prefix));
    expect(scenarios.filter((s) => has(s, 'notif_')).length).toBeGreaterThan(50);
    expect(scenarios.filter((s) => has(s, 'ptrace_')).length).toBeGreaterThan(50);
    expect(scenarios.filter((s) => has(s, 'notif_') && has(s, 'ptrace_')).length).toBe(0);
  });

  it('a TRACEME simplifies to a SEIZE of the caller by an older task, with the options at once', () => {
    const attaches = (task: number): Op[] => [...simplerOp({ op: 'ptrace_traceme', task })].filter((o) => o.op === 'ptrace_attach');
    expect(attaches(2)).toEqual([0, 1].map((t) => ({ op: 'ptrace_attach', task: t, target: 2, seize: true, options: PTRACE_O.TRACESECCOMP })));
    // the first task has no older one to trace it
    expect(attaches(0)).toEqual([]);
  });

  it('a probe loses its datagram type, IPv6 family or UDP socket; a rule its path one directory up; a task reference from the end goes to 0', () => {
    const probes = (request: Request): Request[] => [...simplerOp({ op: 'probe', task: 0, request })].map((o) => (o as Extract<Op, { op: 'probe' }>).request);
    expect(probes({ kind: 'abstract_unix', target: 0, type: 'dgram' })).toContainEqual({ kind: 'abstract_unix', target: 0 });
    expect(probes({ kind: 'net', op: 'bind', port: 80, family: 6 })).toEqual([{ kind: 'net', op: 'bind', port: 80 }]);
    expect(probes({ kind: 'net', op: 'connect', port: 80, proto: 'udp' })).toEqual([{ kind: 'net', op: 'connect', port: 80 }]);
    expect(probes({ kind: 'net', op: 'bind', port: 80 })).toEqual([]);
    const rules = [...simplerOp({ op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'path_beneath', path: '/a/s', access: FS.READ_FILE } })]
      .flatMap((o) => (o.op === 'ruleset_add_rule' && o.rule.type === 'path_beneath' ? [o.rule.path] : []));
    expect(rules).toContain('/a');
    expect([...simplerOp({ op: 'fork', task: -1 })]).toContainEqual({ op: 'fork', task: 0 });
    // a mount call back to the plain mount; F_SETOWN and SIGURG towards the first references
    expect(probes({ kind: 'mount', call: 'pivot_root' })).toEqual([{ kind: 'mount' }]);
    expect(probes({ kind: 'sigurg', fd: 1 })).toContainEqual({ kind: 'sigurg', fd: 0 });
    expect([...simplerOp({ op: 'fown_set', task: 0, fd: 1, target: 2 })]).toEqual(expect.arrayContaining([{ op: 'fown_set', task: 0, fd: 0, target: 2 }, { op: 'fown_set', task: 0, fd: 1, target: 0 }]));
  });

  it('terminates: every chain of accepted candidates is finite (property that never passes)', () => {
    const v = builtinVariant('linux')!;
    const r = fc.check(fc.property(scenarioArbitrary(v, { minOps: 1, maxOps: 30 }), (_s: Scenario) => false), { seed: 1, numRuns: 1 });
    expect(r.failed).toBe(true);
    expect(r.counterexample![0].ops).toHaveLength(1);
    expect(r.numShrinks).toBeGreaterThan(0);
  });

  it('drops a fork while later references keep naming the same tasks', () => {
    const v = builtinVariant('linux')!;
    const world = defaultScenarioWorld(v);
    const rt = new Retargeter(stepFor(v), initialWorldFor(v, world, defaultUniverse()));
    const script: Op[] = [
      { op: 'fork', task: 0 },
      { op: 'fork', task: 0 },
      { op: 'set_nnp', task: 2 },
      { op: 'send_fd', task: 2, fd: 0, to: 0 },
    ];
    const out = rt.without(script, 0);
    expect(out).toEqual([{ op: 'fork', task: 0 }, { op: 'set_nnp', task: 1 }, { op: 'send_fd', task: 1, fd: 0, to: 0 }]);
    const t = runTrace(v, out);
    expect(t.steps[1]!.out.tid).toBe(101);
  });
});
