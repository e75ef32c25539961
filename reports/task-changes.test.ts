// The report's pairing of tasks across a step (task-changes.ts) against the plain definition
// (every task matched by tid through maps), on generated scenarios of every built-in variant;
// and the grouped lines a TSYNC over many threads gives.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { World, Task } from '../model/state.js';
import { opsArbitrary } from '../generators/scenario.js';
import { runTrace } from '../properties/trace.js';
import { BUILTIN_VARIANTS } from '../variants/registry.js';
import { LINUX } from '../variants/index.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import type { Op } from '../model/ops.js';
import { taskChanges } from './task-changes.js';
import { layerChanges, chainWords } from './layers.js';
import { worldDiff } from './state.js';
import { ALLOW_ALL, KILL_GETUID } from './fixtures.js';
import { syscall } from '../model/request.js';

/** The definition: removed = tasks of `before` whose tid is not in `after`; changed = tasks of
 * `after` that are new or another value than the task with their tid before. */
function byMaps(before: World, after: World): { removed: Task[]; changed: { before: Task | undefined; after: Task }[] } {
  const old = new Map(before.tasks.map((t) => [t.tid, t] as const));
  const now = new Set(after.tasks.map((t) => t.tid));
  return {
    removed: before.tasks.filter((t) => !now.has(t.tid)),
    changed: after.tasks.filter((t) => old.get(t.tid) !== t).map((t) => ({ before: old.get(t.tid), after: t })),
  };
}

describe('taskChanges', () => {
  it('agrees with matching by tid on every step of generated scenarios of every variant', () => {
    for (const v of BUILTIN_VARIANTS) {
      fc.assert(fc.property(opsArbitrary(v, { minOps: 5, maxOps: 40 }), (ops) => {
        for (const s of runTrace(v, ops).steps) {
          const got = taskChanges(s.before, s.after);
          expect({ removed: [...got.removed], changed: [...got.changed] }).toEqual(byMaps(s.before, s.after));
        }
      }), { seed: 7, numRuns: 60 });
    }
  });
});

describe('reports of a step that changes many threads alike', () => {
  const threads: Op[] = Array.from({ length: 7 }, () => ({ op: 'thread', task: 0 }) as const);
  const tsync: Op = { op: 'seccomp_filter', task: 0, flags: SECCOMP_FILTER_FLAG.TSYNC, program: KILL_GETUID };
  const trace = runTrace(LINUX, [...threads, tsync, { op: 'probe', task: 3, request: syscall(102) }]);
  const at = (i: number): [World, World] => [trace.steps[i]!.before, trace.steps[i]!.after];

  it('gives one layers line and one state line for the whole group', () => {
    expect(layerChanges(...at(7))).toEqual(['t100, t101, t102 and 5 more tasks: seccomp mode off → filter, seccomp [] → [1]']);
    expect(worldDiff(...at(7))).toEqual(['~ t100, t101, t102 and 5 more tasks: seccomp mode off → filter, Seccomp_filters 0 → 1']);
  });

  it('gives one line for a group that is gone', () => {
    expect(worldDiff(...at(8))).toEqual(['- t100, t101, t102 and 5 more tasks are gone']);
  });

  it('names up to four tasks one per line, as before', () => {
    const short = runTrace(LINUX, [...threads.slice(0, 3), { ...tsync, program: ALLOW_ALL }]);
    expect(layerChanges(short.steps[3]!.before, short.steps[3]!.after)).toEqual(
      ['t100', 't101', 't102', 't103'].map((t) => `${t} seccomp mode off → filter, seccomp [] → [1]`),
    );
  });

  it('shortens a stack past eight layers to its newest eight and a count', () => {
    const deep = runTrace(LINUX, Array.from({ length: 10 }, () => tsync));
    expect(chainWords(deep.steps[9]!.after.tasks.at(0)!.filter)).toBe('[10, 9, 8, 7, 6, 5, 4, 3, … 2 more]');
    expect(chainWords(deep.steps[7]!.after.tasks.at(0)!.filter)).toBe('[8, 7, 6, 5, 4, 3, 2, 1]');
  });
});
