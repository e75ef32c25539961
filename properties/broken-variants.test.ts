// Properties no built-in variant violates still have to be able to fail: each test runs a
// deliberately broken design (broken-designs.ts: the model's transition wrapped) on a script
// and checks that exactly the properties it breaks flag it, at the right step.
import { describe, expect, it } from 'vitest';
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import { ERRNO } from '../model/errno.js';
import { retErrno, SECCOMP_RET_ALLOW } from '../model/seccomp/action.js';
import type { Variant } from '../variants/variant.js';
import { compiledProgram, RAW_PROGRAMS } from '../generators/policy.js';
import { runTrace } from './trace.js';
import { ALL_PROPERTIES } from './all.js';
import { runCheck } from './check.js';
import { BROKEN } from './broken-designs.js';

const ALLOW_ALL = RAW_PROGRAMS[0]!.program;

function deny(nr: number, task: number, extra: Partial<Extract<Op, { op: 'seccomp_filter' }>> = {}): Op {
  const g = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [{ nr, action: retErrno(ERRNO.EPERM) }] });
  return { op: 'seccomp_filter', task, flags: 0, program: g.program, ...extra };
}

function violations(v: Variant, ops: Op[]): Record<string, number> {
  const trace = runTrace(v, ops);
  const out: Record<string, number> = {};
  for (const p of ALL_PROPERTIES) {
    const r = p.check(trace);
    if (r) {
      out[p.id] = r.atStep;
      expect(r.message.length, `${p.id} message`).toBeGreaterThan(10);
    }
  }
  return out;
}

describe('deliberately broken designs are caught', () => {
  it('I12: a failed op that changes the world', () => {
    const v = BROKEN.leakyErrors;
    expect(violations(v, [{ op: 'restrict_self', task: 0, ruleset: null, flags: 0 }])).toEqual({ I12: 0 });
  });

  it('I9 and I12: a failed TSYNC that still changes a sibling', () => {
    const v = BROKEN.tsyncHalf;
    expect(violations(v, [{ op: 'thread', task: 0 }, deny(102, 1), deny(39, 0, { flags: SECCOMP_FILTER_FLAG.TSYNC })])).toEqual({ I9: 2, I12: 2, 'I2-thread': 2 });
  });

  it('I10: fork that does not pass the filters on', () => {
    const v = BROKEN.forkDrops;
    expect(violations(v, [deny(39, 0), { op: 'fork', task: 0 }])).toEqual({ I10: 1 });
  });

  it('I4, I1, non-interference: an add that also lands in another process', () => {
    const v = BROKEN.addLeaks;
    expect(violations(v, [{ op: 'fork', task: 0 }, deny(39, 0)])).toEqual({ I4: 1, I1: 1, 'non-interference': 1 });
  });

  it('I3 and I4: an add that replaces the caller\'s stack instead of pushing', () => {
    const v = BROKEN.addReplaces;
    expect(violations(v, [deny(39, 0), deny(102, 0)])).toEqual({ I3: 1, I4: 1 });
  });

  it('I5: a modify that also pushes a layer', () => {
    const v = BROKEN.modifyPushes;
    expect(violations(v, [deny(39, 0, { mutability: 'any' }), { op: 'modify', task: 0, layer: 0, program: ALLOW_ALL }])).toEqual({ I5: 1 });
  });

  it('I7 and I3: a modify that loosens a STRICTER layer', () => {
    const v = BROKEN.stricterIgnored;
    expect(violations(v, [deny(39, 0, { mutability: 'stricter' }), { op: 'modify', task: 0, layer: 0, program: ALLOW_ALL }])).toEqual({ I7: 1, I3: 1 });
  });

  it('I8: a modify of a layer outside the caller\'s stack without a handle (the layer was ANY)', () => {
    const v = BROKEN.modifyAnywhere;
    expect(violations(v, [{ op: 'fork', task: 0 }, deny(39, 1, { mutability: 'any' }), { op: 'modify', task: 0, layer: 0, program: ALLOW_ALL }])).toEqual({ I8: 2 });
  });

  it('I1, I6, I8, children-never-weakened: the same reaching an IMMUTABLE layer of a child', () => {
    const v = BROKEN.modifyAnything;
    expect(violations(v, [{ op: 'fork', task: 0 }, deny(39, 1), { op: 'modify', task: 0, layer: 0, program: ALLOW_ALL }])).toEqual({
      I1: 2, I6: 2, I8: 2, 'children-never-weakened': 2,
    });
  });

  it('signal-scope: a kill() past the sender\'s scope, and a SIGURG through an owner whose setter\'s domain was not recorded', () => {
    const scoped = (task: number): Op[] => [{ op: 'ruleset_create', task, fs: 0, net: 0, scoped: 2 }, { op: 'restrict_self', task, ruleset: -1, flags: 0 }];
    expect(violations(BROKEN.killUnscoped, [{ op: 'ruleset_create', task: 0, fs: 0, net: 0, scoped: 2 }, { op: 'fork', task: 0 }, { op: 'restrict_self', task: 1, ruleset: -1, flags: 0 }, { op: 'probe', task: 1, request: { kind: 'signal', target: 0 } }]))
      .toEqual({ 'signal-scope': 3 });
    const fown: Op[] = [{ op: 'socketpair', task: 0 }, { op: 'fork', task: 0 }, ...scoped(0), { op: 'fown_set', task: 0, fd: 0, target: 1 }, { op: 'probe', task: 0, request: { kind: 'sigurg', fd: 1 } }];
    expect(violations(BROKEN.fownUnrecorded, fown)).toEqual({ 'signal-scope': 5 });
    // the same on Linux: recorded, dropped, nothing violated
    expect(violations(BROKEN.fownUnrecorded.wrap ? { ...BROKEN.fownUnrecorded, wrap: undefined } as Variant : BROKEN.fownUnrecorded, fown)).toEqual({});
  });

  it('a user variant is held to every property unless its expectations say otherwise', () => {
    const leaky: Variant = { ...BROKEN.forkDrops, id: 'fork-drops-check' };
    const strict = runCheck({ variants: [leaky], runs: 300, seed: 1, maxOps: 20 });
    expect(strict.ok).toBe(false);
    const i10 = strict.results.find((r) => r.property === 'I10')!;
    expect(i10).toMatchObject({ outcome: 'violated', expected: 'holds', matches: false });
    expect(i10.counterexample!.ops.length).toBe(2);
    const declared = runCheck({ variants: [{ ...leaky, expectations: { ...leaky.expectations, I10: 'violates' } }], runs: 300, seed: 1, maxOps: 20 });
    // (linux's own expected I6, the supervisor self-escape, may go unfound in 300 runs: not
    // searched enough, which is no mismatch of the declared I10)
    expect(declared.results.filter((r) => !r.matches && !(r.expected === 'violates' && r.outcome !== 'violated'))).toEqual([]);
    expect(declared.ok).toBe(true);
  });
});
