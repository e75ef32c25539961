// The umount op on the wire and in the executor (native/umount_op.c): the task's umount2(path, 0)
// on the tree's mounts, in fs/namespace.c's order (lookup ENOENT, may_mount EPERM, path_mounted
// and check_mnt EINVAL, Landlock's hook_sb_umount EPERM, propagate_mount_busy EBUSY), and only
// the tasks' own working directories keep a mount busy.
import { describe, expect, test } from 'vitest';
import type { Op } from '../model/ops.js';
import { mountsFsTree } from '../model/landlock/fstree.js';
import type { Request } from '../model/request.js';
import { encodeScenario, type EncodeOptions } from './protocol.js';
import { DEFAULT_BINARY } from './runner.js';
import { kx, f, useSharedExecutor } from './shared-executor.js';
import { executorUnavailableReason } from './availability.js';
import { E, FS, RET, dropCap, filter, fork, observe, onNr, probe, restrict, ruleset, thread } from './fixtures.js';

const NR_CLOSE_RANGE = 436;

const umount = (path: string, task = 0): Op => ({ op: 'umount', task, path }) as Op;
const chdir = (path: string, task = 0): Op => ({ op: 'chdir', task, path }) as Op;
const fs = (access: string, path: string, task = 0): Op => probe(task, { kind: 'fs', access, path } as Request);

const ok = (ret = 0) => ({ kind: 'ok', ret });
const err = (errno: number) => ({ kind: 'err', errno });

describe('encodeScenario', () => {
  const o: EncodeOptions = {
    id: 't', opTimeoutMs: 100, scenarioTimeoutMs: 200, nnp: false, capSysAdmin: true, netns: false, noAnswer: false, skips: [],
    fs: mountsFsTree(),
  };
  test('umount <path>, an absolute model path', () => {
    const { text, invalid } = encodeScenario([umount('/c/m'), umount('/c m', 1)], o);
    expect(invalid.size).toBe(0);
    expect(text.split('\n').filter((l) => l.startsWith('op '))).toEqual(['op umount 0 - /c/m', 'op umount 1 - /c%20m']);
  });
  test('a relative path, or one with "..", is invalid', () => {
    const { text, invalid } = encodeScenario([umount('c/m'), umount('/c/../c/m')], o);
    expect([...invalid.keys()]).toEqual([0, 1]);
    expect(text).not.toContain('op umount');
  });
});

const unavailable = executorUnavailableReason(DEFAULT_BINARY);

