// The scenario format's version 2 (issue 13 item 4): every u64 field written and read back
// exactly; version 1 still read; a hex value in a version-1 document refused by name.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseScenario, loadScenario } from './load.js';
import { formatScenario } from './format.js';
import { scenarioOf } from './make.js';
import { SCENARIO_VERSION } from './types.js';
import type { Op } from '../model/ops.js';
import { syscall } from '../model/request.js';

const OPS: readonly Op[] = [
  { op: 'ruleset_create', task: 0, fs: '0x8000000000000004', net: '0x20000000000001', scoped: 0 },
  { op: 'ruleset_add_rule', task: 0, ruleset: 0, rule: { type: 'net_port', port: '0xffffffffffffffff', access: '0x4000000000000001' } },
  { op: 'probe', task: 0, request: syscall(39, ['0xffffffffffffffff', '0x20000000000001', 9007199254740991, 0, '0xfff0000000000001', 1], undefined, '0x7fffffffffffffff') },
];

describe('scenario version 2: u64 fields', () => {
  it('round-trips every value exactly', () => {
    const s = scenarioOf({ variant: { id: 'linux' }, ops: OPS });
    expect(s.version).toBe(SCENARIO_VERSION);
    const back = parseScenario(formatScenario(s), 'round-trip.json');
    expect(back.ops).toEqual(OPS);
    expect(formatScenario(back)).toBe(formatScenario(s));
  });

  it('reads hex below 2^53 (any case, leading zeros) as the number it is', () => {
    const s = JSON.parse(formatScenario(scenarioOf({ variant: { id: 'linux' }, ops: [{ op: 'ruleset_create', task: 0, fs: 4, net: 0, scoped: 0 }] })));
    s.ops[0].fs = '0x0004';
    s.ops[0].net = '0x0000000000000001';
    const back = parseScenario(JSON.stringify(s), 'hex.json');
    expect(back.ops[0]).toEqual({ op: 'ruleset_create', task: 0, fs: 4, net: 1, scoped: 0 });
    s.ops[0].fs = '0xFFFFFFFFFFFFFFFF';
    expect(parseScenario(JSON.stringify(s), 'hex.json').ops[0]).toMatchObject({ fs: '0xffffffffffffffff' });
  });

  it('still reads version 1 (every corpus file), and refuses hex in it by field', () => {
    const dirs = ['corpus/section6', 'corpus/conform'];
    let v1 = 0;
    for (const d of dirs) for (const f of readdirSync(d).filter((n) => n.endsWith('.json'))) {
      const text = readFileSync(`${d}/${f}`, 'utf8');
      if (JSON.parse(text).version !== 1) continue;
      v1++;
      expect(() => loadScenario(`${d}/${f}`)).not.toThrow();
    }
    expect(v1).toBeGreaterThan(10);
    const s = JSON.parse(formatScenario(scenarioOf({ variant: { id: 'linux' }, ops: OPS })));
    s.version = 1;
    expect(() => parseScenario(JSON.stringify(s), 'old.json')).toThrow('old.json: /ops/0/fs: a hex value ("0x8000000000000004") needs scenario version 2 (this document says version 1)');
  });
});
