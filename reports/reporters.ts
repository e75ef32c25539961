// The reporters `--reporter NAME[=FILE]` chooses, each rendering the result document
// (result/types.ts) and nothing else. `text` is the terminal report (reports/check.ts,
// reports/conform.ts), made by the command itself; the others are documents.
import type { ResultDocument } from '../result/types.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';
import { renderKtap } from './ktap.js';
import { renderGithubSummary } from './github.js';

export const REPORTER_NAMES = ['text', 'json', 'junit', 'github', 'sarif', 'ktap'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

export function isReporterName(s: string): s is ReporterName {
  return (REPORTER_NAMES as readonly string[]).includes(s);
}

/** The result document as JSON (the `json` reporter). */
export function renderJson(doc: ResultDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The document a reporter writes (for `github`: the job summary's Markdown). */
export function renderReport(name: Exclude<ReporterName, 'text'>, doc: ResultDocument): string {
  switch (name) {
    case 'json': return renderJson(doc);
    case 'junit': return renderJunit(doc);
    case 'sarif': return renderSarif(doc);
    case 'ktap': return renderKtap(doc);
    case 'github': return renderGithubSummary(doc);
  }
}
