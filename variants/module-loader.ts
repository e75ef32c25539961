// Importing a user's variant module from anywhere: .ts/.mts/.js/.mjs, inside or outside an ESM
// package. The file is imported through tsx's scoped ESM API (tsImport) with the module's own
// URL as parent, so its format (ESM or CommonJS) follows its own package.json, not strata's.
// Failures become one VariantError line: a syntax error names file:line:column, a module that
// calls process.exit or throws while it is being imported is reported as such.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { VariantError } from './validate.js';

/** Thrown by the stand-in process.exit while a module is being imported. */
class ExitDuringImport extends Error {
  constructor(readonly exitCode: unknown) {
    super(`process.exit(${String(exitCode ?? '')}) called while importing a variant module`);
    this.name = 'ExitDuringImport';
  }
}

/** The export that is the variant: `export default` (ESM) or the CommonJS form of it. */
export interface ImportedModule {
  readonly hasDefault: boolean;
  readonly value: unknown;
}

/**
 * Import the module at absolute path `file`; `origin` names it in messages (the path as the user
 * gave it). Throws VariantError. `cwd` is where paths in messages are shown from.
 */
export async function importVariantModule(file: string, origin: string, cwd: string): Promise<ImportedModule> {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new VariantError(origin, '', `cannot be imported: no such file ${file}`);
  }
  if (!st.isFile()) throw new VariantError(origin, '', `cannot be imported: ${file} is not a file`);
  const url = pathToFileURL(file).href;
  const exit = process.exit;
  let mod: Record<string, unknown>;
  process.exit = ((code?: unknown) => {
    throw new ExitDuringImport(code);
  }) as typeof process.exit;
  try {
    mod = (await tsImport(url, { parentURL: url })) as Record<string, unknown>;
  } catch (e) {
    throw new VariantError(origin, '', importProblem(e, file, cwd));
  } finally {
    process.exit = exit;
  }
  return defaultExport(mod);
}

/** ESM `export default`, or a CommonJS module's `exports.default` (TS compiled to CommonJS) or
 * `module.exports` itself. */
function defaultExport(mod: Record<string, unknown>): ImportedModule {
  if (!('default' in mod)) return { hasDefault: false, value: undefined };
  const d = mod.default;
  if (typeof d === 'object' && d !== null && (d as { __esModule?: unknown }).__esModule === true) {
    return 'default' in d ? { hasDefault: true, value: (d as { default: unknown }).default } : { hasDefault: false, value: undefined };
  }
  return { hasDefault: true, value: d };
}

/** One line saying why the import failed. */
function importProblem(e: unknown, file: string, cwd: string): string {
  if (e instanceof ExitDuringImport) return `called process.exit(${String(e.exitCode ?? '')}) while loading`;
  const err = e as { name?: unknown; code?: unknown; message?: unknown };
  const message = String(err?.message ?? e);
  if (err?.name === 'TransformError') {
    // esbuild: "Transform failed with N error(s):\n<file>:<line>:<col>: ERROR: <text>"
    const m = /^(.*):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
    if (m) return `syntax error at ${shown(m[1]!, cwd)}:${m[2]}:${Number(m[3]) + 1}: ${m[4]}`;
    return `syntax error: ${message.split('\n').slice(1).join(' ').trim() || message}`;
  }
  if (e instanceof SyntaxError) {
    const where = syntaxLocation(file);
    return where ? `syntax error at ${shown(where, cwd)}: ${message}` : `syntax error in ${shown(file, cwd)} or a module it imports: ${message}`;
  }
  if (err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_MODULE_NOT_FOUND') {
    return `cannot be imported: ${withoutNamespaces(message.split('\n')[0]!)}`;
  }
  const name = typeof err?.name === 'string' && err.name !== 'Error' ? `${err.name}: ` : '';
  return `threw while loading: ${name}${withoutNamespaces(message.split('\n')[0]!)}`;
}

/** `file:line:col` of a plain-JavaScript syntax error, from `node --check` (undefined if the file
 * itself parses, i.e. the error is in a module it imports). */
function syntaxLocation(file: string): string | undefined {
  try {
    execFileSync(process.execPath, ['--check', file], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
    return undefined;
  } catch (e) {
    const text = String((e as { stderr?: unknown }).stderr ?? '');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /:\d+$/.test(l));
    if (at < 0) return undefined;
    const m = /^(.*):(\d+)$/.exec(lines[at]!)!;
    // The line after the source line marks the column with `^` (at the end of input: blanks up to it).
    const mark = lines[at + 2] ?? '';
    const caret = mark.includes('^') ? mark.indexOf('^') : mark.trim() === '' && mark !== '' ? mark.length : -1;
    const path = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    return caret >= 0 ? `${path}:${m[2]}:${caret + 1}` : `${path}:${m[2]}`;
  }
}

/** tsx marks the files it loads with a `?namespace=…` query; users never wrote it. */
function withoutNamespaces(s: string): string {
  return s.replace(/\?(?:tsx-)?namespace=[0-9a-z-]+/g, '');
}

/** A path as the user would write it from `cwd`. */
function shown(path: string, cwd: string): string {
  const p = path.startsWith('file://') ? fileURLToPath(path) : path;
  if (!isAbsolute(p)) return p;
  const rel = relative(cwd, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}
