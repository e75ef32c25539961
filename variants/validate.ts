// Shape check of a variant given as a plain value (a user module's default export). The first
// bad field wins, and the message names it: "variant <origin>: field `semantics.modify` must be
// one of none, current, handle (got "all")". Missing optional parts get defaults: `semantics`
// switches default to today's Linux, `expectations` to 'holds'.
import type { Expectation, OpKind, Variant, Witness, VariantWorld, StepFn } from './variant.js';
import { OP_FEATURES } from './variant.js';
import type { Semantics } from '../model/semantics.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';
import { EVALUATION_SWITCHES, LINUX_SECCOMP_PRECEDENCE, isPrecedenceList } from '../model/evaluation.js';
import { OP_NAMES } from '../model/ops.js';
import { LANDLOCK_ABI_MAX } from '../model/limits.js';
import type { PropertyId } from '../properties/ids.js';
import { PROPERTY_IDS, isPropertyId } from '../properties/ids.js';

export class VariantError extends Error {
  constructor(
    readonly origin: string,
    /** Dotted path of the bad field ('' for the value itself). */
    readonly field: string,
    readonly problem: string,
  ) {
    super(field ? `variant ${origin}: field \`${field}\` ${problem}` : `variant ${origin}: ${problem}`);
    this.name = 'VariantError';
  }
}

const ID_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const KINDS: ReadonlySet<string> = new Set<string>([...OP_NAMES, ...OP_FEATURES]);

const SEMANTICS_SWITCHES: Readonly<Record<Exclude<keyof Semantics, 'seccompPrecedence'>, readonly (boolean | string)[]>> = {
  seccompTsyncAncestorCheck: [true, false],
  seccompInPlaceAppend: [true, false],
  execResetsLayers: [true, false],
  landlockRestrictSnapshot: [true, false],
  modify: ['none', 'current', 'handle'],
  landlockSupervisor: [true, false],
  seccompMaps: [true, false],
  seccompTraceRecheck: [true, false],
  credTransferKeepsDomain: [true, false],
  sigioScopeFix: [true, false],
  ...EVALUATION_SWITCHES,
};

function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validate and normalise a variant value. `origin` names it in messages (a path or an id).
 * Throws VariantError naming the first bad field.
 */
export function validateVariant(value: unknown, origin: string): Variant {
  const bad = (field: string, problem: string): never => {
    throw new VariantError(origin, field, problem);
  };
  if (!isRecord(value)) return bad('', `must default-export a variant object (got ${show(value)})`);
  const known = new Set(['id', 'title', 'source', 'semantics', 'abi', 'world', 'wrap', 'opKinds', 'expectations', 'witness']);
  for (const k of Object.keys(value)) if (!known.has(k)) bad(k, `is not a variant field (known: ${[...known].join(', ')})`);

  const id = value.id;
  if (typeof id !== 'string' || !ID_RE.test(id)) bad('id', `must be a lower-case id matching ${ID_RE} (got ${show(id)})`);
  for (const f of ['title', 'source'] as const) {
    const v = value[f];
    if (typeof v !== 'string' || v.trim() === '') bad(f, `must be a non-empty string (got ${show(v)})`);
  }

  const semantics = validateSemantics(value.semantics, bad);

  let abi: number | undefined;
  if (value.abi !== undefined) {
    if (!Number.isInteger(value.abi) || (value.abi as number) < 1 || (value.abi as number) > LANDLOCK_ABI_MAX) {
      bad('abi', `must be an integer in 1..${LANDLOCK_ABI_MAX} (got ${show(value.abi)})`);
    }
    abi = value.abi as number;
  }

  let world: VariantWorld | undefined;
  if (value.world !== undefined) {
    if (!isRecord(value.world)) bad('world', `must be an object (got ${show(value.world)})`);
    const w = value.world as Record<string, unknown>;
    for (const k of Object.keys(w)) {
      if (k !== 'nnp' && k !== 'capSysAdmin') bad(`world.${k}`, 'is not a world setting (known: nnp, capSysAdmin)');
      if (typeof w[k] !== 'boolean') bad(`world.${k}`, `must be a boolean (got ${show(w[k])})`);
    }
    world = w as VariantWorld;
  }

  if (value.wrap !== undefined && typeof value.wrap !== 'function') bad('wrap', `must be a function (step) => step (got ${show(value.wrap)})`);

  const opKinds = value.opKinds;
  if (!Array.isArray(opKinds) || opKinds.length === 0) bad('opKinds', `must be a non-empty array of op kinds (got ${show(opKinds)})`);
  (opKinds as unknown[]).forEach((k, i) => {
    if (typeof k !== 'string' || !KINDS.has(k)) bad(`opKinds[${i}]`, `must be an op kind or feature, one of ${[...KINDS].join(', ')} (got ${show(k)})`);
  });

  const expectations = validateExpectations(value.expectations, bad);
  const witness = validateWitness(value.witness, bad);

  return {
    id: id as string,
    title: value.title as string,
    source: value.source as string,
    semantics,
    ...(abi !== undefined ? { abi } : {}),
    ...(world ? { world } : {}),
    ...(value.wrap ? { wrap: value.wrap as (s: StepFn) => StepFn } : {}),
    opKinds: opKinds as OpKind[],
    expectations,
    ...(witness ? { witness } : {}),
  };
}

