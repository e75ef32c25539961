// Validation of a parsed scenario document, in a fixed order so that the line a user reads names
// the most basic problem first: (1) is it a strata scenario, (2) of a version this strata reads,
// (3) does it match the JSON Schema, (4) do its fields agree with each other.
import type { Scenario } from './types.js';
import { SCENARIO_VERSION, SCENARIO_VERSIONS_READ } from './types.js';
import { canonicalU64Fields } from './u64-fields.js';
import { ScenarioError } from './errors.js';
import { scenarioValidator } from './schema.js';
import { explainSchemaErrors } from './explain.js';
import { LANDLOCK_ABI_MAX } from '../model/limits.js';
import { validateFsTree } from '../model/landlock/fstree.js';
import { MAX_SCENARIO_OPS } from './limits.js';

/** Check `value` (parsed JSON from `source`) and return it as a Scenario, or throw ScenarioError. */
export function validateScenario(value: unknown, source: string): Scenario {
  checkVersion(value, source);
  checkSize(value as Record<string, unknown>, source);
  const validate = scenarioValidator();
  if (!validate(value)) {
    const { pointer, detail } = explainSchemaErrors(validate.errors ?? []);
    throw new ScenarioError('schema', source, pointer, detail);
  }
  const s = canonicalU64Fields(value as Scenario, source);
  checkCrossFields(s, source);
  return s;
}

/** The number of ops, before the schema walks them (scenario/limits.ts). */
function checkSize(doc: Record<string, unknown>, source: string): void {
  const ops = doc.ops;
  if (Array.isArray(ops) && ops.length > MAX_SCENARIO_OPS) {
    throw new ScenarioError('size', source, '/ops', `${ops.length} operations: more than a scenario may hold (${MAX_SCENARIO_OPS})`);
  }
}

/** (1)+(2): the `strata` marker and a known `version`, before any other field is looked at. */
function checkVersion(value: unknown, source: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ScenarioError('version', source, '', 'not a strata scenario (expected a JSON object)');
  }
  const doc = value as Record<string, unknown>;
  if (doc.strata !== 'scenario') {
    throw new ScenarioError('version', source, '/strata', 'not a strata scenario (expected "strata": "scenario")');
  }
  if (!('version' in doc)) throw new ScenarioError('version', source, '/version', 'required field is missing');
  if (!SCENARIO_VERSIONS_READ.includes(doc.version as number)) {
    throw new ScenarioError(
      'version', source, '/version',
      `unsupported scenario version ${JSON.stringify(doc.version)} (this strata reads versions ${SCENARIO_VERSIONS_READ.join(' and ')}; it writes ${SCENARIO_VERSION})`,
    );
  }
}

/** (4): what one schema keyword cannot say. */
function checkCrossFields(s: Scenario, source: string): void {
  if (s.world.abi > LANDLOCK_ABI_MAX) {
    throw new ScenarioError('schema', source, '/world/abi', `must be <= ${LANDLOCK_ABI_MAX} (the highest Landlock ABI the model knows)`);
  }
  const tree = validateFsTree(s.world.fs);
  if (tree.length > 0) throw new ScenarioError('schema', source, '/world/fs', tree[0]!);
  if (s.kind === 'trace') {
    const results = s.results ?? [];
    if (results.length !== s.ops.length) {
      throw new ScenarioError('schema', source, '/results', `has ${results.length} entries for ${s.ops.length} ops (a trace has one per op)`);
    }
  }
  if (s.finding && s.finding.atStep >= s.ops.length) {
    throw new ScenarioError('schema', source, '/finding/atStep', `step ${s.finding.atStep} does not exist (the scenario has ${s.ops.length} ops)`);
  }
  if (s.kernel && s.kernel.results.length !== s.ops.length) {
    throw new ScenarioError('schema', source, '/kernel/results', `has ${s.kernel.results.length} entries for ${s.ops.length} ops (a kernel run has one per op)`);
  }
  if (s.discrepancy) {
    if (s.kind !== 'trace') throw new ScenarioError('schema', source, '/discrepancy', 'only a trace has a discrepancy (it compares the model\'s results with the kernel\'s)');
    if (!s.kernel) throw new ScenarioError('schema', source, '/kernel', 'required field is missing (a discrepancy compares the model\'s results with the kernel\'s)');
    if (s.discrepancy.steps.length === 0 && !s.discrepancy.table?.length) throw new ScenarioError('schema', source, '/discrepancy/steps', 'must not be empty when no full-table entry differs');
    s.discrepancy.steps.forEach((step, i) => {
      if (step >= s.ops.length) throw new ScenarioError('schema', source, `/discrepancy/steps/${i}`, `step ${step} does not exist (the scenario has ${s.ops.length} ops)`);
      if (i > 0 && step <= s.discrepancy!.steps[i - 1]!) throw new ScenarioError('schema', source, `/discrepancy/steps/${i}`, 'steps must be in increasing order');
    });
  }
}
