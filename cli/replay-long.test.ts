// strata replay on long and oversized scenarios, through the real executable: a long thread +
// TSYNC scenario replays in a small heap (replay keeps one world per step, not the whole trace;
// on the old replay this run died of V8 heap exhaustion with a native stack), and a scenario
// past the documented size limits (scenario/limits.ts) is one line and exit 2.
import { describe, it, expect } from 'vitest';
import { writeFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { strata } from './test-helpers.js';
import { tempDir } from '../test/tmp.js';
import { threadTsyncScenario } from '../scenario/thread-tsync.js';
import { MAX_SCENARIO_OPS, MAX_SCENARIO_BYTES } from '../scenario/limits.js';

const dir = tempDir('strata-replay-long-');

describe('strata replay of a long scenario', () => {
  it('replays 10 000 ops of thread + TSYNC within a 128 MB heap', async () => {
    const file = join(dir, 'thread-tsync-10k.json');
    writeFileSync(file, JSON.stringify(threadTsyncScenario(10_000)));
    const r = await strata(['replay', '--no-state', file], { env: { NODE_OPTIONS: '--max-old-space-size=128' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('  #9999 t100 seccomp(SET_MODE_FILTER, flags TSYNC, 1 insn program) → ENOMEM');
    // Every thread moved alike: one line per TSYNC step, stacks shortened past 8 layers.
    expect(r.stdout).toContain('  #7281 t100 seccomp(SET_MODE_FILTER, flags TSYNC, 1 insn program) → ok\n       layers: t100, t101, t102 and 3639 more tasks: seccomp [3640, 3639, 3638, 3637, 3636, 3635, 3634, 3633, … 3632 more] → [3641, 3640, 3639, 3638, 3637, 3636, 3635, 3634, … 3633 more]\n');
  }, 300_000);

  it('replays the largest scenario a file may hold (MAX_SCENARIO_OPS ops of thread + TSYNC) within a 256 MB heap', async () => {
    // Before the task list was persistent, every thread op copied the whole list: at 100 000 ops
    // this run died of V8 heap exhaustion (exit 134), at 20 000 it took minutes.
    const file = join(dir, 'thread-tsync-max.json');
    writeFileSync(file, JSON.stringify(threadTsyncScenario(MAX_SCENARIO_OPS)));
    // --no-state: the state lines of 200 000 steps are ~100 MB of text, which a slow reader of
    // the pipe can leave in the child's memory; this test is about the model's own state.
    const r = await strata(['replay', '--no-state', file], { env: { NODE_OPTIONS: '--max-old-space-size=256' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  #${MAX_SCENARIO_OPS - 2} t100 clone(CLONE_THREAD) → ok, thread t${100 + MAX_SCENARIO_OPS / 2}\n`);
  }, 300_000);

  it('stops with one line and exit 2, not a V8 abort, when the state outgrows a small heap', async () => {
    const file = join(dir, 'thread-tsync-10k-small-heap.json');
    writeFileSync(file, JSON.stringify(threadTsyncScenario(10_000)));
    const r = await strata(['replay', '--no-state', file], { env: { NODE_OPTIONS: '--max-old-space-size=20' } });
    expect(r.stderr).toMatch(/^strata replay: .*: too large to replay: the model's state passed 80% of the heap limit \(20 MiB\) at step #\d+\n$/);
    expect(r.code).toBe(2);
  }, 300_000);
});

describe('strata replay of a scenario past the size limits', () => {
  it('refuses more than MAX_SCENARIO_OPS ops in one line, exit 2', async () => {
    const file = join(dir, 'too-many-ops.json');
    writeFileSync(file, JSON.stringify(threadTsyncScenario(MAX_SCENARIO_OPS + 1)));
    const r = await strata(['replay', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`strata replay: ${file}: /ops: ${MAX_SCENARIO_OPS + 1} operations: more than a scenario may hold (${MAX_SCENARIO_OPS})\n`);
  });

  it('refuses a file larger than MAX_SCENARIO_BYTES in one line, exit 2, without reading it', async () => {
    const file = join(dir, 'too-large.json');
    writeFileSync(file, '');
    truncateSync(file, MAX_SCENARIO_BYTES + 1); // sparse: the size alone refuses it
    const r = await strata(['replay', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`strata replay: ${file}: 32.0 MiB: larger than a scenario file may be (32 MiB)\n`);
  });
});
