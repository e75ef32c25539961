// The regression corpus a check replays first (--corpus DIR, default corpus/ when present):
// every *.json file under DIR (sorted, subdirectories included), each read and validated as a
// scenario. A file that is not one (malformed, an unknown schema version) or whose variant is
// unknown — not built in, not among the variants checked, and naming no module — is one line and
// exit 2, before anything runs. A file naming a module variant that is not checked is kept but
// not run (its variant is not part of this check).
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { UsageError } from './errors.js';
import type { CorpusEntry } from '../properties/corpus-replay.js';
import { loadScenario } from '../scenario/load.js';
import { ScenarioError } from '../scenario/errors.js';
import { builtinVariant } from '../variants/registry.js';

/** The corpus directory strata check uses when --corpus is not given and it exists. */
export const DEFAULT_CORPUS_DIR = 'corpus';

export interface Corpus {
  /** As given (or the default). */
  readonly dir: string;
  readonly entries: readonly CorpusEntry[];
}

/** Every *.json file under `dir`, sorted by path. */
export function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && name.endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Load the corpus at `dir` (relative to `cwd`); `checked`: the ids of the variants checked. */
export function loadCorpus(dir: string, cwd: string, checked: readonly string[]): Corpus {
  if (dir.trim() === '') throw new UsageError('--corpus needs a directory (got "")');
  const abs = isAbsolute(dir) ? dir : resolve(cwd, dir);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new UsageError(`--corpus ${dir}: no such directory`);
  }
  if (!st.isDirectory()) throw new UsageError(`--corpus ${dir}: not a directory`);
  const entries: CorpusEntry[] = [];
  for (const file of corpusFiles(abs)) {
    const shown = isAbsolute(dir) ? file : relative(cwd, file) || file;
    let scenario;
    try {
      scenario = loadScenario(file);
    } catch (e) {
      if (e instanceof ScenarioError) throw new UsageError(`corpus file ${shown}: ${e.pointer ? `${e.pointer}: ` : ''}${e.detail}`);
      throw e;
    }
    const id = scenario.variant.id;
    if (!builtinVariant(id) && !checked.includes(id) && scenario.variant.module === undefined) {
      throw new UsageError(`corpus file ${shown}: variant ${JSON.stringify(id)} is unknown (not built in, not among the variants checked, and the file names no variant.module)`);
    }
    entries.push({ file: shown, scenario });
  }
  return { dir, entries };
}
