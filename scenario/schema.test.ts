import { describe, it, expect } from 'vitest';
import { OP_NAMES } from '../model/ops.js';
import { scenarioSchema, schemaAt, derefSchema } from './schema.js';
import type { SchemaNode } from './schema.js';
import { SAMPLE_OPS, SAMPLE_RESULTS, SAMPLE_KERNEL_RESULTS, kernelRunWithErrors } from './sample.js';

/** Tag values of a discriminated oneOf in the schema. */
function tags(def: string, tag: string): string[] {
  const node = schemaAt(`#/$defs/${def}`)!;
  const out: string[] = [];
  for (const b of node.oneOf as SchemaNode[]) {
    const p = (derefSchema(b)!.properties as Record<string, SchemaNode>)[tag]!;
    if (p.const !== undefined) out.push(String(p.const));
    else out.push(...(p.enum as string[]));
  }
  return out;
}

describe('scenario.schema.json', () => {
  it('is draft 2020-12 and names its version', () => {
    expect(scenarioSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect((scenarioSchema().properties as Record<string, SchemaNode>).version!.enum).toEqual([1, 2]);
  });

  it('describes every op of model/ops.ts, in the same order', () => {
    expect(tags('op', 'op')).toEqual([...OP_NAMES]);
  });

  it('describes every request, result and outcome kind', () => {
    expect(tags('request', 'kind')).toEqual(['syscall', 'fs', 'rename', 'link', 'exchange', 'mount', 'net', 'signal', 'ptrace', 'abstract_unix', 'sigurg', 'proc']);
    expect(tags('tabledLandlockRequest', 'kind')).toEqual(['fs', 'rename', 'link', 'exchange', 'mount', 'net']);
    expect(tags('result', 'kind')).toEqual(['ok', 'err', 'tsync_fail', 'probe', 'killed', 'stopped', 'observe', 'invalid']);
    expect(tags('outcome', 'kind')).toEqual(['allow', 'errno', 'trap', 'kill_thread', 'kill_process', 'notify']);
  });

  it('describes every kernel result and kernel outcome kind (scenario/kernel-result.ts)', () => {
    expect(tags('kernelResult', 'kind')).toEqual(['ok', 'err', 'tsync_fail', 'probe', 'killed', 'stopped', 'observe', 'invalid', 'skip', 'timeout', 'not_run', 'error']);
    expect(tags('kernelOutcome', 'kind')).toEqual(['returned', 'errno', 'trap', 'kill_thread', 'kill_process', 'notify']);
    const kernel = [...SAMPLE_KERNEL_RESULTS, ...kernelRunWithErrors().kernel!.results];
    expect(new Set(kernel.map((r) => r.result.kind))).toEqual(new Set(tags('kernelResult', 'kind')));
    const outcomes = kernel.flatMap((r) => (r.result.kind === 'probe' || r.result.kind === 'stopped' ? [r.result.outcome.kind] : []));
    expect(new Set(outcomes)).toEqual(new Set(tags('kernelOutcome', 'kind')));
  });

  it('the sample fixture exercises every op and result kind', () => {
    expect(new Set(SAMPLE_OPS.map((o) => o.op))).toEqual(new Set(OP_NAMES));
    expect(new Set(SAMPLE_RESULTS.map((r) => r.result.kind))).toEqual(new Set(tags('result', 'kind')));
  });
});
