// Replay cost per op on a scenario that keeps growing (thread + TSYNC filter repeated,
// scenario/thread-tsync.ts): parse, model run and rendering with the state change, as
// `strata replay` does, output discarded, at 10 000 and 100 000 ops, and the ratio of the two
// per-op costs (target <= 2). Then the same for thread ops alone at 5 000 and 50 000 ops: every
// op adds a task, so this ratio shows whether a step's cost grows with the number of tasks (the
// task list is persistent, model/task/list.ts: a step copies one path of it, and the report
// compares only what the step copied). Printable lines only, no assertions (bench/main.ts
// prints them).
import { parseScenario } from '../scenario/load.js';
import { threadTsyncScenario, threadsScenario } from '../scenario/thread-tsync.js';
import { builtinVariant } from '../variants/registry.js';
import { streamReplay } from '../cli/commands/replay.js';

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function discard(): void {}

/** Seconds to parse and replay `text` (a scenario of `n` ops), the state change included. */
function replaySeconds(text: string): number {
  const linux = builtinVariant('linux')!;
  const t0 = performance.now();
  const s = parseScenario(text, 'bench');
  streamReplay(s, linux, discard, { state: true }, 'bench');
  return (performance.now() - t0) / 1000;
}

export async function benchReplay(): Promise<string[]> {
  const sizes = [10_000, 100_000] as const;
  const texts = sizes.map((n) => JSON.stringify(threadTsyncScenario(n)));
  // Warm up on the short one, then the best of two runs of each.
  replaySeconds(texts[0]!);
  const per = sizes.map((n, i) => Math.min(replaySeconds(texts[i]!), replaySeconds(texts[i]!)) / n);
  const lines = sizes.map((n, i) => `replay per op at ${n} ops (thread + TSYNC filter, state shown): ${fmt(per[i]! * 1e6)} us`);
  lines.push(`ratio per op ${sizes[1]}/${sizes[0]}: ${(per[1]! / per[0]!).toFixed(2)} (target <= 2)`);
  const small = [5_000, 50_000] as const;
  const threads = small.map((n) => JSON.stringify(threadsScenario(n)));
  replaySeconds(threads[0]!);
  const perT = small.map((n, i) => Math.min(replaySeconds(threads[i]!), replaySeconds(threads[i]!)) / n);
  small.forEach((n, i) => lines.push(`replay per op at ${n} ops (thread only, state shown): ${fmt(perT[i]! * 1e6)} us`));
  lines.push(`ratio per op ${small[1]}/${small[0]} (thread only): ${(perT[1]! / perT[0]!).toFixed(2)} (target <= 2: a step costs what it changes, not the task count)`);
  return lines;
}
