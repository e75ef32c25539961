// Reading a scenario: read the file, parse JSON, validate (validate.ts). Every failure is a
// ScenarioError whose message is one line naming the file and the offending field. Only regular
// files and pipes are read, up to MAX_SCENARIO_BYTES (a device such as /dev/zero never ends); a
// leading UTF-8 byte-order mark is ignored.
import { openSync, fstatSync, readSync, closeSync } from 'node:fs';
import type { Scenario } from './types.js';
import { ScenarioError } from './errors.js';
import { validateScenario } from './validate.js';
import { MAX_SCENARIO_BYTES, mib } from './limits.js';

/** Read and validate the scenario file at `file`. */
export function loadScenario(file: string): Scenario {
  return parseScenario(readScenarioText(file), file);
}

/** The file's text: a regular file or a pipe, at most MAX_SCENARIO_BYTES. */
function readScenarioText(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new ScenarioError('io', file, '', `cannot read: ${ioReason(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isCharacterDevice() || st.isBlockDevice() || st.isSocket()) throw new ScenarioError('io', file, '', 'cannot read: not a regular file (a device or socket)');
    if (st.isFile() && st.size > MAX_SCENARIO_BYTES) throw tooLarge(file, st.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, MAX_SCENARIO_BYTES + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > MAX_SCENARIO_BYTES) throw tooLarge(file, total);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError('io', file, '', `cannot read: ${ioReason(e)}`);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(source: string, bytes: number): ScenarioError {
  return new ScenarioError('size', source, '', `${mib(bytes)}: larger than a scenario file may be (${mib(MAX_SCENARIO_BYTES)})`);
}

/** Parse and validate scenario JSON text; `source` names it in error messages. A leading
 * byte-order mark (U+FEFF) is ignored. */
export function parseScenario(input: string, source: string): Scenario {
  // UTF-16 code units: at least as many bytes in UTF-8.
  if (input.length > MAX_SCENARIO_BYTES) throw tooLarge(source, input.length);
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError('syntax', source, '', `not valid JSON (${syntaxReason(e, text)})`);
  }
  return validateScenario(value, source);
}

/** `ENOENT: no such file or directory` → `no such file or directory`. */
export function ioReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string') {
    const msg = String(err.message ?? '');
    const m = /^[A-Z]+: ([^,]+)/.exec(msg);
    return m ? `${m[1]} (${err.code})` : err.code;
  }
  return String((e as Error)?.message ?? e);
}

/** JSON.parse's message, without its echo of the input, with a line:column where it can tell. */
function syntaxReason(e: unknown, text: string): string {
  let msg = String((e as Error)?.message ?? e);
  msg = msg.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, '');
  msg = msg.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const m = / at position (\d+)/.exec(msg);
  if (m) {
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    msg = `${msg.slice(0, m.index).replace(/ in JSON$/, '')} at line ${line} column ${col}`;
  }
  if (text.trim() === '') msg = 'the file is empty';
  return msg.split('\n')[0]!;
}
