// Every document reporter, on a hand-made check result with every kind of cell (as in
// reports/check.test.ts) and on a conform result with a discrepancy: golden files, and each
// output read back by a consumer-side parser — the result document by ajv against
// result/result.schema.json, JUnit by fast-xml-parser, SARIF by ajv against the SARIF 2.1.0
// schema (reports/sarif/), KTAP by tap-parser — and the GitHub summary's parts.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Parser } from 'tap-parser';
import type { Result as TapResult } from 'tap-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { CheckReport, PairResult } from '../properties/check.js';
import { runTrace, traceToScenario } from '../properties/trace.js';
import { TSYNC_OVERWRITE, LIVE_RULESET } from '../variants/index.js';
import { propertyById } from '../properties/all.js';
import type { FindingReport } from './finding.js';
import { TSYNC_OVERWRITE_WITNESS, LIVE_RULESET_WITNESS } from './fixtures.js';
import { buildCheckResult } from '../result/check.js';
import { buildConformResult, unavailableConformResult } from '../result/conform.js';
import { resultValidator } from '../result/schema.js';
import type { ResultDocument } from '../result/types.js';
import { renderJunit } from './junit.js';
import { renderSarif, FINGERPRINT_KEY } from './sarif.js';
import { renderKtap } from './ktap.js';
import { renderGithubSummary, githubCommands } from './github.js';
import { renderJson } from './reporters.js';
import { processTreeMermaid } from './process-tree.js';
import type { ConformView } from './conform.js';
import { kernelRunWithErrors } from '../scenario/sample.js';
import { linuxVariant } from '../variants/linux.js';

function findingOf(variant: typeof TSYNC_OVERWRITE, ops: typeof TSYNC_OVERWRITE_WITNESS, property: string, expected: boolean): FindingReport {
  const trace = runTrace(variant, ops);
  const p = propertyById(property)!;
  const v = p.check(trace)!;
  const scenario = traceToScenario(trace, { finding: { property, statement: p.statement, seed: 42, path: '5:1:0', atStep: v.atStep, message: v.message } });
  return { scenario, file: `strata-out/${variant.id}.${property}.seed42.json`, trace, expected };
}

const pair = (variant: string, property: PairResult['property'], expected: PairResult['expected'], outcome: PairResult['outcome'], extra: Partial<PairResult> = {}): PairResult => ({
  variant, property, expected, outcome, matches: (expected === 'violates') === (outcome === 'violated'), runs: 500, ...extra,
});

const F1 = findingOf(TSYNC_OVERWRITE, TSYNC_OVERWRITE_WITNESS, 'I2-thread', true);
const F2 = findingOf(LIVE_RULESET, LIVE_RULESET_WITNESS, 'children-never-weakened', false);

const RESULTS: PairResult[] = [
  pair('tsync-overwrite', 'I2-thread', 'violates', 'violated', { counterexample: F1.scenario, shrinks: 7 }),
  pair('tsync-overwrite', 'I9', 'violates', 'holds', { unsearched: true, budget: 'runs' }),
  pair('tsync-overwrite', 'children-never-weakened', 'holds', 'holds'),
  pair('live-ruleset', 'I2-thread', 'holds', 'holds'),
  pair('live-ruleset', 'I9', 'holds', 'holds'),
  pair('live-ruleset', 'children-never-weakened', 'holds', 'violated', { counterexample: F2.scenario, shrinks: 3 }),
];

const REPORT: CheckReport = {
  seed: 42, runs: 500, maxOps: 20,
  variants: [
    { id: 'tsync-overwrite', title: 't', scenarios: 500, ops: 5000, elapsedMs: 300, interrupted: false },
    { id: 'live-ruleset', title: 'l', scenarios: 212, ops: 2000, elapsedMs: 300, interrupted: false },
  ],
  results: RESULTS, mismatches: 1, unsearched: 1, interrupted: false, ok: false, elapsedMs: 12_345,
};

