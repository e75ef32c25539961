// strata replay <scenario.json>: re-run a scenario on the model and print it step by step with
// the world's change after every step; for a trace, compare with the recorded results, and
// re-check the recorded finding. `--target kernel` runs it on the live kernel instead
// (replay-kernel.ts).
import { dirname, resolve } from 'node:path';
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { loadScenarioArg } from '../scenario-arg.js';
import { EXIT, UsageError } from '../errors.js';
import { parseCommandArgs, lastValue, durationOption } from '../args.js';
import { resolveVariant } from '../resolve.js';
import type { Scenario } from '../../scenario/types.js';
import type { Variant, StepFn } from '../../variants/variant.js';
import { builtinVariant } from '../../variants/registry.js';
import { replayScenario } from '../../properties/trace.js';
import { propertyById } from '../../properties/all.js';
import { worldWords, shellWord, taskWords, findingOrigin } from '../../reports/index.js';
import { StepRenderer } from '../../reports/text.js';
import type { TraceReportOptions, TraceReportSummary } from '../../reports/text.js';
import type { ModelTrace } from '../../properties/trace.js';
import { initialWorldFor } from '../../properties/trace.js';
import { Decisions } from '../../properties/decisions.js';
import { stepFor } from '../../variants/step-for.js';
import { getHeapStatistics, getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MAX_SCENARIO_OPS, MAX_SCENARIO_BYTES, mib } from '../../scenario/limits.js';
import { DEFAULT_BINARY } from '../../conformance/runner.js';
import { replayOnKernel } from './replay-kernel.js';

