// `strata conform` throughput with full-table observes and without, in the same run: generated
// linux scenarios through the whole engine (model, executor, diff) on this kernel, the two
// settings alternating in chunks over the same seeds, so that a change in the machine's load
// hits both. The ratio is with / without.
import { existsSync } from 'node:fs';
import { DEFAULT_BINARY, KernelExecutor } from '../conformance/runner.js';
import { runConform } from '../conformance/conform.js';
import { executorUnavailableReason } from '../conformance/availability.js';

const CHUNKS = 4;
const RUNS = 50;

export async function benchConformTable(): Promise<string[]> {
  if (!existsSync(DEFAULT_BINARY)) return [`skipped: ${DEFAULT_BINARY} is not built (sh conformance/build.sh)`];
  const unavailable = executorUnavailableReason(DEFAULT_BINARY);
  if (unavailable) return [`skipped: ${unavailable}`];
  const kx = new KernelExecutor();
  try {
    const secs = { on: 0, off: 0 };
    let scenarios = 0;
    let entries = 0;
    let unexplained = 0;
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      for (const fullTable of [false, true]) {
        const t0 = process.hrtime.bigint();
        const r = await runConform({ executor: kx, runs: RUNS, seed: 1000 + chunk, fullTable, kernelBudget: 1, maxDiscrepancies: 1 });
        secs[fullTable ? 'on' : 'off'] += Number(process.hrtime.bigint() - t0) / 1e9;
        unexplained += r.unexplainedScenarios;
        if (fullTable) {
          scenarios += r.scenarios;
          entries += r.table.entries;
        }
      }
    }
    const n = CHUNKS * RUNS;
    const on = n / secs.on;
    const off = n / secs.off;
    return [
      `${CHUNKS} chunks × ${RUNS} generated linux scenarios (seeds 1000..${1000 + CHUNKS - 1}), each with and without full tables`,
      `without full tables: ${off.toFixed(1)} scenarios/s`,
      `with full tables:    ${on.toFixed(1)} scenarios/s (${(entries / scenarios).toFixed(0)} table entries per scenario, ${(entries / secs.on).toFixed(0)} entries/s)`,
      `ratio with/without: ${(on / off).toFixed(2)}${unexplained ? ` (${unexplained} scenarios with an unexplained discrepancy: see strata conform)` : ''}`,
    ];
  } finally {
    await kx.close();
  }
}