function checkDoc(strict = false): ResultDocument {
  return buildCheckResult({
    strataVersion: '0.1.0', report: REPORT, findings: [F1, F2],
    crashes: [{ variant: 'live-ruleset', message: 'TypeError: x is undefined', file: 'strata-out/live-ruleset.model-error.0123456789.json' }],
    variants: new Map([[TSYNC_OVERWRITE.id, TSYNC_OVERWRITE], [LIVE_RULESET.id, LIVE_RULESET]]),
    modules: {}, variantsAsked: 2, strict, timeBudgetMs: null, path: null, outDir: 'strata-out', defaultMaxOps: 20, corpus: null, interruptedBy: null,
    verdict: { status: 'fail', exitCode: 1, summary: 'FAILED: 1 result disagrees with the expectation matrix, 1 model error', problems: ['live-ruleset × children-never-weakened: violated, but the expectation matrix says it holds', 'live-ruleset: the model threw: TypeError: x is undefined'] },
  });
}

/** A conform result with one discrepancy, from the sample kernel run (scenario/sample.ts). */
function conformDoc(): ResultDocument {
  const sample = kernelRunWithErrors();
  const variant = linuxVariant(sample.world.abi);
  const trace = runTrace(variant, sample.ops, { world: sample.world, universe: sample.universe });
  const scenario = { ...sample, discrepancy: { seed: 5, path: '17:2:0', steps: [0], message: 'probe getpid: model allow, kernel EPERM' } };
  const view: ConformView = {
    kernel: '6.18.0-test', landlockAbi: 7, variant: 'linux', seed: 5, runs: 40, maxOps: 12, scenarios: 40, ops: 300, kernelRuns: 61, elapsedMs: 4321, interrupted: false,
    discrepancies: [{
      file: 'out/linux.conform.seed5.run17.json', scenario, trace, marks: trace.steps.map((s) => (s.index === 0 ? { mark: 'different', note: 'model allow, kernel EPERM' } : { mark: 'same' })),
      signature: 'probe: allow | errno', originalOps: 9, shrinks: 4, kernelRuns: 20, budgetSpent: false, reproduced: true, scenarios: 3, table: [],
    }],
    unshrunk: [], unexplainedScenarios: 3,
    explained: [{ id: 'unknown-arguments', title: 'a filter decides a call by an argument the model does not know', reason: 'r', citation: 'conformance/explained.ts', steps: 2, scenarios: 1 }],
    notCompared: [{ category: 'skipped', steps: 4, reasons: [{ reason: 'this kernel runs no i386 system calls', steps: 4 }] }],
    sameSteps: 280, incompleteRuns: 0, steps: 300, comparedSteps: 286, notReproduced: [], problems: ['3 scenarios of 40 with an unexplained discrepancy'],
  };
  return buildConformResult({ strataVersion: '0.1.0', view, fullTable: false, verdict: { status: 'fail', exitCode: 1, summary: 'FAIL: 3 scenarios of 40 with an unexplained discrepancy (1 kind, 1 shrunk and written)', problems: view.problems! } });
}

