// strata merge: the result documents of the N shards of one run (strata check --shard I/N
// --reporter json=FILE) put back together into the run's own report — the same document, text
// and reports an unsharded run gives, apart from timings. Each variant's run ranges from every
// shard are tallied in stream order (properties/check-range.ts VariantTally), exactly as the
// worker pool tallies its ranges; each first violation's counterexample is the one the shard
// that holds it shrank. Shards of different plans (seed, runs, max-ops, variants, properties,
// corpus, strata version, …), a missing or repeated shard, or a file that is not a shard
// document: one line, exit 2. The counterexamples are written again under the plan's --out.
import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { UsageError } from '../errors.js';
import { parseCommandArgs } from '../args.js';
import { resolveVariants, resolveProperties } from '../resolve.js';
import { parseReporters } from '../reporters.js';
import { Saver } from '../saver.js';
import { mergeReports } from '../check-in-worker.js';
import { finishCheck } from './check.js';
import type { CheckReport } from '../../properties/check.js';
import type { PropertyId } from '../../properties/ids.js';
import type { RangeResult, Shrunk, VariantWork } from '../../properties/check-range.js';
import { VariantTally, variantResults } from '../../properties/check-range.js';
import type { ResultDocument, ShardDoc, ShardPlan } from '../../result/types.js';

const OPTIONS = {
  reporter: { type: 'string', short: 'r', multiple: true },
  'no-traces': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: strata merge FILE... [options]

Combine the result documents of the shards of one strata check run (each written by
strata check --shard I/N --reporter json=FILE) into the report of the whole run: the same result
document, text report and --reporter files as the run without --shard gives, apart from timings.
The counterexamples are written again under the run's --out directory.

Options:
  -r, --reporter NAME[=FILE]  as strata check's: text (default, to stdout), json, junit, github,
                              sarif, ktap, html=DIR
      --no-traces             the matrix and file list only
  -h, --help                  this text

Exit status: the merged run's, as strata check's (0 every result matches the expectation matrix,
1 a result to look at); 2 when a file is not a shard document, the shards' plans differ (seed,
runs, options, variants, properties, corpus, strata version), a shard is missing or repeated.

Example:
  strata check --shard 1/3 --reporter json=shard-1.json   # on three runners
  strata merge shard-1.json shard-2.json shard-3.json --reporter junit=strata.xml`;

export const mergeCommand: Command = {
  name: 'merge',
  help: HELP,
  run: runMerge,
};

interface Shard {
  readonly file: string;
  readonly doc: ResultDocument & { readonly shard: ShardDoc };
}

function readShard(file: string, io: Io): Shard {
  let text: string;
  try {
    text = readFileSync(file.startsWith('/') ? file : `${io.cwd}/${file}`, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not JSON (a shard's result document is written by strata check --shard I/N --reporter json=FILE)`);
  }
  const d = doc as Partial<ResultDocument>;
  if (typeof doc !== 'object' || doc === null || d.strata !== 'result' || d.command !== 'check') throw new UsageError(`${file}: not a strata check result document`);
  if (!d.shard) throw new UsageError(`${file}: a result document of a whole run, not of a shard (strata check --shard I/N)`);
  if (d.interrupted) throw new UsageError(`${file}: shard ${d.shard.index}/${d.shard.count} was interrupted (${d.interrupted.signal}): run it again`);
  return { file, doc: d as Shard['doc'] };
}

/** The first field in which two plans differ, in words, or null. */
function planDifference(a: ShardPlan, b: ShardPlan): string | null {
  const names: Record<keyof ShardPlan, string> = {
    strataVersion: 'strata version', seed: 'seed', runs: 'runs', maxOps: 'max-ops', timeBudgetMs: 'time budget', strict: 'strict',
    outDir: 'out directory', variants: 'variants', properties: 'properties', corpus: 'corpus',
  };
  for (const k of Object.keys(names) as (keyof ShardPlan)[]) {
    const x = JSON.stringify(a[k]);
    const y = JSON.stringify(b[k]);
    if (x !== y) return `${names[k]} ${short(y)} (not ${short(x)})`;
  }
  return null;
}

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

