// A design that differs from Linux only in how decisions are computed is a variant like any
// other (model/evaluation.ts's switches in its semantics) and is judged by its own evaluation:
// the built-in newest-filter-wins and the worked example scope-by-depth are caught with their
// minimal witnesses, and the very same ops hold every property under `linux`.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { builtinVariant, loadVariant } from './registry.js';
import type { Variant } from './variant.js';
import { runCheck } from '../properties/check.js';
import { runTrace } from '../properties/trace.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import { evaluationOf, LINUX_EVALUATION } from '../model/evaluation.js';
import { initialWorld } from '../model/state.js';
import { step } from '../model/step.js';
import { decideRequest } from '../model/probe.js';
import { syscall } from '../model/request.js';
import { compiledProgram, RAW_PROGRAMS } from '../generators/policy.js';
import { retErrno, SECCOMP_RET_ALLOW } from '../model/seccomp/action.js';

const EXAMPLE = fileURLToPath(new URL('./examples/scope-by-depth.ts', import.meta.url));

async function designs(): Promise<Variant[]> {
  return [builtinVariant('newest-filter-wins')!, await loadVariant(EXAMPLE)];
}

describe('evaluation in the variant interface', () => {
  it('the designs carry their own evaluation, not Linux\'s', async () => {
    for (const v of await designs()) expect(evaluationOf(v.semantics)).not.toBe(LINUX_EVALUATION);
    expect(evaluationOf(builtinVariant('linux')!.semantics)).toBe(LINUX_EVALUATION);
  });

  it('probes and the op gate read the evaluation: the newest filter decides under newest-filter-wins', () => {
    const deny = compiledProgram({ default: SECCOMP_RET_ALLOW, rules: [{ nr: 39, action: retErrno(1) }] }).program;
    for (const [v, expected] of [['linux', 'errno'], ['newest-filter-wins', 'allow']] as const) {
      let w = initialWorld({ nnp: true, semantics: builtinVariant(v)!.semantics });
      w = step(w, { op: 'seccomp_filter', task: 0, flags: 0, program: deny }).world;
      w = step(w, { op: 'seccomp_filter', task: 0, flags: 0, program: RAW_PROGRAMS[0]!.program }).world;
      expect(decideRequest(w, w.tasks.at(0)!, syscall(39)).outcome.kind, v).toBe(expected);
    }
  });

  it('each design is caught at the default budget with its minimal witness, and its counterexamples hold under linux', async () => {
    const linux = builtinVariant('linux')!;
    for (const v of await designs()) {
      const r = runCheck({ variants: [v], runs: 5000, seed: 1, maxOps: 20 });
      expect(r.results.filter((x) => !x.matches).map((x) => `${v.id} ${x.property}`)).toEqual([]);
      const w = r.results.find((x) => x.property === v.witness!.property)!;
      expect(w.counterexample!.ops.length, `${v.id} witness`).toBe(v.witness!.maxOps);
      for (const x of r.results) {
        if (!x.counterexample) continue;
        const onLinux = runTrace(linux, x.counterexample.ops, { world: x.counterexample.world, universe: x.counterexample.universe });
        const p = ALL_PROPERTIES.find((q) => q.id === x.property)!;
        expect(p.check(onLinux), `${v.id} ${x.property} counterexample on linux`).toBeNull();
      }
    }
  });
});
