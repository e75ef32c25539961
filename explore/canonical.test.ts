// The canonical form of worlds (explore/canonical.ts): equal for worlds that differ only by a
// consistent renaming of ids and the order of their tasks, different where the structure
// differs; and sound for de-duplication — two worlds of one form have the same futures: for
// every op of the scope, successors of one form and the same property verdicts (checked one
// step ahead on every world the search de-duplicates, monitors included).
import { describe, expect, it } from 'vitest';
import type { Op } from '../model/ops.js';
import type { World } from '../model/state.js';
import { FS, SCOPE } from '../model/landlock/access.js';
import { builtinVariant } from '../variants/registry.js';
import type { Variant } from '../variants/variant.js';
import { stepFor } from '../variants/step-for.js';
import type { Property, PropertyMonitor } from '../properties/property.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import type { ModelTrace, TraceStep } from '../properties/trace.js';
import { runTrace } from '../properties/trace.js';
import { viewOf } from '../properties/step-view.js';
import { BROKEN } from '../properties/broken-designs.js';
import { Canonicalizer } from './canonical.js';
import { Alphabet } from './alphabet.js';
import { scopeByName, DENY_GETPID, ALLOW_ALL } from './scope.js';

const LINUX = builtinVariant('linux')!;
const LINUX_ROOT = runTrace(LINUX, []).initial.tasks.at(0)!.tgid;

function worldAfter(ops: readonly Op[], v: Variant = LINUX): { world: World; trace: ModelTrace } {
  const trace = runTrace(v, ops);
  return { world: trace.steps.at(-1)?.after ?? trace.initial, trace };
}

/** One canonicalizer for every form compared: forms name contents by small numbers given in
 * the order they are first met, so they compare only within one. */
const CANON = new Canonicalizer(LINUX_ROOT);

function keyAfter(ops: readonly Op[], v: Variant = LINUX): string {
  return CANON.key(worldAfter(ops, v).world);
}

const deny = (task: number): Op => ({ op: 'seccomp_filter', task, flags: 0, program: DENY_GETPID.program, source: DENY_GETPID.source });
const allow = (task: number): Op => ({ op: 'seccomp_filter', task, flags: 0, program: ALLOW_ALL.program, source: ALLOW_ALL.source });
const mkrs = (task: number, fs: number): Op => ({ op: 'ruleset_create', task, fs, net: 0, scoped: 0 });

