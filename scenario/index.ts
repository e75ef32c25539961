// The scenario document: types, JSON Schema, load (read + parse + validate), write (atomic).
export type { Scenario, ScenarioWorld, ScenarioVariant, TraceStep, Finding, KernelRecord, Discrepancy } from './types.js';
export type { KernelOutcome, KernelObservation, KernelOpResult, KernelStep, KernelRunStatus } from './kernel-result.js';
export { SCENARIO_VERSION } from './types.js';
export type { ScenarioErrorKind } from './errors.js';
export { ScenarioError, isScenarioError, formatScenarioError } from './errors.js';
export { SCENARIO_SCHEMA_URL, scenarioSchema } from './schema.js';
export { validateScenario } from './validate.js';
export { loadScenario, parseScenario } from './load.js';
export { formatScenario } from './format.js';
export type { WriteOptions } from './write.js';
export { writeScenario, scenarioFileName, DEFAULT_OUT_DIR } from './write.js';
export type { ScenarioParts } from './make.js';
export { scenarioWorld, scenarioOf, worldOptionsOf } from './make.js';
