// The published JSON Schema of the result document (result/result.schema.json, draft 2020-12,
// beside scenario/scenario.schema.json, which it refers to for the scenarios it embeds) and its
// compiled ajv validator.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { scenarioSchema } from '../scenario/schema.js';

export const RESULT_SCHEMA_URL = new URL('./result.schema.json', import.meta.url);

let validator: ValidateFunction | undefined;

export function resultSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(RESULT_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
}

/** The validator (all errors, so a test names every bad field). */
export function resultValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, discriminator: true });
    ajv.addSchema(scenarioSchema() as object);
    validator = ajv.compile(resultSchema());
  }
  return validator;
}
