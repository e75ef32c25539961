// A scenario file named on the command line (replay, repro): loaded and validated, or one line
// naming the file and the field (exit 2).
import { resolve } from 'node:path';
import type { Io } from './io.js';
import { UsageError } from './errors.js';
import type { Scenario } from '../scenario/types.js';
import { loadScenario } from '../scenario/load.js';
import { ScenarioError } from '../scenario/errors.js';

export function loadScenarioArg(io: Io, file: string): Scenario {
  try {
    return loadScenario(resolve(io.cwd, file));
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(`${file}: ${e.pointer ? `${e.pointer}: ` : ''}${e.detail}`);
    throw e;
  }
}
