// Every class of bad input: one line on stderr naming the problem, nothing on stdout, exit 2.
// And --help on every command: exit 0, the usage on stdout.
import { describe, it, expect, beforeAll } from 'vitest';
import { tempDir } from '../test/tmp.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strata } from './test-helpers.js';
import { formatScenario } from '../scenario/format.js';
import { sampleScenario } from '../scenario/sample.js';

let dir = '';
beforeAll(() => {
  dir = tempDir('strata-usage-');
  writeFileSync(join(dir, 'not-json.json'), '{"strata": "scenario", ');
  const bad = JSON.parse(formatScenario(sampleScenario()));
  bad.ops[3].task = 'first';
  writeFileSync(join(dir, 'bad-task.json'), JSON.stringify(bad));
  writeFileSync(join(dir, 'v2.json'), JSON.stringify({ ...bad, version: 3 }));
  writeFileSync(join(dir, 'unknown-variant.json'), formatScenario({ ...sampleScenario(), variant: { id: 'nonesuch' } }));
  writeFileSync(join(dir, 'a-file'), 'x');
  writeFileSync(join(dir, 'no-default.mjs'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'bad-field.mjs'), "export default { id: 'bad', title: 't', source: 's', opKinds: ['fork'], semantics: { modify: 'all' } };\n");
  writeFileSync(join(dir, 'syntax-error.mjs'), 'export default {\n');
});

/** [what, args, the one stderr line (exact, or a pattern)] */
type Case = readonly [string, readonly string[], string | RegExp];

const CASES: readonly Case[] = [
  ['missing command', [], 'strata: missing command (check, merge, explore, replay, conform, repro, list); strata --help for more'],
  ['unknown command', ['chekc'], 'strata: unknown command "chekc" (commands: check, merge, explore, replay, conform, repro, list)'],
  ['flag before the command', ['--runs', '5'], 'strata: expected a command before --runs (commands: check, merge, explore, replay, conform, repro, list)'],
  ['help for an unknown command', ['help', 'nope'], 'strata: unknown command "nope" (commands: check, merge, explore, replay, conform, repro, list)'],
  ['unknown flag', ['check', '--frobnicate'], 'strata check: unknown option --frobnicate'],
  ['misspelt flag', ['check', '--run', '5'], 'strata check: unknown option --run (did you mean --runs?)'],
  ['unknown short flag', ['check', '-x'], 'strata check: unknown option -x'],
  ['missing value', ['check', '--runs'], 'strata check: option --runs needs a value'],
  ['missing value before a flag', ['check', '--seed', '--runs', '5'], 'strata check: option --seed needs a value (for one starting with "-", write --seed=-…)'],
  ['value for a switch', ['check', '--no-traces=yes'], 'strata check: option --no-traces takes no value'],
  ['value for --coverage', ['check', '--coverage=1'], 'strata check: option --coverage takes no value'],
  ['stray argument', ['check', 'linux'], 'strata check: unexpected argument "linux"'],
  ['tree unknown', ['check', '--tree', 'forest'], 'strata check: --tree must be one of default, mounts (got "forest")'],
  ['runs not a number', ['check', '--runs', 'many'], 'strata check: --runs must be an integer in 1..10000000 (got "many")'],
  ['runs zero', ['check', '--runs', '0'], 'strata check: --runs must be an integer in 1..10000000 (got 0)'],
  ['seed not an integer', ['check', '--seed', '1.5'], 'strata check: --seed must be an integer in -2147483648..2147483647 (got "1.5")'],
  ['seed out of range', ['check', '--seed=99999999999'], 'strata check: --seed must be an integer in -2147483648..2147483647 (got 99999999999)'],
  ['max-ops negative', ['check', '--max-ops=-3'], 'strata check: --max-ops must be an integer in 1..10000 (got -3)'],
  ['bad duration', ['check', '--time-budget', 'soon'], 'strata check: --time-budget must be a positive duration such as 30s, 1500ms or 2m (got "soon")'],
  ['unknown variant id', ['check', '--variant', 'linux,nonesuch'], /^strata check: variant nonesuch: is neither a built-in variant \(linux, .*\) nor a module path$/],
  ['missing variant module', ['check', '--variant', './nowhere.ts'], /^strata check: variant \.\/nowhere\.ts: cannot be imported: /],
  ['module without default export', ['check', '--variant', 'DIR/no-default.mjs'], 'strata check: variant DIR/no-default.mjs: has no default export (export default { id, title, ... })'],
  ['module with a bad field', ['check', '--variant', 'DIR/bad-field.mjs'], 'strata check: variant DIR/bad-field.mjs: field `semantics.modify` must be one of none, current, handle (got "all")'],
  ['module that does not parse', ['check', '--variant', 'DIR/syntax-error.mjs'], /^strata check: variant DIR\/syntax-error\.mjs: syntax error at \/.*\/syntax-error\.mjs:2: Unexpected end of input$/],
  ['empty --variant=', ['check', '--variant='], 'strata check: --variant needs a variant id or module path (got "")'],
  ['--variant with only a comma', ['check', '--variant', ','], 'strata check: --variant needs a variant id or module path in every comma-separated item (got ",")'],
  ['--variant with an empty item', ['check', '-v', 'linux,,exec-reset'], 'strata check: --variant needs a variant id or module path in every comma-separated item (got "linux,,exec-reset")'],
  ['empty --property=', ['check', '--property='], 'strata check: --property needs a property id (got "")'],
  ['empty --out=', ['check', '--out='], 'strata check: --out needs a directory (got ""; for the current directory write --out .)'],
  ['unknown property', ['check', '-p', 'I2,I99'], /^strata check: unknown property "I99" \(known: I1, I2, .*non-interference, tracer-bounded, signal-scope\)$/],
  ['out is a file', ['check', '--out', 'DIR/a-file/sub'], /^strata check: --out DIR\/a-file\/sub: .*a-file is not a directory$/],
  ['replay without a file', ['replay'], 'strata replay: missing the scenario file (strata replay <scenario.json>)'],
  ['replay two files', ['replay', 'a.json', 'b.json'], 'strata replay: unexpected extra argument "b.json"'],
  ['replay a missing file', ['replay', 'DIR/none.json'], 'strata replay: DIR/none.json: cannot read: no such file or directory (ENOENT)'],
  ['replay a directory', ['replay', 'DIR'], 'strata replay: DIR: cannot read: illegal operation on a directory (EISDIR)'],
  ['replay a device that never ends', ['replay', '/dev/zero'], 'strata replay: /dev/zero: cannot read: not a regular file (a device or socket)'],
  ['replay non-JSON', ['replay', 'DIR/not-json.json'], 'strata replay: DIR/not-json.json: not valid JSON (Expected double-quoted property name at line 1 column 24)'],
  ['replay a malformed field', ['replay', 'DIR/bad-task.json'], 'strata replay: DIR/bad-task.json: /ops/3/task: must be integer'],
  ['replay an unknown version', ['replay', 'DIR/v2.json'], 'strata replay: DIR/v2.json: /version: unsupported scenario version 3 (this strata reads versions 1 and 2; it writes 2)'],
  ['replay an unknown variant', ['replay', 'DIR/unknown-variant.json'], 'strata replay: DIR/unknown-variant.json: variant "nonesuch" is not built in and the file names no variant.module'],
  ['list takes no arguments', ['list', 'all'], 'strata list: unexpected argument "all"'],
];

