// The executor in environments that lack something it needs (fault injection), its work
// directory's clean-up, and what it removes of other people's files:
//  - through the real CLI: root without CAP_SYS_ADMIN (a container's default set: adapted, no
//    false discrepancy), a scenario world the executor cannot start, no CAP_MKNOD, no exec helper,
//    the executor on a noexec mount, TMPDIR noexec without a private mount namespace — each with
//    its verdict and exit status, and no process or temporary file left behind;
//  - the start-up sweep removes a dead executor's work directory and nothing else;
//  - SIGINT/SIGTERM/SIGHUP to the executor's process group remove its work directory and kill
//    the running scenario.
// Capabilities are dropped with setpriv(1) (util-linux) from the bounding set before node is
// exec'd (root's exec then keeps only the bounding set, as in a container); mounts are made in
// a private mount namespace (unshare(1) -m).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { describe, expect, test } from 'vitest';
import { DEFAULT_BINARY, encodeRun } from './runner.js';
import { parseFeatures } from './protocol.js';
import { environmentAdaptations, environmentProblem, executorUnavailableReason, worldUnavailableReason } from './availability.js';
import { CONFORM_WORLDS, conformWorlds } from './conform.js';
import { kernelSkipReason } from './skips.js';
import { fork, sys, NR } from './fixtures.js';
import { BIN, REPO, run } from '../cli/test-helpers.js';
import { formatScenario } from '../scenario/format.js';
import { scenarioOf, scenarioWorld } from '../scenario/make.js';
import { tempDir } from '../test/tmp.js';
import type { Op } from '../model/ops.js';

const unavailable = executorUnavailableReason(DEFAULT_BINARY);
const BUILD = dirname(DEFAULT_BINARY);
const TAG = `STRATA_TEST_TAG=${randomUUID()}`;
const tools = spawnSync('sh', ['-c', 'command -v setpriv && command -v unshare'], { encoding: 'utf8' }).status === 0;

/** Pids of live processes that carry this file's TAG in their environment (the CLI, the
 * executor, its coordinators and tasks before any exec). */