const OPTIONS = {
  target: { type: 'string', short: 't', multiple: true },
  executor: { type: 'string', multiple: true },
  kernel: { type: 'string', multiple: true },
  'boot-timeout': { type: 'string', multiple: true },
  'op-timeout': { type: 'string', multiple: true },
  'scenario-timeout': { type: 'string', multiple: true },
  'no-state': { type: 'boolean' },
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Share of the heap limit past which a replay stops as too large (streamReplay). */
export const HEAP_STOP_SHARE = 0.8;

const HELP = `Usage: strata replay [options] <scenario.json>

Re-run a scenario file (written by strata check, or by hand) on the model and print every step:
which task did what, its result, which layers changed, which decisions became weaker, and the
model's state change. For a trace (a file with results), each step is compared with the recorded
result; a recorded finding is re-checked.

With --target kernel the scenario runs on this machine's kernel through the conformance
executor (root, npm ci builds it): every step shows the model's result beside the kernel's, and
each step where they differ is marked (a difference a documented model decision explains is
marked as such). A file written by strata conform also holds the kernel's recorded results,
which the new run must reproduce.

The variant is the file's variant.id (built in), or its variant.module, a path resolved from
the scenario file's directory (then from the current directory).

Options:
  -t, --target T            model (default) or kernel
      --no-state            leave out the per-step state change (model target)
      --strict              a step the model could not run (result "invalid": its task is not
                            alive, or the variant lacks the op) is a failure, exit 1 (model target)
      --executor PATH       the strata-exec binary (kernel target; default conformance/build/strata-exec)
      --kernel PATH         kernel target: boot this kernel image (bzImage / vmlinuz) under QEMU and
                            run the scenario there instead of on this machine's kernel (no root needed)
      --boot-timeout T      longest boot of --kernel's guest (default 3m under TCG, 1m with KVM)
      --op-timeout T        longest wait for one op on the kernel (default 2s)
      --scenario-timeout T  longest run of the scenario on the kernel (default 10s)
  -h, --help                this text

Steps the model could not run (result "invalid", e.g. an op whose task is no longer alive) are
listed after the trace.

A scenario holds at most ${MAX_SCENARIO_OPS} ops in at most ${mib(MAX_SCENARIO_BYTES)} (scenario/limits.ts); replay keeps
one world per step, and stops (exit 2) if the model's state passes ${HEAP_STOP_SHARE * 100}% of the heap limit.

Exit status: 0 the re-run reproduces the recorded results (and finding) exactly, or the file is a
script — with --target kernel: the kernel agrees with the model on every compared step, the
kernel run finished (no op timed out, the executor did not fail), at least half of the steps were
compared, and a recorded kernel run is reproduced; 1 it does not (each reason on a FAIL line),
or under --strict a step could not run; 2 bad usage (unreadable, malformed or too large scenario, unknown
variant or target, the executor cannot run here); 130, 143, 129 interrupted by SIGINT, SIGTERM,
SIGHUP (the executor is stopped).`;

export const replayCommand: Command = {
  name: 'replay',
  help: HELP,
  run: runReplay,
};

async function runReplay(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('missing the scenario file (strata replay <scenario.json>)');
  const target = lastValue(values.target) ?? 'model';
  const image = lastValue(values.kernel);
  const boot = lastValue(values['boot-timeout']);
  const bootTimeoutMs = boot === undefined ? undefined : durationOption('boot-timeout', boot);
  if (image !== undefined && target !== 'kernel') throw new UsageError('--kernel applies only with --target kernel');
  if (image === '') throw new UsageError('--kernel needs a kernel image path');
  if (bootTimeoutMs !== undefined && image === undefined) throw new UsageError('--boot-timeout applies only with --kernel');
  if (lastValue(values.executor) !== undefined && image !== undefined) throw new UsageError('--executor and --kernel cannot go together: a guest runs conformance/build/strata-exec');
  const scenario: Scenario = loadScenarioArg(io, file);
  if (target !== 'model' && target !== 'kernel') throw new UsageError(`--target must be model or kernel (got ${JSON.stringify(target)})`);
  const op = lastValue(values['op-timeout']);
  const opTimeoutMs = op === undefined ? undefined : durationOption('op-timeout', op);
  const sc = lastValue(values['scenario-timeout']);
  const scenarioTimeoutMs = sc === undefined ? undefined : durationOption('scenario-timeout', sc);
  const exe = lastValue(values.executor);
  const variant = await variantOf(scenario, file, io.cwd);
  if (target === 'kernel') {
    const trace = replayScenario(scenario, variant);
    return replayOnKernel({
      file, scenario, variant, trace,
      binary: exe === undefined ? DEFAULT_BINARY : resolve(io.cwd, exe),
      ...(image !== undefined ? { kernelImage: resolve(io.cwd, image) } : {}),
      ...(bootTimeoutMs !== undefined ? { bootTimeoutMs } : {}),
      ...(opTimeoutMs !== undefined ? { opTimeoutMs } : {}),
      ...(scenarioTimeoutMs !== undefined ? { scenarioTimeoutMs } : {}),
    }, io);
  }

  // The variant's transition first: a variant whose wrap throws fails before any output.
  const step = stepFor(variant);
  io.out(`strata replay ${shellWord(file)}`);
  io.out(`  scenario:   ${scenario.kind}, ${scenario.ops.length} op${scenario.ops.length === 1 ? '' : 's'}${scenario.target ? `, recorded on the ${scenario.target}` : ''}${scenario.description ? ` — ${scenario.description}` : ''}`);
  io.out(`  variant:    ${variant.id} — ${variant.title}`);
  const f = scenario.finding;
  if (f) {
    io.out(`  finding:    ${f.property} at step #${f.atStep}: ${f.message}`);
    const origin = findingOrigin(f);
    io.out(`  ${`${origin.label}:`.padEnd(11)} ${origin.words}`);
  }
  const summary = streamReplay(scenario, variant, io.out, {
    state: values['no-state'] !== true,
    ...(scenario.results ? { recorded: scenario.results } : {}),
    ...(f ? { failure: { atStep: f.atStep, property: f.property } } : {}),
  }, file, step);

  let ok = true;
  io.out('');
  const invalid = summary.invalid;
  if (invalid.length > 0) {
    if (values.strict === true) ok = false;
    const why = invalid.map((st) => `#${st.index} ${st.reason}`).join('; ');
    io.out(`invalid: ${invalid.length} of ${scenario.ops.length} steps could not run on the model, they changed nothing (${why})${values.strict === true ? '' : '; --strict makes this a failure'}`);
  }
  if (scenario.kind === 'trace') {
    if (summary.mismatches.length === 0) io.out(`results: all ${scenario.ops.length} recorded results reproduced`);
    else {
      ok = false;
      io.out(`results: ${summary.mismatches.length} of ${scenario.ops.length} steps differ from the recording (steps ${summary.mismatches.map((i) => `#${i}`).join(', ')})`);
    }
  }
  if (f) {
    const p = propertyById(f.property);
    if (!p) io.out(`finding: property ${f.property} is unknown to this strata; not re-checked`);
    else {
      // A property reads the whole trace: only a recorded finding makes replay keep every step.
      const v = p.check(replayScenario(scenario, variant));
      if (v && v.atStep === f.atStep && v.message === f.message) io.out(`finding: reproduced — ${f.property} fails at step #${v.atStep}: ${v.message}`);
      else {
        ok = false;
        io.out(v ? `finding: NOT reproduced — ${f.property} now fails at step #${v.atStep}: ${v.message}` : `finding: NOT reproduced — ${f.property} holds on the re-run`);
      }
    }
  }
  return ok ? EXIT.OK : EXIT.FAIL;
}

/** Steps between two looks at the heap (streamReplay). */
const HEAP_CHECK_EVERY = 16;
/** What heap_size_limit holds beyond the old generation: V8's young generation, 3 × its 16 MiB
 * semi-space on 64-bit (heap_size_limit is --max-old-space-size + 48 MiB on Node 20). */
const YOUNG_GENERATION = 48 * 2 ** 20;

/** Bytes of old generation past which a replay stops (HEAP_STOP_SHARE of its limit). */
function oldGenerationStop(): number {
  return Math.max(0, getHeapStatistics().heap_size_limit - YOUNG_GENERATION) * HEAP_STOP_SHARE;
}

/**
 * A full garbage collection, so that what the heap holds is what the replay keeps alive (the
 * old generation also holds garbage until V8's next major GC, which under a small heap limit
 * comes late: without this, a replay whose live state is a third of the limit was stopped).
 * Node exposes gc() only under --expose-gc; the flag is set for this isolate and the function
 * read from a fresh context (v8.setFlagsFromString, documented in node:v8).
 */
let collect: (() => void) | undefined;
function fullGc(): void {
  if (collect === undefined) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') collect = g;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
}

/** Bytes in use outside the young generation's semi-spaces. */
function oldGenerationUsed(): number {
  let used = 0;
  for (const sp of getHeapSpaceStatistics()) if (sp.space_name !== 'new_space') used += sp.space_used_size;
  return used;
}

/**
 * Run the scenario on the model and render each step as it is made, keeping only the world
 * before and after it: memory is the model's state, not ops × state. The header's world and
 * initial tasks first. A model state that outgrows HEAP_STOP_SHARE of the heap limit stops the
 * run with a UsageError (one line, exit 2) rather than V8's out-of-memory abort.
 */
export function streamReplay(scenario: Scenario, variant: Variant, sink: (line: string) => void, opts: TraceReportOptions, file: string, step: StepFn = stepFor(variant)): TraceReportSummary & { readonly invalid: readonly { readonly index: number; readonly reason: string }[] } {
  const universe = scenario.universe;
  const initial = initialWorldFor(variant, scenario.world, universe);
  const ctx: ModelTrace = { variant, world: scenario.world, universe, initial, steps: [], step, decisions: new Decisions(universe) };
  sink(`  world:      ${worldWords(ctx)}`);
  for (const t of initial.tasks) sink(`  initially:  ${taskWords(t)}`);
  const ops = scenario.ops;
  const r = new StepRenderer(ctx, sink, ops.length, opts);
  const stop = oldGenerationStop();
  let w = initial;
  const invalid: { index: number; reason: string }[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const out = step(w, op);
    if (out.result.kind === 'invalid') invalid.push({ index: i, reason: out.result.reason });
    r.render({ index: i, op, before: w, after: out.world, out, view: undefined });
    w = out.world;
    // Past the line, collect and look again: only live state stops a replay.
    if (i % HEAP_CHECK_EVERY === HEAP_CHECK_EVERY - 1 && oldGenerationUsed() > stop && (fullGc(), oldGenerationUsed() > stop)) {
      throw new UsageError(`${file}: too large to replay: the model's state passed ${Math.round(HEAP_STOP_SHARE * 100)}% of the heap limit (${Math.round(stop / HEAP_STOP_SHARE / 2 ** 20)} MiB) at step #${i}`);
    }
  }
  return { ...r.summary(), invalid };
}

/** The scenario's variant: a built-in by id, else its module (from the file's directory, then the cwd). */
export async function variantOf(s: Scenario, file: string, cwd: string): Promise<Variant> {
  const builtin = builtinVariant(s.variant.id);
  if (builtin && !s.variant.module) return builtin;
  if (!s.variant.module) throw new UsageError(`${file}: variant "${s.variant.id}" is not built in and the file names no variant.module`);
  const fromFile = dirname(resolve(cwd, file));
  let v: Variant;
  try {
    v = (await resolveVariant(s.variant.module, fromFile)).variant;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    try {
      v = (await resolveVariant(s.variant.module, cwd)).variant;
    } catch {
      throw e;
    }
  }
  if (v.id !== s.variant.id) throw new UsageError(`${file}: module ${s.variant.module} declares variant "${v.id}", but the scenario is for "${s.variant.id}"`);
  return v;
}
