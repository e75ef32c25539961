// Reference-preserving edits (generators/retarget.ts): removing or moving an op keeps later
// task, descriptor and layer references on the same objects; the shrinker's candidates include
// those removals and the shorter routes of another kind (explore/shorter.ts).
import { describe, expect, it } from 'vitest';
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import { FS } from '../model/landlock/access.js';
import { defaultUniverse } from '../model/universe.js';
import type { Variant } from '../variants/variant.js';
import { builtinVariant } from '../variants/registry.js';
import { stepFor } from '../variants/step-for.js';
import { defaultScenarioWorld, initialWorldFor, runTrace } from '../properties/trace.js';
import { Retargeter, shiftsReferences } from './retarget.js';
import { shrinkOps } from './shrink.js';
import { ShorterRoutes, routeScope } from '../explore/shorter.js';
import { DENY_GETPID, ALLOW_ALL } from '../explore/scope.js';

const LINUX = builtinVariant('linux')!;
const ANDY = builtinVariant('lutomirski-2017')!;

function retargeter(v: Variant): Retargeter {
  return new Retargeter(stepFor(v), initialWorldFor(v, defaultScenarioWorld(v), defaultUniverse()));
}

const mkrs = (fs: number): Op => ({ op: 'ruleset_create', task: 0, fs, net: 0, scoped: 0 });
const filter = (program: typeof DENY_GETPID, extra: Partial<Extract<Op, { op: 'seccomp_filter' }>> = {}): Op => ({ op: 'seccomp_filter', task: 0, flags: 0, program: program.program, source: program.source, ...extra });

/** The handled fs rights of the task's newest Landlock layer after running `ops`. */
function handled(v: Variant, ops: readonly Op[], task = 0): number | undefined {
  const t = runTrace(v, ops);
  return (t.steps.at(-1)?.after ?? t.initial).tasks.at(task)?.domain?.layer.handledFs;
}

describe('retargeted removal', () => {
  it('dropping a ruleset_create keeps a later ruleset reference on the same descriptor', () => {
    const ops: Op[] = [mkrs(FS.READ_FILE), mkrs(FS.WRITE_FILE), mkrs(FS.TRUNCATE), { op: 'restrict_self', task: 0, ruleset: 1, flags: 0 }];
    expect(handled(LINUX, ops)).toBe(FS.WRITE_FILE);
    const out = retargeter(LINUX).without(ops, 0);
    expect(out.at(-1)).toEqual({ op: 'restrict_self', task: 0, ruleset: 0, flags: 0 });
    expect(handled(LINUX, out)).toBe(FS.WRITE_FILE);
    // the plain removal would restrict with another ruleset
    expect(handled(LINUX, [...ops.slice(1)])).toBe(FS.TRUNCATE);
  });

  it('dropping a socketpair keeps F_SETOWN and SIGURG on the same socket end', () => {
    const ops: Op[] = [
      { op: 'socketpair', task: 0 }, // ends 3, 4
      { op: 'socketpair', task: 0 }, // ends 5, 6
      { op: 'fork', task: 0 },
      { op: 'fown_set', task: 0, fd: 2, target: 1 }, // end 5: the second pair's
      { op: 'probe', task: 0, request: { kind: 'sigurg', fd: 3 } }, // end 6: its peer
    ];
    const out = retargeter(LINUX).without(ops, 0);
    expect(out.slice(-2)).toEqual([{ op: 'fown_set', task: 0, fd: 0, target: 1 }, { op: 'probe', task: 0, request: { kind: 'sigurg', fd: 1 } }]);
    expect(runTrace(LINUX, out).steps.at(-1)!.after.sockets.filter((s) => s.owner !== 0)).toHaveLength(1);
  });

  it('dropping a close_fd keeps a later reference on the descriptor it named', () => {
    const ops: Op[] = [mkrs(FS.READ_FILE), mkrs(FS.WRITE_FILE), { op: 'close_fd', task: 0, fd: 0 }, { op: 'restrict_self', task: 0, ruleset: 0, flags: 0 }];
    expect(handled(LINUX, ops)).toBe(FS.WRITE_FILE);
    const out = retargeter(LINUX).without(ops, 2);
    expect(out.at(-1)).toMatchObject({ op: 'restrict_self', ruleset: 1 });
    expect(handled(LINUX, out)).toBe(FS.WRITE_FILE);
  });

  it('dropping a send_fd keeps the receiver\'s later reference on its own descriptor', () => {
    const ops: Op[] = [
      { op: 'fork', task: 0 },
      mkrs(FS.READ_FILE),
      { op: 'send_fd', task: 0, fd: 0, to: 1 }, // the child now holds READ (inherited: none) — fd 3
      { op: 'ruleset_create', task: 1, fs: FS.WRITE_FILE, net: 0, scoped: 0 }, // fd 4
      { op: 'restrict_self', task: 1, ruleset: 1, flags: 0 },
    ];
    expect(handled(LINUX, ops, 1)).toBe(FS.WRITE_FILE);
    const out = retargeter(LINUX).without(ops, 2);
    expect(out.at(-1)).toMatchObject({ op: 'restrict_self', task: 1, ruleset: 0 });
    expect(handled(LINUX, out, 1)).toBe(FS.WRITE_FILE);
  });

  it('dropping a layer keeps modify on the same layer of the caller\'s stack', () => {
    // newest first: [Z, Y, X]; layer 1 is Y. Without Z, Y is layer 0.
    const ops: Op[] = [filter(DENY_GETPID, { mutability: 'any' }), filter(ALLOW_ALL, { mutability: 'any' }), filter(DENY_GETPID, { mutability: 'any' }), { op: 'modify', task: 0, layer: 1, program: DENY_GETPID.program }];
    const rt = retargeter(ANDY);
    const out = rt.without(ops, 2);
    expect(out.at(-1)).toMatchObject({ op: 'modify', layer: 0 });
    const t = runTrace(ANDY, out);
    const top = t.steps.at(-1)!.after.tasks.at(0)!.filter!;
    expect(top.rev).toBe(1); // Y, the newest now, was the one modified
    expect(top.prev!.rev).toBe(0);
  });

  it('moving a fork later keeps the child\'s calls its own', () => {
    const ops: Op[] = [{ op: 'fork', task: 0 }, filter(DENY_GETPID), { op: 'exec', task: 1 }];
    const out = retargeter(LINUX).moved(ops, 0, 1);
    expect(out.map((o) => o.op)).toEqual(['seccomp_filter', 'fork', 'exec']);
    const t = runTrace(LINUX, out);
    expect(t.steps[2]!.out.tid).toBe(101);
  });

  it('knows which ops shift references', () => {
    expect(shiftsReferences({ op: 'close_fd', task: 0, fd: 0 })).toBe(true);
    expect(shiftsReferences(mkrs(FS.READ_FILE))).toBe(true);
    expect(shiftsReferences({ op: 'set_nnp', task: 0 })).toBe(false);
    expect(shiftsReferences({ op: 'probe', task: 0, request: { kind: 'signal', target: 1 } })).toBe(false);
  });
});

