// generators/: fast-check arbitraries for scenarios (plain op arrays) per variant.
export type { GeneratorOptions, GeneratorOptionsInput, WeightKey } from './options.js';
export { DEFAULT_WEIGHTS, DEFAULT_OPTIONS, resolveOptions } from './options.js';
export type { GeneratedProgram } from './policy.js';
export { policyArbitrary, programArbitrary, permissiveProgramArbitrary, formatPolicy, RAW_PROGRAMS } from './policy.js';
export type { RulesetBody, RestrictBody } from './landlock.js';
export { rulesetBodyArbitrary, ruleArbitrary, broadRuleArbitrary, restrictBodyArbitrary } from './landlock.js';
export type { OpContext } from './ops.js';
export { opArbitrary, opKindArbitrary } from './ops.js';
export { attackArbitrary } from './attack.js';
export { opsArbitrary, scenarioArbitrary, generatedWorld } from './scenario.js';