describe.concurrent('bad input: one line, exit 2', () => {
  for (const [what, args, line] of CASES) {
    it(what, async () => {
      const r = await strata(args.map((a) => a.replace('DIR', dir)));
      const want = typeof line === 'string' ? line.replace('DIR', dir) : line;
      expect(r.stdout).toBe('');
      expect(r.stderr.endsWith('\n')).toBe(true);
      const lines = r.stderr.slice(0, -1).split('\n');
      expect(lines).toHaveLength(1);
      if (typeof want === 'string') expect(lines[0]).toBe(want);
      else expect(lines[0]!.replace(dir, 'DIR')).toMatch(want);
      expect(r.code).toBe(2);
    });
  }
});

describe.concurrent('--help', () => {
  for (const args of [['--help'], ['-h'], ['help'], ['help', 'check'], ['check', '--help'], ['check', '--runs', 'x', '-h'], ['replay', '--help'], ['conform', '--help'], ['list', '--help']]) {
    it(args.join(' '), async () => {
      const r = await strata(args);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const cmd = args.find((a) => ['check', 'replay', 'conform', 'list'].includes(a));
      expect(r.stdout.split('\n')[0]).toBe(cmd ? `Usage: strata ${cmd} ${cmd === 'list' ? '' : cmd === 'replay' ? '[options] <scenario.json>' : '[options]'}`.trimEnd() : 'Usage: strata <command> [options]');
      expect(r.stdout).toMatch(/Exit status: 0/);
    });
  }

  it('--version', async () => {
    const r = await strata(['--version']);
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: 'strata 0.1.0\n' });
  });
});
