// The (op kind, result) table is read off the model's code, and held to it here: every errno
// an op handler's file can return is listed for that file, every pair names an errno its file
// returns, and every op kind has its success.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OP_NAMES } from '../model/ops.js';
import { ERRNO } from '../model/errno.js';
import { OP_RESULTS, NOT_RETURNED, NEVER_SUCCEEDS, resultKey, opResultId } from './op-results.js';

const ROOT = join(import.meta.dirname, '..');
const source = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
/** The errno names a model file returns (`ERRNO.X` anywhere in it). */
const errnosIn = (file: string): Set<string> => new Set([...source(file).matchAll(/ERRNO\.([A-Z0-9]+)/g)].map((m) => m[1]!));
/** Files whose errnos also come back through another file's handler. */
const THROUGH: Readonly<Record<string, readonly string[]>> = {
  // seccomp_filter and modify return the program check's errno (err(chk.errno))
  'model/seccomp/filter.ts': ['model/bpf/check.ts', 'model/maps/syscalls.ts'],
  'model/modify.ts': ['model/bpf/check.ts'],
  // add_rule and restrict_self return get_ruleset_from_fd's errno (ruleset-fd.ts)
  'model/landlock/syscalls.ts': ['model/landlock/ruleset-fd.ts'],
  'model/landlock/restrict.ts': ['model/landlock/ruleset-fd.ts'],
};

/** A probe's own result is always its decided outcome (`probe`): the errnos in its file are
 * outcomes of the request (the seccomp and Landlock corners), not results of the op. */
const OUTCOME_FILES: ReadonlySet<string> = new Set(['model/probe.ts']);

describe('the (op kind, result) table', () => {
  const files = [...new Set(OP_RESULTS.map((d) => d.where))].filter((f) => !OUTCOME_FILES.has(f));

  it('lists every errno each cited handler file can return, for that file', () => {
    for (const f of files) {
      const listed = new Set(OP_RESULTS.filter((d) => d.where === f).map((d) => d.result));
      for (const e of errnosIn(f)) expect(listed, `${f} returns ${e}`).toContain(e);
      for (const t of THROUGH[f] ?? []) for (const e of errnosIn(t)) expect(listed, `${f} returns ${e} from ${t}`).toContain(e);
    }
  });

  it('names only results its file returns', () => {
    for (const d of OP_RESULTS) {
      if (d.result === 'ok') continue;
      if (d.result === 'tsync_fail') {
        expect(source(d.where), `${d.op} ${d.result}`).toContain(`kind: 'tsync_fail'`);
        continue;
      }
      expect(Object.keys(ERRNO), d.result).toContain(d.result);
      const from = [d.where, ...(THROUGH[d.where] ?? [])].some((f) => errnosIn(f).has(d.result));
      expect(from, `${d.op} → ${d.result} in ${d.where}`).toBe(true);
    }
  });

  it('has every op kind succeeding (but those that never do, with the reason), and each pair once', () => {
    for (const op of OP_NAMES) expect(OP_RESULTS.some((d) => d.op === op && d.result === 'ok'), op).toBe(!NEVER_SUCCEEDS.includes(op));
    const ids = OP_RESULTS.map((d) => opResultId(d.op, d.result));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says why each thing the model never returns cannot be reached', () => {
    expect(NOT_RETURNED.length).toBeGreaterThan(0);
    for (const n of NOT_RETURNED) expect(n.why.length, n.what).toBeGreaterThan(20);
  });

  it('counts a result under ok, its errno name, or its kind', () => {
    expect(resultKey({ kind: 'ok', ret: 3 })).toBe('ok');
    expect(resultKey({ kind: 'observe', state: { seccompMode: 0, filterCount: 0, nnp: false, landlockLayers: 0 } })).toBe('ok');
    expect(resultKey({ kind: 'err', errno: ERRNO.E2BIG })).toBe('E2BIG');
    expect(resultKey({ kind: 'tsync_fail', tid: 101 })).toBe('tsync_fail');
    expect(resultKey({ kind: 'stopped', outcome: { kind: 'kill_process' } })).toBe('stopped');
    expect(resultKey({ kind: 'killed', scope: 'thread', signal: 'SIGKILL' })).toBe('killed');
    expect(resultKey({ kind: 'invalid', reason: 'x' })).toBe('invalid');
  });
});
