// Scenarios with the H1 map calls (layering-designs §3a) on a variant that has no maps: strata
// replay refuses the calls as it refuses every variant-only op — each is a step the model could
// not run (`invalid`, listed after the trace; --strict fails) — and a filter naming a map is
// EINVAL, as the kernel answers a classic BPF program that cannot name one. On v5-2017-maps
// the same script runs every step.
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './main.js';
import type { Io } from './io.js';
import type { Op } from '../model/ops.js';
import { formatScenario } from '../scenario/format.js';
import { scenarioOf } from '../scenario/make.js';
import { tempDir } from '../test/tmp.js';
import { kernelSkipReason } from '../conformance/skips.js';
import type { KernelFeatures } from '../conformance/result.js';

function fakeIo(cwd: string): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { out: (l) => outLines.push(l), err: (l) => errLines.push(l), cwd, now: () => 0, env: {}, outLines, errLines };
}

const OPS: readonly Op[] = [
  { op: 'map_create', task: 0 },
  { op: 'seccomp_filter', task: 0, flags: 0, program: [[6, 0, 0, 0x7fff0000]], map: 0 },
  { op: 'fork', task: 0 },
  { op: 'map_put', task: 0, map: 0, key: 39 },
];

let dir = '';
beforeAll(() => {
  dir = tempDir('strata-replay-maps-');
  for (const id of ['linux', 'v5-2017', 'lutomirski-2017', 'v5-2017-maps']) writeFileSync(join(dir, `${id}.json`), formatScenario(scenarioOf({ variant: { id }, ops: OPS })));
});

describe('replay of map calls', () => {
  for (const id of ['linux', 'v5-2017', 'lutomirski-2017']) {
    it(`${id}: the map calls could not run, the filter naming a map is EINVAL; --strict fails`, async () => {
      const io = fakeIo(dir);
      expect(await main(['replay', `${id}.json`, '--no-state', '--strict'], io)).toBe(1);
      expect(io.outLines.some((l) => /#1 t100 seccomp\(SET_MODE_FILTER.*→ EINVAL$/.test(l))).toBe(true);
      expect(io.outLines.at(-1)).toBe('invalid: 2 of 4 steps could not run on the model, they changed nothing (#0 map_create: eBPF maps exist only in variants with H1 maps (seccompMaps); #3 map_put: eBPF maps exist only in variants with H1 maps (seccompMaps))');
    });
  }

  it('v5-2017-maps: every step runs', async () => {
    const io = fakeIo(dir);
    expect(await main(['replay', 'v5-2017-maps.json', '--no-state', '--strict'], io)).toBe(0);
    expect(io.outLines.some((l) => l.startsWith('invalid:'))).toBe(false);
    expect(io.outLines.some((l) => l.includes('bpf(BPF_MAP_UPDATE_ELEM, map fd 3, key getpid(39)) → ok'))).toBe(true);
  });

  it('the live kernel skips them (replay --target kernel), each with its reason', () => {
    const f = {} as KernelFeatures; // decided before any feature is read
    expect(kernelSkipReason(OPS[0]!, 7, f)).toBe('variant-only operation: map_create exists only in variants with H1 maps (a seccomp filter cannot read a bpf map)');
    expect(kernelSkipReason(OPS[1]!, 7, f)).toBe('variant-only field (map, H1 maps) on seccomp_filter');
    expect(kernelSkipReason(OPS[3]!, 7, f)).toBe('variant-only operation: map_put exists only in variants with H1 maps (a seccomp filter cannot read a bpf map)');
  });
});
