// Generated scenarios on a tree with mounts (model/landlock/fstree.ts:mountsFsTree, `strata
// conform --tree mounts`): rules and probes through the mounts, rename/link between mounts, and
// nothing the model calls not modelled about a detached mount's root.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { scenarioArbitrary } from './scenario.js';
import { conformanceProfile } from './options.js';
import { linuxVariant } from '../variants/linux.js';
import { traceScenario } from '../properties/trace.js';
import { fsIndex, mountsFsTree } from '../model/landlock/fstree.js';
import type { Op } from '../model/ops.js';
import { mountsUniverse } from '../model/universe.js';

describe('generators on the mounts tree', () => {
  it('draw rules and probes through both mounts and moves between mounts; the model decides them all', () => {
    const variant = linuxVariant();
    const fs = mountsFsTree();
    const ix = fsIndex(fs);
    const through = (p: unknown): boolean => typeof p === 'string' && p.startsWith('/') && ix.canonOf(p) !== undefined && ix.canonOf(p) !== p;
    const count: Record<string, number> = {};
    const bump = (k: string): void => void (count[k] = (count[k] ?? 0) + 1);
    const arb = scenarioArbitrary(variant, { ...conformanceProfile(), maxOps: 20, world: { nnp: false, capSysAdmin: true, fs }, universe: mountsUniverse() });
    for (const s of fc.sample(arb, { numRuns: 600, seed: 3 })) {
      const t = traceScenario(s, variant);
      s.ops.forEach((o: Op, i) => {
        const r = t.steps[i]!.out.result;
        if (o.op === 'ruleset_add_rule' && o.rule?.type === 'path_beneath' && through(o.rule.path)) bump(o.rule.path.startsWith('/d') ? 'rule detached' : 'rule bind');
        if (o.op !== 'probe') return;
        const q = o.request;
        if (r.kind === 'invalid' && /detached mount's root/.test(r.reason)) bump('invalid detached root');
        if (q.kind === 'fs' && through(q.path) && r.kind === 'probe') bump(`fs ${q.path.startsWith('/d') ? 'detached' : 'bind'} ${r.probe.outcome.kind}`);
        if ((q.kind === 'rename' || q.kind === 'link' || q.kind === 'exchange') && r.kind === 'probe' && r.probe.outcome.kind === 'errno' && r.probe.outcome.errno === 18 && r.probe.outcome.by === 'kernel') bump('across mounts');
      });
    }
    for (const k of ['rule detached', 'rule bind', 'fs detached allow', 'fs detached errno', 'fs bind allow', 'fs bind errno', 'across mounts']) expect(count[k] ?? 0, k).toBeGreaterThan(1);
    expect(count['invalid detached root'] ?? 0).toBe(0);
  });
});
