// GitHub Actions from the result document: Markdown for the job summary ($GITHUB_STEP_SUMMARY) —
// the verdict, the variant × property matrix, and for each finding its trace in a <details>
// block with a picture of its process tree (a Mermaid flowchart) — and one workflow command per
// finding (::error for a result that fails the run, ::notice for an expected violation,
// ::warning for one not searched enough), titled variant × property, at the scenario file.
import type { FindingDoc, PairDoc, ResultDocument } from '../result/types.js';
import { propertyLabel } from './matrix.js';
import { processTreeMermaid } from './process-tree.js';
import { discrepancyLines, failsRun, findingLines, findingTitle, pairLine } from './doc-words.js';

/** Workflow command data: %, CR and LF escaped (actions/toolkit command.ts escapeData). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow command property values: also : and , (escapeProperty). */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning' | 'notice', props: Readonly<Record<string, string | undefined>>, message: string): string {
  const p = Object.entries(props).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeProperty(v!)}`).join(',');
  return `::${kind}${p ? ` ${p}` : ''}::${escapeData(message)}`;
}

/** The workflow commands, one per finding. */
export function githubCommands(doc: ResultDocument): string[] {
  const out: string[] = [];
  for (const v of doc.check?.variants ?? []) {
    for (const r of v.results) {
      const title = `${v.id} × ${r.property}`;
      const file = r.finding && r.finding.unwritten === null ? r.finding.file : undefined;
      if (failsRun(doc, r)) out.push(command('error', { file, title }, pairLine(v.id, r)));
      else if (r.status === 'not-searched-enough') out.push(command('warning', { title }, pairLine(v.id, r)));
      else if (r.finding) out.push(command('notice', { file, title: `${title} (expected)` }, findingTitle(r.finding)));
    }
    if (v.crash) out.push(command('error', { file: v.crash.unwritten === null ? v.crash.file : undefined, title: `${v.id} × model error` }, `the model threw: ${v.crash.message}`));
  }
  for (const f of doc.check?.unfinishedFindings ?? []) out.push(command(f.expected ? 'notice' : 'error', { file: f.file, title: `${f.variant} × ${f.property}` }, findingTitle(f)));
  const c = doc.conform;
  if (c) {
    for (const d of c.discrepancies) out.push(command('error', { file: d.file, title: `${c.variant} × conform: ${d.signature}` }, `the kernel differs from the model in ${d.ops} ops: ${d.message}`));
    for (const u of c.unshrunk) out.push(command('error', { title: `${c.variant} × conform: ${u.signature}` }, `${u.scenarios} scenarios (not shrunk)`));
    for (const n of c.notReproduced) out.push(command('notice', { file: n.file, title: `${c.variant} × conform: ${n.signature} (not reproduced)` }, `the re-run showed ${n.rerun}`));
    for (const u of c.unfinished) out.push(command('error', { file: u.file, title: `${c.variant} × conform: a kernel run did not finish (run ${u.run})` }, u.why));
    if (c.unavailable !== null) out.push(command('warning', { title: 'strata conform' }, c.unavailable));
  }
  for (const p of doc.verdict.problems.filter((x) => doc.conform !== undefined && !/with an unexplained discrepancy/.test(x))) out.push(command('error', { title: 'strata conform' }, p));
  if (doc.interrupted) out.push(command('warning', { title: `strata ${doc.command}` }, `interrupted by ${doc.interrupted.signal}: partial results, no verdict`));
  return out;
}

const cell = (r: PairDoc | undefined): string => {
  if (!r) return '·';
  switch (r.status) {
    case 'as-expected': return r.outcome === 'violated' ? '✗' : '✓';
    case 'unexpected-violation': return '**!✗**';
    case 'violation-not-found': return '**!✓**';
    case 'not-searched-enough': return '?';
  }
};

/** Markdown text in a table cell or heading: pipes and angle brackets escaped. */
function md(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fence(lang: string, lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.map((l) => (l.match(/`+/g) ?? []).reduce((a, m) => Math.max(a, m.length), 0)));
  const f = '`'.repeat(longest + 1);
  return [`${f}${lang}`, ...lines, f];
}

