import { runCheck } from '../properties/check.js';
import { builtinVariant } from '../variants/registry.js';
import { propertyById } from '../properties/all.js';
const v = builtinVariant('no-trace-recheck')!;
for (const seed of [1, 2, 3]) {
  const r = runCheck({ variants: [v], properties: [propertyById('tracer-bounded')!], runs: 2000, seed, maxOps: 30 });
  const res = r.results[0]!;
  console.log(seed, res.outcome, res.counterexample?.ops.length, JSON.stringify(res.counterexample?.ops.map((o) => o.op)));
}
