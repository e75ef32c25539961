// --reporter NAME[=FILE], repeatable: which reports a run writes, and where. Checked before the
// run (an unknown name, an empty or unwritable file, two reports for stdout, github without a
// summary file: one line, exit 2); written after it from the one result document. The text
// report goes to stdout unless it is given a file or another report takes stdout; `github`
// appends its Markdown to FILE or to $GITHUB_STEP_SUMMARY and prints its workflow commands on
// stdout. Files are written atomically (a temporary file renamed into place), so a reader never
// sees half a report; an interrupted run writes its partial document, marked as interrupted.
import { accessSync, appendFileSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';
import type { Io } from './io.js';
import type { ResultDocument } from '../result/types.js';
import type { ReporterName } from '../reports/reporters.js';
import { REPORTER_NAMES, isReporterName, renderReport } from '../reports/reporters.js';
import { githubCommands } from '../reports/github.js';
import { ioReason } from '../scenario/load.js';

export interface ReporterSpec {
  readonly name: ReporterName;
  /** As given (relative to the cwd), or null: stdout (github: $GITHUB_STEP_SUMMARY). */
  readonly file: string | null;
}

export interface Reporters {
  readonly specs: readonly ReporterSpec[];
  /** The text report goes to stdout. */
  readonly textToStdout: boolean;
  /** The text report's file, if given one. */
  readonly textFile: string | null;
}

/** Parse and check the --reporter values (before the run). */
export function parseReporters(values: readonly string[], io: Io): Reporters {
  const specs: ReporterSpec[] = [];
  for (const raw of values) {
    const eq = raw.indexOf('=');
    const name = (eq < 0 ? raw : raw.slice(0, eq)).trim();
    const file = eq < 0 ? null : raw.slice(eq + 1);
    if (!isReporterName(name)) throw new UsageError(`unknown reporter ${JSON.stringify(name)} (reporters: ${REPORTER_NAMES.join(', ')}; --reporter NAME[=FILE])`);
    if (file !== null && file.trim() === '') throw new UsageError(`--reporter ${name}= needs a file name (or leave out "=" for ${name === 'github' ? '$GITHUB_STEP_SUMMARY' : 'stdout'})`);
    if (specs.some((s) => s.name === name)) throw new UsageError(`--reporter ${name} given twice`);
    if (file !== null) checkWritable(`--reporter ${name}=${file}`, resolve(io.cwd, file));
    if (name === 'github' && file === null) {
      const summary = io.env.GITHUB_STEP_SUMMARY;
      if (summary === undefined || summary === '') throw new UsageError('--reporter github: GITHUB_STEP_SUMMARY is not set (not in a GitHub Actions step); give the summary a file: --reporter github=summary.md');
      checkWritable('--reporter github ($GITHUB_STEP_SUMMARY)', resolve(io.cwd, summary));
    }
    specs.push({ name, file });
  }
  const toStdout = specs.filter((s) => s.file === null && s.name !== 'github' && s.name !== 'text');
  if (toStdout.length > 1) throw new UsageError(`--reporter ${toStdout[0]!.name} and --reporter ${toStdout[1]!.name} both write to stdout: give one of them a file (--reporter ${toStdout[1]!.name}=FILE)`);
  const text = specs.find((s) => s.name === 'text');
  if (text && text.file === null && toStdout.length > 0) throw new UsageError(`--reporter text and --reporter ${toStdout[0]!.name} both write to stdout: give one of them a file`);
  return {
    specs,
    textToStdout: text ? text.file === null : toStdout.length === 0,
    textFile: text?.file ?? null,
  };
}

/** Throw a UsageError unless `abs` can be written: a directory that exists and is writable, and
 * not itself a directory. */
function checkWritable(what: string, abs: string): void {
  let st;
  try {
    st = statSync(abs);
  } catch {
    st = null;
  }
  if (st?.isDirectory()) throw new UsageError(`${what}: ${abs} is a directory`);
  const dir = dirname(abs);
  let dst;
  try {
    dst = statSync(dir);
  } catch {
    throw new UsageError(`${what}: the directory ${dir} does not exist`);
  }
  if (!dst.isDirectory()) throw new UsageError(`${what}: ${dir} is not a directory`);
  try {
    accessSync(st ? abs : dir, constants.W_OK);
  } catch {
    throw new UsageError(`${what}: ${st ? abs : dir} is not writable`);
  }
}

/** Write `text` to `abs` atomically. */
export function writeReportFile(abs: string, text: string): void {
  const tmp = `${abs}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Write every document reporter's output for `doc`; the text report is the caller's (it has it
 * as lines). Returns the files that could not be written, each said on stderr in one line.
 */
export function writeReports(r: Reporters, doc: ResultDocument, io: Io, textLines: readonly string[]): number {
  let failures = 0;
  const attempt = (what: string, abs: string, f: () => void): void => {
    try {
      f();
    } catch (e) {
      failures++;
      io.err(`strata ${doc.command}: cannot write the ${what} report to ${abs}: ${ioReason(e)}`);
    }
  };
  for (const s of r.specs) {
    if (s.name === 'text') {
      if (s.file !== null) attempt('text', resolve(io.cwd, s.file), () => writeReportFile(resolve(io.cwd, s.file!), textLines.length ? `${textLines.join('\n')}\n` : ''));
      continue;
    }
    const text = renderReport(s.name, doc);
    if (s.name === 'github') {
      for (const c of githubCommands(doc)) io.out(c);
      const abs = resolve(io.cwd, s.file ?? io.env.GITHUB_STEP_SUMMARY!);
      // the job summary is appended to (other steps write to it too); a named file is replaced
      attempt('github', abs, () => (s.file === null ? appendFileSync(abs, text) : writeReportFile(abs, text)));
      continue;
    }
    if (s.file === null) for (const l of text.replace(/\n$/, '').split('\n')) io.out(l);
    else attempt(s.name, resolve(io.cwd, s.file), () => writeReportFile(resolve(io.cwd, s.file!), text));
  }
  return failures;
}
