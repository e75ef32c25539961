import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PolicyRule } from '../model/bpf/asm.js';
import { defaultUniverse } from '../model/universe.js';
import {
  SECCOMP_RET_ALLOW, SECCOMP_RET_LOG, SECCOMP_RET_USER_NOTIF, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_KILL_PROCESS,
  retErrno, retTrap, retTrace,
} from '../model/seccomp/action.js';
import { ERRNO } from '../model/errno.js';
import type { GeneratedProgram, Guard } from './policy.js';
import { ProgramDraws, RAW_PROGRAMS, PERMISSIVE_PROGRAM, compiledProgram, guardFor, guardedRaw, ruleTargets } from './policy.js';
import { EXECUTOR_SYSCALLS } from './options.js';
import { intDraws } from './int-draws.js';

/** A copy of the Random fast-check hands a generator for a seed. */
class RandomArbitrary extends fc.Arbitrary<fc.Random> {
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

// policy.ts's weighted tables, written out (values, weights).
const DEFAULTS: readonly [number, number][] = [[SECCOMP_RET_ALLOW, 10], [SECCOMP_RET_LOG, 1], [retErrno(ERRNO.EPERM), 1]];
const ACTIONS: readonly [number, number][] = [
  [retErrno(ERRNO.EPERM), 3], [retErrno(ERRNO.EACCES), 3], [SECCOMP_RET_ALLOW, 3], [SECCOMP_RET_LOG, 1], [retTrap(7), 1],
  [retTrace(0), 1], [SECCOMP_RET_USER_NOTIF, 1], [SECCOMP_RET_KILL_THREAD, 1], [SECCOMP_RET_KILL_PROCESS, 1],
];

function weighted(rng: fc.Random, table: readonly [number, number][]): number {
  let r = rng.nextInt(0, table.reduce((s, [, w]) => s + w, 0) - 1);
  let i = 0;
  while (r >= table[i]![1]) r -= table[i++]![1];
  return table[i]![0];
}

/** The draw without any cache: every program built and compiled from its draw, on fc.Random itself. */
function uncached(rng: fc.Random, targets: readonly Omit<PolicyRule, 'action'>[], maxRules: number, guard?: Guard): GeneratedProgram {
  if (rng.nextInt(0, 8) === 0) {
    const raw = RAW_PROGRAMS[rng.nextInt(0, RAW_PROGRAMS.length - 1)]!;
    return guard && raw !== PERMISSIVE_PROGRAM ? guardedRaw(raw, guard) : raw;
  }
  const d = weighted(rng, DEFAULTS);
  const n = rng.nextInt(0, maxRules);
  const rules: PolicyRule[] = [];
  for (let i = 0; i < n; i++) {
    const t = targets[rng.nextInt(0, targets.length - 1)]!;
    rules.push({ ...t, action: weighted(rng, ACTIONS) });
  }
  return compiledProgram({ default: d, rules }, guard);
}

describe('ProgramDraws', () => {
  const targets = ruleTargets(defaultUniverse());
  // So many targets that 3 rules have no exact draw number (3 · (9 · 200000)^3 > 2^53): drawn uncached.
  const many = Array.from({ length: 200_000 }, (_, i) => ({ nr: 1000 + i }));
  const cases: [string, readonly Omit<PolicyRule, 'action'>[], number, Guard | undefined][] = [
    ['the universe\'s targets', targets, 3, undefined],
    ['up to 8 rules', targets, 8, undefined],
    ['behind the executor guard', targets, 3, guardFor(EXECUTOR_SYSCALLS)],
    ['200000 targets, up to 4 rules', many, 4, undefined],
  ];

  it.each(cases)('draws what the uncached draw gives, leaving the Random in the same state: %s', (_name, ts, maxRules, guard) => {
    const draws = new ProgramDraws(ts, guard);
    const base = fc.sample(new RandomArbitrary(), { numRuns: 1, seed: 9 })[0]!;
    const ours = base.clone();
    const theirs = base.clone();
    const rng = intDraws(ours);
    // Enough draws that most policies are drawn again (served from the cache).
    for (let i = 0; i < 4000; i++) {
      const a = draws.draw(rng, maxRules);
      const b = uncached(theirs, ts, maxRules, guard);
      expect(a.source).toBe(b.source);
      expect(a.program).toEqual(b.program);
    }
    expect(ours.nextInt(0, 2 ** 30)).toBe(theirs.nextInt(0, 2 ** 30));
  });
});