async function runMerge(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, Infinity);
  if (positionals.length === 0) throw new UsageError('give the shards\' result documents: strata merge FILE...');
  const reporters = parseReporters(Array.isArray(values.reporter) ? values.reporter.map(String) : [], io);
  const shards = positionals.map((f) => readShard(f, io));
  const first = shards[0]!;
  const plan = first.doc.shard.plan;
  const count = first.doc.shard.count;
  const byIndex = new Map<number, Shard>();
  for (const s of shards) {
    const sh = s.doc.shard;
    const diff = planDifference(plan, sh.plan);
    if (diff !== null) throw new UsageError(`${s.file}: not a shard of the same run as ${first.file}: ${diff}`);
    if (sh.count !== count) throw new UsageError(`${s.file}: shard ${sh.index}/${sh.count}, but ${first.file} is one of ${count}`);
    const dup = byIndex.get(sh.index);
    if (dup) throw new UsageError(`shard ${sh.index}/${count} given twice (${dup.file}, ${s.file})`);
    byIndex.set(sh.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new UsageError(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: every shard of the run is needed`);

  const resolved = await resolveVariants(plan.variants.map((v) => v.module ?? v.id), io.cwd);
  const properties = resolveProperties(plan.properties);
  const ids = properties.map((p) => p.id);
  const ordered = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s.doc.shard);
  const parts: CheckReport[] = resolved.map(({ variant }, vi) => {
    const works: VariantWork[] = ordered.map((sh) => {
      const w = sh.variants[vi];
      if (!w || w.id !== variant.id) throw new UsageError(`shard ${sh.index}/${count}: its work does not list variant ${variant.id} where its plan does`);
      return w;
    });
    const corpus = works[0]!.corpus;
    const ranges: RangeResult[] = works.flatMap((w) => w.ranges).sort((a, b) => a.from - b.from);
    let tally: VariantTally | null = null;
    if (!corpus?.crash) {
      const decided = new Set(corpus?.found.map((f) => f.property) ?? []);
      tally = new VariantTally(variant.id, ids.filter((p) => !decided.has(p)), ranges.map((r) => [r.from, r.to] as const));
      for (const r of ranges) tally.add(r);
      if (!tally.done) throw new UsageError(`the shards' ranges of ${variant.id} do not cover its ${plan.runs} runs`);
    }
    const shrunk = new Map<PropertyId, Shrunk>();
    for (const [p, index] of tally?.firsts ?? []) {
      const hit = works.flatMap((w) => w.shrunk).find((s) => s.property === p && s.runs === index + 1);
      if (hit) shrunk.set(p, hit);
    }
    const crashAt = tally?.crash ?? null;
    const crash = crashAt === null ? undefined : works.map((w) => w.crash).find((c) => c !== null && c.index === crashAt)?.crash;
    const elapsedMs = Math.max(...ordered.map((sh) => sh.variants[vi]!.ranges.reduce((a, r) => a + r.elapsedMs, 0)));
    const r = variantResults(variant, properties, tally, corpus, shrunk, crash, { elapsedMs });
    const mismatches = r.results.filter((x) => !x.matches && x.unsearched !== true).length;
    return {
      seed: plan.seed, runs: plan.runs, maxOps: plan.maxOps, variants: [r.summary], results: r.results, mismatches,
      unsearched: r.results.filter((x) => x.unsearched === true).length, interrupted: r.summary.interrupted, ok: mismatches === 0 && !r.summary.crash, elapsedMs,
    };
  });
  const elapsedMs = Math.max(...shards.map((s) => s.doc.check?.elapsedMs ?? 0));
  const report = mergeReports(parts, { seed: plan.seed, runs: plan.runs, maxOps: plan.maxOps, elapsedMs });
  const saver = new Saver('merge', plan.outDir, io.cwd, (line) => io.err(line));
  return finishCheck({
    io, report, resolved, saver, reporters, traces: values['no-traces'] !== true, strict: plan.strict, signal: null,
    timeBudgetMs: plan.timeBudgetMs, path: null, outDir: plan.outDir,
    corpus: plan.corpus ? { dir: plan.corpus.dir, files: plan.corpus.files.length } : null,
    shard: null,
  });
}