const SARIF_SCHEMA = JSON.parse(readFileSync(new URL('./sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const sarifValidator = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(SARIF_SCHEMA);

function tap(text: string): { top: TapResult[]; children: TapResult[][]; ok: boolean } {
  const top: TapResult[] = [];
  const children: TapResult[][] = [];
  let ok = false;
  const p = new Parser();
  p.on('assert', (r: TapResult) => top.push(r));
  p.on('child', (c: Parser) => {
    const mine: TapResult[] = [];
    children.push(mine);
    c.on('assert', (r: TapResult) => mine.push(r));
  });
  p.on('complete', (r: { ok: boolean }) => (ok = r.ok));
  p.end(text);
  return { top, children, ok };
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
type Suite = { name: string; tests: string; failures: string; errors: string; skipped: string; testcase: { name: string; failure?: { message: string; '#text': string }; error?: { message: string }; skipped?: { message: string }; 'system-out'?: string }[] };

describe('the result document', () => {
  for (const [name, doc] of [['check', checkDoc()], ['conform', conformDoc()], ['conform, executor unavailable', unavailableConformResult('0.1.0', 'the live-kernel executor needs root', { variant: 'linux', seed: 1, runs: 1000, maxOps: 20, fullTable: true })]] as const) {
    it(`${name}: valid against result/result.schema.json`, () => {
      const v = resultValidator();
      expect(v(JSON.parse(renderJson(doc))), JSON.stringify(v.errors)).toBe(true);
    });
  }
  it('rejects what it must: an unknown status, a missing verdict', () => {
    const v = resultValidator();
    const doc = JSON.parse(renderJson(checkDoc())) as Record<string, unknown>;
    expect(v({ ...doc, verdict: { ...(doc.verdict as object), status: 'great' } })).toBe(false);
    const { verdict: _, ...noVerdict } = doc;
    expect(v(noVerdict)).toBe(false);
  });
  it('carries every pair with its status, and each finding with its trace and process tree', () => {
    const c = checkDoc().check!;
    expect(c.variants.flatMap((v) => v.results.map((r) => [v.id, r.property, r.status]))).toEqual([
      ['tsync-overwrite', 'I2-thread', 'as-expected'], ['tsync-overwrite', 'I9', 'not-searched-enough'], ['tsync-overwrite', 'children-never-weakened', 'as-expected'],
      ['live-ruleset', 'I2-thread', 'as-expected'], ['live-ruleset', 'I9', 'as-expected'], ['live-ruleset', 'children-never-weakened', 'unexpected-violation'],
    ]);
    expect(c.variants[0]!.results[1]!.note).toBe('expected violation not found in 500 runs — raise --runs');
    const f = c.variants[1]!.results[2]!.finding!;
    expect(f.reproduce).toBe('strata check --variant live-ruleset --property children-never-weakened --seed 42 --path "5:1:0"');
    expect(f.tasks).toEqual([{ tid: 100, parent: null, via: 'initial', bornAt: null, goneAt: null }, { tid: 101, parent: 100, via: 'fork', bornAt: 2, goneAt: null }]);
    expect(f.steps.map((s) => s.failsHere)).toEqual([false, false, false, true]);
    expect(c.counts).toEqual({ results: 6, asExpected: 4, unexpected: 1, notSearchedEnough: 1, modelErrors: 1 });
  });
  it('golden', async () => {
    await expect(renderJson(checkDoc())).toMatchFileSnapshot('golden/result.check.json');
  });
});

describe('junit', () => {
  it('golden', async () => {
    await expect(renderJunit(checkDoc())).toMatchFileSnapshot('golden/result.check.junit.xml');
    await expect(renderJunit(conformDoc())).toMatchFileSnapshot('golden/result.conform.junit.xml');
  });
  it('parses as XML: a suite per variant, a case per property; the unexpected result a failure with the trace and replay command', () => {
    const text = renderJunit(checkDoc());
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = xml.parse(text) as { testsuites: { tests: string; failures: string; errors: string; skipped: string; testsuite: Suite[] } };
    expect([doc.testsuites.tests, doc.testsuites.failures, doc.testsuites.errors, doc.testsuites.skipped]).toEqual(['7', '1', '1', '1']);
    const [t, l] = doc.testsuites.testsuite;
    expect(t!.testcase.map((c) => c.name)).toEqual(['I2-thread', 'I9', 'children-never-weakened']);
    expect(t!.testcase[0]!['system-out']).toMatch(/^expected violation: I2-thread violated by tsync-overwrite in 3 ops \(expected\)/);
    expect(t!.testcase[1]!.skipped!.message).toBe('tsync-overwrite × I9: expected violation not found in 500 runs — raise --runs');
    const failure = l!.testcase[2]!.failure!;
    expect(failure.message).toBe(`children-never-weakened violated by live-ruleset in 4 ops: ${F2.scenario.finding!.message}`);
    expect(failure['#text']).toContain('replay:     strata replay strata-out/live-ruleset.children-never-weakened.seed42.json');
    expect(failure['#text']).toContain('#3 t100 landlock_add_rule(fd 3, path_beneath /a: read_file) → ok');
    expect(l!.testcase[3]!.error!.message).toBe('live-ruleset: the model threw: TypeError: x is undefined');
  });
  it('--strict: not searched enough is a failure', () => {
    const doc = xml.parse(renderJunit(checkDoc(true))) as { testsuites: { testsuite: Suite[] } };
    expect(doc.testsuites.testsuite[0]!.testcase[1]!.failure!.message).toBe('tsync-overwrite × I9: expected violation not found in 500 runs — raise --runs');
  });
  it('conform: a failing case per discrepancy signature, passing ones per explained difference, skipped per category not compared', () => {
    const text = renderJunit(conformDoc());
    expect(XMLValidator.validate(text)).toBe(true);
    const s = (xml.parse(text) as { testsuites: { testsuite: Suite[] } }).testsuites.testsuite[0]!;
    expect(s.testcase.map((c) => [c.name, c.failure ? 'failure' : c.skipped ? 'skipped' : 'pass'])).toEqual([
      ['discrepancy: probe: allow | errno', 'failure'], ['explained: unknown-arguments', 'pass'], ['not compared: skipped', 'skipped'], ['live-kernel rule', 'pass'],
    ]);
  });
  it('escapes what XML cannot hold', () => {
    const doc = checkDoc();
    const bad = { ...doc, verdict: { ...doc.verdict, summary: 'a <b> & "c" \u0001' }, interrupted: { signal: 'SIGINT' } };
    const text = renderJunit(bad);
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).toContain('a &lt;b&gt; &amp; "c" \uFFFD');
  });
});

describe('sarif', () => {
  it('golden', async () => {
    await expect(renderSarif(checkDoc())).toMatchFileSnapshot('golden/result.check.sarif');
  });
  for (const [name, doc] of [['check', checkDoc()], ['conform', conformDoc()]] as const) {
    it(`${name}: valid SARIF 2.1.0 (the official schema)`, () => {
      expect(sarifValidator(JSON.parse(renderSarif(doc))), JSON.stringify(sarifValidator.errors?.slice(0, 3))).toBe(true);
    });
  }
  it('one rule per property, one result per unexpected finding, its trace a thread flow, a stable fingerprint', () => {
    const log = JSON.parse(renderSarif(checkDoc())) as { runs: { tool: { driver: { rules: { id: string; fullDescription: { text: string } }[] } }; results: { ruleId: string; partialFingerprints: Record<string, string>; codeFlows: { threadFlows: { locations: { importance: string }[] }[] }[]; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['I2-thread', 'I9', 'children-never-weakened', 'model-error']);
    expect(run.tool.driver.rules[1]!.fullDescription.text).toContain(`Source: ${propertyById('I9')!.source}`);
    expect(run.results.map((r) => r.ruleId)).toEqual(['children-never-weakened', 'model-error']);
    const r = run.results[0]!;
    expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe('strata-out/live-ruleset.children-never-weakened.seed42.json');
    expect(r.codeFlows[0]!.threadFlows[0]!.locations.map((l) => l.importance)).toEqual(['important', 'important', 'important', 'essential']);
    // the same finding in another run (another seed, path, file) has the same fingerprint
    const again = JSON.parse(renderSarif(checkDoc())) as typeof log;
    expect(again.runs[0]!.results[0]!.partialFingerprints[FINGERPRINT_KEY]).toBe(r.partialFingerprints[FINGERPRINT_KEY]);
    expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('ktap', () => {
  it('golden', async () => {
    await expect(renderKtap(checkDoc())).toMatchFileSnapshot('golden/result.check.ktap');
    await expect(renderKtap(conformDoc())).toMatchFileSnapshot('golden/result.conform.ktap');
  });
  it('parses as TAP: a test per variant, a subtest per property, SKIP with its reason', () => {
    const t = tap(renderKtap(checkDoc()));
    expect(t.top.map((r) => [r.id, r.name, r.ok])).toEqual([[1, 'tsync-overwrite', true], [2, 'live-ruleset', false]]);
    expect(t.children.map((c) => c.map((r) => [r.name, r.ok, r.skip]))).toEqual([
      [['I2-thread', true, false], ['I9', true, 'expected violation not found in 500 runs — raise --runs'], ['children-never-weakened', true, false]],
      [['I2-thread', true, false], ['I9', true, false], ['children-never-weakened', false, false], ['model error', false, false]],
    ]);
    expect(t.ok).toBe(false);
  });
  it('an executor that cannot run here is a SKIP with the reason', () => {
    const t = tap(renderKtap(unavailableConformResult('0.1.0', 'the live-kernel executor needs root (it creates a namespace per scenario); running as uid 1000', { variant: 'linux', seed: 1, runs: 1000, maxOps: 20, fullTable: true })));
    expect(t.top.map((r) => [r.name, r.ok, r.skip])).toEqual([['conform linux', true, 'the live-kernel executor needs root (it creates a namespace per scenario); running as uid 1000']]);
  });
  it('conform: a failing subtest per discrepancy', () => {
    const t = tap(renderKtap(conformDoc()));
    expect(t.children[0]!.map((r) => [r.name, r.ok])).toEqual([['compared', true], ['discrepancy probe: allow | errno', false], ['explained unknown-arguments', true], ['not compared: skipped', true]]);
    expect(t.top.map((r) => r.ok)).toEqual([false]);
  });
});

describe('github', () => {
  it('golden', async () => {
    await expect(renderGithubSummary(checkDoc())).toMatchFileSnapshot('golden/result.check.github.md');
    await expect(`${githubCommands(checkDoc()).join('\n')}\n`).toMatchFileSnapshot('golden/result.check.github-commands.txt');
  });
  it('one workflow command per finding: ::error for what fails the run, ::notice for an expected violation', () => {
    expect(githubCommands(checkDoc()).map((c) => c.split('::')[1])).toEqual([
      'notice file=strata-out/tsync-overwrite.I2-thread.seed42.json,title=tsync-overwrite × I2-thread (expected)',
      'warning title=tsync-overwrite × I9',
      'error file=strata-out/live-ruleset.children-never-weakened.seed42.json,title=live-ruleset × children-never-weakened',
      'error file=strata-out/live-ruleset.model-error.0123456789.json,title=live-ruleset × model error',
    ]);
  });
  it('the summary: the matrix, each trace in a <details> block, the process tree in a Mermaid block', () => {
    const md = renderGithubSummary(checkDoc());
    expect(md).toContain('| tsync-overwrite | ✗ | ? | ✓ |');
    expect(md).toContain('| live-ruleset (MODEL ERROR) | ✓ | ✓ | **!✗** |');
    expect(md.match(/<details>/g)).toHaveLength(2);
    expect(md).toContain('```mermaid\nflowchart TD\n  t100["t100 (first task)"]\n  t101["t101"]\n  t100 -->|"fork #2"| t101\n');
  });
  it('the process tree marks threads, gone tasks and the failing actor', () => {
    expect(processTreeMermaid([
      { tid: 100, parent: null, via: 'initial', bornAt: null, goneAt: null },
      { tid: 101, parent: 100, via: 'thread', bornAt: 0, goneAt: 3 },
    ], new Set([100]))).toEqual([
      'flowchart TD', '  t100["t100 (first task)"]', '  t101["t101 (gone after #3)"]', '  t100 -.->|"thread #0"| t101',
      '  classDef gone stroke-dasharray: 4 4', '  class t101 gone', '  classDef failing stroke-width: 3px', '  class t100 failing',
    ]);
  });
  it('the process tree hangs each task\'s stacks below it, a shared layer drawn once', () => {
    const lines = processTreeMermaid([
      { tid: 100, parent: null, via: 'initial', bornAt: null, goneAt: null },
      { tid: 101, parent: 100, via: 'fork', bornAt: 1, goneAt: null },
    ], new Set([100]), {
      afterStep: 2,
      tasks: [
        { tid: 100, seccomp: ['s2', 's1'], landlock: ['l3@1'] },
        { tid: 101, seccomp: ['s1'], landlock: [] },
      ],
    });
    expect(lines).toEqual([
      'flowchart TD', '  t100["t100 (first task)"]', '  t101["t101"]', '  t100 -->|"fork #1"| t101',
      '  subgraph layers["layers after #2, newest first"]',
      '    L_s2["seccomp 2"]', '    L_s1["seccomp 1"]', '    L_l3_1["landlock 3 rev 1"]',
      '  end',
      '  t100 -.- L_s2', '  L_s2 --> L_s1', '  t100 -.- L_l3_1', '  t101 -.- L_s1',
      '  classDef layer fill:#eef3ff', '  class L_s2,L_s1,L_l3_1 layer',
      '  classDef failing stroke-width: 3px', '  class t100 failing',
    ]);
    // the shared seccomp layer 1 is one node, reached from t100's chain and from t101
    expect(lines.filter((l) => l.includes('L_s1[')).length).toBe(1);
  });
});
