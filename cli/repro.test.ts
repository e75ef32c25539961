// strata repro and --reporter html: bad input is one line and exit 2; a reproducer is written
// atomically where -o says, and is C whose step functions are named after the ops.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strata } from './test-helpers.js';

const oneLine = (s: string): void => expect(s.trim().split('\n')).toHaveLength(1);

describe('strata repro', () => {
  it('writes one C file with a function per step, named after the op', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-repro-cli-'));
    try {
      const out = join(dir, 'repro.c');
      const r = await strata(['repro', 'corpus/section6/09-linux.json', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      const c = readFileSync(out, 'utf8');
      expect(c).toMatch(/^static void step_0_thread\(struct op \*o\)$/m);
      expect(c).toMatch(/^static void step_2_seccomp_filter\(struct op \*o\)$/m);
      expect(c).toMatch(/static struct sock_filter prog\[\] = \{/);
      expect(c).toMatch(/\/\* policy: ALLOW; 39->ERRNO\(1\) \*\//);
      expect(c).not.toMatch(/#include "/); // one file: every local header inlined
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad input: one line, exit 2', async () => {
    for (const args of [
      ['repro'],
      ['repro', 'no-such-file.json'],
      ['repro', 'corpus/section6/12-mutable-domains-rfc.json'],
      ['repro', 'corpus/section6/09-linux.json', '-o', '/nonexistent-dir/repro.c'],
      ['repro', 'corpus/section6/09-linux.json', '--op-timeout', 'soon'],
    ]) {
      const r = await strata(args);
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/^strata repro: /);
    }
    expect(existsSync('/nonexistent-dir')).toBe(false);
  });

  it('a scenario the C reproducer cannot express says which step and why', async () => {
    const r = await strata(['repro', 'corpus/section6/12-mutable-domains-rfc.json']);
    expect(r.stderr).toMatch(/step #\d+ \([a-z_]+\): its "[a-z]+" field exists only in a model variant/);
  });
});

describe('--reporter html', () => {
  it('needs a directory: one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-html-cli-'));
    try {
      writeFileSync(join(dir, 'file'), '');
      for (const spec of ['html', `html=${join(dir, 'file')}`, `html=${join(dir, 'missing', 'deeper')}`]) {
        const r = await strata(['check', '--variant', 'linux', '--runs', '1', '--reporter', spec]);
        expect(r.code, spec).toBe(2);
        oneLine(r.stderr);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
