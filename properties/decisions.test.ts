// The decision memo (decisions.ts) and the comparison shortcuts (weakening.ts) are facts to be
// proven, not assumed: over random worlds of every built-in variant (and the broken designs),
// a memoised table — shared across every world of a trace, as the properties share it — equals
// a fresh evaluation, request by request, through probe.ts:decideRequest; task-relative
// decisions equal decideRequest with the target's reference; and two tables that
// `comparesAlike` says compare alike do.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Variant } from '../variants/variant.js';
import { BUILTIN_VARIANTS } from '../variants/registry.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import { traceScenario } from './trace.js';
import { Decisions, comparesAlike, pushedOnly, firstDifference, firstWeakening } from './decisions.js';
import { decideRequest } from '../model/probe.js';
import { outcomeEquals, formatOutcome } from '../model/outcome.js';
import type { Outcome } from '../model/outcome.js';
import type { World, Task } from '../model/state.js';
import { TASK_RELATIVE_KINDS } from '../model/decide.js';
import { BROKEN } from './broken-designs.js';

const VARIANTS: readonly Variant[] = [...BUILTIN_VARIANTS, ...Object.values(BROKEN)];
const RUNS = 80;

function fresh(world: World, task: Task, d: Decisions): Outcome[] {
  const out: Outcome[] = [];
  const n = d.universe.syscalls.length + d.universe.landlock.length;
  for (let i = 0; i < n; i++) out.push(decideRequest(world, task, d.request(i)).outcome);
  return out;
}

