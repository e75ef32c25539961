// generators/: fast-check arbitraries for scenarios (plain op arrays) per variant.
export type { GeneratorOptions, GeneratorOptionsInput, WeightKey } from './options.js';
export { DEFAULT_WEIGHTS, DEFAULT_OPTIONS, resolveOptions, conformanceProfile, EXECUTOR_SYSCALLS, OP_RULE_TARGETS } from './options.js';
export type { Rng } from './pick.js';
export type { GeneratedProgram, Guard } from './policy.js';
export { randomPolicy, randomProgram, compiledProgram, policyOf, guardOf, guardFor, guardedRaw, formatPolicy, ruleTargets, RAW_PROGRAMS, PERMISSIVE_PROGRAM } from './policy.js';
export type { RulesetBody, RestrictBody } from './landlock.js';
export { LandlockPools, restrictBody } from './landlock.js';
export type { OpContext } from './ops.js';
export { OpGenerator } from './ops.js';
export { Population } from './population.js';
export { OpListArbitrary } from './op-list.js';
export type { ShrinkContext } from './shrink.js';
export { shrinkOps, simplerOp } from './shrink.js';
export { Retargeter, shiftsTasks, shiftsReferences } from './retarget.js';
export { opsArbitrary, scenarioArbitrary, generatedWorld } from './scenario.js';
