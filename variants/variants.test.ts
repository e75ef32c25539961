import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_VARIANTS, builtinVariant, builtinVariantIds, loadVariant } from './registry.js';
import { VariantError, validateVariant } from './validate.js';
import { linuxVariant, REFERENCE_ABI } from './linux.js';
import { OP_FEATURES, expectationOf } from './variant.js';
import { PROPERTY_IDS } from '../properties/ids.js';
import { OP_NAMES } from '../model/ops.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';
import { LANDLOCK_ABI_MAX } from '../model/limits.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-variants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeModule(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

describe('built-in variants', () => {
  it('have unique ids and pass their own shape check', () => {
    expect(new Set(builtinVariantIds()).size).toBe(BUILTIN_VARIANTS.length);
    for (const v of BUILTIN_VARIANTS) {
      const again = validateVariant(v, v.id);
      expect(again.semantics).toEqual(v.semantics);
      expect(again.expectations).toEqual(v.expectations);
    }
  });

  it('state an expectation for every property, and a witness only for a property they violate', () => {
    for (const v of BUILTIN_VARIANTS) {
      expect(Object.keys(v.expectations).sort()).toEqual([...PROPERTY_IDS].sort());
      if (v.witness) expect(expectationOf(v, v.witness.property), `${v.id} witness`).toBe('violates');
    }
  });

  it('accept only known op kinds, and only the ABI\'s Landlock flags', () => {
    const known = new Set<string>([...OP_NAMES, ...OP_FEATURES]);
    for (const v of BUILTIN_VARIANTS) for (const k of v.opKinds) expect(known.has(k), `${v.id}: ${k}`).toBe(true);
    expect(builtinVariant('linux')!.opKinds).not.toContain('restrict_self.tsync');
    expect(builtinVariant('linux-abi8')!.opKinds).toContain('restrict_self.tsync');
    expect(builtinVariant('v5-2017')!.opKinds).not.toContain('seccomp_filter.tsync');
    expect(builtinVariant('lutomirski-2017')!.opKinds).toEqual(expect.arrayContaining(['modify', 'mutability', 'export']));
  });

  it('linux is the reference ABI; linux-abi<N> exists for every modelled ABI and nothing else', () => {
    expect(builtinVariant('linux')!.abi).toBe(REFERENCE_ABI);
    for (let abi = 1; abi <= LANDLOCK_ABI_MAX; abi++) {
      const v = builtinVariant(abi === REFERENCE_ABI ? 'linux' : `linux-abi${abi}`);
      expect(v?.abi).toBe(abi);
    }
    expect(builtinVariant(`linux-abi${LANDLOCK_ABI_MAX + 1}`)).toBeUndefined();
    expect(builtinVariant('linux-abi0')).toBeUndefined();
    expect(() => linuxVariant(0)).toThrow(/ABI must be an integer/);
  });

  it('the unsafe variants each flip exactly their switch', () => {
    const diff = (id: string) =>
      Object.entries(builtinVariant(id)!.semantics).filter(([k, v]) => (LINUX_SEMANTICS as unknown as Record<string, unknown>)[k] !== v).map(([k]) => k);
    expect(diff('v5-2017')).toEqual(['seccompInPlaceAppend']);
    expect(diff('v5-2017-maps')).toEqual(['seccompInPlaceAppend', 'seccompMaps']);
    expect(diff('live-ruleset')).toEqual(['landlockRestrictSnapshot']);
    expect(diff('tsync-overwrite')).toEqual(['seccompTsyncAncestorCheck']);
    expect(diff('exec-reset')).toEqual(['execResetsLayers']);
    expect(diff('lutomirski-2017')).toEqual(['modify']);
    expect(diff('mutable-domains-rfc')).toEqual(['landlockSupervisor']);
    expect(diff('linux')).toEqual([]);
  });
});

