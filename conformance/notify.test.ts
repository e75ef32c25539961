// The supervisor protocol on the live kernel: every script of model/seccomp/notify-scripts.ts
// (one per group of delegation.md [V] facts) runs on this machine's kernel through the
// executor, and every step must be the model's (conformance/compare.ts, as strata conform reads
// it). The model test (model/seccomp/notify.test.ts) pins the same scripts' model results, so
// both sides of each fact are checked. One executor for the file.
import { describe, expect, test } from 'vitest';
import { kx, f, useSharedExecutor } from './shared-executor.js';
import { NOTIF_SCRIPTS } from '../model/seccomp/notify-scripts.js';
import { step } from '../model/step.js';
import { initialWorld } from '../model/state.js';
import type { OpResult } from '../model/result.js';
import { compareResult } from './compare.js';

useSharedExecutor();

describe('the supervisor protocol on this kernel (delegation.md U1–U39)', () => {
  for (const s of NOTIF_SCRIPTS) {
    test(`${s.name} (${s.facts})`, async (ctx) => {
      ctx.skip(!f.userNotif, 'user notification does not work on this kernel');
      let w = initialWorld({ nnp: true });
      const model: OpResult[] = [];
      for (const op of s.ops) {
        const out = step(w, op);
        model.push(out.result);
        w = out.world;
      }
      const t = await kx.run(s.ops, { nnp: true });
      expect(t.status).toBe('ok');
      expect(t.cleanup).toBe('clean');
      const diffs = t.steps.map((k, i) => ({ i, op: s.ops[i]!.op, model: model[i], kernel: k.result, v: compareResult(model[i]!, k.result, s.ops[i]) }));
      expect(diffs.filter((d) => d.v.verdict !== 'same')).toEqual([]);
    });
  }
});
