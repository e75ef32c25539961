// The command line: main() for embedding and tests, the command registry, and the shared parts.
export { main, runCli } from './main.js';
export type { Io } from './io.js';
export { processIo } from './io.js';
export type { Command } from './command.js';
export type { CommandEntry } from './registry.js';
export { COMMANDS, commandByName } from './registry.js';
export type { ExitCode } from './errors.js';
export { EXIT, UsageError } from './errors.js';
export type { OptionSpec, Parsed } from './args.js';
export { parseCommandArgs, listOption, lastValue, intOption, durationOption } from './args.js';
export { DEFAULT_SEED, DEFAULT_RUNS, DEFAULT_MAX_OPS } from './commands/check.js';