describe('shorter routes of another kind', () => {
  it('the scope of a counterexample: its ingredients, and alternatives of another kind', () => {
    const ops: Op[] = [mkrs(FS.TRUNCATE), { op: 'restrict_self', task: 0, ruleset: 0, flags: 0, mutability: 'stricter' }, { op: 'modify', task: 0, layer: 0, ruleset: 0 }];
    const s = routeScope(ops, runTrace(ANDY, []).initial, stepFor(ANDY));
    expect(s.rulesets).toContainEqual({ fs: FS.TRUNCATE, net: 0, scoped: 0 });
    expect(s.mutabilities).toEqual(['stricter']);
    // a seccomp layer (one op) for the Landlock one (two), and modify to a program
    expect(s.programs.map((p) => p.program)).toContainEqual(ALLOW_ALL.program);
    expect(s.modifyPrograms.map((p) => p.program)).toContainEqual(ALLOW_ALL.program);
    expect(s.seccompFlags).toContain(SECCOMP_FILTER_FLAG.NEW_LISTENER);
    expect(s.plain).toEqual([]);
    expect(s.modify).toBe(true);
  });

  it('candidates are shorter, breadth first, and include the other kind of route', () => {
    const ops: Op[] = [mkrs(FS.TRUNCATE), { op: 'restrict_self', task: 0, ruleset: 0, flags: 0, mutability: 'stricter' }, { op: 'modify', task: 0, layer: 0, ruleset: 0 }];
    const initial = runTrace(ANDY, []).initial;
    const cands = [...new ShorterRoutes(ANDY, stepFor(ANDY), initial).candidates(ops)];
    expect(cands.every((c) => c.length < ops.length)).toBe(true);
    const lengths = cands.map((c) => c.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(cands).toContainEqual([
      { op: 'seccomp_filter', task: 0, flags: 0, program: ALLOW_ALL.program, mutability: 'stricter', source: ALLOW_ALL.source },
      { op: 'modify', task: 0, layer: 0, program: ALLOW_ALL.program },
    ]);
    // the shrinker offers them last
    const all = [...shrinkOps(ops, 0, { retarget: retargeter(ANDY), routes: new ShorterRoutes(ANDY, stepFor(ANDY), initial) })];
    expect(all.slice(-cands.length)).toEqual(cands);
  });

  it('stay within their budget', () => {
    const ops: Op[] = Array.from({ length: 8 }, () => ({ op: 'fork', task: 0 }) as Op);
    const cands = [...new ShorterRoutes(LINUX, stepFor(LINUX), runTrace(LINUX, []).initial, 100).candidates(ops)];
    expect(cands).toHaveLength(100);
  });
});