type Bad = (field: string, problem: string) => never;

function validateSemantics(v: unknown, bad: Bad): Semantics {
  if (v === undefined) return LINUX_SEMANTICS;
  if (!isRecord(v)) return bad('semantics', `must be an object of switches (got ${show(v)})`);
  const out: Record<string, unknown> = { ...LINUX_SEMANTICS };
  for (const [k, x] of Object.entries(v)) {
    if (k === 'seccompPrecedence') {
      // 'linux', or the eight action kinds, the winner first (model/evaluation.ts).
      if (x !== 'linux' && !isPrecedenceList(x)) bad('semantics.seccompPrecedence', `must be 'linux' or a list of the eight seccomp action kinds, winner first (${LINUX_SECCOMP_PRECEDENCE.join(', ')}) (got ${show(x)})`);
      out[k] = x;
      continue;
    }
    const allowed = (SEMANTICS_SWITCHES as Record<string, readonly unknown[] | undefined>)[k];
    if (!allowed) bad(`semantics.${k}`, `is not a semantics switch (known: ${[...Object.keys(SEMANTICS_SWITCHES), 'seccompPrecedence'].join(', ')})`);
    if (!allowed!.includes(x)) bad(`semantics.${k}`, `must be one of ${allowed!.join(', ')} (got ${show(x)})`);
    out[k] = x;
  }
  return out as unknown as Semantics;
}

function validateExpectations(v: unknown, bad: Bad): Readonly<Record<PropertyId, Expectation>> {
  const out = {} as Record<PropertyId, Expectation>;
  for (const id of PROPERTY_IDS) out[id] = 'holds';
  if (v === undefined) return out;
  if (!isRecord(v)) return bad('expectations', `must be an object { <property id>: 'holds' | 'violates' } (got ${show(v)})`);
  for (const [k, x] of Object.entries(v)) {
    if (!isPropertyId(k)) bad(`expectations.${k}`, `is not a property id (known: ${PROPERTY_IDS.join(', ')})`);
    if (x !== 'holds' && x !== 'violates') bad(`expectations.${k}`, `must be 'holds' or 'violates' (got ${show(x)})`);
    out[k as PropertyId] = x as Expectation;
  }
  return out;
}

function validateWitness(v: unknown, bad: Bad): Witness | undefined {
  if (v === undefined) return undefined;
  if (!isRecord(v)) return bad('witness', `must be { property, maxOps } (got ${show(v)})`);
  if (!isPropertyId(v.property)) bad('witness.property', `must be a property id (got ${show(v.property)})`);
  if (!Number.isInteger(v.maxOps) || (v.maxOps as number) < 1) bad('witness.maxOps', `must be a positive integer (got ${show(v.maxOps)})`);
  return { property: v.property as PropertyId, maxOps: v.maxOps as number };
}
