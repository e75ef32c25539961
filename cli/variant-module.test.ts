// User variant modules loaded from a directory outside this repository, through the real
// executable: every file kind inside and outside an ESM package, importing nothing or strata by
// absolute path; and the ways a module can fail to load, each one line and exit 2.
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { strata, REPO } from './test-helpers.js';
import { tempDir } from '../test/tmp.js';

const BODY = `{ id: 'ID', title: 'a user design', source: 'variant-module.test.ts', semantics: SEM, opKinds: ['fork', 'probe', 'seccomp_filter'] }`;
const TYPED = `const v: { id: string; title: string; source: string; semantics: object; opKinds: string[] } = ${BODY};\nexport default v;\n`;
const PLAIN = `const v = ${BODY};\nexport default v;\n`;
const SEMANTICS = join(REPO, 'model', 'semantics.ts');

/** [file under the temp dir, source]: every one must load and check cleanly. */
const GOOD: readonly (readonly [string, string])[] = [
  ['plain/a.ts', TYPED.replace('SEM', '{}')],
  ['plain/b.mts', TYPED.replace('SEM', '{}')],
  ['plain/c.js', PLAIN.replace('SEM', '{}')],
  ['plain/d.mjs', PLAIN.replace('SEM', '{}')],
  ['plain/e.ts', `import { LINUX_SEMANTICS } from ${JSON.stringify(SEMANTICS)};\n${TYPED.replace('SEM', 'LINUX_SEMANTICS')}`],
  ['plain/f.cjs', `module.exports = ${BODY.replace('SEM', '{}')};\n`],
  ['esm/g.ts', `import { LINUX_SEMANTICS } from ${JSON.stringify(SEMANTICS)};\n${TYPED.replace('SEM', 'LINUX_SEMANTICS')}`],
  ['esm/h.js', PLAIN.replace('SEM', '{}')],
  ['cjs/i.ts', `import { LINUX_SEMANTICS } from ${JSON.stringify(SEMANTICS)};\n${TYPED.replace('SEM', 'LINUX_SEMANTICS')}`],
  ['cjs/j.mts', TYPED.replace('SEM', '{}')],
];

let dir = '';
beforeAll(() => {
  dir = tempDir('strata-usermod-');
  for (const sub of ['plain', 'esm', 'cjs', 'bad']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'esm', 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  for (const [file, src] of GOOD) writeFileSync(join(dir, file), src.replace('ID', file.replace(/[/.]/g, '-')));
  writeFileSync(join(dir, 'bad', 'syntax.ts'), "export default {\n  id: 'x',\n  title: 1 +,\n};\n");
  writeFileSync(join(dir, 'bad', 'syntax.mjs'), "export default {\n  id: 'x',,\n};\n");
  writeFileSync(join(dir, 'bad', 'exits.ts'), "process.exit(0);\nexport default {};\n");
  writeFileSync(join(dir, 'bad', 'exits.mjs'), "process.exit(5);\nexport default {};\n");
  writeFileSync(join(dir, 'bad', 'throws.ts'), "throw new Error('no config file here');\nexport default {};\n");
  writeFileSync(join(dir, 'bad', 'imports-missing.ts'), "import './missing.ts';\nexport default {};\n");
});

describe.concurrent('a variant module outside the repository loads', () => {
  for (const [file] of GOOD) {
    it(file, async () => {
      const r = await strata(['check', '--variant', `./${file}`, '-n', '20', '--no-traces'], { cwd: dir });
      // nothing but progress lines, which a loaded machine prints once the run passes 2 s
      expect(r.stderr.split('\n').filter((l) => l !== '' && !/^strata check: (\[\d+\/\d+\] |\S+ done \()/.test(l))).toEqual([]);
      expect(r.stdout.trimEnd().split('\n').pop()).toBe('ok: all 17 results match the expectation matrix');
      expect(r.stdout).toContain(file.replace(/[/.]/g, '-'));
      expect(r.code).toBe(0);
    });
  }

  it('the worked example, which imports strata by relative path, from a directory outside the repo', async () => {
    const r = await strata(['check', '--variant', join(REPO, 'variants', 'examples', 'tsync-intersect.ts'), '-n', '20', '--no-traces'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

/** [module, the one stderr line] */
const BAD: readonly (readonly [string, string])[] = [
  ['bad/syntax.ts', 'strata check: variant ./bad/syntax.ts: syntax error at bad/syntax.ts:3:13: Unexpected ","'],
  ['bad/syntax.mjs', "strata check: variant ./bad/syntax.mjs: syntax error at bad/syntax.mjs:2:11: Unexpected token ','"],
  ['bad/exits.ts', 'strata check: variant ./bad/exits.ts: called process.exit(0) while loading'],
  ['bad/exits.mjs', 'strata check: variant ./bad/exits.mjs: called process.exit(5) while loading'],
  ['bad/throws.ts', 'strata check: variant ./bad/throws.ts: threw while loading: no config file here'],
  ['bad/imports-missing.ts', "strata check: variant ./bad/imports-missing.ts: cannot be imported: Cannot find module './missing.ts'"],
];

describe.concurrent('a variant module that cannot load: one line, exit 2', () => {
  for (const [file, line] of BAD) {
    it(file, async () => {
      const r = await strata(['check', '--variant', `./${file}`, '-n', '20'], { cwd: dir });
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${line}\n`);
      expect(r.code).toBe(2);
    });
  }
});
