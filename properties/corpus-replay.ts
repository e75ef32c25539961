// Replaying a regression corpus in the check engine: every kept scenario of the variant under
// check is run on the model and checked against the properties under check, before anything is
// generated (as Hypothesis replays its example database). A property a corpus scenario violates
// is decided by it: the pair's counterexample is the corpus file, with the finding as found now.
// A corpus file whose recorded finding does not reproduce is reported as changed (the bug it
// guards was fixed, or the model changed): data for the report, not a verdict.
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../variants/variant.js';
import type { Property } from './property.js';
import type { PropertyId } from './ids.js';
import { traceScenario, traceToScenario } from './trace.js';

/** One file of a corpus, loaded and validated (the CLI reads it; the engine only runs it). */
export interface CorpusEntry {
  /** Where it is, as the user should see it. */
  readonly file: string;
  readonly scenario: Scenario;
}

/** A corpus file whose recorded finding is not what the re-run finds. */
export interface CorpusChange {
  readonly file: string;
  readonly property: string;
  /** The recorded finding, and what the re-run shows instead, in words. */
  readonly was: string;
  readonly now: string;
}

export interface CorpusReplay {
  /** Files of this variant that were run. */
  readonly replayed: number;
  /** First violation of each property, in corpus order. */
  readonly found: readonly { readonly property: PropertyId; readonly file: string; readonly scenario: Scenario }[];
  readonly changed: readonly CorpusChange[];
  /** The model threw on a corpus file. */
  readonly crash?: { readonly message: string; readonly scenario: Scenario; readonly corpusFile: string };
}

/** Run the corpus files of `variant` against `properties`. */
export function replayCorpus(variant: Variant, properties: readonly Property[], corpus: readonly CorpusEntry[]): CorpusReplay {
  const found: { property: PropertyId; file: string; scenario: Scenario }[] = [];
  const changed: CorpusChange[] = [];
  let replayed = 0;
  for (const entry of corpus) {
    if (entry.scenario.variant.id !== variant.id) continue;
    replayed++;
    let trace;
    try {
      trace = traceScenario(entry.scenario, variant);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { replayed, found, changed, crash: { message, scenario: entry.scenario, corpusFile: entry.file } };
    }
    const recorded = entry.scenario.finding;
    for (const p of properties) {
      const v = p.check(trace);
      if (recorded && recorded.property === p.id && !(v && v.atStep === recorded.atStep && v.message === recorded.message)) {
        changed.push({ file: entry.file, property: p.id, was: `fails at step #${recorded.atStep}: ${recorded.message}`, now: v ? `fails at step #${v.atStep}: ${v.message}` : 'holds' });
      }
      if (!v || found.some((f) => f.property === p.id)) continue;
      const scenario = traceToScenario(trace, {
        ...(entry.scenario.variant.module ? { module: entry.scenario.variant.module } : {}),
        ...(entry.scenario.description !== undefined ? { description: entry.scenario.description } : {}),
        finding: { property: p.id, statement: p.statement, seed: recorded?.seed ?? 0, path: recorded?.property === p.id ? recorded.path : '', atStep: v.atStep, message: v.message },
      });
      found.push({ property: p.id, file: entry.file, scenario });
    }
  }
  return { replayed, found, changed };
}
