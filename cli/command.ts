// A subcommand: its name, a one-line summary for `strata --help`, its full help text, and run().
import type { Io } from './io.js';

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The text `strata <name> --help` prints. */
  readonly help: string;
  /** Run with the arguments after the command name; resolves to the exit status. */
  run(argv: readonly string[], io: Io): Promise<number>;
}
