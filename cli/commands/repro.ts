// strata repro <scenario.json> [-o repro.c]: the scenario as one self-contained C program that
// replays it on the running kernel and prints KTAP, one test point per step (repro/source.ts).
// The model's expected results are the scenario's variant's; the skips this kernel's features
// demand are decided from the executor's feature reply when it runs here, else for a kernel
// with every feature (the header says which).
import { resolve } from 'node:path';
import { writeFileSync, renameSync, rmSync } from 'node:fs';
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { loadScenarioArg } from '../scenario-arg.js';
import { EXIT, UsageError } from '../errors.js';
import { parseCommandArgs, lastValue, durationOption } from '../args.js';
import type { Scenario } from '../../scenario/types.js';
import { replayScenario } from '../../properties/trace.js';
import { DEFAULT_BINARY, KernelExecutor } from '../../conformance/runner.js';
import { executorUnavailableReason } from '../../conformance/availability.js';
import type { KernelFeatures } from '../../conformance/result.js';
import { reproducerSource, ReproError } from '../../repro/source.js';
import { EVERY_FEATURE } from '../../repro/features.js';
import { variantOf } from './replay.js';

const OPTIONS = {
  output: { type: 'string', short: 'o', multiple: true },
  executor: { type: 'string', multiple: true },
  'op-timeout': { type: 'string', multiple: true },
  'scenario-timeout': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: strata repro [options] <scenario.json>

Write the scenario (a strata check counterexample, a strata conform discrepancy, a corpus file,
any scenario) as ONE self-contained C program that replays it on the running kernel:

  cc -Wall -Werror -o repro repro.c && sudo ./repro

It needs kernel headers to build and nothing of strata to run. It is strata's conformance
executor (conformance/executor.c, conformance/native/*.c) with the scenario as a table of ops —
one C function per step, named after the op, the trace's step line above it, seccomp programs
as struct sock_filter[] literals — and the model's expected result for every step. It prints
KTAP: "ok" when the kernel agrees with the model, "not ok" with the expected and the observed
result, "# SKIP" with the reason for a step this kernel cannot run; exit 0 / 1 / 4 as kselftests.

Ops the kernel has no call for (a variant's own ops and fields, e.g. mutable filters) cannot be
expressed: exit 2. Skips for missing kernel features are decided here, from the executor's
feature reply when it runs here (root, npm ci builds it), else for a kernel with every feature.

Options:
  -o, --output FILE         write the C file here (default: standard output)
      --executor PATH       the strata-exec binary asked for the kernel's features
      --op-timeout T        longest wait for one op in the reproducer (default 2s)
      --scenario-timeout T  longest run of the scenario (default 10s)
  -h, --help                this text

Exit status: 0 written; 2 bad usage (unreadable or malformed scenario, a scenario the C
reproducer cannot express, an unwritable output).`;

async function featuresFor(binary: string): Promise<{ features: KernelFeatures; from: string }> {
  if (executorUnavailableReason(binary) !== null) return { features: EVERY_FEATURE, from: 'no kernel (the executor cannot run where the reproducer was written): every feature assumed present' };
  const kx = new KernelExecutor({ binary });
  try {
    const f = await kx.features();
    return { features: f, from: `the features of the kernel it was written on (${f.kernel}, Landlock ABI ${f.landlockAbi})` };
  } catch {
    return { features: EVERY_FEATURE, from: 'no kernel (the executor did not answer): every feature assumed present' };
  } finally {
    await kx.close();
  }
}

export const reproCommand: Command = {
  name: 'repro',
  help: HELP,
  run: async (argv: readonly string[], io: Io) => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, 1);
    if (values.help) {
      io.out(HELP);
      return EXIT.OK;
    }
    const file = positionals[0];
    if (file === undefined) throw new UsageError('missing the scenario file (strata repro <scenario.json> [-o repro.c])');
    if (positionals.length > 1) throw new UsageError(`one scenario file at a time (got ${positionals.length})`);
    const opTimeout = lastValue(values['op-timeout']);
    const scenarioTimeout = lastValue(values['scenario-timeout']);
    const opTimeoutMs = opTimeout === undefined ? undefined : durationOption('op-timeout', opTimeout);
    const scenarioTimeoutMs = scenarioTimeout === undefined ? undefined : durationOption('scenario-timeout', scenarioTimeout);
    const scenario: Scenario = loadScenarioArg(io, file);
    const variant = await variantOf(scenario, file, io.cwd);
    const trace = replayScenario(scenario, variant);
    const binary = lastValue(values.executor) ?? DEFAULT_BINARY;
    const { features, from } = await featuresFor(resolve(io.cwd, binary));
    let text: string;
    try {
      text = reproducerSource(scenario, trace, {
        features, featuresFrom: from, source: file,
        ...(opTimeoutMs !== undefined ? { opTimeoutMs } : {}),
        ...(scenarioTimeoutMs !== undefined ? { scenarioTimeoutMs } : {}),
      });
    } catch (e) {
      if (e instanceof ReproError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
    const output = lastValue(values.output);
    if (output === undefined || output === '-') {
      io.out(text.replace(/\n$/, ''));
      return EXIT.OK;
    }
    const path = resolve(io.cwd, output);
    const tmp = `${path}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new UsageError(`cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    io.err(`strata repro: wrote ${output} (${scenario.ops.length} steps): cc -Wall -Werror -o repro ${output} && sudo ./repro`);
    return EXIT.OK;
  },
};
