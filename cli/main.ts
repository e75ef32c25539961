// strata's command line: `strata <command> [options]`. Wiring only: parse, dispatch, map every
// outcome to an exit status. Bad input is one line on stderr and exit 2; anything unexpected is
// one line `strata: internal error: …` and exit 3 (STRATA_DEBUG=1 adds the stack).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from './io.js';
import { processIo } from './io.js';
import { EXIT, UsageError } from './errors.js';
import { COMMANDS, commandByName } from './registry.js';

function topHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: strata <command> [options]

Property-testing harness for the layering semantics of Linux sandboxes (seccomp filter stacks
and Landlock domains).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

Run strata <command> --help for a command's options.
Exit status: 0 success; 1 a result to look at (see the command's help); 2 bad usage; 3 internal error;
130, 143, 129 interrupted by SIGINT, SIGTERM, SIGHUP (the partial report is printed).`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return `strata ${pkg.version ?? '?'}`;
}

/** Run the command line `argv` (without node and script); resolves to the exit status. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  let prefix = 'strata';
  try {
    if (name === undefined) {
      io.err(`strata: missing command (${COMMANDS.map((c) => c.name).join(', ')}); strata --help for more`);
      return EXIT.USAGE;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const sub = name === 'help' && rest[0] !== undefined ? commandByName(rest[0]) : undefined;
      if (name === 'help' && rest[0] !== undefined && !sub) throw new UsageError(`unknown command ${JSON.stringify(rest[0])} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
      io.out(sub ? (await sub.load()).help : topHelp());
      return EXIT.OK;
    }
    if (name === '--version' || name === '-V') {
      io.out(version());
      return EXIT.OK;
    }
    const entry = commandByName(name);
    if (!entry) {
      throw new UsageError(name.startsWith('-')
        ? `expected a command before ${name} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`
        : `unknown command ${JSON.stringify(name)} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
    }
    prefix = `strata ${entry.name}`;
    const cmd = await entry.load();
    if (wantsHelp(rest)) {
      io.out(cmd.help);
      return EXIT.OK;
    }
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${prefix}: ${e.message}`);
      return EXIT.USAGE;
    }
    const msg = e instanceof Error ? `${e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` : String(e);
    io.err(`strata: internal error: ${msg.split('\n')[0]}`);
    if (io.env.STRATA_DEBUG && e instanceof Error && e.stack) io.err(e.stack);
    return EXIT.INTERNAL;
  }
}

/** `--help` / `-h` anywhere before a `--` terminator. */
function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** The process entry: run, set the exit status, and stay quiet on a closed stdout (| head). */
export async function runCli(argv: readonly string[]): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await main(argv, processIo());
}

const invoked = process.argv[1] ? resolve(process.argv[1]) : '';
if (invoked === fileURLToPath(import.meta.url)) await runCli(process.argv.slice(2));
