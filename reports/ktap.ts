// KTAP version 1 (Documentation/dev-tools/ktap.rst) from the result document, for kernel
// developers' TAP tooling: one test per variant with one subtest per property (check), or one
// test per conform run with a subtest per discrepancy, explained difference and category of
// steps not compared. Nested output is indented by four spaces, as KUnit prints it (ktap.rst
// allows any consistent indentation; TAP14 parsers need four) and each nested block starts
// with its version line, a `# Subtest: name` line and its plan. Diagnostic lines for a finding
// come directly before its result line. `# SKIP` with the reason marks what could not run or
// decide: an expected violation not searched enough, a variant an interrupt left unrun, steps
// this kernel could not run, an executor that cannot run here (no root, not built).
import type { PairDoc, ResultDocument } from '../result/types.js';
import { failsRun, findingLines, findingTitle, pairLine } from './doc-words.js';

const IND = '    ';

/** A test description: no '#' (it starts the directive) and no line breaks. */
function name(s: string): string {
  return s.replace(/#/g, '_').replace(/[\r\n]+/g, ' ');
}

function diag(s: string): string {
  return `# ${s.replace(/[\r\n]+/g, ' ')}`;
}

interface Sub {
  readonly name: string;
  readonly ok: boolean;
  readonly directive?: string;
  readonly diagnostics?: readonly string[];
}

function block(lines: string[], title: string, subs: readonly Sub[]): boolean {
  lines.push(`${IND}KTAP version 1`, `${IND}# Subtest: ${name(title)}`, `${IND}1..${subs.length}`);
  subs.forEach((s, i) => {
    for (const d of s.diagnostics ?? []) lines.push(`${IND}${diag(d)}`);
    lines.push(`${IND}${s.ok ? 'ok' : 'not ok'} ${i + 1} ${name(s.name)}${s.directive ? ` # ${s.directive.replace(/[\r\n]+/g, ' ')}` : ''}`);
  });
  return subs.every((s) => s.ok);
}

function pairSub(doc: ResultDocument, variant: string, r: PairDoc): Sub {
  const fails = failsRun(doc, r);
  const diagnostics: string[] = [];
  if (r.finding) diagnostics.push(`${r.property}: ${findingTitle(r.finding)}`, ...findingLines(r.finding).slice(0, 4).map((l) => `${r.property}: ${l}`));
  else if (r.status !== 'as-expected') diagnostics.push(`${r.property}: ${pairLine(variant, r)}`);
  if (r.status === 'not-searched-enough' && !fails) return { name: r.property, ok: true, directive: `SKIP ${r.note ?? 'not searched enough'}`, diagnostics: [] };
  return { name: r.property, ok: !fails, diagnostics };
}

export function renderKtap(doc: ResultDocument): string {
  const lines = ['KTAP version 1'];
  if (doc.check) {
    const c = doc.check;
    lines.push(`1..${c.variantsAsked}`);
    c.variants.forEach((v, i) => {
      const subs = v.results.map((r) => pairSub(doc, v.id, r));
      if (v.crash) subs.push({ name: 'model error', ok: false, diagnostics: [`the model threw: ${v.crash.message}`, `scenario: ${v.crash.file}`, v.crash.replay] });
      const ok = block(lines, v.id, subs);
      lines.push(`${ok ? 'ok' : 'not ok'} ${i + 1} ${name(v.id)}`);
    });
    for (let i = c.variants.length; i < c.variantsAsked; i++) {
      lines.push(`ok ${i + 1} variant ${i + 1} of ${c.variantsAsked} # SKIP not run: interrupted by ${doc.interrupted?.signal ?? 'a signal'}`);
    }
  } else if (doc.conform) {
    const k = doc.conform;
    lines.push('1..1');
    const title = `conform ${k.variant}`;
    if (k.unavailable !== null) lines.push(`ok 1 ${name(title)} # SKIP ${k.unavailable.replace(/[\r\n]+/g, ' ')}`);
    else {
      const subs: Sub[] = [];
      subs.push({ name: 'compared', ok: k.counts.compared > 0 && !doc.verdict.problems.some((p) => /compared|did not finish/.test(p)), diagnostics: [`${k.counts.compared} of ${k.counts.steps} steps compared: ${k.counts.agreed} the same, ${k.counts.explained} explained, ${k.counts.notCompared} not compared; ${k.counts.incompleteRuns} kernel runs unfinished`] });
      for (const d of k.discrepancies) subs.push({ name: `discrepancy ${d.signature}`, ok: false, diagnostics: [`the kernel differs from the model in ${d.ops} ops: ${d.message}`, `scenario: ${d.file}`, d.replay] });
      for (const u of k.unshrunk) subs.push({ name: `discrepancy ${u.signature}`, ok: false, diagnostics: [`${u.scenarios} scenarios, not shrunk`] });
      for (const e of k.explained) subs.push({ name: `explained ${e.id}`, ok: true, diagnostics: [`${e.steps} steps in ${e.scenarios} scenarios: ${e.title}`] });
      for (const n of k.notCompared) subs.push({ name: `not compared: ${n.category}`, ok: true, directive: `SKIP ${n.steps} steps: ${n.reasons[0]?.reason ?? n.category}` });
      const ok = block(lines, title, subs) && doc.verdict.status !== 'fail';
      for (const p of doc.verdict.problems) lines.push(diag(p));
      lines.push(`${ok ? 'ok' : 'not ok'} 1 ${name(title)}${doc.interrupted ? ` # SKIP interrupted by ${doc.interrupted.signal}: partial` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
