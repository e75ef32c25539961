// strata explore's throughput: `linux` in the default scope, searched as deep as a time budget
// allows (20 s by default; STRATA_BENCH_EXPLORE_S=600 for the ten-minute measurement the README
// quotes), printed as distinct worlds per second and the depth completed; beside a baseline in
// the same run: the same breadth-first search to the same depth checking no property (the model
// and the canonical form alone; with no monitor, worlds are de-duplicated by world alone, so it
// meets fewer), so the ratio of transitions per second is what checking every property at every
// step costs. Printable lines only, no assertions.
import type { World } from '../model/state.js';
import { builtinVariant } from '../variants/registry.js';
import { stepFor } from '../variants/step-for.js';
import { runTrace } from '../properties/trace.js';
import { runExplore } from '../explore/engine.js';
import { scopeByName, DEFAULT_SCOPE } from '../explore/scope.js';
import { Alphabet } from '../explore/alphabet.js';
import { Canonicalizer } from '../explore/canonical.js';
import { SeenSet } from '../explore/seen.js';

const DEFAULT_BUDGET_S = 20;

/** Breadth first to `depth`, de-duplicated, checking nothing: transitions and seconds. */
function bareSearch(depth: number): { transitions: number; worlds: number; seconds: number } {
  const v = builtinVariant('linux')!;
  const step = stepFor(v);
  const alphabet = new Alphabet(scopeByName(DEFAULT_SCOPE)!, v);
  const initial = runTrace(v, []).initial;
  const canon = new Canonicalizer(initial.tasks.at(0)!.tgid);
  const seen = new SeenSet();
  seen.add(canon.key(initial));
  const t0 = performance.now();
  let transitions = 0;
  let level: World[] = [initial];
  for (let d = 1; d <= depth; d++) {
    const next: World[] = [];
    for (const w of level) {
      for (const op of alphabet.opsAt(w)) {
        transitions++;
        const after = step(w, op).world;
        if (after !== w && seen.add(canon.key(after))) next.push(after);
      }
    }
    level = next;
  }
  return { transitions, worlds: seen.size, seconds: (performance.now() - t0) / 1000 };
}

const n = (x: number): string => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

export async function benchExplore(): Promise<string[]> {
  const budgetS = Number(process.env.STRATA_BENCH_EXPLORE_S ?? DEFAULT_BUDGET_S);
  if (!Number.isFinite(budgetS) || budgetS <= 0) throw new Error(`STRATA_BENCH_EXPLORE_S must be a positive number of seconds (got ${JSON.stringify(process.env.STRATA_BENCH_EXPLORE_S)})`);
  const lines: string[] = [];
  const perDepth: string[] = [];
  const t0 = performance.now();
  const r = await runExplore({
    variants: [builtinVariant('linux')!],
    scope: scopeByName(DEFAULT_SCOPE)!,
    depth: 64,
    timeBudgetMs: budgetS * 1000,
    onProgress: (e) => {
      if (e.type === 'depth-done') perDepth.push(`${e.depth}: ${n(e.worlds)} worlds at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    },
  });
  const s = r.variants[0]!;
  const secs = s.elapsedMs / 1000;
  const why = s.stoppedBy === 'memory' ? 'the next depth did not fit in memory' : s.stoppedBy === 'time-budget' ? `the ${budgetS} s budget ran out in depth ${s.depthCompleted + 1}` : 'done';
  lines.push(`linux, scope ${DEFAULT_SCOPE}, every property at every step: depth ${s.depthCompleted} completed (${why}); ${n(s.worlds)} distinct worlds, ${n(s.transitions)} transitions in ${secs.toFixed(1)} s`);
  lines.push(`  ${n(s.worlds / secs)} worlds/s, ${n(s.transitions / secs)} transitions/s (STRATA_BENCH_EXPLORE_S=${budgetS}; 600 for the ten-minute run)`);
  lines.push(`  depths: ${perDepth.join('; ')}`);
  if (s.depthCompleted > 0) {
    const base = bareSearch(s.depthCompleted);
    lines.push(`  baseline, the same search to depth ${s.depthCompleted} checking no property: ${n(base.worlds)} worlds, ${n(base.transitions / base.seconds)} transitions/s`);
    lines.push(`  checking every property costs ×${(base.transitions / base.seconds / (s.transitions / secs)).toFixed(2)} in transitions/s`);
  }
  return lines;
}