function tagged(): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/environ`, 'latin1').split('\0').includes(TAG)) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

interface Done {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command line with TAG and `env` in its environment; resolves when it exits. */
function runTagged(argv: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Done> {
  const [k, v] = TAG.split('=') as [string, string];
  return run(argv[0]!, argv.slice(1), { cwd: REPO, env: { [k]: v, ...env } });
}

const strataCli = (args: readonly string[]): string[] => [process.execPath, BIN, ...args];
/** Run what follows as root without the named capabilities (bounding set, so also after exec). */
const withoutCaps = (caps: string, argv: readonly string[]): string[] => ['setpriv', '--bounding-set', caps, '--inh-caps', '-all', '--', ...argv];

/** Strata's entries in a TMPDIR (tsx keeps its compile cache there too). */
const strataEntries = (dir: string): string[] => readdirSync(dir).filter((e) => !e.startsWith('tsx-'));

/** Exit 2 with exactly one line on stderr, nothing on stdout, and nothing left behind. */
function expectStopped(r: Done, tmp: string, pattern: RegExp): void {
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.code).toBe(2);
  expect(tagged()).toEqual([]);
  expect(strataEntries(tmp)).toEqual([]);
}

describe.skipIf(unavailable !== null || !tools)('fault injection through strata conform / replay --target kernel', () => {
  test('root without CAP_SYS_ADMIN (a container\'s default set): the world is adapted, one note says so, no false discrepancy, exit 0', async () => {
    const tmp = tempDir('strata-env-');
    const out = tempDir('strata-env-out-');
    const r = await runTagged(withoutCaps('-sys_admin', strataCli(['conform', '--runs', '40', '--seed', '1', '--no-traces', '--out', out])), { TMPDIR: tmp });
    expect(r.stderr).toContain('strata conform: no CAP_SYS_ADMIN: every scenario\'s first task starts without it and exec ops are skipped');
    expect(r.stdout).toContain('skipped on the kernel: the executor lacks CAP_SYS_ADMIN, which a root task\'s exec gives back in the model');
    expect(r.stdout).not.toMatch(/t100 with CAP_SYS_ADMIN/);
    expect(r.stdout).toMatch(/^ok: no unexplained discrepancy in 40 scenarios$/m);
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual([]);
    expect(tagged()).toEqual([]);
    expect(strataEntries(tmp)).toEqual([]);
  });

  test('replay --target kernel of a world whose first task has CAP_SYS_ADMIN, without it: exit 2, one line', async () => {
    const tmp = tempDir('strata-env-');
    const dir = tempDir('strata-env-scn-');
    const file = join(dir, 's.json');
    const s = scenarioOf({ variant: { id: 'linux' }, world: scenarioWorld({ capSysAdmin: true }), ops: [{ op: 'fork', task: 0 }, { op: 'observe', task: 1 }] });
    writeFileSync(file, formatScenario(s));
    const r = await runTagged(withoutCaps('-sys_admin', strataCli(['replay', '--target', 'kernel', file])), { TMPDIR: tmp });
    expectStopped(r, tmp, /^strata replay: the scenario's first task has CAP_SYS_ADMIN, which the executor lacks .*--cap-add SYS_ADMIN/);
  });

  test('without CAP_PERFMON: an open of /proc/<pid>/environ is skipped with the reason (mm_access then asks ptrace_may_access of a task without CAP_SYS_ADMIN), the other procfs files are compared, exit 0', async () => {
    const tmp = tempDir('strata-env-');
    const dir = tempDir('strata-env-scn-');
    const file = join(dir, 's.json');
    const proc = (file: 'environ' | 'mem'): Op => ({ op: 'probe', task: 1, request: { kind: 'proc', target: 0, file } });
    const s = scenarioOf({ variant: { id: 'linux' }, ops: [{ op: 'fork', task: 0 }, { op: 'ruleset_create', task: 1, fs: 0, net: 1, scoped: 0 }, { op: 'restrict_self', task: 1, ruleset: 0, flags: 0 }, proc('environ'), proc('mem')] });
    writeFileSync(file, formatScenario(s));
    const r = await runTagged(withoutCaps('-perfmon', strataCli(['replay', '--target', 'kernel', file])), { TMPDIR: tmp });
    expect(r.stdout).toContain('SKIPPED: proc environ: the executor lacks CAP_PERFMON');
    expect(r.stdout).toMatch(/#4 t101 probe open \/proc\/t100\/mem\n\s+model\s+EACCES \(landlock\)\s+│ kernel\s+EACCES/);
    expect(r.stdout).toContain('kernel: agrees with the model on every compared step');
    expect(r.code).toBe(0);
    expect(tagged()).toEqual([]);
    expect(strataEntries(tmp)).toEqual([]);
  });

  test('no CAP_MKNOD (each tree holds a device): exit 2, one line naming it', async () => {
    const tmp = tempDir('strata-env-');
    const r = await runTagged(withoutCaps('-mknod', strataCli(['conform', '--runs', '5'])), { TMPDIR: tmp });
    expectStopped(r, tmp, /^strata conform: the live-kernel executor needs CAP_MKNOD .*--cap-add MKNOD/);
  });

  test('root of a user namespace (a rootless container: no device nodes): exit 2, one line', async () => {
    const tmp = tempDir('strata-env-');
    const r = await runTagged(['unshare', '-Ur', ...strataCli(['conform', '--runs', '5'])], { TMPDIR: tmp });
    expectStopped(r, tmp, /^strata conform: the live-kernel executor cannot make a character device .*user namespace/);
  });

  test('no exec helper (build/strata-task missing beside the executor): exit 2, one line naming it and the rebuild', async () => {
    const tmp = tempDir('strata-env-');
    const copy = tempDir('strata-env-build-');
    copyFileSync(DEFAULT_BINARY, join(copy, 'strata-exec'));
    const r = await runTagged(strataCli(['conform', '--runs', '5', '--executor', join(copy, 'strata-exec')]), { TMPDIR: tmp });
    expectStopped(r, tmp, /^strata conform: the exec helper conformance\/build\/strata-task is missing .*sh conformance\/build\.sh/);
  });

  test('the executor on a noexec mount: exit 2 at once, one line naming the mount (no feature-detection timeout)', async () => {
    const tmp = tempDir('strata-env-');
    const mnt = tempDir('strata-env-noexec-');
    const script = 'mount -t tmpfs -o noexec,size=16m strata-test "$1" && cp "$2/strata-exec" "$2/strata-task" "$1/" && shift 2 && exec "$@"';
    const r = await runTagged(['unshare', '-m', 'sh', '-c', script, 'sh', mnt, BUILD, ...strataCli(['conform', '--runs', '5', '--executor', join(mnt, 'strata-exec')])], { TMPDIR: tmp });
    expectStopped(r, tmp, /^strata conform: the live-kernel executor \S+ cannot be executed: its file system is mounted noexec/);
  });

  test('TMPDIR on a noexec mount and no private mount namespace (no CAP_SYS_ADMIN): exit 2, one line', async () => {
    const tmp = tempDir('strata-env-noexec-tmp-');
    const script = 'mount -t tmpfs -o noexec,size=16m strata-test "$1" && shift && exec "$@"';
    const r = await runTagged(['unshare', '-m', 'sh', '-c', script, 'sh', tmp, ...withoutCaps('-sys_admin', strataCli(['conform', '--runs', '5']))], { TMPDIR: tmp });
    // the tmpfs went with the mount namespace; what is left to check is the host side
    expectStopped(r, tmp, /^strata conform: without a private mount namespace .* mounted noexec .*set TMPDIR/);
  });
});

/** Start strata-exec in its own process group with TMPDIR=tmp; its stdout as lines. */
function startExecutor(tmp: string): { child: ChildProcess; next: () => Promise<string> } {
  const [k, v] = TAG.split('=') as [string, string];
  const child = spawn(DEFAULT_BINARY, [], { env: { ...process.env, TMPDIR: tmp, [k]: v }, stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  const next = (): Promise<string> => (lines.length ? Promise.resolve(lines.shift()!) : new Promise((r) => waiting.push(r)));
  return { child, next };
}

async function readFeatures(x: { child: ChildProcess; next: () => Promise<string> }): Promise<string[]> {
  x.child.stdin!.write('features\n');
  const got: string[] = [];
  for (let l = await x.next(); l !== 'end'; l = await x.next()) got.push(l);
  return got;
}

const exited = (c: ChildProcess): Promise<NodeJS.Signals | number | null> =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve(c.signalCode ?? c.exitCode) : new Promise((r) => c.once('exit', (code, sig) => r(sig ?? code)));

/** Every file under `dir` with its content ('<dir>' for directories, '-> target' for links), without following links. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const r = rel ? `${rel}/${e}` : e;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[r] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[r] = '<dir>';
        walk(p, r);
      } else out[r] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

describe.skipIf(unavailable !== null)('the work directory', () => {
  test('the start-up sweep removes a dead executor\'s work directory and nothing else: not users\' strata.* files, not symlinks, not unmarked or foreign directories', async () => {
    const tmp = tempDir('strata-sweep-');
    // a genuine stale work directory: an executor killed with SIGKILL (no clean-up possible)
    const x = startExecutor(tmp);
    await readFeatures(x);
    const dead = x.child.pid!;
    process.kill(dead, 'SIGKILL');
    await exited(x.child);
    const genuine = readdirSync(tmp);
    expect(genuine).toHaveLength(1);
    const pidns = statSync('/proc/self/ns/pid').ino;
    const marker = (name: string, pid: number): string => `strata-exec ${name} ${pid} ${pidns}\n`;

    // a user's files named strata.<a dead pid>...
    const gone = spawnSync('true').pid;
    mkdirSync(join(tmp, `strata.${gone}-my-results`));
    writeFileSync(join(tmp, `strata.${gone}-my-results`, 'results.csv'), 'a,b\n');
    writeFileSync(join(tmp, `strata.${gone}.tar`), 'tarball');
    mkdirSync(join(tmp, `strata.${gone}`));
    writeFileSync(join(tmp, `strata.${gone}`, 'notes.txt'), 'mine');
    // a symlink named like a stale work directory, to a directory with a valid-looking marker
    mkdirSync(join(tmp, 'victim'), { mode: 0o700 });
    writeFileSync(join(tmp, 'victim', 'keep.txt'), 'precious');
    writeFileSync(join(tmp, 'victim', '.strata-exec'), marker(`strata-exec.${dead}.Sym123`, dead));
    symlinkSync(join(tmp, 'victim'), join(tmp, `strata-exec.${dead}.Sym123`));
    // the right name and mode but no marker; a marker naming another directory; a live pid;
    // another uid's directory
    mkdirSync(join(tmp, `strata-exec.${dead}.NoMark`), { mode: 0o700 });
    writeFileSync(join(tmp, `strata-exec.${dead}.NoMark`, 'f'), 'x');
    mkdirSync(join(tmp, `strata-exec.${dead}.Wrong1`), { mode: 0o700 });
    writeFileSync(join(tmp, `strata-exec.${dead}.Wrong1`, '.strata-exec'), marker(`strata-exec.${dead}.Other9`, dead));
    mkdirSync(join(tmp, `strata-exec.${process.pid}.Alive1`), { mode: 0o700 });
    writeFileSync(join(tmp, `strata-exec.${process.pid}.Alive1`, '.strata-exec'), marker(`strata-exec.${process.pid}.Alive1`, process.pid));
    mkdirSync(join(tmp, `strata-exec.${dead}.Other1`), { mode: 0o700 });
    writeFileSync(join(tmp, `strata-exec.${dead}.Other1`, '.strata-exec'), marker(`strata-exec.${dead}.Other1`, dead));
    chownSync(join(tmp, `strata-exec.${dead}.Other1`, '.strata-exec'), 1000, 1000);
    chownSync(join(tmp, `strata-exec.${dead}.Other1`), 1000, 1000);
    // inside the genuine one: a symlink to a directory elsewhere, which must survive
    mkdirSync(join(tmp, 'victim2'));
    writeFileSync(join(tmp, 'victim2', 'keep.txt'), 'also precious');
    symlinkSync(join(tmp, 'victim2'), join(tmp, genuine[0]!, 'link'));
    const before = snapshot(tmp);

    // a new executor starts (and ends)
    const r = spawnSync(DEFAULT_BINARY, ['--features'], { env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' });
    expect(r.status).toBe(0);

    const expected = Object.fromEntries(Object.entries(before).filter(([k]) => k !== genuine[0] && !k.startsWith(`${genuine[0]}/`)));
    expect(snapshot(tmp)).toEqual(expected);
    expect(expected['victim/keep.txt']).toBe('precious');
    expect(expected['victim2/keep.txt']).toBe('also precious');
    expect(expected[`strata.${gone}-my-results/results.csv`]).toBe('a,b\n');
  });

  test.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s to the executor\'s process group mid-scenario: it dies of it, its scenario\'s processes and its work directory are gone', async (sig) => {
    const tmp = tempDir('strata-sig-');
    const x = startExecutor(tmp);
    const f = parseFeatures(await readFeatures(x));
    const { text } = encodeRun([fork(0), sys(1, NR.pause)], {}, { id: 'sig', opTimeoutMs: 60_000, scenarioTimeoutMs: 120_000 }, f);
    x.child.stdin!.write(text);
    const started = await x.next();
    expect(started).toMatch(/^started sig \d+$/);
    const pgid = Number(started.split(' ')[2]);
    // the executor, the coordinator and both tasks (bounded wait for the fork and the pause)
    for (let k = 0; k < 500 && tagged().length < 4; k++) await new Promise((r) => setTimeout(r, 10));
    expect(tagged().length).toBeGreaterThanOrEqual(4);
    expect(strataEntries(tmp)).toHaveLength(1);
    process.kill(-x.child.pid!, sig);
    expect(await exited(x.child)).toBe(sig);
    expect(() => process.kill(-pgid, 0)).toThrow(/ESRCH/);
    expect(tagged()).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  test('SIGTERM to an idle executor: its work directory is gone', async () => {
    const tmp = tempDir('strata-sig-');
    const x = startExecutor(tmp);
    await readFeatures(x);
    expect(strataEntries(tmp)).toHaveLength(1);
    process.kill(-x.child.pid!, 'SIGTERM');
    expect(await exited(x.child)).toBe('SIGTERM');
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('the rules: what is missing stops the run, what the world can do without is adapted to', () => {
  const FULL = parseFeatures([
    'feature kernel 6.18', 'feature landlock_abi 7', 'feature seccomp_actions kill_process,errno,allow', 'feature mountns 1', 'feature netns 1',
    'feature exec_memfd 1', 'feature pidfd_thread 1', 'feature exec_image task', 'feature cap_eff 1ffffffffff', 'feature no_new_privs 0',
    'feature seccomp_mode 0', 'feature workdir_noexec 0', 'feature workdir_nodev 0', 'feature mknod 1', 'feature environ_unchecked 1', 'feature fown_group_recorded 1', 'end',
  ]);
  const env = FULL.environment!;
  const noSysAdmin = { ...FULL, mountns: false, netns: false, environment: { ...env, capEff: env.capEff & ~(1n << 21n) } };

  test('the feature reply carries the executor\'s own environment', () => {
    expect(env).toEqual({ execImage: 'task', capEff: 0x1ffffffffffn, noNewPrivs: false, seccompMode: 0, workdirNoexec: false, workdirNodev: false, mknod: true, environUnchecked: true, fownGroupRecorded: true });
    expect(parseFeatures(['feature kernel 6.18', 'end']).environment).toBeUndefined();
  });

  test('a full root environment: nothing missing, every world, nothing skipped for it', () => {
    expect(environmentProblem(FULL)).toBeNull();
    expect(conformWorlds(FULL)).toEqual(CONFORM_WORLDS);
    expect(environmentAdaptations(FULL)).toEqual([]);
    expect(kernelSkipReason({ op: 'exec', task: 0 }, 7, FULL)).toBeNull();
    expect(kernelSkipReason({ op: 'probe', task: 0, request: { kind: 'net', op: 'bind', port: 8080 } }, 7, FULL)).toBeNull();
  });

  test('no CAP_SYS_ADMIN: adapted (worlds without it, exec and net probes skipped), not stopped', () => {
    expect(environmentProblem(noSysAdmin)).toBeNull();
    expect(conformWorlds(noSysAdmin)).toEqual(CONFORM_WORLDS.filter((w) => !w.capSysAdmin));
    expect(worldUnavailableReason({ capSysAdmin: true }, noSysAdmin)).toMatch(/CAP_SYS_ADMIN/);
    expect(worldUnavailableReason({}, noSysAdmin)).toMatch(/CAP_SYS_ADMIN/); // the model's default world has it
    expect(kernelSkipReason({ op: 'exec', task: 0 }, 7, noSysAdmin)).toMatch(/lacks CAP_SYS_ADMIN/);
    expect(kernelSkipReason({ op: 'probe', task: 0, request: { kind: 'net', op: 'connect', port: 8080 } }, 7, noSysAdmin)).toMatch(/no private network namespace/);
    expect(environmentAdaptations(noSysAdmin)).toHaveLength(1);
    // a run in a world it cannot start: every op skipped with the reason, none run
    const { text } = encodeRun([fork(0), sys(1, NR.pause)], { capSysAdmin: true }, {}, noSysAdmin);
    expect(text.split('\n').filter((l) => l.startsWith('op '))).toEqual([expect.stringMatching(/^op skip 0 - .*CAP_SYS_ADMIN/), expect.stringMatching(/^op skip 1 - .*CAP_SYS_ADMIN/)]);
  });

  test('no_new_privs already set: worlds with it only', () => {
    const nnp = { ...FULL, environment: { ...env, noNewPrivs: true } };
    expect(environmentProblem(nnp)).toBeNull();
    expect(conformWorlds(nnp)).toEqual(CONFORM_WORLDS.filter((w) => w.nnp));
  });

  test('stopped, each with its one line: no helper, an inherited seccomp filter, no CAP_MKNOD, no seccomp, a noexec or nodev TMPDIR without a mount namespace', () => {
    expect(environmentProblem({ ...FULL, environment: { ...env, execImage: 'self' } })).toMatch(/strata-task is missing/);
    expect(environmentProblem({ ...FULL, environment: { ...env, seccompMode: 2 } })).toMatch(/runs under a seccomp filter/);
    expect(environmentProblem({ ...FULL, environment: { ...env, capEff: env.capEff & ~(1n << 27n) } })).toMatch(/CAP_MKNOD/);
    expect(environmentProblem({ ...FULL, environment: { ...env, mknod: false } })).toMatch(/cannot make a character device.*user namespace/);
    expect(environmentProblem({ ...FULL, seccompActions: [] })).toMatch(/no seccomp filters/);
    expect(environmentProblem({ ...noSysAdmin, environment: { ...noSysAdmin.environment, workdirNoexec: true } })).toMatch(/mounted noexec/);
    expect(environmentProblem({ ...noSysAdmin, environment: { ...noSysAdmin.environment, workdirNodev: true } })).toMatch(/mounted nodev/);
    // with a private mount namespace the tree is a tmpfs of its own: TMPDIR's flags do not matter
    expect(environmentProblem({ ...FULL, environment: { ...env, workdirNoexec: true, workdirNodev: true } })).toBeNull();
    for (const p of [environmentProblem({ ...FULL, environment: { ...env, execImage: 'self' } }), worldUnavailableReason({}, noSysAdmin)]) expect(p).not.toContain('\n');
  });
});
