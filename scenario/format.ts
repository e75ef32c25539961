// The on-disk text of a scenario: stable key order at the top, one operation / result / request
// / fs entry per line, so files diff well and read top-down (finding first, ops last).
import type { Scenario } from './types.js';

/** Top-level keys in the order they are written; unknown keys (none today) follow. */
const TOP_ORDER = ['strata', 'version', 'kind', 'description', 'variant', 'target', 'finding', 'discrepancy', 'world', 'universe', 'ops', 'results', 'kernel'];

/** Paths whose arrays are written one item per line (each item inline). */
const LISTS = new Set(['ops', 'results', 'kernel.results', 'universe.syscalls', 'universe.landlock', 'world.fs.entries']);

/** The scenario as the text `write.ts` puts in a file (ends with a newline). */
export function formatScenario(s: Scenario): string {
  const rec = s as unknown as Record<string, unknown>;
  const keys = [...TOP_ORDER.filter((k) => rec[k] !== undefined), ...Object.keys(rec).filter((k) => !TOP_ORDER.includes(k) && rec[k] !== undefined)];
  const ordered: Record<string, unknown> = {};
  for (const k of keys) ordered[k] = rec[k];
  return `${block(ordered, '', '')}\n`;
}

function block(value: unknown, path: string, indent: string): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!LISTS.has(path) || value.length === 0) return inline(value);
    return `[\n${value.map((v) => inner + inline(v)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (path !== '' && !expands(path)) return inline(value);
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${block(v, path ? `${path}.${k}` : k, inner)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return inline(value);
}

/** A path is laid out over several lines if it is, or leads to, a list path (or is a top object). */
function expands(path: string): boolean {
  if (LISTS.has(path)) return true;
  for (const l of LISTS) if (l.startsWith(`${path}.`)) return true;
  return path === 'finding' || path === 'discrepancy' || path === 'world';
}

/** Compact JSON with a space after `:` and `,` (readable on one line). */
export function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`);
    return `{${parts.join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
