// The pictures of the html report (reports/html.ts): each finding's and discrepancy's scenario,
// carried in the result document, replayed on the model (pure, deterministic: the same trace the
// run had) for the worlds between its steps. A scenario of a user variant (a module) is not
// loaded here: its finding is shown without a picture, and the report says why.
import type { ResultDocument } from '../result/types.js';
import type { Scenario } from '../scenario/types.js';
import type { PictureOf } from '../reports/html.js';
import { pictureOf } from '../reports/html-picture.js';
import { replayScenario } from '../properties/trace.js';
import { builtinVariant } from '../variants/registry.js';

export function htmlPictures(doc: ResultDocument): PictureOf {
  const byFile = new Map<string, ReturnType<PictureOf>>();
  const add = (file: string, s: Scenario, tasks: Parameters<typeof pictureOf>[1], steps: Parameters<typeof pictureOf>[2], failing: readonly number[]): void => {
    const v = builtinVariant(s.variant.id);
    if (!v) {
      byFile.set(file, { unavailable: `variant "${s.variant.id}" is not built in (a module variant is not loaded for the report)` });
      return;
    }
    try {
      byFile.set(file, pictureOf(replayScenario(s, v), tasks, steps, failing));
    } catch (e) {
      byFile.set(file, { unavailable: `the model could not replay the scenario: ${(e as Error).message}` });
    }
  };
  for (const v of doc.check?.variants ?? []) {
    for (const r of v.results) if (r.finding) add(r.finding.file, r.finding.scenario, r.finding.tasks, r.finding.steps, [r.finding.atStep]);
  }
  for (const f of doc.check?.unfinishedFindings ?? []) add(f.file, f.scenario, f.tasks, f.steps, [f.atStep]);
  for (const d of doc.conform?.discrepancies ?? []) add(d.file, d.scenario, d.tasks, d.trace.map((t) => ({ op: t.op, result: t.model })), d.steps);
  return (file) => byFile.get(file) ?? { unavailable: 'no scenario for it in the result document' };
}
