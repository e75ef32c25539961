// Writing a scenario: atomically (a temporary file in the same directory, flushed, then
// rename(2), then the directory fsync'd so the new name survives a crash) under a stable,
// readable name, into `strata-out/` unless told otherwise.
import { mkdirSync, writeFileSync, renameSync, rmSync, statSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import type { Scenario } from './types.js';
import { formatScenario } from './format.js';
import { ScenarioError } from './errors.js';
import { ioReason } from './load.js';

/** Where scenarios go when no directory is given. */
export const DEFAULT_OUT_DIR = 'strata-out';

export interface WriteOptions {
  /** Directory to write into (created if missing); default `strata-out`. */
  readonly dir?: string;
  /** File name to use instead of scenarioFileName(s). */
  readonly name?: string;
}

/**
 * The file name of a scenario, stable for equal content: with a finding
 * `<variant>.<property>.seed<seed>.json` (strata check) or `<variant>.<property>.explore-<scope>.json`
 * (strata explore), with a conformance discrepancy
 * `<variant>.conform.seed<seed>.run<k>.json` (k: the generated scenario it was shrunk from, the
 * first number of its fast-check path), otherwise `<variant>.<kind>.<content hash>.json`.
 */
export function scenarioFileName(s: Scenario): string {
  const variant = safe(s.variant.id);
  if (s.finding?.explore) return `${variant}.${safe(s.finding.property)}.explore-${safe(s.finding.explore.scope)}.json`;
  if (s.finding) return `${variant}.${safe(s.finding.property)}.seed${String(s.finding.seed)}.json`;
  if (s.discrepancy) return `${variant}.conform.seed${s.discrepancy.seed}.run${s.discrepancy.path.split(':')[0] || '0'}.json`;
  const hash = createHash('sha256').update(formatScenario(s)).digest('hex').slice(0, 10);
  return `${variant}.${s.kind}.${hash}.json`;
}

/** Write `s`; returns the path written (relative paths stay relative to the cwd). */
export function writeScenario(s: Scenario, opts: WriteOptions = {}): string {
  const dir = opts.dir ?? DEFAULT_OUT_DIR;
  const file = join(dir, opts.name ?? scenarioFileName(s));
  const tmp = join(dir, `.${opts.name ?? scenarioFileName(s)}.${process.pid}.tmp`);
  try {
    makeDirs(dir);
    writeFileSync(tmp, formatScenario(s), { flush: true });
    renameSync(tmp, file);
    syncDir(dir);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new ScenarioError('io', file, '', `cannot write: ${ioReason(e)}`);
  }
  return file;
}

/** fsync(2) the directory, so a rename in it is on disk. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * mkdir -p. Not mkdirSync's `recursive`: on Node 20 it spins forever when a parent refuses with
 * ENOENT (e.g. under /proc); here every level is tried once.
 */
function makeDirs(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!statSync(dir).isDirectory()) throw e;
      return;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw e;
    makeDirs(parent);
    mkdirSync(dir);
  }
}

/** Keep names portable and readable: letters, digits, `-`, `_`, `.`; anything else becomes `-`. */
function safe(s: string): string {
  const cleaned = s.replace(/\.(ts|mjs|js)$/, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return cleaned === '' ? 'scenario' : cleaned.slice(0, 60);
}
