// The html reporter: golden SVG structure of a process-tree picture (a fixed witness trace), the
// page's parts, and — as a person would see it — `strata check --reporter html=DIR` opened in
// headless Chromium (reports/html-chromium.ts): one picture per counterexample, the matrix,
// shared layers, the failing step highlighted, no console error, nothing fetched from the
// network; the screenshot is written to test-artifacts/ (CI keeps it). Chromium is installed by
// .ci/run; without it the browser test is skipped with the reason.
import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { runTrace } from '../properties/trace.js';
import { TSYNC_OVERWRITE, LIVE_RULESET } from '../variants/index.js';
import { TSYNC_OVERWRITE_WITNESS, LIVE_RULESET_WITNESS } from './fixtures.js';
import { pictureOf } from './html-picture.js';
import { renderProcessSvg } from './html-svg.js';
import { stepDocs, taskTree } from '../result/trace-doc.js';
import { chromiumBinary, lookAtPage } from './html-chromium.js';
import { strata } from '../cli/test-helpers.js';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

function witnessSvg(variant: typeof TSYNC_OVERWRITE, ops: typeof TSYNC_OVERWRITE_WITNESS, atStep: number): string {
  const trace = runTrace(variant, ops);
  const steps = stepDocs(trace, { atStep, property: 'I2' });
  return renderProcessSvg(pictureOf(trace, taskTree(trace), steps, [atStep]), `${variant.id} witness`, 'g');
}

/** The SVG's structure: element names with their class and data attributes, one per line. */
function structure(svg: string): string {
  return [...svg.matchAll(/<([a-z]+)((?:\s+(?:class|data-[a-z]+)="[^"]*")*)[^>]*>/g)]
    .map((m) => `${m[1]}${[...m[2]!.matchAll(/(class|data-[a-z]+)="([^"]*)"/g)].map((a) => ` ${a[1]}=${a[2]}`).join('')}`)
    .join('\n');
}

describe('the process-tree picture', () => {
  it('keeps its structure (golden)', async () => {
    await expect(structure(witnessSvg(TSYNC_OVERWRITE, TSYNC_OVERWRITE_WITNESS, TSYNC_OVERWRITE_WITNESS.length - 1))).toMatchFileSnapshot('golden/html.tsync-overwrite.svg-structure.txt');
    await expect(structure(witnessSvg(LIVE_RULESET, LIVE_RULESET_WITNESS, LIVE_RULESET_WITNESS.length - 1))).toMatchFileSnapshot('golden/html.live-ruleset.svg-structure.txt');
  });

  it('draws a lane per task, an edge per fork or thread, shared layers as shared, and the failing step', () => {
    const svg = witnessSvg(TSYNC_OVERWRITE, TSYNC_OVERWRITE_WITNESS, TSYNC_OVERWRITE_WITNESS.length - 1);
    const trace = runTrace(TSYNC_OVERWRITE, TSYNC_OVERWRITE_WITNESS);
    const tasks = taskTree(trace);
    expect(svg.match(/<line class="lane"/g)?.length).toBe(tasks.length);
    expect(svg.match(/<line class="edge (fork|thread)"/g)?.length).toBe(tasks.filter((t) => t.via !== 'initial').length);
    expect(svg.match(/class="failing-step" data-step="(\d+)"/)?.[1]).toBe(String(TSYNC_OVERWRITE_WITNESS.length - 1));
    expect(svg).toMatch(/class="layer seccomp shared"/);
    expect(svg).toMatch(/class="share-link"/);
  });
});

const chromium = chromiumBinary();

describe.skipIf(chromium === null)(`the html report in headless Chromium${chromium === null ? ' (skipped: chromium is not installed; apt-get install chromium, as .ci/run does)' : ''}`, () => {
  it('npm start\'s report opens without errors, offline, one picture per counterexample', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-html-'));
    try {
      // npm start's own run (every built-in variant at the default budget), with the reporters
      const r = await strata(['check', '--out', join(dir, 'findings'), '--reporter', `html=${join(dir, 'report')}`, '--reporter', `json=${join(dir, 'result.json')}`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/cannot write/);
      const doc = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { check: { variants: { results: { finding: unknown }[] }[] } };
      const findings = doc.check.variants.flatMap((v) => v.results.filter((x) => x.finding)).length;
      expect(findings).toBeGreaterThan(1);
      const look = await lookAtPage(chromium!, pathToFileURL(join(dir, 'report', 'index.html')).href,
        ['table.matrix', 'section.counterexample', 'svg.process-tree', '.failing-step', '.layer.shared', 'line.lane', 'pre.commands', 'ol.trace'], 'section.counterexample');
      expect(look.errors).toEqual([]);
      expect(look.requests).toEqual([]);
      expect(look.counts['table.matrix']).toBe(1);
      expect(look.counts['section.counterexample']).toBe(findings);
      expect(look.counts['svg.process-tree']).toBe(findings);
      expect(look.counts['.failing-step']).toBeGreaterThanOrEqual(findings);
      expect(look.counts['.layer.shared']).toBeGreaterThan(0);
      expect(look.counts['pre.commands']).toBe(findings);
      expect(look.screenshot.subarray(1, 4).toString()).toBe('PNG');
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, 'html-report.png'), look.screenshot);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
