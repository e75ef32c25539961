// `npm run bench`: every benchmark, each printed beside its baseline measured in the same run.
// Figures are ratios against those baselines; nothing here is asserted (machines are noisy).
import { benchSeccomp } from './seccomp.js';
import { benchLandlock } from './landlock.js';
import { benchHarness } from './harness.js';
import { benchWorkers } from './workers.js';
import { benchConformance } from './conformance.js';
import { benchConformTable } from './conform-table.js';
import { benchReplay } from './replay.js';
import { benchExplore } from './explore.js';
import { benchGuest } from './guest.js';

async function main(): Promise<void> {
  const sections: [string, () => Promise<string[]>][] = [
    ['seccomp model', benchSeccomp],
    ['landlock model', benchLandlock],
    ['check engine', benchHarness],
    ['check on every core (--workers) and strata merge', benchWorkers],
    ['replay of a growing scenario', benchReplay],
    ['explore (bounded-exhaustive)', benchExplore],
    ['conformance executor', benchConformance],
    ['conform full tables', benchConformTable],
    ['conform --kernel (a guest under QEMU)', benchGuest],
  ];
  // STRATA_BENCH_ONLY=workers runs the sections whose name contains it
  const only = process.env.STRATA_BENCH_ONLY;
  for (const [name, run] of sections) {
    if (only && !name.includes(only)) continue;
    console.log(`== ${name}`);
    for (const line of await run()) console.log(`  ${line}`);
  }
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
