// Turning command-line names into the engine's objects: variant ids or module paths (through
// variants/registry.ts:loadVariant) and property ids. Every failure is a UsageError line.
import type { Variant } from '../variants/variant.js';
import { loadVariant, BUILTIN_VARIANTS } from '../variants/registry.js';
import { VariantError } from '../variants/validate.js';
import type { Property } from '../properties/property.js';
import { ALL_PROPERTIES, propertyById } from '../properties/all.js';
import { UsageError } from './errors.js';

export interface ResolvedVariant {
  readonly variant: Variant;
  /** The module path as given, when the variant came from a file. */
  readonly module?: string;
}

/** Variants named on the command line (all built-ins when none). Duplicates are dropped. */
export async function resolveVariants(names: readonly string[], cwd: string): Promise<ResolvedVariant[]> {
  if (names.length === 0) return BUILTIN_VARIANTS.map((variant) => ({ variant }));
  const out: ResolvedVariant[] = [];
  for (const name of names) {
    const r = await resolveVariant(name, cwd);
    if (!out.some((o) => o.variant.id === r.variant.id)) out.push(r);
  }
  return out;
}

export async function resolveVariant(name: string, cwd: string): Promise<ResolvedVariant> {
  try {
    const variant = await loadVariant(name, cwd);
    const builtin = BUILTIN_VARIANTS.includes(variant) || variant.id === name;
    return builtin ? { variant } : { variant, module: name };
  } catch (e) {
    if (e instanceof VariantError) throw new UsageError(e.message);
    throw e;
  }
}

/** Properties named on the command line (all when none). */
export function resolveProperties(ids: readonly string[]): Property[] {
  if (ids.length === 0) return [...ALL_PROPERTIES];
  const out: Property[] = [];
  for (const id of ids) {
    const p = propertyById(id);
    if (!p) throw new UsageError(`unknown property ${JSON.stringify(id)} (known: ${ALL_PROPERTIES.map((x) => x.id).join(', ')})`);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}
