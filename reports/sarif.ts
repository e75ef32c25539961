// SARIF 2.1.0 from the result document, for code-scanning pages: one rule per property (its id,
// statement and source citation; plus one for model errors and one for conformance
// discrepancies), one result per unexpected finding or discrepancy, located at its scenario file,
// with its trace as a codeFlow's threadFlow (one location per step, the failing step essential)
// and a stable partialFingerprint — variant × property (or signature) × the shrunk ops' kinds —
// so that code scanning sees the same finding in two runs as one alert. Typed with @types/sarif;
// tests validate the output against the SARIF 2.1.0 JSON Schema (reports/sarif/).
import type * as Sarif from 'sarif';
import type { DiscrepancyDoc, FindingDoc, ResultDocument } from '../result/types.js';
import { ALL_PROPERTIES } from '../properties/all.js';
import { failsRun, findingTitle } from './doc-words.js';

/** The partialFingerprints key (versioned: a change of what is hashed is a new key). */
export const FINGERPRINT_KEY = 'strataFinding/v1';
const MODEL_ERROR = 'model-error';
const DISCREPANCY = 'conform-discrepancy';

/** A file as a SARIF artifact location: relative paths against the checkout (%SRCROOT%). */
function artifact(file: string): Sarif.ArtifactLocation {
  if (file.startsWith('/')) return { uri: `file://${encodeURI(file)}` };
  return { uri: encodeURI(file.replace(/\\/g, '/')), uriBaseId: '%SRCROOT%' };
}

function location(file: string, text?: string): Sarif.Location {
  return { physicalLocation: { artifactLocation: artifact(file) }, ...(text !== undefined ? { message: { text } } : {}) };
}

function rules(doc: ResultDocument): Sarif.ReportingDescriptor[] {
  const checked = new Set(doc.check?.variants.flatMap((v) => v.results.map((r) => r.property)) ?? []);
  const out: Sarif.ReportingDescriptor[] = ALL_PROPERTIES.filter((p) => checked.has(p.id)).map((p) => ({
    id: p.id,
    name: p.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: p.statement },
    fullDescription: { text: `${p.statement} Source: ${p.source}.` },
    help: { text: `${p.statement}\nSource: ${p.source}\nReplay a finding with strata replay <scenario file>; see properties/README.md.` },
    defaultConfiguration: { level: 'error' },
    properties: { source: p.source, tags: ['strata', 'sandbox-layering'] },
  }));
  if (doc.check) out.push({ id: MODEL_ERROR, name: 'ModelError', shortDescription: { text: 'The model threw on a scenario (a bug in strata or in the variant).' }, defaultConfiguration: { level: 'error' } });
  if (doc.conform) {
    out.push({
      id: DISCREPANCY, name: 'ConformanceDiscrepancy',
      shortDescription: { text: 'The live kernel differs from the model on a scenario, in a way no documented model decision explains.' },
      fullDescription: { text: 'strata conform ran the same scenario on the model and on this machine\'s kernel; the differing steps are listed. Source: conformance/explained.ts, conformance/verdict.ts.' },
      defaultConfiguration: { level: 'error' },
    });
  }
  return out;
}

function findingResult(f: FindingDoc, ruleIndex: Map<string, number>): Sarif.Result {
  const steps: Sarif.ThreadFlowLocation[] = f.steps.map((s) => ({
    location: location(f.file, `#${s.index} ${s.op} → ${s.result}${s.notes.length ? `; ${s.notes.join('; ')}` : ''}${s.failsHere ? `; ✗ ${f.property} fails here` : ''}`),
    executionOrder: s.index + 1,
    nestingLevel: 0,
    importance: s.failsHere ? 'essential' : 'important',
  }));
  return {
    ruleId: f.property,
    ...(ruleIndex.has(f.property) ? { ruleIndex: ruleIndex.get(f.property)! } : {}),
    level: 'error',
    message: { text: `${findingTitle(f)} — replay: ${f.replay}${f.reproduce ? `; reproduce: ${f.reproduce}` : ''}` },
    locations: [location(f.file)],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(steps.length ? { codeFlows: [{ message: { text: `${f.variant}: ${f.ops} ops` }, threadFlows: [{ message: { text: f.world }, locations: steps }] }] } : {}),
    properties: { variant: f.variant, expected: f.expected, atStep: f.atStep, origin: f.origin, ...(f.seed !== null ? { seed: f.seed, path: f.path } : {}) },
  };
}

function discrepancyResult(d: DiscrepancyDoc, ruleIndex: Map<string, number>, variant: string): Sarif.Result {
  const steps: Sarif.ThreadFlowLocation[] = d.trace.map((s) => ({
    location: location(d.file, `#${s.index} ${s.op} → model: ${s.model} · kernel: ${s.kernel} [${s.mark}]`),
    executionOrder: s.index + 1,
    nestingLevel: 0,
    importance: d.steps.includes(s.index) ? 'essential' : 'important',
  }));
  return {
    ruleId: DISCREPANCY,
    ruleIndex: ruleIndex.get(DISCREPANCY)!,
    level: 'error',
    message: { text: `${variant}: the kernel differs from the model in ${d.ops} ops: ${d.message} (${d.signature}) — replay: ${d.replay}` },
    locations: [location(d.file)],
    partialFingerprints: { [FINGERPRINT_KEY]: d.fingerprint },
    ...(steps.length ? { codeFlows: [{ threadFlows: [{ message: { text: d.world }, locations: steps }] }] } : {}),
    properties: { signature: d.signature, scenarios: d.scenarios, seed: d.seed, path: d.path },
  };
}

export function buildSarif(doc: ResultDocument): Sarif.Log {
  const driverRules = rules(doc);
  const ruleIndex = new Map(driverRules.map((r, i) => [r.id, i]));
  const results: Sarif.Result[] = [];
  for (const v of doc.check?.variants ?? []) {
    for (const r of v.results) if (r.finding && !r.finding.expected && failsRun(doc, r)) results.push(findingResult(r.finding, ruleIndex));
    if (v.crash) {
      results.push({
        ruleId: MODEL_ERROR, ruleIndex: ruleIndex.get(MODEL_ERROR)!, level: 'error',
        message: { text: `${v.id}: the model threw: ${v.crash.message} — replay: ${v.crash.replay}` },
        locations: [location(v.crash.file)],
        partialFingerprints: { [FINGERPRINT_KEY]: `${v.id}/${MODEL_ERROR}/${v.crash.message}`.slice(0, 200) },
      });
    }
  }
  for (const f of doc.check?.unfinishedFindings ?? []) if (!f.expected) results.push(findingResult(f, ruleIndex));
  for (const d of doc.conform?.discrepancies ?? []) results.push(discrepancyResult(d, ruleIndex, doc.conform!.variant));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'strata', semanticVersion: doc.strataVersion, version: doc.strataVersion, rules: driverRules } },
      automationDetails: { id: `strata/${doc.command}/` },
      originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory strata ran in (the repository checkout).' } } },
      invocations: [{
        executionSuccessful: doc.verdict.status !== 'interrupted' && doc.verdict.status !== 'unavailable',
        exitCode: doc.verdict.exitCode,
        ...(doc.interrupted ? { exitSignalName: doc.interrupted.signal } : {}),
        toolExecutionNotifications: doc.verdict.problems.map((p) => ({ level: 'error' as const, message: { text: p } })),
      }],
      results,
    }],
  };
}

export function renderSarif(doc: ResultDocument): string {
  return `${JSON.stringify(buildSarif(doc), null, 2)}\n`;
}
