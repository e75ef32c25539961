// Fault injection through the real executable: what `strata conform` and `strata replay --target
// kernel` say, and with which exit status, when the executor is killed from outside, when it
// crashes on every scenario, when ops time out, when a task is killed from outside, and when the
// run is interrupted (SIGINT, SIGTERM, SIGHUP; strata check too); after each, no process of the
// executor's tree and no work directory of strata's is left. The live-kernel cases need root and
// the built executor (skipped otherwise).
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../cli/test-helpers.js';
import { tempDir } from '../test/tmp.js';
import { DEFAULT_BINARY } from './runner.js';
import { executorUnavailableReason } from './availability.js';
import { childrenOf, alive, sessionOf, processesInSessions, waitFor } from './process-watch.js';
import { formatScenario } from '../scenario/format.js';
import { scenarioOf } from '../scenario/make.js';
import { loadScenario } from '../scenario/load.js';
import { fork, observe, sys, NR } from './fixtures.js';

const unavailable = executorUnavailableReason(DEFAULT_BINARY);

interface Run {
  readonly pid: number;
  readonly done: () => boolean;
  readonly result: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** A fresh directory with `tmp/`, the TMPDIR the command (and so its executor) runs with. */
function workDir(): { dir: string; tmp: string } {
  const dir = tempDir('strata-faults-');
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  return { dir, tmp };
}

/** Start `strata ...args` in its own process group (as a shell job would be). */
function start(args: readonly string[], cwd: string, tmp: string): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, CI: '', STRATA_DEBUG: '', TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  let finished = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const result = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      finished = true;
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { pid: child.pid!, done: () => finished, result };
}

function isExecutor(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!.endsWith('strata-exec');
  } catch {
    return false;
  }
}

/** What the tests saw of the executor's process tree: to check that none of it is left. */
class Tree {
  readonly executors = new Set<number>();
  /** Scenario sessions (a coordinator's pid is its session's id; its tasks may leave its process
   * group, never its session). */
  readonly sessions = new Set<number>();

  /** A scenario in progress, not one of `skip`: its executor, coordinator and initial task. A
   * task alive means the coordinator has not finished, so the executor has not replied yet. */
  async midScenario(run: Run, skip: ReadonlySet<number> = new Set()): Promise<{ executor: number; coordinator: number; task: number } | null> {
    return waitFor(() => {
      const executor = childrenOf(run.pid).find(isExecutor);
      if (executor === undefined) return null;
      this.executors.add(executor);
      // a scenario's coordinator leads its own session (executor.c). A feature probe's child may
      // lead a process group of its own (features.c:child_fown_group), never a session.
      const coordinator = childrenOf(executor).find((c) => !skip.has(c) && sessionOf(c) === c);
      if (coordinator === undefined) return null;
      this.sessions.add(coordinator);
      const task = childrenOf(coordinator)[0];
      return task === undefined ? null : { executor, coordinator, task };
    }, run.done);
  }

  /** Processes of the tree still alive. */
  leftovers(): number[] {
    return [...[...this.executors].filter(alive), ...processesInSessions(this.sessions)];
  }
}

/** strata's own entries in a TMPDIR (tsx keeps a cache there too). */
const strataEntries = (tmp: string): string[] => readdirSync(tmp).filter((e) => e.startsWith('strata'));

const lastLines = (out: string, n: number): string => out.trimEnd().split('\n').slice(-n).join('\n');

/** stderr holds nothing but progress lines (a slow run prints one every 10 s off a terminal). */
function expectOnlyProgress(stderr: string): void {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines.filter((l) => !/^strata (conform|check|replay): \d+(\/\d+)? /.test(l) && !/^strata (conform|check|replay): [^ ]+ (done|\d)/.test(l))).toEqual([]);
}