function findingSection(f: FindingDoc, heading: string): string[] {
  const actors = new Set(f.steps.filter((s) => s.failsHere).map((s) => s.tid));
  return [
    `### ${md(heading)}`,
    '',
    `\`${f.replay}\`${f.reproduce ? ` · \`${f.reproduce}\`` : ''}`,
    '',
    '<details><summary>trace (' + `${f.ops} step${f.ops === 1 ? '' : 's'}` + ') and process tree</summary>',
    '',
    ...fence('text', findingLines(f)),
    '',
    ...fence('mermaid', processTreeMermaid(f.tasks, actors, f.stacks)),
    '',
    '</details>',
    '',
  ];
}

/** The job summary, in Markdown. */
export function renderGithubSummary(doc: ResultDocument): string {
  const out: string[] = [];
  const status = doc.interrupted ? `interrupted by ${doc.interrupted.signal}` : doc.verdict.status === 'ok' ? 'ok' : doc.verdict.status === 'unavailable' ? 'could not run' : 'FAILED';
  out.push(`## strata ${doc.command}: ${status}`, '');
  const c = doc.check;
  if (c) {
    out.push(`seed ${c.seed} · ${c.runs} runs per variant · up to ${c.maxOps} ops · ${c.variants.length}${c.variants.length < c.variantsAsked ? ` of ${c.variantsAsked}` : ''} variants · ${(c.elapsedMs / 1000).toFixed(1)} s${c.corpus ? ` · corpus ${md(c.corpus.dir)}: ${c.corpus.replayed} replayed, ${c.corpus.decided} results decided` : ''}`, '');
    out.push(`**${md(doc.verdict.summary)}**`, '');
    const props: string[] = [];
    for (const v of c.variants) for (const r of v.results) if (!props.includes(r.property)) props.push(r.property);
    if (c.variants.length) {
      out.push(`| variant | ${props.map((p) => md(propertyLabel(p))).join(' | ')} |`);
      out.push(`|---|${props.map(() => ':-:').join('|')}|`);
      for (const v of c.variants) {
        const notes = [v.crash ? 'MODEL ERROR' : '', v.timeBudgetSpent ? `time budget spent after ${v.scenarios} scenarios` : ''].filter((x) => x !== '');
        out.push(`| ${md(v.id)}${notes.length ? ` (${notes.join('; ')})` : ''} | ${props.map((p) => cell(v.results.find((r) => r.property === p))).join(' | ')} |`);
      }
      out.push('', '✓ holds as expected · ✗ violated as expected · !✗ violated, expected to hold · !✓ held, expected a violation · ? expected a violation, not searched enough', '');
    }
    const attention = c.variants.flatMap((v) => v.results.filter((r) => r.status !== 'as-expected').map((r) => `- ${md(pairLine(v.id, r))}${failsRun(doc, r) ? '' : ' (does not fail the run; --strict makes it a failure)'}`));
    if (attention.length) out.push('#### Results to look at', '', ...attention, '');
    for (const ch of c.corpus?.changed ?? []) out.push(`- corpus \`${ch.file}\`: ${md(ch.property)} was recorded to ${md(ch.was)}; now ${md(ch.now)}`);
    for (const v of c.variants) {
      for (const r of v.results) if (r.finding) out.push(...findingSection(r.finding, `${r.finding.expected ? '✗' : '❗ UNEXPECTED'} ${v.id} × ${r.property}: ${r.finding.ops} ops${r.finding.expected ? ' (expected)' : ''}`));
      if (v.crash) out.push(`### ❗ ${md(v.id)}: the model threw`, '', md(v.crash.message), '', `\`${v.crash.replay}\``, '');
    }
    for (const f of c.unfinishedFindings) out.push(...findingSection(f, `${f.expected ? '✗' : '❗ UNEXPECTED'} ${f.variant} × ${f.property}: ${f.ops} ops (variant unfinished)`));
  }
  const k = doc.conform;
  if (k) {
    if (k.unavailable !== null) out.push(`The live-kernel executor cannot run here: ${md(k.unavailable)}`, '');
    else {
      out.push(`kernel ${md(k.kernel?.release ?? '?')} (Landlock ABI ${k.kernel?.landlockAbi ?? '?'}) · model ${md(k.variant)} · seed ${k.seed} · ${k.scenarios} scenarios · ${k.kernelRuns} kernel runs`, '');
      out.push(`**${md(doc.verdict.summary)}**`, '');
      out.push('| agreed | explained | not compared | discrepancies (scenarios) | steps compared |', '|:-:|:-:|:-:|:-:|:-:|');
      out.push(`| ${k.counts.agreed} | ${k.counts.explained} | ${k.counts.notCompared} | ${k.counts.discrepancies} | ${k.counts.compared} of ${k.counts.steps} |`, '');
      for (const p of doc.verdict.problems) out.push(`- ${md(p)}`);
      for (const d of k.discrepancies) {
        out.push(`### ❗ ${md(d.signature)}`, '', `\`${d.replay}\``, '', `<details><summary>model and kernel side by side (${d.ops} ops) and process tree</summary>`, '');
        out.push(...fence('text', discrepancyLines(d)), '', ...fence('mermaid', processTreeMermaid(d.tasks, new Set(d.steps.length ? [d.trace[d.steps[0]!]?.tid ?? -1] : []), d.stacks)), '', '</details>', '');
      }
      if (k.explained.length) out.push('#### Explained differences', '', ...k.explained.map((e) => `- **${md(e.id)}**: ${e.steps} steps in ${e.scenarios} scenarios — ${md(e.title)}`), '');
    }
  }
  return `${out.join('\n')}\n`;
}
