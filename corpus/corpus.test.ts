// The regression corpus (corpus/): every file is replayed on the model and must give exactly the
// result it records — each step's result and acting task, its finding if it has one, and the
// properties its description says it violates ("[model: …]"); every §6 witness of
// properties/section6.ts is in it; and the files of the `linux` variant are replayed on this
// machine's kernel where the executor can run (root, built: conformance/availability.ts), which
// must agree with the model. Any change of result fails.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusFiles } from '../cli/corpus.js';
import { loadScenario } from '../scenario/load.js';
import { builtinVariant } from '../variants/registry.js';
import { replayScenario } from '../properties/trace.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import { expectationOf } from '../variants/variant.js';
import { isPropertyId } from '../properties/ids.js';
import { sameResult } from '../reports/text.js';
import { SECTION6 } from '../properties/section6.js';
import { executorUnavailableReason } from '../conformance/availability.js';
import { DEFAULT_BINARY } from '../conformance/runner.js';
import { strata, REPO } from '../cli/test-helpers.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const FILES = corpusFiles(DIR).map((f) => ({ abs: f, rel: f.slice(DIR.length) }));

/** "[model: violates I1 at #2, I4 at #2]" or "[model: every property holds]" → property → step. */
function recordedVerdict(description: string): Record<string, number> | null {
  const m = /\[model: (.*)\]$/.exec(description);
  if (!m) return null;
  if (m[1] === 'every property holds') return {};
  const out: Record<string, number> = {};
  for (const part of m[1]!.replace(/^violates /, '').split(', ')) {
    const [p, at] = part.split(' at #');
    out[p!] = Number(at);
  }
  return out;
}

describe('the regression corpus, on the model', () => {
  it('holds the §6 witnesses and the conform-found bugs', () => {
    expect(FILES.filter((f) => f.rel.startsWith('section6/')).length).toBe(SECTION6.length);
    expect(FILES.filter((f) => f.rel.startsWith('conform/')).length).toBeGreaterThanOrEqual(15);
  });

  for (const { abs, rel } of FILES) {
    it(rel, () => {
      const s = loadScenario(abs);
      expect(s.description ?? '', 'says what it guards').not.toBe('');
      const variant = builtinVariant(s.variant.id);
      expect(variant, `variant ${s.variant.id}`).toBeDefined();
      const trace = replayScenario(s, variant);
      // every recorded step result and acting task
      if (s.results) {
        const differs = trace.steps.filter((st, i) => st.out.tid !== s.results![i]!.tid || !sameResult(st.out.result, s.results![i]!.result)).map((st) => st.index);
        expect(differs, 'steps whose result differs from the recording').toEqual([]);
      }
      const got: Record<string, number> = {};
      for (const p of ALL_PROPERTIES) {
        const v = p.check(trace);
        if (v) got[p.id] = v.atStep;
        if (s.finding?.property === p.id) expect(v && { atStep: v.atStep, message: v.message }, 'the recorded finding').toEqual({ atStep: s.finding.atStep, message: s.finding.message });
      }
      const recorded = recordedVerdict(s.description ?? '');
      if (recorded) expect(got, 'the properties it violates').toEqual(recorded);
      // nothing the variant is expected to hold is violated
      const unexpected = Object.keys(got).filter((p) => isPropertyId(p) && expectationOf(variant!, p) === 'holds');
      expect(unexpected, 'violations the expectation matrix does not expect').toEqual([]);
      // a §6 file is its row, violating exactly what the row says
      if (rel.startsWith('section6/')) {
        const row = SECTION6.find((r) => r.variant === s.variant.id && JSON.stringify(r.ops) === JSON.stringify(s.ops));
        expect(row, 'its §6 row').toBeDefined();
        expect(got).toEqual(row!.violates);
      }
    });
  }

  it('every §6 row has its corpus file', () => {
    const kept = FILES.map((f) => loadScenario(f.abs)).map((s) => `${s.variant.id}\u0000${JSON.stringify(s.ops)}`);
    for (const row of SECTION6) expect(kept, row.row).toContain(`${row.variant}\u0000${JSON.stringify(row.ops)}`);
  });
});

describe('the regression corpus, on this kernel', () => {
  const unavailable = executorUnavailableReason(DEFAULT_BINARY);
  const linux = FILES.filter((f) => loadScenario(f.abs).variant.id === 'linux');
  it('has files of the linux variant to replay', () => {
    expect(linux.length).toBeGreaterThanOrEqual(15);
  });
  for (const { abs, rel } of linux) {
    it(`${rel} (strata replay --target kernel)`, async (ctx) => {
      ctx.skip(unavailable !== null, `the live-kernel executor cannot run here: ${unavailable}`);
      const r = await strata(['replay', '--target', 'kernel', join('corpus', rel)], { cwd: REPO });
      if (r.code === 2) ctx.skip(true, r.stderr.trim());
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/kernel: agrees with the model on every compared step/);
      expect(r.code).toBe(0);
    });
  }
});