describe('canonical form', () => {
  it('names no tid: a child made after another one died has the form of the first child', () => {
    expect(keyAfter([{ op: 'fork', task: 0 }, { op: 'fork', task: 0 }, { op: 'exit', task: 1 }])).toBe(keyAfter([{ op: 'fork', task: 0 }]));
  });

  it('lists tasks in no fixed order: either of two sibling children may hold the layer', () => {
    const a = keyAfter([{ op: 'fork', task: 0 }, { op: 'fork', task: 0 }, deny(1)]);
    const b = keyAfter([{ op: 'fork', task: 0 }, { op: 'fork', task: 0 }, deny(2)]);
    expect(a).toBe(b);
  });

  it('names no layer or ruleset id', () => {
    // layer 2 vs layer 1; ruleset 1 (fd 3 reused) vs ruleset 0
    expect(keyAfter([{ op: 'fork', task: 0 }, allow(1), { op: 'exit', task: 1 }, deny(0)])).toBe(keyAfter([deny(0)]));
    expect(keyAfter([mkrs(0, FS.READ_FILE), { op: 'close_fd', task: 0, fd: 0 }, mkrs(0, FS.WRITE_FILE)])).toBe(keyAfter([mkrs(0, FS.WRITE_FILE)]));
  });

  it('tells apart what the model tells apart', () => {
    // one shared layer node vs two nodes of the same content (TSYNC's ancestor check, I1 read identity)
    expect(keyAfter([deny(0), { op: 'fork', task: 0 }])).not.toBe(keyAfter([{ op: 'fork', task: 0 }, deny(0), deny(1)]));
    expect(keyAfter([{ op: 'thread', task: 0 }])).not.toBe(keyAfter([{ op: 'fork', task: 0 }]));
    // the first task's thread group is apart (I1, children-never-weakened)
    expect(keyAfter([{ op: 'fork', task: 0 }, deny(0)])).not.toBe(keyAfter([{ op: 'fork', task: 0 }, deny(1)]));
    expect(keyAfter([deny(0), allow(0)])).not.toBe(keyAfter([allow(0), deny(0)]));
    expect(keyAfter([mkrs(0, FS.READ_FILE), mkrs(0, FS.WRITE_FILE)])).not.toBe(keyAfter([mkrs(0, FS.WRITE_FILE), mkrs(0, FS.READ_FILE)]));
  });

  it('names session keyrings by first appearance, and tells their sharing apart', () => {
    const join = (task: number): Op => ({ op: 'keyctl', task, call: 'join_session' });
    const fork: Op = { op: 'fork', task: 0 };
    // the parent's keyring numbered 1 or 2 is the same world
    expect(keyAfter([fork, join(1), join(0)])).toBe(keyAfter([fork, join(0), join(1)]));
    // parent and child sharing one joined keyring, or not; a joined keyring vs the inherited one
    expect(keyAfter([join(0), fork])).not.toBe(keyAfter([fork, join(0), join(1)]));
    expect(keyAfter([fork, join(0)])).not.toBe(keyAfter([fork, join(1)]));
  });

  it('names socket ends by pair and first appearance, with their F_SETOWN record', () => {
    const pair = (task: number): Op => ({ op: 'socketpair', task });
    const own = (task: number, fd: number, target: number): Op => ({ op: 'fown_set', task, fd, target });
    const fork: Op = { op: 'fork', task: 0 };
    // the same pairs made in another order are the same world
    expect(keyAfter([fork, pair(0), pair(1)])).toBe(keyAfter([fork, pair(1), pair(0)]));
    // an owner or not; which end; which process
    expect(keyAfter([pair(0), fork])).not.toBe(keyAfter([pair(0), fork, own(0, 0, 1)]));
    expect(keyAfter([pair(0), fork, own(0, 0, 1)])).not.toBe(keyAfter([pair(0), fork, own(0, 1, 1)]));
    expect(keyAfter([pair(0), fork, own(0, 0, 1)])).not.toBe(keyAfter([pair(0), fork, own(0, 0, 0)]));
    // the domain recorded with it
    const scope: Op[] = [{ op: 'ruleset_create', task: 0, fs: 0, net: 0, scoped: SCOPE.SIGNAL }, { op: 'restrict_self', task: 0, ruleset: -1, flags: 0 }];
    expect(keyAfter([pair(0), fork, own(0, 0, 1), ...scope])).not.toBe(keyAfter([pair(0), fork, ...scope, own(0, 0, 1)]));
  });

  it('puts a monitor\'s counterfactual runs in the form', () => {
    const { world } = worldAfter([{ op: 'fork', task: 0 }]);
    const c = CANON;
    const child = world.tasks.at(1)!.tid;
    expect(c.key(world, [{ watched: child, world: null, pins: undefined }])).not.toBe(c.key(world));
    expect(c.key(world, [{ watched: child, world, pins: new Map([[child, child]]) }])).not.toBe(c.key(world, [{ watched: child, world: null, pins: undefined }]));
  });
});

/**
 * Each op's successor and the properties violated on the step, sorted: the successor's world by
 * its form, and the monitors' counterfactual runs by who they watch and whether they have split
 * (a split run's form lists the tasks in the world's own order, since the counterfactual replays
 * the real calls' task indices: two merged worlds may reach split successors written in two
 * orders, so the comparison here does not hold their forms to each other).
 */
