// Reading a scenario: read the file, parse JSON, validate (validate.ts). Every failure is a
// ScenarioError whose message is one line naming the file and the offending field.
import { readFileSync, statSync } from 'node:fs';
import type { Scenario } from './types.js';
import { ScenarioError } from './errors.js';
import { validateScenario } from './validate.js';
import { MAX_SCENARIO_BYTES, mib } from './limits.js';

/** Read and validate the scenario file at `file`. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    const st = statSync(file);
    if (st.isFile() && st.size > MAX_SCENARIO_BYTES) throw tooLarge(file, st.size);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError('io', file, '', `cannot read: ${ioReason(e)}`);
  }
  return parseScenario(text, file);
}

function tooLarge(source: string, bytes: number): ScenarioError {
  return new ScenarioError('size', source, '', `${mib(bytes)}: larger than a scenario file may be (${mib(MAX_SCENARIO_BYTES)})`);
}

/** Parse and validate scenario JSON text; `source` names it in error messages. */
export function parseScenario(text: string, source: string): Scenario {
  // UTF-16 code units: at least as many bytes in UTF-8.
  if (text.length > MAX_SCENARIO_BYTES) throw tooLarge(source, text.length);
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
  msg = msg.replace(/, ".*" is not valid JSON$/s, '');
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
