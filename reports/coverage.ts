// `strata check --coverage`: per variant, the Landlock op success rates, every corner of its
// catalogue with how often it was reached (grouped, with the spec sections), the corners never
// reached by name, title and section, and how each op kind's calls ended.
import type { Coverage, CornerCount } from '../coverage/report.js';
import { successRate } from '../coverage/report.js';
import type { Sink } from './sink.js';
import { emit } from './sink.js';

const WIDTH = 100;

export function renderCoverage(c: Coverage, sink: Sink): void {
  const never = c.corners.filter((x) => x.count === 0);
  emit(sink, `coverage of ${c.variant}: ${c.reached} of ${c.corners.length} corners reached in ${c.scenarios} scenarios (${c.ops} ops)`);
  const rates = ['ruleset_add_rule', 'restrict_self']
    .map((op) => ({ op, ...successRate(c, op) }))
    .filter((r) => r.calls > 0)
    .map((r) => `${r.op} ${percent(r.rate)} ok (${r.ok} of ${r.calls})`);
  if (rates.length) emit(sink, `  Landlock calls: ${rates.join(', ')}`);
  for (const [group, corners] of groups(c.corners)) {
    const prefix = commonPrefix(corners.map((x) => x.id));
    const items = corners.map((x) => `${x.id.slice(prefix.length) || x.id} ${x.count}`);
    const specs = [...new Set(corners.map((x) => x.spec))];
    emit(sink, `  ${group} (${specs.length === 1 ? specs[0] : `${specs.length} sections`})`);
    const text = items.length === 1 ? items[0]! : `${prefix}{${items.join(', ')}}`;
    for (const line of wrap(text, WIDTH - 4)) emit(sink, `    ${line}`);
  }
  if (never.length === 0) {
    emit(sink, '  every corner reached');
  } else {
    emit(sink, `  NEVER REACHED (${never.length}):`);
    const w = Math.max(...never.map((x) => x.id.length));
    for (const x of never) emit(sink, `    ${x.id.padEnd(w)}  ${x.title} [${x.spec}]`);
  }
  if (c.undeclared.length) {
    emit(sink, `  reached but not in ${c.variant}'s catalogue (a catalogue error): ${c.undeclared.map((u) => `${u.id} ${u.count}`).join(', ')}`);
  }
  emit(sink, '  op results (ok, errnos; stopped: a filter stopped the op\'s own syscall; killed: strict mode; invalid: no live task):');
  const w = Math.max(...c.opResults.map((t) => t.op.length));
  for (const t of c.opResults) {
    const parts = Object.entries(t.results).map(([k, n]) => `${k} ${percent(n / t.calls)}`);
    emit(sink, `    ${t.op.padEnd(w)}  ${String(t.calls).padStart(6)} calls: ${parts.join(', ')}`);
  }
}

function percent(x: number): string {
  if (Number.isNaN(x)) return '-';
  const p = x * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** Corners by group, in catalogue order. */
function groups(corners: readonly CornerCount[]): Map<string, CornerCount[]> {
  const out = new Map<string, CornerCount[]>();
  for (const c of corners) {
    let g = out.get(c.group);
    if (g === undefined) out.set(c.group, (g = []));
    g.push(c);
  }
  return out;
}

/** The longest common prefix of dotted ids, ending at a dot ('' if none or only one id). */
function commonPrefix(ids: readonly string[]): string {
  if (ids.length < 2) return '';
  let p = ids[0]!;
  for (const id of ids) while (!id.startsWith(p)) p = p.slice(0, -1);
  const dot = p.lastIndexOf('.');
  return dot < 0 ? '' : p.slice(0, dot + 1);
}

/** Lines of at most `width` characters, broken after ", ". */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const part of text.split(/(?<=, )/)) {
    if (line.length + part.length > width && line.length > 0) {
      out.push(line.trimEnd());
      line = '';
    }
    line += part;
  }
  if (line) out.push(line);
  return out;
}
