// Turn ajv's first error into one readable line: a JSON pointer to the offending field and what
// is wrong with it, in the words a scenario author would use.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { SchemaNode } from './schema.js';
import { derefSchema } from './schema.js';

/** The schema's `path` pattern (scenario.schema.json $defs/path). */
const ABSOLUTE_PATH = '^(/|(/(?!\\.\\.?(/|$))[^/]+)+)$';

/** The offending field's JSON pointer and what is wrong with it. */
export interface Explained {
  readonly pointer: string;
  readonly detail: string;
}

/** Explain the errors of one failed validation (ajv `errors`, first-error mode). */
export function explainSchemaErrors(errors: readonly ErrorObject[]): Explained {
  const first = errors[0];
  if (!first) return { pointer: '', detail: 'is not a valid scenario' };
  // A failed `oneOf` of alternatives (e.g. integer | null) lists one error per branch and then
  // the oneOf itself: name every alternative type once.
  const last = errors[errors.length - 1]!;
  // a u64 field (scenario.schema.json $defs/u64): say both forms
  if (last.keyword === 'oneOf' && String((last.parentSchema as SchemaNode | undefined)?.description ?? '').startsWith('A kernel __u64')) {
    return { pointer: last.instancePath, detail: 'must be a u64: an integer in [0, 2^53), or a hex string "0x…" of 1 to 16 digits (scenario version 2)' };
  }
  if (last.keyword === 'oneOf') {
    const types = errors.filter((e) => e.keyword === 'type' && e.instancePath === last.instancePath);
    if (types.length >= 2 && types.length === errors.length - 1) {
      return { pointer: last.instancePath, detail: `must be ${types.map((e) => String(e.params.type)).join(' or ')}` };
    }
  }
  return explainOne(first);
}

function explainOne(e: ErrorObject): Explained {
  const at = e.instancePath;
  const p = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as SchemaNode;
  switch (e.keyword) {
    case 'required':
      return { pointer: `${at}/${String(p.missingProperty)}`, detail: 'required field is missing' };
    case 'additionalProperties': {
      const allowed = Object.keys((parent.properties ?? {}) as object);
      const hint = allowed.length ? ` (allowed here: ${allowed.join(', ')})` : '';
      return { pointer: `${at}/${String(p.additionalProperty)}`, detail: `unknown field${hint}` };
    }
    case 'discriminator': {
      const tag = String(p.tag);
      if (p.error === 'tag') return { pointer: `${at}/${tag}`, detail: 'must be string' };
      const values = discriminatorValues(parent, tag);
      return {
        pointer: `${at}/${tag}`,
        detail: `unknown ${tag} ${JSON.stringify(p.tagValue)} (expected one of: ${values.join(', ')})`,
      };
    }
    case 'const':
      return { pointer: at, detail: `must be ${JSON.stringify(p.allowedValue)}` };
    case 'enum':
      return { pointer: at, detail: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'type':
      return { pointer: at, detail: `must be ${Array.isArray(p.type) ? p.type.join(' or ') : String(p.type)}` };
    case 'pattern':
      if (p.pattern === ABSOLUTE_PATH) return { pointer: at, detail: 'must be an absolute normalised path ("/" or "/a/f": no trailing "/", no empty, "." or ".." component)' };
      if (p.pattern === '^(/|[^/]+(/[^/]+)*$)') return { pointer: at, detail: 'must be an absolute path, or a relative one without an empty component (no leading, trailing or double "/")' };
      return { pointer: at, detail: `must match ${String(p.pattern)}` };
    case 'minItems':
    case 'maxItems':
      if (parent.minItems === parent.maxItems) return { pointer: at, detail: `must have exactly ${String(parent.minItems)} items` };
      return { pointer: at, detail: e.message ?? 'has the wrong number of items' };
    case 'not':
      if (e.schemaPath === '#/allOf/1/then/not') return { pointer: '/results', detail: 'only a trace has results (kind is "script")' };
      return { pointer: at, detail: e.message ?? 'is not allowed' };
    default:
      return { pointer: at, detail: e.message ?? `fails ${e.keyword}` };
  }
}

/** The tag values a discriminated `oneOf` accepts, in schema order. */
function discriminatorValues(node: SchemaNode, tag: string): string[] {
  const out: string[] = [];
  for (const branch of (node.oneOf ?? []) as SchemaNode[]) {
    const b = derefSchema(branch);
    const prop = (b?.properties as Record<string, SchemaNode> | undefined)?.[tag];
    if (!prop) continue;
    if (prop.const !== undefined) out.push(String(prop.const));
    if (Array.isArray(prop.enum)) for (const v of prop.enum) out.push(String(v));
  }
  return out;
}
