// The schema accepts everything the rest of strata produces: generated scripts of every built-in
// variant and the model traces of those scripts (fast-check, fixed seed).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { BUILTIN_VARIANTS } from '../variants/registry.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import { traceScenario, traceToScenario } from '../properties/trace.js';
import { validateScenario } from './validate.js';
import { parseScenario } from './load.js';
import { formatScenario } from './format.js';

describe('every generated scenario and its model trace validate and round-trip', () => {
  for (const variant of BUILTIN_VARIANTS) {
    it(variant.id, () => {
      fc.assert(
        fc.property(scenarioArbitrary(variant, { maxOps: 25 }), (script) => {
          validateScenario(script, 'script');
          const trace = traceToScenario(traceScenario(script, variant), {
            finding: { property: 'I1', statement: 's', seed: 1, path: '0:1', atStep: script.ops.length - 1, message: 'm' },
          });
          expect(parseScenario(formatScenario(trace), 'trace')).toEqual(JSON.parse(JSON.stringify(trace)));
        }),
        { seed: 20261128, numRuns: 60 },
      );
    });
  }
});