describe('fault injection: the executor', () => {
  it('killed from outside in the middle of scenarios: those kernel runs did not finish, exit 1', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const { dir, tmp } = workDir();
    const run = start(['conform', '--runs', '150', '--seed', '3', '--no-traces', '--out', 'out'], dir, tmp);
    const tree = new Tree();
    let kills = 0;
    for (let k = 0; k < 3; k++) {
      const s = await tree.midScenario(run);
      if (!s) break;
      process.kill(s.executor, 'SIGKILL');
      kills++;
    }
    const r = await run.result;
    expect(kills, r.stdout).toBe(3);
    expectOnlyProgress(r.stderr);
    expect(r.code, r.stdout).toBe(1);
    const m = /\nFAIL: (\d+) kernel runs? of \d+ did not finish \(timeout or executor failure\): \d+ steps? not compared because of it\n/.exec(r.stdout);
    expect(m, lastLines(r.stdout, 12)).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(1);
    expect(r.stdout).toContain('executor error: the executor failed: exited (SIGKILL)');
    expect(r.stdout).not.toMatch(/\nok: /);
    expect(tree.leftovers()).toEqual([]);
    expect(strataEntries(tmp)).toEqual([]);
  });

  it('crashing on every scenario: nothing compared, every kernel run unfinished, exit 1', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const { dir, tmp } = workDir();
    // a stand-in that detects features like the executor, then dies of SIGSEGV on any scenario
    const crasher = join(dir, 'crashing-exec.mjs');
    writeFileSync(crasher, `#!${process.execPath}
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
if (process.argv.includes('--sweep')) process.exit(0); // the runner's sweep after an abnormal exit
appendFileSync(${JSON.stringify(join(dir, 'pids'))}, process.pid + '\\n');
createInterface({ input: process.stdin }).on('line', (l) => {
  if (l === 'features') process.stdout.write(execFileSync(${JSON.stringify(DEFAULT_BINARY)}, ['--features'], { encoding: 'utf8' }));
  else if (l.startsWith('scenario ')) process.kill(process.pid, 'SIGSEGV');
});
`);
    chmodSync(crasher, 0o755);
    const run = start(['conform', '--executor', crasher, '--runs', '12', '--seed', '4', '--no-traces', '--out', 'out'], dir, tmp);
    const r = await run.result;
    expectOnlyProgress(r.stderr);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/\nFAIL: 12 kernel runs of 12 did not finish \(timeout or executor failure\): \d+ steps not compared because of it\n/);
    expect(r.stdout).toMatch(/\nFAIL: nothing was compared: 0 of \d+ steps\n/);
    expect(r.stdout).toContain('executor error: the executor failed: exited (SIGSEGV)');
    expect(r.stdout).not.toMatch(/\nok: /);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.unfinished.json'))).toHaveLength(12);
    const pids = readFileSync(join(dir, 'pids'), 'utf8').trim().split('\n').map(Number);
    expect(pids.length).toBe(12);
    expect(pids.filter(alive)).toEqual([]);
    expect(strataEntries(tmp)).toEqual([]);
  });
});

