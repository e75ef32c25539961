// Writing a command's counterexamples: each scenario once, the moment it is found, before
// anything is printed about it (check, explore). A write that fails (disk full, I/O error) is
// said on stderr at once and remembered; the run goes on and the report names the file.
import { existsSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import type { Scenario } from '../scenario/types.js';
import { ScenarioError } from '../scenario/errors.js';
import { writeScenario, scenarioFileName } from '../scenario/write.js';

export interface Saved {
  readonly file: string;
  readonly unwritten?: string;
}

/** Writes each scenario once (by file name: the report's scenarios are copies of the events',
 * from the worker thread), remembering where it went; a write that fails (disk full, I/O error)
 * is said on stderr at once and remembered, and the run goes on. */
export class Saver {
  private readonly saved = new Map<string, { readonly scenario: Scenario; readonly saved: Saved }>();
  failures = 0;
  constructor(private readonly command: string, private readonly outDir: string, private readonly cwd: string, private readonly say: (line: string) => void) {}

  save(s: Scenario, name?: string): Saved {
    const key = name ?? scenarioFileName(s);
    const hit = this.saved.get(key);
    if (hit) return hit.saved;
    const dir = isAbsolute(this.outDir) ? this.outDir : resolve(this.cwd, this.outDir);
    let out: Saved;
    try {
      out = { file: this.shown(writeScenario(s, { dir, ...(name ? { name } : {}) })) };
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      this.failures++;
      const file = this.shown(resolve(dir, key));
      out = { file, unwritten: e.detail.replace(/^cannot write: /, '') };
      this.say(`strata ${this.command}: cannot write ${file}: ${out.unwritten}; the report on stdout still shows this counterexample`);
    }
    this.saved.set(key, { scenario: s, saved: out });
    return out;
  }

  /** Add a new counterexample to a corpus (`strata check --save-findings`): under a name not
   * yet taken, with a description of what it guards. */
  keep(s: Scenario, expected: boolean | undefined): void {
    const f = s.finding;
    const description = f
      ? `saved by strata ${this.command} --save-findings: ${s.variant.id} violates ${f.property}${expected === true ? ' (expected)' : expected === false ? ' (unexpected: keep it until the design is fixed, then it must hold)' : ''} — ${f.message}`
      : `saved by strata ${this.command} --save-findings (${s.variant.id})`;
    const base = scenarioFileName(s).replace(/\.json$/, '');
    const dir = isAbsolute(this.outDir) ? this.outDir : resolve(this.cwd, this.outDir);
    let name = `${base}.json`;
    for (let i = 2; existsSync(resolve(dir, name)); i++) name = `${base}.${i}.json`;
    this.save({ ...s, description }, name);
  }

  /** Every scenario saved (or tried), in order. */
  all(): { readonly scenario: Scenario; readonly saved: Saved }[] {
    return [...this.saved.values()];
  }

  private shown(abs: string): string {
    return isAbsolute(this.outDir) ? abs : relative(this.cwd, abs) || abs;
  }
}

/** A module path as seen from the directory the scenario files go to (replay resolves it there). */
export function moduleFromOutDir(module: string, outDir: string, cwd: string): string {
  if (isAbsolute(module)) return module;
  const abs = resolve(cwd, module);
  const rel = relative(resolve(cwd, outDir), abs);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

