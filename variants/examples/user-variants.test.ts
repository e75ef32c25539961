// The worked example of strata/vitest: a sandbox developer's own designs, checked in their own
// vitest suite, one test per property (api/vitest.ts; in another repository the import is
// `import { describeVariant } from 'strata/vitest'`). tsync-intersect holds every property;
// scope-by-depth's violations are expected by its own `expectations`, so its tests pass too. A
// violation a design does not expect fails its test with the counterexample's trace, its file
// (written first) and the replay command (api/vitest.test.ts shows one).
import { describeVariant } from '../../api/vitest.js';
import tsyncIntersect from './tsync-intersect.js';

describeVariant(tsyncIntersect, { runs: 100, seed: 1 });
describeVariant(new URL('./scope-by-depth.ts', import.meta.url).pathname, { runs: 100, seed: 1, properties: ['I2', 'I6', 'I9', 'children-never-weakened'] });