describe('fault injection: op timeouts', () => {
  it('conform --op-timeout 1ms: the runs with a timed-out op did not finish, exit 1', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const { dir, tmp } = workDir();
    const r = await start(['conform', '--op-timeout', '1ms', '--runs', '40', '--seed', '1', '--no-traces', '--out', 'out'], dir, tmp).result;
    expectOnlyProgress(r.stderr);
    // the premise: a fork, exec or probe takes longer than 1 ms somewhere in 40 scenarios
    expect(r.stdout, 'no op timed out in 40 scenarios').toMatch(/\d+× timed out on the kernel after 1 ms \(op\)/);
    expect(r.code, r.stdout).toBe(1);
    // full-table entries lost to the same timeouts are counted with the steps
    expect(r.stdout).toMatch(/\nFAIL: \d+ kernel runs? of \d+ did not finish \(timeout or executor failure\): \d+ steps?( and \d+ full-table entr(y|ies))? not compared because of it\n/);
    expect(r.stdout).not.toMatch(/\nok: /);
    // each unfinished run (up to 20) is written to replay, and listed with its first lost step
    const listed = [...r.stdout.matchAll(/\n    ⧖ (out\/linux\.conform\.run(\d+)\.unfinished\.json)  \(run (\d+)\) (step #\d+ \(\w+\): timed out on the kernel after 1 ms \(op\)|a full table was lost: t\d+'s entry (?:at the end|after step #\d+): \S.*|the scenario's run ended \w+)/g)];
    expect(listed.length, r.stdout).toBeGreaterThan(0);
    for (const m of listed) expect(m[2]).toBe(m[3]);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.unfinished.json')).sort()).toEqual(listed.map((m) => m[1]!.slice(4)).sort());
    // a run listed by a lost step holds that step's timeout (one that lost only a full table
    // holds its steps' results, all there)
    const byStep = listed.find((m) => m[4]!.startsWith('step'))!;
    expect(byStep, r.stdout).toBeDefined();
    const doc = loadScenario(join(dir, byStep[1]!));
    expect(doc.kernel?.results.some((k) => k.result.kind === 'timeout')).toBe(true);
    expect(doc.description).toMatch(/^strata conform: the kernel run \(.*, seed 1, run \d+\) did not finish: step #\d+/);
    expect(strataEntries(tmp)).toEqual([]);
  });

  it('replay --target kernel of a scenario whose op blocks past --op-timeout: not "agrees", exit 1', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const { dir, tmp } = workDir();
    // pause(2) (x86_64 nr 34) blocks until the op deadline; the model says it returns
    const ops = [fork(0), observe(1), sys(0, NR.pause), observe(0), observe(1)];
    writeFileSync(join(dir, 's.json'), formatScenario(scenarioOf({ variant: { id: 'linux' }, ops })));
    const r = await start(['replay', '--target', 'kernel', '--op-timeout', '300ms', 's.json'], dir, tmp).result;
    expectOnlyProgress(r.stderr);
    expect(r.stdout).toMatch(/timed out/);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain('\nkernel: agrees with the model on every compared step; 3 not compared\n');
    expect(r.stdout).toMatch(/\nFAIL: 1 kernel run of 1 did not finish \(timeout or executor failure\): 3 steps not compared because of it\n/);
    expect(r.stdout).toContain('\nFAIL: not searched enough: 2 of 5 steps compared (the rule asks for at least 50%)\n');
    expect(strataEntries(tmp)).toEqual([]);
  });
});

describe('fault injection: a task killed from outside', () => {
  it('the difference it makes is re-run, not reproduced, written, and does not fail the run: exit 0 (1 only for a step the kill lost, listed with the death)', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const { dir, tmp } = workDir();
    const run = start(['conform', '--runs', '150', '--seed', '3', '--no-traces', '--out', 'out'], dir, tmp);
    const tree = new Tree();
    // kill the initial task of a scenario in flight; leave the next scenarios alone (the re-run
    // of one that differs is the next kernel run), then kill again, four times in all
    const spared = new Set<number>();
    let kills = 0;
    for (let k = 0; k < 4; k++) {
      const s = await tree.midScenario(run, spared);
      if (!s) break;
      process.kill(s.task, 'SIGKILL');
      kills++;
      spared.add(s.coordinator);
      for (let j = 0; j < 2; j++) {
        const next = await tree.midScenario(run, spared);
        if (!next) break;
        spared.add(next.coordinator);
      }
    }
    const r = await run.result;
    expect(kills).toBeGreaterThanOrEqual(1);
    expectOnlyProgress(r.stderr);
    const listed = [...r.stdout.matchAll(/\n {2}\? (out\/\S+\.not-reproduced\.json) {2}(.+) {2}\(run (\d+); the re-run showed ([^)]+)\)/g)];
    expect(listed.length, lastLines(r.stdout, 30)).toBeGreaterThanOrEqual(1);
    for (const [, file] of listed) {
      const s = loadScenario(join(dir, file!));
      // a step, or a full-table entry whose task died while its disposable child probed
      expect(s.discrepancy!.steps.length + (s.discrepancy!.table?.length ?? 0)).toBeGreaterThanOrEqual(1);
      expect(s.description).toMatch(/not reproduced/);
    }
    expect(r.stdout).toContain('not reproduced (a re-run of the same scenario did not differ the same way; they do not fail the run):');
    // A kill that lands while the executor itself works in the task (making its abstract
    // listener for a probe, or a full-table entry's disposable child) loses that step or entry:
    // the kernel run is unfinished, which fails the run (nothing compared is never ok), listed
    // with the death as its reason — never a difference.
    const lost = [...r.stdout.matchAll(/\n {4}⧖ (out\/\S+\.unfinished\.json) {2}\(run \d+\) (?:step #\d+ \([a-z_]+\)|a full table was lost: t\d+'s entry [^:]+): (.+)/g)];
    for (const [, , why] of lost) expect(why, lastLines(r.stdout, 30)).toMatch(/died|killed|sig:9|SIGKILL/);
    expect(r.stdout).not.toMatch(/\nFAIL: \d+ scenarios? of 150 with an unexplained discrepancy/);
    expect(r.code, lastLines(r.stdout, 30)).toBe(lost.length === 0 ? 0 : 1);
    if (lost.length === 0) expect(lastLines(r.stdout, 1)).toMatch(/^ok: no unexplained discrepancy in 150 scenarios.*; \d+ differences? not reproduced, listed above$/);
    else expect(lastLines(r.stdout, 1)).toMatch(/^FAIL: \d+ kernel runs? of \d+ did not finish/);
    expect(tree.leftovers()).toEqual([]);
    expect(strataEntries(tmp)).toEqual([]);
  });
});

describe('fault injection: interrupts', () => {
  const CASES: readonly { signal: NodeJS.Signals; group: boolean; status: number }[] = [
    { signal: 'SIGINT', group: true, status: 130 },
    { signal: 'SIGTERM', group: false, status: 143 },
    { signal: 'SIGHUP', group: true, status: 129 },
  ];
  for (const c of CASES) {
    it(`conform: ${c.signal} to the ${c.group ? 'whole process group' : 'strata process'} mid-scenario: the partial report, exit ${c.status}, nothing left`, async (ctx) => {
      if (unavailable) ctx.skip(unavailable);
      const { dir, tmp } = workDir();
      const run = start(['conform', '--runs', '100000', '--seed', '2', '--no-traces', '--out', 'out'], dir, tmp);
      const tree = new Tree();
      // a few scenarios in, then the signal while one is in flight
      const seen = new Set<number>();
      for (let k = 0; k < 3; k++) {
        const s = await tree.midScenario(run, seen);
        if (!s) break;
        seen.add(s.coordinator);
      }
      expect(await tree.midScenario(run, seen)).not.toBeNull();
      process.kill(c.group ? -run.pid : run.pid, c.signal);
      const r = await run.result;
      expectOnlyProgress(r.stderr);
      expect(r.code, r.stdout).toBe(c.status);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^strata conform: kernel \S+ \(Landlock ABI \d+\) · model linux\S* · seed 2 · 100000 runs · /);
      expect(lines[1]).toMatch(new RegExp(`^ {2}\\d+ scenarios? \\(\\d+ ops?\\) on both sides, \\d+ kernel runs? in all — interrupted by ${c.signal}: partial report$`));
      expect(r.stdout).toMatch(/\ncompared: \d+ steps? the same, \d+ steps? explained \(\d+ of \d+ steps? compared\)\n/);
      const last = lines.find((l) => l.startsWith('INTERRUPTED'));
      expect(last).toMatch(new RegExp(`^INTERRUPTED by ${c.signal} after \\d+ scenarios? of 100000: no verdict \\(0 scenario files written, listed above\\)$`));
      expect(r.stdout).not.toMatch(/\n(ok|FAIL): /);
      expect(tree.leftovers()).toEqual([]);
      expect(strataEntries(tmp)).toEqual([]);
    });
  }

  it('check: SIGINT to the process group mid-run: the matrix so far, the files written, exit 130', async () => {
    const { dir, tmp } = workDir();
    // tsync-overwrite violates I9 within ~100 scenarios (then it is done); linux then runs on
    // for far longer than the test may take
    const run = start(['check', '--variant', 'tsync-overwrite,linux', '--property', 'I9', '--runs', '10000000', '--no-traces', '--out', 'out'], dir, tmp);
    const file = await waitFor(() => (existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')).find((f) => f.endsWith('.json')) : undefined), run.done);
    expect(file).toBe('tsync-overwrite.I9.seed1.json');
    process.kill(-run.pid, 'SIGINT');
    const r = await run.result;
    expect(r.stderr.split('\n').filter((l) => l !== '' && !/^strata check: (tsync-overwrite|linux) /.test(l))).toEqual([]);
    expect(r.code, r.stdout).toBe(130);
    expect(r.stdout).toMatch(/^strata check: seed 1 · 10000000 runs per variant · /);
    // The path depends on the generator's stream and the shrinker; the point here is the interrupt.
    expect(r.stdout).toMatch(/\n  tsync-overwrite × I9  out\/tsync-overwrite\.I9\.seed1\.json  \(fast-check seed 1, path "[0-9:]+"\)\n/);
    expect(r.stdout).toMatch(/\nvariant +I9\ntsync-overwrite +✗\n/);
    expect(r.stdout).not.toMatch(/\nlinux +✓/);
    expect(lastLines(r.stdout, 1)).toBe('INTERRUPTED by SIGINT after 1 of 2 variants: no verdict (the matrix above covers the finished variants; 1 counterexample file written, listed above)');
    expect(readdirSync(join(dir, 'out'))).toEqual(['tsync-overwrite.I9.seed1.json']);
  });

  it('replay --target kernel: SIGINT while the scenario runs stops the executor, exit 130, nothing left', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const { dir, tmp } = workDir();
    const ops = [fork(0), sys(0, NR.pause)];
    writeFileSync(join(dir, 's.json'), formatScenario(scenarioOf({ variant: { id: 'linux' }, ops })));
    const run = start(['replay', '--target', 'kernel', '--op-timeout', '60s', 's.json'], dir, tmp);
    const tree = new Tree();
    expect(await tree.midScenario(run)).not.toBeNull();
    process.kill(-run.pid, 'SIGINT');
    const r = await run.result;
    expectOnlyProgress(r.stderr);
    expect(r.code, r.stdout).toBe(130);
    expect(r.stdout).toBe('strata replay --target kernel s.json: interrupted by SIGINT: the executor was stopped, no verdict\n');
    expect(tree.leftovers()).toEqual([]);
    expect(strataEntries(tmp)).toEqual([]);
  });
});
