// The subcommands, in the order `strata --help` lists them. Each is loaded only when run, so
// `strata --help` stays fast. Adding a command is one line here, e.g.
//   { name: 'conform', summary: 'run scenarios on the live kernel', load: async () => (await import('./commands/conform.js')).conformCommand },
import type { Command } from './command.js';

export interface CommandEntry {
  readonly name: string;
  /** One line for `strata --help`. */
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'check', summary: 'check properties of variants on generated scenarios (the main job)', load: async () => (await import('./commands/check.js')).checkCommand },
  { name: 'merge', summary: 'combine the result documents of a check run\'s shards (--shard I/N) into the run\'s report', load: async () => (await import('./commands/merge.js')).mergeCommand },
  { name: 'explore', summary: 'try every op sequence of a small scope up to a depth (bounded-exhaustive, minimal counterexamples)', load: async () => (await import('./commands/explore.js')).exploreCommand },
  { name: 'replay', summary: 're-run a scenario file on the model and print it step by step', load: async () => (await import('./commands/replay.js')).replayCommand },
  { name: 'conform', summary: 'run generated scenarios on the model and on this machine\'s kernel, and compare', load: async () => (await import('./commands/conform.js')).conformCommand },
  { name: 'repro', summary: 'write a scenario as one stand-alone C program that replays it on the kernel (KTAP)', load: async () => (await import('./commands/repro.js')).reproCommand },
  { name: 'list', summary: 'list the built-in variants and the properties', load: async () => (await import('./commands/list.js')).listCommand },
];

export function commandByName(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
