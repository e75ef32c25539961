// Landlock benchmarks: the cost of one uncached decision (landlockDecide, no decision table)
// under 1 and under 16 layers. As in the kernel (one merged rule tree with per-layer access
// bits), the 16-layer openat decision should cost at most about twice the 1-layer one; the
// model gets there with per-node merged per-path masks (model/landlock/view.ts).
// Printable lines only; no assertions (bench/main.ts prints them).
import { initialWorld } from '../model/state.js';
import type { World, Task } from '../model/state.js';
import { step } from '../model/step.js';
import type { Op } from '../model/ops.js';
import type { LandlockRequest } from '../model/request.js';
import { landlockDecide } from '../model/landlock/decide.js';
import { FS, NET } from '../model/landlock/access.js';
import { LandlockTables } from '../model/landlock/table.js';
import { wideUniverse } from '../model/landlock/universe-wide.js';
import { LINUX_EVALUATION } from '../model/evaluation.js';

const HANDLED = FS.READ_FILE | FS.WRITE_FILE | FS.EXECUTE | FS.READ_DIR | FS.MAKE_REG | FS.REMOVE_FILE | FS.REFER | FS.TRUNCATE;

/** A world whose first task has `layers` fs layers, each granting read on a few paths. */
function sandboxed(layers: number): World {
  let w = initialWorld({ abi: 7 });
  const apply = (op: Op): void => {
    const out = step(w, op);
    if (out.result.kind !== 'ok') throw new Error(`bench setup: ${op.op} → ${JSON.stringify(out.result)}`);
    w = out.world;
  };
  for (let i = 0; i < layers; i++) {
    apply({ op: 'ruleset_create', task: 0, fs: HANDLED, net: NET.BIND_TCP, scoped: 0 });
    const rule = (path: string, access: number): void =>
      apply({ op: 'ruleset_add_rule', task: 0, ruleset: -1, rule: { type: 'path_beneath', path, access } });
    rule('/', FS.READ_DIR | FS.REFER);
    rule('/a', FS.READ_FILE | FS.MAKE_REG | FS.REMOVE_FILE);
    rule('/a/s', FS.WRITE_FILE | (i % 2 ? FS.EXECUTE : 0));
    rule('/b', FS.READ_FILE);
    apply({ op: 'ruleset_add_rule', task: 0, ruleset: -1, rule: { type: 'net_port', port: 8000 + i, access: NET.BIND_TCP } });
    apply({ op: 'restrict_self', task: 0, ruleset: -1, flags: 0 });
  }
  return w;
}

function nsPerDecision(world: World, task: Task, req: LandlockRequest, ms: number): number {
  let n = 0;
  let sink = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 20_000; i++) sink += landlockDecide(world, task, req);
    n += 20_000;
    t = performance.now();
  }
  if (sink === -1) console.log(''); // keep the loop alive
  return ((t - t0) * 1e6) / n;
}

export async function benchLandlock(): Promise<string[]> {
  const lines: string[] = [];
  const w1 = sandboxed(1);
  const w16 = sandboxed(16);
  const t1 = w1.tasks.at(0)!;
  const t16 = w16.tasks.at(0)!;
  const open: LandlockRequest = { kind: 'fs', access: 'read_file', path: '/a/s/g' };
  const rename: LandlockRequest = { kind: 'rename', from: '/a/f', to: '/b' };

  // Warm up (the first decision of a node builds its view; JIT).
  nsPerDecision(w1, t1, open, 150);
  nsPerDecision(w16, t16, open, 150);
  const o1 = nsPerDecision(w1, t1, open, 600);
  const o16 = nsPerDecision(w16, t16, open, 600);
  lines.push(`landlock openat decision (uncached): 1 layer ${o1.toFixed(0)} ns/op; 16 layers ${o16.toFixed(0)} ns/op; ratio ${(o16 / o1).toFixed(2)}x (target ≤ 2x)`);

  nsPerDecision(w1, t1, rename, 100);
  nsPerDecision(w16, t16, rename, 100);
  const r1 = nsPerDecision(w1, t1, rename, 400);
  const r16 = nsPerDecision(w16, t16, rename, 400);
  lines.push(`landlock cross-dir rename decision (uncached, per-layer REFER check): 1 layer ${r1.toFixed(0)} ns/op; 16 layers ${r16.toFixed(0)} ns/op; ratio ${(r16 / r1).toFixed(2)}x`);

  // Decision-table build for a 16-layer chain over a wide universe (fresh cache each time).
  const u = wideUniverse(w16.fs);
  for (let i = 0; i < 20; i++) new LandlockTables(u, w16.fs, LINUX_EVALUATION).table(t16.domain);
  const reps = 200;
  const s0 = performance.now();
  for (let i = 0; i < reps; i++) new LandlockTables(u, w16.fs, LINUX_EVALUATION).table(t16.domain);
  const per = (performance.now() - s0) / reps;
  lines.push(`landlock decision table: 16-layer chain × ${u.landlock.length} requests built in ${(per * 1000).toFixed(0)} µs (all 16 nodes, fresh table cache, fs views warm)`);
  return lines;
}
