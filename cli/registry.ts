// The subcommands, in the order `strata --help` lists them. Adding one is one line here.
import type { Command } from './command.js';
import { checkCommand } from './commands/check.js';
import { replayCommand } from './commands/replay.js';
import { listCommand } from './commands/list.js';

export const COMMANDS: readonly Command[] = [
  checkCommand,
  replayCommand,
  listCommand,
];

export function commandByName(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
