// Argument parsing: node:util parseArgs in strict mode, with its errors turned into one line
// that names the problem, and helpers for the values (integers, durations, lists).
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/** Parse `argv` against `options`; `positionals` is the most positional arguments allowed. */
export function parseCommandArgs(argv: readonly string[], options: OptionSpec, positionals: number): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals > 0 });
  } catch (e) {
    throw new UsageError(parseErrorLine(e, options));
  }
  if (parsed.positionals.length > positionals) {
    const extra = parsed.positionals[positionals]!;
    throw new UsageError(positionals === 0 ? `unexpected argument ${JSON.stringify(extra)}` : `unexpected extra argument ${JSON.stringify(extra)}`);
  }
  return { values: parsed.values as Parsed['values'], positionals: parsed.positionals };
}

/** parseArgs's message, shortened to what went wrong and with which option. */
function parseErrorLine(e: unknown, options: OptionSpec): string {
  const err = e as { code?: string; message?: string };
  const msg = String(err.message ?? e);
  const opt = /'(-[^', ]*(?:, -[^' ]*)?)/.exec(msg)?.[1] ?? '';
  const long = opt.split(', ').pop() ?? opt;
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = long.replace(/^-+/, '');
      const near = Object.keys(options).find((k) => k.startsWith(name) || name.startsWith(k));
      return `unknown option ${long}${near ? ` (did you mean --${near}?)` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(msg)) return `option ${long} takes no value`;
      if (/is ambiguous/.test(msg)) return `option ${long} needs a value (for one starting with "-", write ${long}=-…)`;
      return `option ${long} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /'([^']*)'/.exec(msg)?.[1] ?? '';
      return `unexpected argument ${JSON.stringify(arg)}`;
    }
    default:
      return msg.split('\n')[0]!;
  }
}

/** Values of a repeatable string option, each split on commas, blanks dropped. */
export function listOption(v: unknown): string[] {
  const raw = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return raw.flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** Like listOption, but an empty value or an empty item (`--variant=`, `--variant ,`, `a,,b`) is a
 * UsageError naming the option: an empty list never silently means "the default". */
export function nonEmptyListOption(name: string, what: string, v: unknown): string[] {
  const raw = Array.isArray(v) ? v : v === undefined ? [] : [v];
  for (const x of raw) {
    if (String(x).split(',').some((s) => s.trim() === '')) throw new UsageError(`--${name} needs ${what}${String(x).includes(',') ? ' in every comma-separated item' : ''} (got ${JSON.stringify(String(x))})`);
  }
  return listOption(v);
}

/** The last value of an option given once or several times (the last one wins). */
export function lastValue(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return v === undefined ? undefined : String(v);
}

/** A decimal integer in [min, max], or a UsageError naming the option. */
export function intOption(name: string, v: string, min: number, max: number): number {
  if (!/^[-+]?[0-9]+$/.test(v.trim())) throw new UsageError(`--${name} must be an integer${rangeWords(min, max)} (got ${JSON.stringify(v)})`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer${rangeWords(min, max)} (got ${v})`);
  return n;
}

function rangeWords(min: number, max: number): string {
  if (min === 1 && max === Number.MAX_SAFE_INTEGER) return ' ≥ 1';
  return ` in ${min}..${max}`;
}

/** A duration: `90` or `90s` (seconds), `1500ms`, `2m`; positive. Returns milliseconds. */
export function durationOption(name: string, v: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$/.exec(v.trim());
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000) : NaN;
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`--${name} must be a positive duration such as 30s, 1500ms or 2m (got ${JSON.stringify(v)})`);
  return Math.round(ms);
}