function futures(world: World, monitors: readonly PropertyMonitor[], ctx: Ctx): string[] {
  const out: string[] = [];
  for (const op of ctx.alphabet.opsAt(world)) {
    const o = ctx.step(world, op);
    const step: TraceStep = { index: 0, op, before: world, after: o.world, out: o, view: undefined };
    const bad: string[] = [];
    for (const p of ctx.stepProps) if (p.stepCheck!(viewOf(step), ctx.trace) !== null) bad.push(p.id);
    const ms = monitors.map((m) => m.copy());
    ms.forEach((m, j) => {
      if (m.advance(step, ctx.trace) !== null) bad.push(ctx.monitored[j]!.id);
    });
    const runs = ms.flatMap((m) => m.state()).map((c) => `${c.world === null ? 'joined' : 'split'}:${watchedSignature(o.world, c.watched, ctx)}`).sort();
    out.push(`${ctx.canon.key(o.world)} ${runs.join(',')} ${bad.join(',')} ${o.result.kind}`);
  }
  return out.sort();
}

/** What the watched task is in the world, naming no id. */
function watchedSignature(world: World, tid: number, ctx: Ctx): string {
  const t = world.tasks.find((x) => x.tid === tid);
  if (!t) return 'gone';
  return ctx.canon.taskSignature(world, t);
}

interface Ctx {
  readonly alphabet: Alphabet;
  readonly canon: Canonicalizer;
  readonly step: ReturnType<typeof stepFor>;
  readonly trace: ModelTrace;
  readonly stepProps: readonly Property[];
  readonly monitored: readonly Property[];
}

describe('de-duplication is sound: worlds of one form have the same futures', () => {
  const cases: readonly [Variant, string, number][] = [
    [LINUX, 'small', 3],
    [builtinVariant('linux-abi8')!, 'small', 3],
    // rulesets that layers read live: non-interference's counterfactual runs split and carry worlds
    [builtinVariant('live-ruleset')!, 'small', 4],
    [builtinVariant('v5-2017')!, 'small', 4],
    // H1 maps: a layer's rule names the map it reads, the map its keys
    [builtinVariant('v5-2017-maps')!, 'small', 3],
    [builtinVariant('mutable-domains-rfc')!, 'wide', 2],
    [BROKEN.nnpJoinsParent, 'wide', 2],
  ];
  for (const [variant, scopeName, depth] of cases) {
    it(`${variant.id}, scope ${scopeName}, depth ${depth}: every merged world is one step like its representative`, () => {
      const trace = runTrace(variant, []);
      const ctx: Ctx = {
        alphabet: new Alphabet(scopeByName(scopeName)!, variant),
        canon: new Canonicalizer(trace.initial.tasks.at(0)!.tgid),
        step: stepFor(variant),
        trace,
        stepProps: ALL_PROPERTIES.filter((p) => p.stepCheck),
        monitored: ALL_PROPERTIES.filter((p) => p.monitor),
      };
      const first = new Map<string, { world: World; monitors: readonly PropertyMonitor[] }>();
      let level = [{ world: trace.initial, monitors: ctx.monitored.map((p) => p.monitor!()) }];
      let merged = 0;
      let splits = 0;
      for (let d = 1; d <= depth; d++) {
        const next: typeof level = [];
        for (const node of level) {
          for (const op of ctx.alphabet.opsAt(node.world)) {
            const o = ctx.step(node.world, op);
            const step: TraceStep = { index: d - 1, op, before: node.world, after: o.world, out: o, view: undefined };
            const monitors = node.monitors.map((m) => m.copy());
            for (const m of monitors) m.advance(step, trace);
            if (monitors.some((m) => m.state().some((c) => c.world !== null))) splits++;
            const key = ctx.canon.key(o.world, monitors.flatMap((m) => m.state()));
            const rep = first.get(key);
            if (!rep) {
              first.set(key, { world: o.world, monitors });
              next.push({ world: o.world, monitors });
            } else if (rep.world !== o.world && merged < 3000) {
              merged++;
              expect(futures(o.world, monitors, ctx), `${key}\nreached by ${op.op}`).toEqual(futures(rep.world, rep.monitors, ctx));
            }
          }
        }
        level = next;
      }
      expect(merged).toBeGreaterThan(10);
      if (variant.id === 'live-ruleset') expect(splits).toBeGreaterThan(0);
    }, 120_000);
  }
});
