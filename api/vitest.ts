// strata/vitest: variant × property pairs as vitest tests. `describeVariant(variant, { runs,
// seed })` makes a `describe` block with one `test` per property; a test fails when strata finds
// a result the variant's expectation matrix does not expect — an unexpected violation (its
// minimal counterexample is written to `out` first, then the test fails with the readable trace
// and the replay and reproduce commands in its message) or a model error; an expected violation
// found, or not found within the runs (unless `strict`), passes. vitest's own --shard, watch
// mode, reporters (JUnit, JSON) and UI then work on strata runs as on any test.
import { describe, test } from 'vitest';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { runCheck } from '../properties/check.js';
import type { PairResult } from '../properties/check.js';
import type { Property } from '../properties/property.js';
import type { PropertyId } from '../properties/ids.js';
import { ALL_PROPERTIES, propertyById } from '../properties/all.js';
import { replayScenario } from '../properties/trace.js';
import type { Variant } from '../variants/variant.js';
import { loadVariant, builtinVariant, BUILTIN_VARIANTS } from '../variants/registry.js';
import { validateVariant } from '../variants/validate.js';
import { writeScenario, scenarioFileName, DEFAULT_OUT_DIR } from '../scenario/write.js';
import { ScenarioError } from '../scenario/errors.js';
import { renderFinding, shellWord } from '../reports/finding.js';
import { renderToString } from '../reports/sink.js';

/** A variant as a module default-exports it: `expectations` may be left out (every property
 * then holds); it is validated and normalised before use. */
export type VariantDefinition = Omit<Variant, 'expectations'> & { readonly expectations?: Variant['expectations'] };

export interface DescribeVariantOptions {
  /** Generated scenarios per property test (default 500). */
  readonly runs?: number;
  /** fast-check seed (default 1). */
  readonly seed?: number;
  /** Longest generated scenario, in ops (default 20). */
  readonly maxOps?: number;
  /** The properties, one test each (default: every property). */
  readonly properties?: readonly (Property | PropertyId)[];
  /** Where counterexamples are written (default strata-out, from process.cwd()). */
  readonly out?: string;
  /** An expected violation not found within `runs` fails its test (default: it passes). */
  readonly strict?: boolean;
  /** Each test's timeout in ms (default 120 000). */
  readonly timeout?: number;
}

/**
 * A vitest `describe` block for `variant` (a Variant, a built-in id, or a module path from
 * process.cwd()) with one test per property.
 */
export function describeVariant(variant: VariantDefinition | string, options: DescribeVariantOptions = {}): void {
  const name = typeof variant === 'string' ? variant : variant.id;
  const properties = (options.properties ?? ALL_PROPERTIES).map((p) => {
    if (typeof p !== 'string') return p;
    const hit = propertyById(p);
    if (!hit) throw new RangeError(`describeVariant: unknown property ${JSON.stringify(p)}`);
    return hit;
  });
  let loaded: Promise<Variant> | null = null;
  // a module's default export is validated and normalised as loadVariant does it
  const load = (): Promise<Variant> => (loaded ??= typeof variant === 'string' ? loadVariant(variant) : Promise.resolve(BUILTIN_VARIANTS.includes(variant as Variant) ? variant as Variant : validateVariant(variant, variant.id)));
  describe(`strata: ${name}`, () => {
    for (const p of properties) {
      test(`${p.id}: ${p.statement}`, async () => {
        const v = await load();
        checkPair(v, p, typeof variant === 'string' && builtinVariant(variant) === undefined ? variant : undefined, options);
      }, options.timeout ?? 120_000);
    }
  });
}

/** Check one pair; throws (fails the test) on a result the expectation matrix does not expect. */
export function checkPair(variant: Variant, property: Property, module: string | undefined, options: DescribeVariantOptions = {}): PairResult {
  const runs = options.runs ?? 500;
  const seed = options.seed ?? 1;
  const maxOps = options.maxOps ?? 20;
  const out = options.out ?? DEFAULT_OUT_DIR;
  const outDir = isAbsolute(out) ? out : resolve(process.cwd(), out);
  const abs = module === undefined ? undefined : resolve(process.cwd(), module);
  const variantModules = abs ? { [variant.id]: relative(outDir, abs).startsWith('.') ? relative(outDir, abs) : `./${relative(outDir, abs)}` } : undefined;
  const report = runCheck({ variants: [variant], properties: [property], runs, seed, maxOps, ...(variantModules ? { variantModules } : {}) });
  const crash = report.variants[0]?.crash;
  if (crash) {
    const file = save(crash.scenario, outDir, scenarioFileName(crash.scenario).replace(/\.(script|trace)\./, '.model-error.'));
    throw new Error(`${variant.id}: the model threw: ${crash.message}\n  scenario: ${file}\n  replay:   strata replay ${shellWord(file)}`);
  }
  const r = report.results[0]!;
  if (r.outcome === 'violated' && r.expected === 'holds' && r.counterexample) {
    // the counterexample file first, before anything else can fail
    const file = save(r.counterexample, outDir);
    const trace = replayScenario(r.counterexample, variant);
    const text = renderToString((sink) => renderFinding({ scenario: r.counterexample!, file, trace, expected: false }, sink));
    const f = r.counterexample.finding!;
    const reproduce = `strata check --variant ${shellWord(module ?? variant.id)} --property ${property.id} --seed ${seed} --path ${JSON.stringify(f.path)}${maxOps !== 20 ? ` --max-ops ${maxOps}` : ''}`;
    throw new Error(`${variant.id} violates ${property.id} in ${r.counterexample.ops.length} ops (found in ${r.runs} runs, seed ${seed}): ${f.message}\n${text}  reproduce:  ${reproduce}`);
  }
  if (r.unsearched === true && options.strict === true) {
    throw new Error(`${variant.id} × ${property.id}: expected violation not found in ${r.runs} runs — raise runs`);
  }
  return r;
}

function save(s: Parameters<typeof writeScenario>[0], dir: string, name?: string): string {
  try {
    const abs = writeScenario(s, { dir, ...(name ? { name } : {}) });
    return relative(process.cwd(), abs) || abs;
  } catch (e) {
    if (e instanceof ScenarioError) return `${join(dir, name ?? scenarioFileName(s))} (NOT WRITTEN: ${e.detail})`;
    throw e;
  }
}
