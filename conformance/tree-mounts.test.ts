// A tree's own mounts (model/landlock/fstree.ts `mounts`) on the wire and in the executor
// (native/fstree.c): a bind mount is crossed by the kernel, a detached one is reached through
// its descriptor, which every task, thread, fork and exec'd image keeps at the same number.
import { describe, expect, test } from 'vitest';
import type { Op } from '../model/ops.js';
import { mountsFsTree } from '../model/landlock/fstree.js';
import type { Request } from '../model/request.js';
import { encodeScenario, type EncodeOptions } from './protocol.js';
import { DEFAULT_BINARY } from './runner.js';
import { kx, f, useSharedExecutor } from './shared-executor.js';
import { executorUnavailableReason } from './availability.js';
import { FS, exec, exit, fork, probe, restrict, rulePath, ruleset, thread } from './fixtures.js';

const EXDEV = 18;
const EBUSY = 16;
const EACCES = 13;

const fs = (access: string, path: string, task = 0): Op => probe(task, { kind: 'fs', access, path } as Request);
const move = (kind: 'rename' | 'link' | 'exchange', from: string, to: string, task = 0): Op => probe(task, { kind, from, to });
const chdir = (path: string, task = 0): Op => ({ op: 'chdir', task, path }) as Op;

describe('encodeScenario', () => {
  test('one mount line per mount, after the fs lines', () => {
    const o: EncodeOptions = {
      id: 't', opTimeoutMs: 100, scenarioTimeoutMs: 200, nnp: false, capSysAdmin: true, netns: false, noAnswer: false, skips: [],
      fs: { entries: [{ path: '/a', type: 'dir' }, { path: '/c m', type: 'dir' }], mounts: [{ source: '/a', at: '/c m' }, { source: '/a', at: '/d', detached: true }] },
    };
    expect(encodeScenario([], o).text.split('\n')).toEqual([
      'scenario t 100 200 0 1 - 0', 'fs d /a', 'fs d /c%20m', 'mount bind /a /c%20m', 'mount detached /a /d', 'end', '',
    ]);
  });
});

const unavailable = executorUnavailableReason(DEFAULT_BINARY);

describe.skipIf(unavailable !== null)('the executor', () => {
  useSharedExecutor();

  const world = { fs: mountsFsTree() };

  test('paths through a bind and a detached mount; EXDEV across mounts, EBUSY on a mount point, a detached root invalid', async (ctx) => {
    ctx.skip(!f.mountns, 'no private mount namespace here: every op is a skip');
    const t = await kx.run([
      fs('read_file', '/c/m/g'), fs('read_file', '/d/s/g'), fs('read_dir', '/d'),
      move('rename', '/c/m/g', '/a/s'), move('link', '/d/f', '/b'), move('exchange', '/c/m/g', '/a/s/g'), move('link', '/d/f', '/d/s'),
      fs('remove_dir', '/c/m'), move('rename', '/c/m', '/b'),
      fs('remove_dir', '/d'), move('rename', '/d', '/b'), move('exchange', '/a', '/d'),
      // the same file removed twice: it is put back, as the same inode, after each
      fs('remove_file', '/c/m/g'), fs('remove_file', '/c/m/g'), fs('remove_file', '/d/s/g'), fs('read_file', '/a/s/g'),
    ], world);
    expect(t.status).toBe('ok');
    expect(t.cleanup).toBe('clean');
    const r = t.steps.map((s) => s.result);
    const ok = { kind: 'probe', outcome: { kind: 'returned', ret: 0 } };
    const errno = (e: number) => ({ kind: 'probe', outcome: { kind: 'errno', errno: e } });
    expect(r.slice(0, 9)).toEqual([ok, ok, ok, errno(EXDEV), errno(EXDEV), errno(EXDEV), ok, errno(EBUSY), errno(EBUSY)]);
    expect(r.slice(9, 12).map((x) => x.kind)).toEqual(['invalid', 'invalid', 'invalid']);
    expect(r.slice(12)).toEqual([ok, ok, ok, ok]);
  });

  test('a detached mount\'s descriptor is in every task: fork, exec\'d image, a thread whose leader exited; `..` at its root stays', async (ctx) => {
    ctx.skip(!f.mountns, 'no private mount namespace here: every op is a skip');
    const t = await kx.run([
      fork(0), exec(1), fs('read_file', '/d/f', 1), thread(1), { ...exit(1), tid: 101 } as Op, fs('read_file', '/d/s/g', 1),
      chdir('/d', 1), fs('read_file', 's/g', 1), chdir('..', 1), fs('read_file', 'f', 1),
      // a rule on /c reaches /c/m/g (the walk goes up from the bind mount's root to /c); a rule
      // on the tree's root does not reach /d/f (the walk stops at the detached mount's root)
      ruleset(1, FS.READ_FILE), rulePath(1, 0, '/c', FS.READ_FILE), rulePath(1, 0, '/', FS.READ_FILE), restrict(1, 0),
      fs('read_file', '/c/m/g', 1), fs('read_file', 's/g', 1), fs('read_file', '/a/s/g', 1),
    ], world);
    expect(t.status).toBe('ok');
    const r = t.steps.map((s) => s.result);
    const ok = { kind: 'probe', outcome: { kind: 'returned', ret: 0 } };
    expect(r.map((x) => x.kind)).toEqual(['ok', 'ok', 'probe', 'ok', 'ok', 'probe', 'ok', 'probe', 'ok', 'probe', 'ok', 'ok', 'ok', 'ok', 'probe', 'probe', 'probe']);
    expect([r[2], r[5], r[7], r[9], r[14], r[16]]).toEqual([ok, ok, ok, ok, ok, ok]);
    expect(r[15]).toEqual({ kind: 'probe', outcome: { kind: 'errno', errno: EACCES } });
  });
});
