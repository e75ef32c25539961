import { ldNr, jeq, ret } from '../bpf/asm.js';
import { SECCOMP_RET_ALLOW } from './action.js';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { step } from '../step.js';
import type { World } from '../state.js';
import type { Op } from '../ops.js';
import { defaultUniverse } from '../universe.js';
import type { Universe } from '../universe.js';
import { syscall, AUDIT_ARCH_I386, AUDIT_ARCH_X86_64 } from '../request.js';
import { nnpWorld, install, must, always } from './fixtures.js';
import { SeccompTables, seccompTables } from './table.js';
import { stackVerdict } from './eval.js';
import { replaceFilterLayer } from './rewrite.js';
import { validProgram } from '../bpf/arb.js';
import { retErrno } from './action.js';
import { compilePolicy } from '../bpf/asm.js';
import { LINUX_EVALUATION } from '../evaluation.js';

const arbUniverse: fc.Arbitrary<Universe> = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.constantFrom(AUDIT_ARCH_X86_64, AUDIT_ARCH_I386), fc.array(fc.integer({ min: 0, max: 2 ** 33 }), { maxLength: 6 })), { minLength: 1, maxLength: 10 })
  .map((xs) => ({ syscalls: [...xs.map(([nr, arch, args]) => syscall(nr, args, arch)), syscall(336)], landlock: [] }));

/** Random trees of stacks: installs, forks and threads over a few tasks. */
const arbOps: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.nat(7), validProgram(10)).map(([task, program]): Op => ({ op: 'seccomp_filter', task, flags: 0, program })) },
    { weight: 1, arbitrary: fc.nat(7).map((task): Op => ({ op: 'fork', task })) },
    { weight: 1, arbitrary: fc.nat(7).map((task): Op => ({ op: 'thread', task })) },
  ),
  { minLength: 1, maxLength: 14 },
);

describe('decision tables', () => {
  it('the table of every node equals direct evaluation for every request', () => {
    fc.assert(fc.property(arbUniverse, arbOps, (u, ops) => {
      let w: World = nnpWorld();
      for (const op of ops) w = step(w, op).world;
      const tables = new SeccompTables(u, LINUX_EVALUATION);
      for (const t of w.tasks) {
        if (!t.filter) continue;
        const table = tables.tableOf(t.filter);
        u.syscalls.forEach((r, i) => expect(table.verdict(i)).toEqual(stackVerdict(t.filter, r, LINUX_EVALUATION)));
      }
    }), { numRuns: 300 });
  });
  it('is computed once per node, shared by forks, incremental from the parent', () => {
    const u = defaultUniverse();
    const tables = new SeccompTables(u, LINUX_EVALUATION);
    let w = must(install(nnpWorld(), 0, always(retErrno(1))));
    w = must(step(w, { op: 'fork', task: 0 }));
    const a = tables.tableOf(w.tasks.at(0)!.filter!);
    expect(tables.tableOf(w.tasks.at(1)!.filter!)).toBe(a);
    expect(tables.built).toBe(1);
    w = must(install(w, 1, compilePolicy({ default: 0x7fff0000, rules: [{ nr: 39, action: retErrno(2) }] })));
    tables.tableOf(w.tasks.at(1)!.filter!);
    expect(tables.built).toBe(2);
    expect(seccompTables(u, LINUX_EVALUATION)).toBe(seccompTables(u, LINUX_EVALUATION));
  });
  it('a path-copied node gets a fresh table; the old one stays valid for the old node', () => {
    const u = defaultUniverse();
    const tables = new SeccompTables(u, LINUX_EVALUATION);
    const w = must(install(nnpWorld(), 0, always(retErrno(1))));
    const old = w.tasks.at(0)!.filter!;
    const before = tables.tableOf(old);
    const w2 = replaceFilterLayer(w, old.id, [always(retErrno(2))]);
    const after = tables.tableOf(w2.tasks.at(0)!.filter!);
    expect(after).not.toBe(before);
    expect(before.verdict(0).data).toBe(1);
    expect(after.verdict(0).data).toBe(2);
  });
  it('builds deep chains without recursion', () => {
    let w = nnpWorld();
    for (let i = 0; i < 2000; i++) w = must(install(w, 0, [ldNr(), jeq(317, 0, 1), ret(SECCOMP_RET_ALLOW), ret(retErrno(i % 4000))]));
    const t = new SeccompTables(defaultUniverse(), LINUX_EVALUATION).tableOf(w.tasks.at(0)!.filter!);
    expect(t.verdict(0).data).toBe(1999);
  });
});