describe('loadVariant', () => {
  it('returns built-ins by id', async () => {
    expect(await loadVariant('exec-reset')).toBe(builtinVariant('exec-reset'));
  });

  it('loads the worked example module, which expects every property to hold', async () => {
    const v = await loadVariant('variants/examples/tsync-intersect.ts', join(import.meta.dirname, '..'));
    expect(v.id).toBe('tsync-intersect');
    expect(v.abi).toBe(LANDLOCK_ABI_MAX);
    expect(typeof v.wrap).toBe('function');
    expect(Object.values(v.expectations).every((e) => e === 'holds')).toBe(true);
  });

  it('loads a user module; partial semantics and expectations get defaults', async () => {
    const file = writeModule('mine.mjs', `export default { id: 'mine', title: 'Mine', source: 'me', semantics: { execResetsLayers: true }, opKinds: ['fork', 'exec', 'seccomp_filter'], expectations: { I3: 'violates' } };`);
    const v = await loadVariant(file);
    expect(v.semantics).toEqual({ ...LINUX_SEMANTICS, execResetsLayers: true });
    expect(v.expectations.I3).toBe('violates');
    expect(v.expectations.I10).toBe('holds');
  });

  const bad: [string, string, RegExp][] = [
    ['no-default.mjs', `export const v = 1;`, /has no default export/],
    ['not-object.mjs', `export default 42;`, /must default-export a variant object \(got 42\)/],
    ['bad-id.mjs', `export default { id: 'Bad Id', title: 't', source: 's', opKinds: ['fork'] };`, /field `id` must be a lower-case id/],
    ['no-title.mjs', `export default { id: 'x', source: 's', opKinds: ['fork'] };`, /field `title` must be a non-empty string/],
    ['bad-switch.mjs', `export default { id: 'x', title: 't', source: 's', semantics: { modify: 'all' }, opKinds: ['fork'] };`, /field `semantics.modify` must be one of none, current, handle \(got "all"\)/],
    ['unknown-switch.mjs', `export default { id: 'x', title: 't', source: 's', semantics: { tsync: true }, opKinds: ['fork'] };`, /field `semantics.tsync` is not a semantics switch/],
    ['bad-kind.mjs', `export default { id: 'x', title: 't', source: 's', opKinds: ['fork', 'teleport'] };`, /field `opKinds\[1\]` must be an op kind/],
    ['bad-expect.mjs', `export default { id: 'x', title: 't', source: 's', opKinds: ['fork'], expectations: { I99: 'holds' } };`, /field `expectations.I99` is not a property id/],
    ['bad-expect-value.mjs', `export default { id: 'x', title: 't', source: 's', opKinds: ['fork'], expectations: { I1: 'maybe' } };`, /field `expectations.I1` must be 'holds' or 'violates'/],
    ['bad-abi.mjs', `export default { id: 'x', title: 't', source: 's', abi: 99, opKinds: ['fork'] };`, /field `abi` must be an integer in 1\.\.8/],
    ['bad-wrap.mjs', `export default { id: 'x', title: 't', source: 's', wrap: 1, opKinds: ['fork'] };`, /field `wrap` must be a function/],
    ['extra.mjs', `export default { id: 'x', title: 't', source: 's', opKinds: ['fork'], colour: 'red' };`, /field `colour` is not a variant field/],
    ['bad-witness.mjs', `export default { id: 'x', title: 't', source: 's', opKinds: ['fork'], witness: { property: 'I1', maxOps: 0 } };`, /field `witness.maxOps` must be a positive integer/],
    ['syntax.mjs', `export default {`, /syntax error at .*syntax\.mjs:1:17: Unexpected end of input/],
  ];
  for (const [name, body, msg] of bad) {
    it(`rejects ${name} with one clear message naming the problem`, async () => {
      const file = writeModule(name, body);
      const err = await loadVariant(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VariantError);
      expect((err as Error).message).toMatch(msg);
      expect((err as Error).message).toContain(file);
      expect((err as Error).message.split('\n')).toHaveLength(1);
    });
  }

  it('rejects an id that is neither built in nor a path', async () => {
    await expect(loadVariant('linux-2030')).rejects.toThrow(/neither a built-in variant .* nor a module path/);
  });
});
