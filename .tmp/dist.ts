import fc from '/work/main/node_modules/fast-check/lib/fast-check.js';
import { builtinVariant } from '/work/wt/maps/variants/registry.ts';
import { scenarioArbitrary } from '/work/wt/maps/generators/scenario.ts';
import { traceScenario } from '/work/wt/maps/properties/trace.ts';
const MAPS = builtinVariant('v5-2017-maps')!;
const c: Record<string, number> = {};
for (const s of fc.sample(scenarioArbitrary(MAPS, { maxOps: 30 }), { numRuns: 200, seed: 6 })) {
  for (const st of traceScenario(s, MAPS).steps) {
    if (st.op.op !== 'map_put' && !(st.op.op === 'seccomp_filter' && st.op.map !== undefined)) continue;
    const r = st.out.result; const k = `${st.op.op} ${r.kind} ${r.kind === 'err' ? r.errno : ''}`;
    c[k] = (c[k] ?? 0) + 1;
  }
}
console.log(c);