describe('decision memo', () => {
  it('memoised tables and task-relative decisions equal fresh evaluations in every world of random traces', () => {
    let compared = 0;
    let relations = 0;
    for (const v of VARIANTS) {
      const scenarios = fc.sample(scenarioArbitrary(v, { maxOps: 30 }), { seed: 5, numRuns: RUNS });
      for (const s of scenarios) {
        const trace = traceScenario(s, v);
        const d = trace.decisions;
        const worlds = [trace.initial, ...trace.steps.map((st) => st.after)];
        for (const w of worlds) {
          for (let ti = 0; ti < w.tasks.length; ti++) {
            const t = w.tasks.at(ti)!;
            const memo = d.of(w, t);
            const exact = fresh(w, t, d);
            for (let i = 0; i < exact.length; i++) {
              if (!outcomeEquals(memo[i]!, exact[i]!)) {
                expect.fail(`${v.id}: task ${t.tid}, request ${i}: memo ${formatOutcome(memo[i]!)}, fresh ${formatOutcome(exact[i]!)}`);
              }
            }
            compared++;
            for (let yi = 0; yi < w.tasks.length; yi++) {
              if (yi === ti) continue;
              const rel = d.relation(w, t, w.tasks.at(yi)!);
              TASK_RELATIVE_KINDS.forEach((kind, k) => {
                const direct = decideRequest(w, t, { kind, target: yi }).outcome;
                if (!outcomeEquals(rel[k]!, direct)) expect.fail(`${v.id}: ${kind} ${t.tid} -> ${w.tasks.at(yi)!.tid}: ${formatOutcome(rel[k]!)} vs ${formatOutcome(direct)}`);
              });
              relations++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(relations).toBeGreaterThan(10_000);
  });

  it('tables that comparesAlike pairs compare alike: no difference and no weakening either way', () => {
    let pairs = 0;
    for (const v of VARIANTS) {
      const scenarios = fc.sample(scenarioArbitrary(v, { maxOps: 30 }), { seed: 6, numRuns: RUNS / 2 });
      for (const s of scenarios) {
        const trace = traceScenario(s, v);
        const d = trace.decisions;
        // The first (world, task) met per (filter, domain, mode, evaluation, tree): every later
        // one that comparesAlike pairs with it is compared with it.
        const first = new Map<object, Map<object, { w: World; t: Task }[]>>();
        const NONE = {};
        for (const w of [trace.initial, ...trace.steps.map((st) => st.after)]) {
          for (const t of w.tasks) {
            let byDomain = first.get(t.filter ?? NONE);
            if (!byDomain) first.set(t.filter ?? NONE, (byDomain = new Map()));
            const list = byDomain.get(t.domain ?? NONE) ?? [];
            const o = list.find((x) => comparesAlike(x.w, x.t, w, t));
            if (!o) {
              list.push({ w, t });
              byDomain.set(t.domain ?? NONE, list);
              continue;
            }
            const a = fresh(o.w, o.t, d);
            const b = fresh(w, t, d);
            expect(firstDifference(a, b)).toBe(-1);
            expect(firstWeakening(a, b)).toBe(-1);
            expect(firstWeakening(b, a)).toBe(-1);
            pairs++;
          }
        }
      }
    }
    expect(pairs).toBeGreaterThan(1_000);
  });

  it('pushedOnly holds only where the later table is never more permissive (any variant, any design)', () => {
    let pushes = 0;
    for (const v of VARIANTS) {
      const scenarios = fc.sample(scenarioArbitrary(v, { maxOps: 30 }), { seed: 7, numRuns: RUNS });
      for (const s of scenarios) {
        const trace = traceScenario(s, v);
        const d = trace.decisions;
        for (const st of trace.steps) {
          for (const a of st.before.tasks) {
            const b = st.after.tasks.find((t) => t.tid === a.tid);
            if (!b || (a.filter === b.filter && a.domain === b.domain) || !pushedOnly(st.before, a, st.after, b)) continue;
            const i = firstWeakening(fresh(st.before, a, d), fresh(st.after, b, d));
            if (i >= 0) expect.fail(`${v.id}: step ${st.index} (${st.op.op}) made task ${a.tid} more permissive on request ${i} though pushedOnly`);
            pushes++;
            // With the same domain and thread group, its task-relative requests towards an
            // unchanged target are not more permissive either (weakening.ts's relation shortcut).
            if (a.domain !== b.domain || a.tgid !== b.tgid) continue;
            for (const y of st.before.tasks) {
              if (y === a || !st.after.tasks.includes(y)) continue;
              const k = firstWeakening(d.relation(st.before, a, y), d.relation(st.after, b, y));
              if (k >= 0) expect.fail(`${v.id}: step ${st.index}: task ${a.tid}'s ${TASK_RELATIVE_KINDS[k]} towards ${y.tid} loosened though pushedOnly`);
            }
          }
        }
      }
    }
    expect(pushes).toBeGreaterThan(1_000);
  });

  it('a memo that ignored the listener state would differ: closing a USER_NOTIF listener changes the exact table', async () => {
    // The memo key covers the open listeners: the same filter node decides notify with the
    // listener open and ENOSYS once it is closed.
    const { initialWorld } = await import('../model/state.js');
    const { step } = await import('../model/step.js');
    const { compiledProgram } = await import('../generators/policy.js');
    const { SECCOMP_RET_USER_NOTIF, SECCOMP_RET_ALLOW } = await import('../model/seccomp/action.js');
    let w = initialWorld({ nnp: true });
    const program = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 39, action: SECCOMP_RET_USER_NOTIF }] }).program;
    w = step(w, { op: 'seccomp_filter', task: 0, flags: 8 /* NEW_LISTENER */, program }).world;
    const d = new Decisions(w.universe);
    const open = d.of(w, w.tasks.at(0)!);
    expect(open[0]!.kind).toBe('notify');
    const closed = step(w, { op: 'close_fd', task: 0, fd: 0 }).world;
    expect(closed.tasks.at(0)!.filter).toBe(w.tasks.at(0)!.filter);
    const after = d.of(closed, closed.tasks.at(0)!);
    expect(after[0]).toEqual({ kind: 'errno', errno: 38, by: 'seccomp' });
  });
});

describe("the kernel's own refusals (ptrace_attach: one's own thread group, a task already traced)", () => {
  const KERNEL: Outcome = { kind: 'errno', errno: 1, by: 'kernel' };
  const ALLOW: Outcome = { kind: 'allow' };
  const LOGGED: Outcome = { kind: 'allow', logged: true };
  const LANDLOCK: Outcome = { kind: 'errno', errno: 1, by: 'landlock' };
  it('compare as the layers letting the call through, logged or not: neither a difference nor a weakening', () => {
    for (const allow of [ALLOW, LOGGED]) {
      expect(firstDifference([allow], [KERNEL])).toBe(-1);
      expect(firstDifference([KERNEL], [allow])).toBe(-1);
      expect(firstWeakening([allow], [KERNEL])).toBe(-1);
      expect(firstWeakening([KERNEL], [allow])).toBe(-1);
    }
  });
  it('a layer\'s denial that becomes only the kernel\'s refusal is a weakening (the layer no longer decides)', () => {
    expect(firstWeakening([LANDLOCK], [KERNEL])).toBe(0);
    expect(firstWeakening([KERNEL], [LANDLOCK])).toBe(-1);
    expect(firstDifference([LANDLOCK], [KERNEL])).toBe(0);
  });
});
