// A subcommand: its name, its full help text, and run(). Its one-line summary lives in the
// registry (registry.ts), so `strata --help` need not load it.
import type { Io } from './io.js';

export interface Command {
  readonly name: string;
  /** The text `strata <name> --help` prints. */
  readonly help: string;
  /** Run with the arguments after the command name; resolves to the exit status. */
  run(argv: readonly string[], io: Io): Promise<number>;
}
