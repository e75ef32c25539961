// Words every document reporter shares (JUnit, GitHub, SARIF, KTAP), made from the result
// document alone: a finding's one-line summary and its trace as the text report prints it.
import type { DiscrepancyDoc, FindingDoc, PairDoc, ResultDocument, StepDoc } from '../result/types.js';

/** `#2 t100 seccomp(…) → ok`, then its notes, then `✗ P fails here`. */
export function stepLines(s: StepDoc, width: number, property?: string): string[] {
  const out = [`#${String(s.index).padStart(width)} ${s.op} → ${s.result}`];
  for (const n of s.notes) out.push(`     ${n}`);
  if (s.failsHere && property !== undefined) out.push(`     ✗ ${property} fails here`);
  return out;
}

/** The whole trace of a finding, with where to find and replay it. */
export function findingLines(f: FindingDoc): string[] {
  const width = String(Math.max(0, f.steps.length - 1)).length;
  const out = [
    `scenario:   ${f.unwritten === null ? f.file : `NOT WRITTEN to ${f.file}: ${f.unwritten}`}`,
    ...(f.unwritten === null ? [`replay:     ${f.replay}`] : []),
    ...(f.reproduce !== null ? [`reproduce:  ${f.reproduce}`] : []),
    ...(f.origin === 'corpus' ? ['corpus:     replayed from the corpus before generating'] : []),
    `failed:     ${f.atStep >= 0 ? `at step #${f.atStep}` : 'in the initial world'}: ${f.message}`,
    `world:      ${f.world}`,
  ];
  if (f.steps.length === 0) out.push('(no operations)');
  for (const s of f.steps) out.push(...stepLines(s, width, f.property));
  return out;
}

/** One line: what was found, by whom, in how many ops. */
export function findingTitle(f: FindingDoc): string {
  return `${f.property} violated by ${f.variant} in ${f.ops} op${f.ops === 1 ? '' : 's'}${f.expected ? ' (expected)' : ''}: ${f.message}`;
}

/** The one-line outcome of a variant × property pair. */
export function pairLine(variant: string, r: PairDoc): string {
  switch (r.status) {
    case 'as-expected':
      return r.outcome === 'violated'
        ? `${variant} × ${r.property}: violated as expected${r.finding ? ` in ${r.finding.ops} ops` : ''}`
        : `${variant} × ${r.property}: holds as expected in ${r.runs} scenarios`;
    case 'unexpected-violation':
      return r.finding ? `${variant} × ${r.property}: UNEXPECTED violation in ${r.finding.ops} ops: ${r.finding.message}` : `${variant} × ${r.property}: UNEXPECTED violation`;
    case 'violation-not-found':
      return `${variant} × ${r.property}: expected a violation, none found in ${r.runs} scenarios`;
    case 'not-searched-enough':
      return `${variant} × ${r.property}: ${r.note ?? 'not searched enough'}`;
  }
}

/** A not-searched-enough pair fails the run only under --strict. */
export function failsRun(doc: ResultDocument, r: PairDoc): boolean {
  if (r.status === 'unexpected-violation' || r.status === 'violation-not-found') return true;
  return r.status === 'not-searched-enough' && doc.check?.strict === true;
}

/** A discrepancy's side-by-side trace, one line per step. */
export function discrepancyLines(d: DiscrepancyDoc): string[] {
  const width = String(Math.max(0, d.trace.length - 1)).length;
  const out = [
    `scenario:   ${d.file}`,
    `replay:     ${d.replay}`,
    `fast-check: seed ${d.seed}, path "${d.path}"`,
    `differs:    ${d.steps.length ? `${d.steps.map((i) => `#${i}`).join(', ')}: ` : ''}${d.message}`,
    `world:      ${d.world}`,
  ];
  for (const s of d.trace) out.push(`#${String(s.index).padStart(width)} ${s.op} → model: ${s.model} · kernel: ${s.kernel}${s.mark === 'same' ? '' : `  [${s.mark}]`}`);
  for (const t of d.table) out.push(`✗ ${t}`);
  return out;
}
