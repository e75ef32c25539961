// Kernel scenarios per second through the executor's protocol (Node encodes, strata-exec runs,
// Node parses), beside the C baseline: `strata-exec --bench N` running the very same request
// text N times with no protocol at all, in the same run. The ratio is protocol / baseline.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import { DEFAULT_BINARY, KernelExecutor, encodeRun } from '../conformance/runner.js';
import {
  FS, NR, RET, fork, filter, observe, onNr, probe, restrict, rulePath, ruleset, sys, thread,
} from '../conformance/fixtures.js';

/** The fixed mix: a seccomp scenario, a Landlock one, a threaded TSYNC one. */
const MIX: readonly { readonly name: string; readonly ops: readonly Op[] }[] = [
  {
    name: 'seccomp fork/filter/probe',
    ops: [filter(0, onNr(NR.getpid, RET.ERRNO | 1)), fork(0), filter(1, onNr(NR.getuid, RET.TRAP | 2)), sys(0, NR.getpid),
      sys(1, NR.getpid), sys(1, NR.getuid), observe(1)],
  },
  {
    name: 'landlock ruleset/restrict/fs',
    ops: [ruleset(0, FS.READ_FILE | FS.WRITE_FILE), rulePath(0, 0, '/a', FS.READ_FILE), restrict(0, 0),
      probe(0, { kind: 'fs', access: 'read_file', path: '/a/f' }), probe(0, { kind: 'fs', access: 'write_file', path: '/a/f' }),
      probe(0, { kind: 'fs', access: 'read_file', path: '/b/f' }), observe(0)],
  },
  {
    name: 'threads + TSYNC',
    ops: [thread(0), thread(0), filter(0, onNr(NR.getppid, RET.ERRNO | 3), SECCOMP_FILTER_FLAG.TSYNC), sys(1, NR.getppid),
      sys(2, NR.getppid), observe(2)],
  },
];

const ROUNDS = 150;
const CHUNKS = 5;

export async function benchConformance(): Promise<string[]> {
  if (!existsSync(DEFAULT_BINARY)) return [`skipped: ${DEFAULT_BINARY} is not built (sh conformance/build.sh)`];
  const kx = new KernelExecutor();
  try {
    const f = await kx.features();
    const lines: string[] = [`kernel ${f.kernel}, Landlock ABI ${f.landlockAbi}; ${ROUNDS} rounds of ${MIX.length} scenarios`];
    for (const m of MIX) {
      const check = await kx.run(m.ops);
      const bad = check.steps.find((s) => ['error', 'timeout', 'not_run', 'skip', 'invalid'].includes(s.result.kind));
      if (check.status !== 'ok' || bad) return [...lines, `skipped: "${m.name}" does not run cleanly here (${check.status}, ${JSON.stringify(bad?.result)})`];
    }
    // Protocol and baseline alternate in chunks, so that a change in the machine's load hits both.
    const texts = MIX.map((m) => encodeRun(m.ops, {}, { id: 'bench' }, f).text);
    let protoSecs = 0;
    let baseSecs = 0;
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const t0 = process.hrtime.bigint();
      for (let r = 0; r < ROUNDS / CHUNKS; r++) for (const m of MIX) await kx.run(m.ops);
      protoSecs += Number(process.hrtime.bigint() - t0) / 1e9;
      for (let k = 0; k < MIX.length; k++) {
        const out = spawnSync(DEFAULT_BINARY, ['--bench', String(ROUNDS / CHUNKS)], { input: texts[k], encoding: 'utf8' });
        const got = /seconds ([\d.]+) rate [\d.]+ failures (\d+)/.exec(out.stdout ?? '');
        if (out.status !== 0 || !got) return [...lines, `baseline failed for "${MIX[k]!.name}": ${out.stderr || out.stdout}`];
        if (got[2] !== '0') return [...lines, `baseline: "${MIX[k]!.name}" did not run cleanly`];
        baseSecs += Number(got[1]);
      }
    }
    const protoRate = (ROUNDS * MIX.length) / protoSecs;
    const baseRate = (ROUNDS * MIX.length) / baseSecs;
    lines.push(
      `protocol (Node -> strata-exec -> Node): ${protoRate.toFixed(0)} scenarios/s`,
      `C baseline (strata-exec --bench, same requests): ${baseRate.toFixed(0)} scenarios/s`,
      `ratio protocol/baseline: ${(protoRate / baseRate).toFixed(2)} (target >= 0.5)`,
    );
    return lines;
  } finally {
    await kx.close();
  }
}