describe.skipIf(unavailable !== null)('the executor', () => {
  useSharedExecutor();

  const world = { fs: mountsFsTree() };

  test('ENOENT, EINVAL (no mount root, the detached mount), EBUSY (a working directory), then 0: the bind mount is gone', async (ctx) => {
    ctx.skip(!f.mountns, 'no private mount namespace here: every op is a skip');
    const t = await kx.run([
      umount('/nope'), umount('/a'), umount('/d'), umount('/d/s'), umount('/'), umount('/c/m/g'),
      chdir('/c/m'), umount('/c/m'), chdir('/'), umount('/c/m'),
      // /c/m is the tree's empty directory again; a mutating probe does not bind it again
      fs('read_file', '/c/m/g'), umount('/c/m'), fs('make_reg', '/c/m'), fs('read_dir', '/c/m'), fs('read_file', '/c/m/g'),
      fs('read_file', '/a/s/g'), fs('read_file', '/d/s/g'),
    ], world);
    expect(t.status).toBe('ok');
    expect(t.cleanup).toBe('clean');
    const r = t.steps.map((s) => s.result);
    const returned = { kind: 'probe', outcome: { kind: 'returned', ret: 0 } };
    const errno = (e: number) => ({ kind: 'probe', outcome: { kind: 'errno', errno: e } });
    expect(r).toEqual([
      err(E.ENOENT), err(E.EINVAL), err(E.EINVAL), err(E.EINVAL), err(E.EINVAL), err(E.EINVAL),
      ok(), err(E.EBUSY), ok(), ok(),
      errno(E.ENOENT), err(E.EINVAL), returned, returned, errno(E.ENOENT),
      returned, returned,
    ]);
  });

  test('EPERM without CAP_SYS_ADMIN (before EINVAL), and in a domain handling an fs right (after EINVAL, before EBUSY)', async (ctx) => {
    ctx.skip(!f.mountns, 'no private mount namespace here: every op is a skip');
    ctx.skip(f.landlockAbi < 1, 'this kernel has no Landlock');
    const t = await kx.run([
      fork(0), dropCap(1), umount('/nope', 1), umount('/a', 1), umount('/d', 1), umount('/c/m', 1),
      // a domain that handles no fs right (only a scope) leaves umount alone: the busy check answers
      chdir('/c/m', 1), ruleset(0, 0, 0, 1), restrict(0, 0), umount('/c/m'),
      ruleset(0, FS.EXECUTE), restrict(0, 1), umount('/nope'), umount('/a'), umount('/d'), umount('/c/m'),
    ], world);
    expect(t.status).toBe('ok');
    const r = t.steps.map((s) => s.result);
    expect(r).toEqual([
      ok(101), ok(), err(E.ENOENT), err(E.EPERM), err(E.EPERM), err(E.EPERM),
      ok(), ok(3), ok(), err(E.EBUSY),
      ok(4), ok(), err(E.ENOENT), err(E.EINVAL), err(E.EINVAL), err(E.EPERM),
    ]);
  });

  test('a thread\'s working directory is its group\'s: EBUSY until it leaves', async (ctx) => {
    ctx.skip(!f.mountns, 'no private mount namespace here: every op is a skip');
    const t = await kx.run([thread(0), chdir('/c/m/.', 1), umount('/c/m'), chdir('..', 1), umount('/c/m', 1), chdir('/c/m', 1)], world);
    expect(t.steps.map((s) => s.result)).toEqual([ok(101), ok(), err(E.EBUSY), ok(), ok(), ok()]);
  });

  test('a disposable child killed holding a descriptor on the mount does not keep it busy (the coordinator waits for its exit)', async (ctx) => {
    ctx.skip(!f.mountns, 'no private mount namespace here: every op is a skip');
    // the child's probe opens /c/m/g, the filter kills it at the close_range: its parent resumes at
    // the child's mm_release, before its exit_files (kernel/exit.c:do_exit). Without the wait the
    // umount was EBUSY in ~2% of runs on the test machine.
    const table = { syscalls: [], landlock: [{ kind: 'fs' as const, access: 'read_file' as const, path: '/c/m/g' }] };
    for (let k = 0; k < 50; k++) {
      const t = await kx.run([filter(0, onNr(NR_CLOSE_RANGE, RET.KILL_PROCESS)), observe(0), umount('/c/m')], world, { table });
      expect(t.status).toBe('ok');
      expect(t.tables?.[0]?.result).toEqual({ kind: 'probe', outcome: { kind: 'kill_process', signal: null, alone: true } });
      expect(t.steps[2]!.result).toEqual(ok());
    }
  });

  test('an executor descriptor left in a task\'s table by a killed thread: skip, with the reason', async (ctx) => {
    ctx.skip(!f.mountns, 'no private mount namespace here: every op is a skip');
    const t = await kx.run([thread(0), filter(1, onNr(NR_CLOSE_RANGE, RET.KILL_THREAD)), fs('read_file', '/c/m/g', 1), umount('/c/m')], world);
    const r = t.steps.map((s) => s.result);
    expect(r[2]!.kind).toBe('probe');
    expect(r[3]).toMatchObject({ kind: 'skip' });
    expect((r[3] as { reason: string }).reason).toMatch(/descriptor 3, left in task 100's table .* holds the mount/);
  });
});
