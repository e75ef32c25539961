// The built-in variants by id, and loading a user variant module by path.
import { resolve } from 'node:path';
import type { Variant } from './variant.js';
import { LINUX, LINUX_ABI8, linuxVariant } from './linux.js';
import { V5_2017 } from './v5-2017.js';
import { V5_2017_MAPS } from './v5-2017-maps.js';
import { LUTOMIRSKI_2017 } from './lutomirski-2017.js';
import { MUTABLE_DOMAINS_RFC } from './mutable-domains-rfc.js';
import { LIVE_RULESET } from './live-ruleset.js';
import { TSYNC_OVERWRITE } from './tsync-overwrite.js';
import { EXEC_RESET } from './exec-reset.js';
import { NEWEST_FILTER_WINS } from './newest-filter-wins.js';
import { NO_TRACE_RECHECK } from './no-trace-recheck.js';
import { NOTIF_OVERRIDES } from './notif-overrides.js';
import { KEYRING_DROPS_DOMAIN } from './keyring-drops-domain.js';
import { FOWN_GROUP_HEAD } from './fown-group-head.js';
import { VariantError, validateVariant } from './validate.js';
import { importVariantModule } from './module-loader.js';

/** The built-ins, in report order: today's Linux, history, proposals, then the unsafe ones. */
export const BUILTIN_VARIANTS: readonly Variant[] = [
  LINUX, LINUX_ABI8, V5_2017, V5_2017_MAPS, LUTOMIRSKI_2017, MUTABLE_DOMAINS_RFC, LIVE_RULESET, TSYNC_OVERWRITE, EXEC_RESET, NEWEST_FILTER_WINS, NO_TRACE_RECHECK,
  NOTIF_OVERRIDES, KEYRING_DROPS_DOMAIN, FOWN_GROUP_HEAD,
];

const BY_ID: ReadonlyMap<string, Variant> = new Map(BUILTIN_VARIANTS.map((v) => [v.id, v]));
const LINUX_ABI_RE = /^linux-abi([0-9]+)$/;

/** A built-in by id (also `linux-abi<N>` for any modelled ABI), or undefined. */
export function builtinVariant(id: string): Variant | undefined {
  const hit = BY_ID.get(id);
  if (hit) return hit;
  const m = LINUX_ABI_RE.exec(id);
  if (!m) return undefined;
  try {
    return linuxVariant(Number(m[1]));
  } catch {
    return undefined;
  }
}

export function builtinVariantIds(): string[] {
  return BUILTIN_VARIANTS.map((v) => v.id);
}

/** Whether `s` names a module file rather than a built-in id. */
function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || /\.(m|c)?[jt]s$/.test(s);
}

/**
 * A built-in variant by id, or a user variant module by path (resolved against `cwd`, imported
 * by variants/module-loader.ts from anywhere): the module must default-export a Variant; it is
 * validated and normalised (variants/validate.ts). Throws VariantError with one clear message.
 */
export async function loadVariant(pathOrId: string, cwd: string = process.cwd()): Promise<Variant> {
  const builtin = builtinVariant(pathOrId);
  if (builtin) return builtin;
  if (!looksLikePath(pathOrId)) {
    throw new VariantError(pathOrId, '', `is neither a built-in variant (${builtinVariantIds().join(', ')}, linux-abi<N>) nor a module path`);
  }
  const file = resolve(cwd, pathOrId);
  const mod = await importVariantModule(file, pathOrId, cwd);
  if (!mod.hasDefault) throw new VariantError(pathOrId, '', 'has no default export (export default { id, title, ... })');
  return validateVariant(mod.value, pathOrId);
}
