// The `html` reporter: a static, offline, single-directory report of a result document
// (result/types.ts) — index.html with its style inline, no script, nothing fetched at view time.
// The expectation matrix (check) or the comparison's tallies (conform); then, per counterexample
// or discrepancy, a picture of the process tree over time (reports/html-svg.ts), its trace in
// words, and the commands that replay it, re-find it and turn it into a stand-alone C
// reproducer (strata repro). The pictures need each finding's model trace: the caller passes
// them (cli/reporters.ts replays the document's scenarios on the model; a finding of a variant
// it cannot load is shown without a picture, and the page says why).
import type { ResultDocument, FindingDoc, DiscrepancyDoc, PairDoc, StepDoc, ConformStepDoc } from '../result/types.js';
import type { ProcessPicture } from './html-picture.js';
import { escapeXml as esc, renderProcessSvg } from './html-svg.js';

/** A finding's or discrepancy's picture, by its file; null (with why) when it has none. */
export type PictureOf = (file: string) => ProcessPicture | { readonly unavailable: string };

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px;border-top:1px solid #ddd;padding-top:14px}
.verdict{padding:6px 10px;border-radius:6px;display:inline-block;font-weight:600}
.verdict.ok{background:#e3f6e5;color:#145a1e}.verdict.fail{background:#fde8e8;color:#8a1c1c}.verdict.other{background:#fff4d6;color:#6b4e00}
table.matrix{border-collapse:collapse;margin:10px 0}table.matrix th,table.matrix td{border:1px solid #ccc;padding:4px 8px;text-align:center}
td.as-expected{background:#eef8ef}td.unexpected-violation{background:#fbd5d5;font-weight:600}td.violation-not-found{background:#fde2c8}td.not-searched-enough{background:#fff1c1}
pre{background:#f6f8fa;padding:10px;overflow:auto;border-radius:6px}code{font-family:ui-monospace,monospace}
.picture{overflow-x:auto;border:1px solid #e2e2e2;border-radius:6px;padding:6px;background:#fcfcfd}
.process-tree text{font:11px ui-monospace,monospace;fill:#333}
.process-tree .col-head{font-weight:600}.process-tree .actor{fill:#8a1c1c}
.process-tree .lane{stroke:#9aa;stroke-width:2}.process-tree .lane-label{font-weight:600}
.process-tree .edge{stroke:#444;stroke-width:1.5}.process-tree .edge.thread{stroke-dasharray:4 3}
.process-tree .exec{fill:#c77d00}.process-tree .act{fill:#555}.process-tree .act.failing{fill:#d11}
.process-tree .failing-step{fill:#ffe9e9;stroke:#e88;stroke-width:1.5}
.process-tree .layer text{fill:#fff;font-size:9px;text-anchor:middle}
.process-tree .layer.shared rect{stroke:#111;stroke-width:1.5}
.process-tree .share-link{stroke-width:3;opacity:.55}
.process-tree .weakened{fill:#b00;font-weight:600}.process-tree .strict{fill:#b00;font-size:10px}
ol.trace li.failing{background:#ffe9e9;font-weight:600}ol.trace{font:12px ui-monospace,monospace}
.legend span{display:inline-block;margin-right:14px}
`;

const verdictClass = (s: string): string => (s === 'ok' ? 'ok' : s === 'fail' ? 'fail' : 'other');

function commandBlock(lines: readonly (string | null)[]): string {
  return `<pre class="commands"><code>${lines.filter((l): l is string => l !== null).map(esc).join('\n')}</code></pre>`;
}

function pictureBlock(pic: ReturnType<PictureOf>, title: string, id: string): string {
  if ('unavailable' in pic) return `<p class="no-picture">No picture: ${esc(pic.unavailable)}</p>`;
  return `<div class="picture">${renderProcessSvg(pic, title, id)}</div>`;
}

function stepsList(steps: readonly StepDoc[]): string {
  return `<ol class="trace" start="0">${steps.map((s) => `<li class="${s.failsHere ? 'failing' : ''}">${esc(`${s.op} → ${s.result}`)}${s.notes.length ? `<br>${s.notes.map((n) => `&nbsp;&nbsp;${esc(n)}`).join('<br>')}` : ''}</li>`).join('')}</ol>`;
}

function conformSteps(steps: readonly ConformStepDoc[], differing: readonly number[]): string {
  return `<ol class="trace" start="0">${steps.map((s) => `<li class="${differing.includes(s.index) ? 'failing' : ''}">${esc(`${s.op} — model ${s.model}; kernel ${s.kernel} [${s.mark}]`)}</li>`).join('')}</ol>`;
}

function findingSection(f: FindingDoc, n: number, pictures: PictureOf): string {
  const title = `${f.variant} violates ${f.property} at step #${f.atStep}`;
  return `<section class="counterexample" id="finding-${n}">
<h2>${esc(title)}${f.expected ? ' (expected)' : ' (unexpected)'}</h2>
<p class="message">${esc(f.message)}</p>
<p class="world">${esc(f.world)}</p>
${pictureBlock(pictures(f.file), title, `f${n}`)}
<p class="legend"><span>lanes: tasks</span><span>solid edge: fork</span><span>dashed edge: thread</span><span>◆ exec</span><span>blue boxes: seccomp filters, green: Landlock layers (newest left)</span><span>outlined and linked: a layer shared by reference</span></p>
<h3>Trace</h3>${stepsList(f.steps)}
<h3>Commands</h3>${commandBlock([f.replay, f.reproduce, `strata repro ${f.file} -o repro.c && cc -Wall -Werror -o repro repro.c && sudo ./repro`])}
</section>`;
}

function discrepancySection(d: DiscrepancyDoc, n: number, pictures: PictureOf): string {
  const title = `kernel differs from the model: ${d.signature}`;
  return `<section class="counterexample discrepancy" id="discrepancy-${n}">
<h2>${esc(title)}</h2>
<p class="message">${esc(d.message)}</p>
<p class="world">${esc(d.world)}</p>
${pictureBlock(pictures(d.file), title, `d${n}`)}
<h3>Trace (model beside kernel)</h3>${conformSteps(d.trace, d.steps)}
<h3>Commands</h3>${commandBlock([d.replay, `strata replay --target kernel ${d.file}`, `strata repro ${d.file} -o repro.c && cc -Wall -Werror -o repro repro.c && sudo ./repro`])}
</section>`;
}

function matrix(doc: ResultDocument): string {
  const c = doc.check;
  if (!c) return '';
  const props: string[] = [];
  for (const v of c.variants) for (const r of v.results) if (!props.includes(r.property)) props.push(r.property);
  const cell = (r: PairDoc | undefined): string => (r
    ? `<td class="${r.status}" title="${esc(`${r.property}: expected ${r.expected}, ${r.outcome} in ${r.runs} scenarios${r.note ? ` — ${r.note}` : ''}`)}">${r.outcome === 'violated' ? '✗' : '✓'}${r.expected === 'violates' ? '<sup>e</sup>' : ''}</td>`
    : '<td>–</td>');
  return `<table class="matrix"><thead><tr><th>variant</th>${props.map((p) => `<th>${esc(p)}</th>`).join('')}</tr></thead><tbody>${c.variants.map((v) => `<tr><th>${esc(v.id)}</th>${props.map((p) => cell(v.results.find((r) => r.property === p))).join('')}</tr>`).join('')}</tbody></table>
<p class="legend"><span>✓ holds</span><span>✗ violated</span><span><sup>e</sup> a violation is expected</span><span>red: unexpected violation</span><span>orange: expected violation not found</span><span>yellow: not searched enough</span></p>`;
}

/** The report's index.html. */
export function renderHtml(doc: ResultDocument, pictures: PictureOf): string {
  const v = doc.verdict;
  const body: string[] = [];
  body.push(`<h1>strata ${esc(doc.command)} — report</h1>`);
  body.push(`<p><span class="verdict ${verdictClass(v.status)}">${esc(v.status.toUpperCase())}</span> ${esc(v.summary)}</p>`);
  if (v.problems.length) body.push(`<ul class="problems">${v.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`);
  if (doc.interrupted) body.push(`<p>Interrupted by ${esc(doc.interrupted.signal)}: this covers what was done before.</p>`);
  let n = 0;
  if (doc.check) {
    const c = doc.check;
    body.push(`<p>seed ${c.seed}, ${c.runs} runs per property, at most ${c.maxOps} ops; ${c.counts.results} results, ${c.counts.asExpected} as expected, ${c.counts.unexpected} unexpected.</p>`);
    body.push('<h2>Expectation matrix</h2>', matrix(doc));
    const findings = [...c.variants.flatMap((x) => x.results.flatMap((r) => (r.finding ? [r.finding] : []))), ...c.unfinishedFindings];
    body.push(`<p class="count">${findings.length} counterexample${findings.length === 1 ? '' : 's'}.</p>`);
    for (const f of findings) body.push(findingSection(f, n++, pictures));
  }
  if (doc.conform) {
    const c = doc.conform;
    if (c.unavailable) body.push(`<p>The executor could not run: ${esc(c.unavailable)}</p>`);
    body.push(`<p>kernel ${esc(c.kernel?.release ?? '–')}, variant ${esc(c.variant)}, ${c.scenarios} scenarios, ${c.counts.steps} steps: ${c.counts.agreed} agreed, ${c.counts.explained} explained, ${c.counts.notCompared} not compared, ${c.counts.discrepancies} discrepancies.</p>`);
    for (const d of c.discrepancies) body.push(discrepancySection(d, n++, pictures));
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>strata ${esc(doc.command)} report</title><style>${STYLE}</style></head>
<body>
${body.join('\n')}
<footer><p>strata ${esc(doc.strataVersion)} · result document version ${doc.version}</p></footer>
</body></html>
`;
}
