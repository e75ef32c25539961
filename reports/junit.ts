// JUnit XML from the result document, for CI systems' test views: a testsuite per variant and a
// testcase per property (check), a testsuite per conform run with a testcase per discrepancy
// signature, per explained difference and per category of steps not compared (conform). An
// unexpected result is a <failure> whose message is the one-line finding and whose body is the
// trace with the `strata replay` command; an expected violation is a passing testcase that says
// so in <system-out>; an expected violation not searched enough is <skipped> (a <failure> under
// --strict); a model error is an <error>. An interrupted run's document gives the suites it has
// and one <error> testcase naming the signal.
import type { ResultDocument, PairDoc, VariantDoc } from '../result/types.js';
import { xmlAttr, xmlText } from './xml.js';
import { discrepancyLines, failsRun, findingLines, findingTitle, pairLine } from './doc-words.js';

interface Case {
  readonly name: string;
  readonly classname: string;
  readonly failure?: { readonly message: string; readonly type: string; readonly body: string };
  readonly error?: { readonly message: string; readonly type: string; readonly body: string };
  readonly skipped?: string;
  readonly out?: string;
}

interface Suite {
  readonly name: string;
  readonly time: number;
  readonly properties: readonly [string, string][];
  readonly cases: readonly Case[];
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

export function renderJunit(doc: ResultDocument): string {
  const suites = doc.check ? checkSuites(doc) : conformSuites(doc);
  if (doc.interrupted) {
    suites.push({
      name: `strata ${doc.command}: interrupted`, time: 0, properties: [],
      cases: [{ name: 'run', classname: `strata.${doc.command}`, error: { type: 'interrupted', message: `interrupted by ${doc.interrupted.signal}: partial results, no verdict`, body: doc.verdict.summary } }],
    });
  }
  const count = (f: (c: Case) => boolean): number => suites.reduce((a, s) => a + s.cases.filter(f).length, 0);
  const total = suites.reduce((a, s) => a + s.time, 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="strata ${doc.command}" tests="${count(() => true)}" failures="${count((c) => c.failure !== undefined)}" errors="${count((c) => c.error !== undefined)}" skipped="${count((c) => c.skipped !== undefined)}" time="${secs(total)}">`);
  for (const s of suites) {
    lines.push(`  <testsuite name="${xmlAttr(s.name)}" tests="${s.cases.length}" failures="${s.cases.filter((c) => c.failure).length}" errors="${s.cases.filter((c) => c.error).length}" skipped="${s.cases.filter((c) => c.skipped !== undefined).length}" time="${secs(s.time)}">`);
    if (s.properties.length) {
      lines.push('    <properties>');
      for (const [k, v] of s.properties) lines.push(`      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`);
      lines.push('    </properties>');
    }
    for (const c of s.cases) {
      const open = `    <testcase name="${xmlAttr(c.name)}" classname="${xmlAttr(c.classname)}"`;
      const inner: string[] = [];
      if (c.failure) inner.push(`      <failure message="${xmlAttr(c.failure.message)}" type="${xmlAttr(c.failure.type)}">${xmlText(c.failure.body)}</failure>`);
      if (c.error) inner.push(`      <error message="${xmlAttr(c.error.message)}" type="${xmlAttr(c.error.type)}">${xmlText(c.error.body)}</error>`);
      if (c.skipped !== undefined) inner.push(`      <skipped message="${xmlAttr(c.skipped)}"/>`);
      if (c.out !== undefined) inner.push(`      <system-out>${xmlText(c.out)}</system-out>`);
      if (inner.length === 0) lines.push(`${open}/>`);
      else lines.push(`${open}>`, ...inner, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function checkSuites(doc: ResultDocument): Suite[] {
  const c = doc.check!;
  return c.variants.map((v) => ({
    name: v.id,
    time: v.elapsedMs,
    properties: [
      ['title', v.title], ['seed', String(c.seed)], ['runs', String(c.runs)], ['max-ops', String(c.maxOps)],
      ['scenarios', String(v.scenarios)], ['landlock-abi', String(v.abi)], ...(v.module ? [['module', v.module] as [string, string]] : []),
    ],
    cases: [...v.results.map((r) => pairCase(doc, v, r)), ...(v.crash ? [crashCase(v)] : [])],
  }));
}

function pairCase(doc: ResultDocument, v: VariantDoc, r: PairDoc): Case {
  const base = { name: r.property, classname: `strata.check.${v.id}` };
  const line = pairLine(v.id, r);
  const body = r.finding ? [findingTitle(r.finding), ...findingLines(r.finding)].join('\n') : `${line}\nproperty: ${r.statement}`;
  if (failsRun(doc, r)) {
    const message = r.finding ? findingTitle(r.finding) : line;
    return { ...base, failure: { message, type: r.status, body: r.status === 'not-searched-enough' ? `${line} (--strict)` : body } };
  }
  if (r.status === 'not-searched-enough') return { ...base, skipped: line };
  return { ...base, out: r.finding ? `expected violation: ${body}` : line };
}

function crashCase(v: VariantDoc): Case {
  const c = v.crash!;
  return {
    name: 'model error', classname: `strata.check.${v.id}`,
    error: { type: 'model-error', message: `${v.id}: the model threw: ${c.message}`, body: `scenario: ${c.unwritten === null ? c.file : `NOT WRITTEN to ${c.file}: ${c.unwritten}`}\nreplay:   ${c.replay}` },
  };
}

function conformSuites(doc: ResultDocument): Suite[] {
  const c = doc.conform!;
  const cls = `strata.conform.${c.variant}`;
  const cases: Case[] = [];
  if (c.unavailable !== null) {
    cases.push({ name: 'live kernel', classname: cls, skipped: c.unavailable });
    return [{ name: `conform ${c.variant}`, time: 0, properties: [], cases }];
  }
  for (const d of c.discrepancies) {
    cases.push({ name: `discrepancy: ${d.signature}`, classname: cls, failure: { type: 'discrepancy', message: `the kernel differs from the model in ${d.ops} ops: ${d.message}`, body: discrepancyLines(d).join('\n') } });
  }
  for (const u of c.unshrunk) cases.push({ name: `discrepancy: ${u.signature}`, classname: cls, failure: { type: 'discrepancy', message: `${u.signature} in ${u.scenarios} scenarios (not shrunk: the limit of shrunk discrepancies was reached)`, body: u.signature } });
  for (const n of c.notReproduced) {
    const fails = doc.verdict.problems.some((p) => /not reproduced/.test(p));
    const text = `${n.signature} in run ${n.run}, not reproduced by a re-run (${n.rerun}); scenario: ${n.file}`;
    cases.push(fails ? { name: `not reproduced: ${n.signature}`, classname: cls, failure: { type: 'not-reproduced', message: text, body: text } } : { name: `not reproduced: ${n.signature}`, classname: cls, out: text });
  }
  for (const e of c.explained) cases.push({ name: `explained: ${e.id}`, classname: cls, out: `${e.title}: ${e.steps} steps in ${e.scenarios} scenarios\nwhy: ${e.reason}\nsee: ${e.citation}` });
  for (const n of c.notCompared) cases.push({ name: `not compared: ${n.category}`, classname: cls, skipped: `${n.steps} steps: ${n.reasons.slice(0, 3).map((r) => `${r.steps}× ${r.reason}`).join('; ')}` });
  const rule = doc.verdict.problems.filter((p) => !/with an unexplained discrepancy|not reproduced/.test(p));
  cases.push(rule.length
    ? { name: 'live-kernel rule', classname: cls, failure: { type: 'live-kernel-rule', message: rule[0]!, body: rule.join('\n') } }
    : { name: 'live-kernel rule', classname: cls, out: `${c.counts.compared} of ${c.counts.steps} steps compared: ${c.counts.agreed} the same, ${c.counts.explained} explained; ${c.counts.incompleteRuns} kernel runs unfinished` });
  return [{
    name: `conform ${c.variant}`,
    time: c.elapsedMs,
    properties: [
      ['kernel', c.kernel?.release ?? '?'], ['landlock-abi', String(c.kernel?.landlockAbi ?? '?')], ['seed', String(c.seed)], ['runs', String(c.runs)],
      ['scenarios', String(c.scenarios)], ['full-table', String(c.fullTable)],
    ],
    cases,
  }];
}
