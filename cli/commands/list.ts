// strata list: the built-in variants (with the properties each is expected to violate) and the
// properties, by id — the names --variant and --property accept.
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { EXIT } from '../errors.js';
import { parseCommandArgs } from '../args.js';
import { BUILTIN_VARIANTS } from '../../variants/registry.js';
import { ALL_PROPERTIES } from '../../properties/all.js';
import { LANDLOCK_ABI_MAX } from '../../model/limits.js';
import { SCOPES, DEFAULT_SCOPE } from '../../explore/scope.js';

const OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

const HELP = `Usage: strata list

List the built-in variants (with the properties each is expected to violate) and the properties,
by the ids that strata check --variant and --property accept, and the scopes of strata explore.

Exit status: 0; 2 bad usage.`;

export const listCommand: Command = {
  name: 'list',
  help: HELP,
  run: async (argv: readonly string[], io: Io) => {
    parseCommandArgs(argv, OPTIONS, 0);
    const vw = Math.max(...BUILTIN_VARIANTS.map((v) => v.id.length));
    io.out('variants (--variant ID, or a module path):');
    for (const v of BUILTIN_VARIANTS) {
      const violates = Object.entries(v.expectations).filter(([, e]) => e === 'violates').map(([p]) => p);
      io.out(`  ${v.id.padEnd(vw)}  ${v.title}`);
      io.out(`  ${''.padEnd(vw)}  expected to violate: ${violates.length ? violates.join(', ') : 'none'}`);
    }
    io.out(`  ${'linux-abiN'.padEnd(vw)}  Linux at Landlock ABI N (1..${LANDLOCK_ABI_MAX})`);
    io.out('');
    io.out('properties (--property ID):');
    const pw = Math.max(...ALL_PROPERTIES.map((p) => p.id.length));
    for (const p of ALL_PROPERTIES) io.out(`  ${p.id.padEnd(pw)}  ${p.statement}`);
    io.out('');
    io.out(`explore scopes (strata explore --scope NAME; default ${DEFAULT_SCOPE}):`);
    const sw = Math.max(...SCOPES.map((s) => s.name.length));
    for (const s of SCOPES) io.out(`  ${s.name.padEnd(sw)}  ${s.summary}`);
    return EXIT.OK;
  },
};
