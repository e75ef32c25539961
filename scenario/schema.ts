// The published JSON Schema of the scenario document (scenario/scenario.schema.json, draft
// 2020-12) and its compiled ajv validator, built once on first use.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';

/** Location of the schema file, for readers who want to validate scenarios with other tools. */
export const SCENARIO_SCHEMA_URL = new URL('./scenario.schema.json', import.meta.url);

/** A JSON Schema node, as far as this module needs to walk it. */
export type SchemaNode = { readonly [key: string]: unknown };

let schemaValue: SchemaNode | undefined;
let validator: ValidateFunction | undefined;

/** The schema document (parsed once). */
export function scenarioSchema(): SchemaNode {
  schemaValue ??= JSON.parse(readFileSync(SCENARIO_SCHEMA_URL, 'utf8')) as SchemaNode;
  return schemaValue;
}

/** The compiled validator: first error only (a report names one field), discriminated unions. */
export function scenarioValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, verbose: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true });
    validator = ajv.compile(scenarioSchema());
  }
  return validator;
}

/** Resolve a local JSON pointer ("#/$defs/op/oneOf/0") in the schema; undefined if absent. */
export function schemaAt(pointer: string): SchemaNode | undefined {
  const parts = pointer.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  let node: unknown = scenarioSchema();
  for (const raw of parts) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== null && typeof node === 'object' ? (node as SchemaNode) : undefined;
}

/** Follow `$ref`s until a node without one. */
export function derefSchema(node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let hops = 0; n && typeof n.$ref === 'string' && hops < 16; hops++) n = schemaAt(n.$ref);
  return n;
}
