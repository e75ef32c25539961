// --reporter, --corpus, --save-findings and --path through the real executable: one check run
// writes all five reports, each read back by a consumer-side parser or schema; bad input to
// every new flag is one line and exit 2; a printed fast-check path reproduces its
// counterexample; the corpus decides what it witnesses before anything is generated; an
// interrupted run writes its partial document; strata conform writes its reports too, and says
// in them when the executor cannot run here.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Parser } from 'tap-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { strata, BIN, REPO } from './test-helpers.js';
import type { RunResult } from './test-helpers.js';
import { tempDir } from '../test/tmp.js';
import { resultValidator } from '../result/schema.js';
import type { ResultDocument } from '../result/types.js';
import { loadScenario } from '../scenario/load.js';
import { executorUnavailableReason } from '../conformance/availability.js';
import { DEFAULT_BINARY } from '../conformance/runner.js';
import { lyingExecutor } from './lying-executor.js';
import { pathToFileURL } from 'node:url';
import { chromiumBinary, lookAtPage } from '../reports/html-chromium.js';

const tmp = (): string => tempDir('strata-reporters-');
const SARIF = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(JSON.parse(readFileSync(new URL('../reports/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) });

function tapCounts(text: string): { top: number; children: number; ok: boolean } {
  let top = 0;
  let children = 0;
  let ok = false;
  const p = new Parser();
  p.on('assert', () => top++);
  p.on('child', (c: Parser) => c.on('assert', () => children++));
  p.on('complete', (r: { ok: boolean }) => (ok = r.ok));
  p.end(text);
  return { top, children, ok };
}

const SMALL = ['check', '-v', 'tsync-overwrite,live-ruleset', '-p', 'I9,I2-thread,children-never-weakened', '-n', '300', '-s', '12', '--no-corpus'];

describe('strata check writes all five reports from one run', () => {
  let dir = '';
  let r: RunResult;
  beforeAll(async () => {
    dir = tmp();
    writeFileSync(join(dir, 'summary.md'), '# earlier step\n');
    r = await strata([...SMALL, '--reporter', 'junit=r.xml', '--reporter', 'sarif=r.sarif', '--reporter', 'github', '--reporter', 'json=r.json', '--reporter', 'ktap=r.tap'], {
      cwd: dir, env: { GITHUB_STEP_SUMMARY: join(dir, 'summary.md') },
    });
  });

  it('exits 0 (the one expected violation 300 runs leave unfound at seed 12 is not searched enough), stdout has the text report and the workflow commands', () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^strata check: seed 12 · 300 runs per variant/);
    expect(r.stdout).toContain('  ? tsync-overwrite × I2-thread: expected violation not found in 300 runs — raise --runs\n');
    expect(r.stdout).toContain('::notice file=strata-out/tsync-overwrite.I9.seed12.json,title=tsync-overwrite × I9 (expected)::I9 violated by tsync-overwrite in 3 ops (expected): ');
    expect(r.stdout).toContain('::warning title=tsync-overwrite × I2-thread::tsync-overwrite × I2-thread: expected violation not found in 300 runs — raise --runs\n');
  });

  it('json: valid against the published schema, and the same run the others show', () => {
    const doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ResultDocument;
    const v = resultValidator();
    expect(v(doc), JSON.stringify(v.errors)).toBe(true);
    expect(doc.verdict).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(doc.check!.variants.map((x) => x.results.map((p) => p.status))).toEqual([
      ['as-expected', 'not-searched-enough', 'as-expected'], ['as-expected', 'as-expected', 'as-expected'],
    ]);
  });

  it('junit: well-formed XML, a suite per variant, a case per property, the unfound violation skipped', () => {
    const text = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const s = (xml.parse(text) as { testsuites: { tests: string; skipped: string; testsuite: { name: string; testcase: { name: string }[] }[] } }).testsuites;
    expect([s.tests, s.skipped]).toEqual(['6', '1']);
    expect(s.testsuite.map((x) => [x.name, x.testcase.map((c) => c.name)])).toEqual([
      ['tsync-overwrite', ['I9', 'I2-thread', 'children-never-weakened']], ['live-ruleset', ['I9', 'I2-thread', 'children-never-weakened']],
    ]);
  });

  it('sarif: valid SARIF 2.1.0, no result (nothing unexpected), a rule per property', () => {
    const log = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')) as { runs: { results: unknown[]; tool: { driver: { rules: { id: string }[] } } }[] };
    expect(SARIF(log), JSON.stringify(SARIF.errors?.slice(0, 3))).toBe(true);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules.map((x) => x.id)).toEqual(['I2-thread', 'I9', 'children-never-weakened', 'model-error']);
  });

  it('ktap: parses as TAP, two tests with three subtests each, all ok', () => {
    expect(tapCounts(readFileSync(join(dir, 'r.tap'), 'utf8'))).toEqual({ top: 2, children: 6, ok: true });
    expect(readFileSync(join(dir, 'r.tap'), 'utf8')).toContain('    ok 2 I2-thread # SKIP expected violation not found in 300 runs — raise --runs\n');
  });

  it('github: Markdown appended to $GITHUB_STEP_SUMMARY, traces in <details>, process trees in Mermaid', () => {
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md.startsWith('# earlier step\n## strata check: ok\n')).toBe(true);
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md.match(/```mermaid\nflowchart TD\n/g)).toHaveLength(3);
  });
});

describe('bad input to the new flags: one line, exit 2', () => {
  const dir = tmp();
  mkdirSync(join(dir, 'bad-corpus'));
  writeFileSync(join(dir, 'bad-corpus', 'x.json'), '{ "strata": "scenario", ');
  mkdirSync(join(dir, 'v2-corpus'));
  writeFileSync(join(dir, 'v2-corpus', 'y.json'), JSON.stringify({ strata: 'scenario', version: 3 }));
  mkdirSync(join(dir, 'unknown-corpus'));
  const s = JSON.parse(readFileSync(join(REPO, 'corpus/section6/14-tsync-overwrite.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'unknown-corpus', 'z.json'), JSON.stringify({ ...s, variant: { id: 'my-design' } }));
  const BAD: readonly [readonly string[], string, Record<string, string>?][] = [
    [['--reporter', 'xml'], 'strata check: unknown reporter "xml" (reporters: text, json, junit, github, sarif, ktap, html; --reporter NAME[=FILE])'],
    [['--reporter', 'junit='], 'strata check: --reporter junit= needs a file name (or leave out "=" for stdout)'],
    [['--reporter', 'junit=/nonexistent/dir/r.xml'], 'strata check: --reporter junit=/nonexistent/dir/r.xml: the directory /nonexistent/dir does not exist'],
    [['--reporter', 'sarif=/proc/self/status/r.sarif'], 'strata check: --reporter sarif=/proc/self/status/r.sarif: /proc/self/status is not a directory'],
    [['--reporter', `json=${dir}`], `strata check: --reporter json=${dir}: ${dir} is a directory`],
    [['--reporter', 'json', '--reporter', 'ktap'], 'strata check: --reporter json and --reporter ktap both write to stdout: give one of them a file (--reporter ktap=FILE)'],
    [['--reporter', 'github'], 'strata check: --reporter github: GITHUB_STEP_SUMMARY is not set (not in a GitHub Actions step); give the summary a file: --reporter github=summary.md', { GITHUB_STEP_SUMMARY: '' }],
    [['--corpus', 'bad-corpus'], 'strata check: corpus file bad-corpus/x.json: not valid JSON (Expected double-quoted property name at line 1 column 25)'],
    [['--corpus', 'v2-corpus'], 'strata check: corpus file v2-corpus/y.json: /version: unsupported scenario version 3 (this strata reads versions 1 and 2; it writes 2)'],
    [['--corpus', 'unknown-corpus'], 'strata check: corpus file unknown-corpus/z.json: variant "my-design" is unknown (not built in, not among the variants checked, and the file names no variant.module)'],
    [['--corpus', 'nowhere'], 'strata check: --corpus nowhere: no such directory'],
    [['--corpus', 'bad-corpus', '--no-corpus'], 'strata check: --corpus and --no-corpus contradict each other'],
    [['--save-findings', '/proc/self/status/x'], 'strata check: --save-findings /proc/self/status/x: /proc/self/status is not a directory'],
    [['--path', 'abc', '-v', 'linux', '-p', 'I1'], 'strata check: --path must be a fast-check path such as "81:1:1:5:8" (got "abc")'],
    [['--path', '1:2'], 'strata check: --path replays one counterexample: give exactly one --variant and one --property (as its report names them)'],
  ];
  for (const [args, line, env] of BAD) {
    it(`${args.join(' ')}`, async () => {
      const r = await strata(['check', ...args], { cwd: dir, ...(env ? { env } : {}) });
      expect(r.stderr).toBe(`${line}\n`);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
    });
  }
});

describe('--path: a printed fast-check path reproduces its counterexample', () => {
  it('the same scenario, from the seed and path alone', async () => {
    const dir = tmp();
    const first = await strata(['check', '-v', 'live-ruleset', '-p', 'children-never-weakened', '-n', '2000', '--seed', '7', '--no-corpus', '--no-traces'], { cwd: dir });
    expect(first.code).toBe(0);
    const m = /fast-check seed 7, path "([0-9:]+)"/.exec(first.stdout);
    expect(m).not.toBeNull();
    const again = await strata(['check', '--variant', 'live-ruleset', '--property', 'children-never-weakened', '--seed', '7', '--path', m![1]!, '--out', 'again', '--no-traces'], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const a = loadScenario(join(dir, 'strata-out', 'live-ruleset.children-never-weakened.seed7.json'));
    const b = loadScenario(join(dir, 'again', 'live-ruleset.children-never-weakened.seed7.json'));
    expect(b).toEqual(a);
    expect(b.ops.length).toBeGreaterThan(0);
  });

  it('a path that does not fail there is said so: the expected violation is not found, exit 1', async () => {
    const r = await strata(['check', '-v', 'tsync-overwrite', '-p', 'I9', '--path', '0', '--no-traces', '--reporter', 'json'], { cwd: tmp() });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as ResultDocument;
    expect(doc.check!.path).toBe('0');
    expect(doc.check!.variants[0]!.results[0]!.status).toBe('violation-not-found');
  });
});

describe('the corpus and --save-findings', () => {
  it('a corpus file decides what it witnesses before anything is generated, whatever the budget', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'kept'));
    copyFileSync(join(REPO, 'corpus/section6/14-tsync-overwrite.json'), join(dir, 'kept', 'e2.json'));
    const r = await strata(['check', '-v', 'tsync-overwrite', '-p', 'I9,I2-thread', '-n', '1', '--corpus', 'kept', '--no-traces', '--strict'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  tsync-overwrite × I9         kept/e2.json  (corpus)\n');
    expect(r.stdout).toContain('corpus: kept — 1 file, 1 replayed before generating (those of the variants checked), deciding 2 results\n');
    expect(existsSync(join(dir, 'strata-out'))).toBe(false); // nothing new to write
  });

  it('corpus/ in the working directory is the default; --no-corpus leaves it out', async () => {
    const args = ['check', '-v', 'exec-reset', '-p', 'I3', '-n', '1', '-s', '2', '--no-traces', '--reporter', 'json'];
    const withIt = JSON.parse((await strata(args, { cwd: REPO })).stdout) as ResultDocument;
    expect(withIt.check!.corpus).toMatchObject({ dir: 'corpus', replayed: 1, decided: 1 });
    expect(withIt.check!.variants[0]!.results[0]!.finding!.origin).toBe('corpus');
    const without = JSON.parse((await strata([...args, '--no-corpus'], { cwd: REPO })).stdout) as ResultDocument;
    expect(without.check!.corpus).toBeNull();
    expect(without.check!.variants[0]!.results[0]!.status).toBe('not-searched-enough');
  });

  it('--save-findings adds each new counterexample to a corpus, with what it guards; the next run replays it', async () => {
    const dir = tmp();
    const r = await strata(['check', '-v', 'tsync-overwrite', '-p', 'I9', '-n', '500', '--save-findings', 'mine', '--no-corpus', '--no-traces'], { cwd: dir });
    expect(r.code).toBe(0);
    const files = readdirSync(join(dir, 'mine'));
    expect(files).toEqual(['tsync-overwrite.I9.seed1.json']);
    const s = loadScenario(join(dir, 'mine', files[0]!));
    expect(s.description).toMatch(/^saved by strata check --save-findings: tsync-overwrite violates I9 \(expected\) — /);
    const again = await strata(['check', '-v', 'tsync-overwrite', '-p', 'I9', '-n', '1', '--corpus', 'mine', '--no-traces'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('mine/tsync-overwrite.I9.seed1.json  (corpus)');
  });
});

describe('an interrupted check', () => {
  it('writes its partial document, marked as interrupted, and exits 130', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, [BIN, 'check', '-v', 'linux,lutomirski-2017', '-p', 'I1', '-n', '10000000', '--no-corpus', '--reporter', 'json=r.json', '--reporter', 'ktap=r.tap'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    // the signal goes once the run is under way (its first progress line), not after a fixed
    // delay: on a loaded machine the start-up alone may take longer
    await new Promise<void>((res) => child.stderr.setEncoding('utf8').on('data', (d: string) => { if (/strata check: /.test(d)) res(); }));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(130);
    expect(out).toMatch(/INTERRUPTED by SIGINT/);
    const doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ResultDocument;
    expect(resultValidator()(doc)).toBe(true);
    expect(doc.interrupted).toEqual({ signal: 'SIGINT' });
    expect(doc.verdict).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(doc.check!.variantsAsked).toBe(2);
    expect(readFileSync(join(dir, 'r.tap'), 'utf8')).toMatch(/# SKIP not run: interrupted by SIGINT\n$/);
  });
});

describe('strata conform reports', () => {
  const unavailable = executorUnavailableReason(DEFAULT_BINARY);

  it('when the executor cannot run here: one line, exit 2, and the reports say it was skipped, with the reason', async () => {
    const dir = tmp();
    const r = await strata(['conform', '--executor', '/nonexistent/strata-exec', '--reporter', 'ktap=k.tap', '--reporter', 'junit=j.xml', '--reporter', 'json=c.json'], { cwd: dir });
    const line = 'the live-kernel executor is not built (/nonexistent/strata-exec is missing): run "sh conformance/build.sh" (npm ci runs it)';
    expect(r.stderr).toBe(`strata conform: ${line}\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'k.tap'), 'utf8')).toBe(`KTAP version 1\n1..1\nok 1 conform linux # SKIP ${line}\n`);
    const doc = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as ResultDocument;
    expect(resultValidator()(doc)).toBe(true);
    expect(doc.verdict.status).toBe('unavailable');
    expect(readFileSync(join(dir, 'j.xml'), 'utf8')).toContain(`<skipped message="${line.replace(/"/g, '&quot;')}"/>`);
  });

  it('a discrepancy (a stand-in executor that lies about getpid): every report names it', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const dir = tmp();
    const liar = lyingExecutor(dir);
    const r = await strata(['conform', '--executor', liar, '--runs', '30', '--seed', '1', '--max-ops', '12', '--kernel-budget', '40', '--out', 'out', '--no-table',
      '--reporter', 'junit=r.xml', '--reporter', 'sarif=r.sarif', '--reporter', 'json=r.json', '--reporter', 'ktap=r.tap', '--reporter', 'github=s.md', '--reporter', 'html=h'], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ResultDocument;
    const v = resultValidator();
    expect(v(doc), JSON.stringify(v.errors)).toBe(true);
    expect(doc.conform!.discrepancies.map((d) => d.signature)).toEqual(['probe: allow | errno']);
    expect(doc.conform!.counts.discrepancies).toBeGreaterThan(0);
    const log = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(SARIF(log)).toBe(true);
    expect(log.runs[0]!.results.map((x) => x.ruleId)).toEqual(['conform-discrepancy']);
    const junit = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).toContain('<testcase name="discrepancy: probe: allow | errno"');
    expect(tapCounts(readFileSync(join(dir, 'r.tap'), 'utf8')).ok).toBe(false);
    const md = readFileSync(join(dir, 's.md'), 'utf8');
    expect(md).toContain('### ❗ probe: allow \\| errno');
    // the document carries the model's stacks after the first differing step (the Mermaid
    // picture draws them; here the liar differs before any layer exists)
    const d0 = doc.conform!.discrepancies[0]!;
    expect(d0.stacks?.afterStep).toBe(d0.steps[0]);
    expect(d0.stacks?.tasks.map((t) => t.tid)).toContain(d0.trace[d0.steps[0]!]!.tid);
    expect(r.stdout).toContain(`::error file=${doc.conform!.discrepancies[0]!.file},title=linux`);
    // the html page of a discrepancy, as a person opens it
    const chromium = chromiumBinary();
    if (chromium === null) return; // reports/html.test.ts says why it is skipped (.ci/run installs it)
    const look = await lookAtPage(chromium, pathToFileURL(join(dir, 'h', 'index.html')).href, ['section.discrepancy', 'svg.process-tree', '.failing-step', 'pre.commands']);
    expect(look.errors).toEqual([]);
    expect(look.requests).toEqual([]);
    expect(look.counts['section.discrepancy']).toBe(1);
    expect(look.counts['svg.process-tree']).toBe(1);
    expect(look.counts['.failing-step']).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
