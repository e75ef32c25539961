// compromise(task): from then on the task issues attacker-chosen calls — anything the
// variant's API accepts — aimed at weakening others: modify (own layers or through handles),
// add_rule of broad rights (with COMMIT where it exists) on rulesets it holds, TSYNC with a
// permissive layer, sending and closing fds. A burst is [compromise(i), 1..k calls as i]; all
// of them name the same task index, so they act as one task as long as no task is born or dies
// in between. Bursts shrink like any ops (the burst's calls, then the burst itself).
import fc from 'fast-check';
import type { Op } from '../model/ops.js';
import type { OpContext } from './ops.js';
import { opKindArbitrary } from './ops.js';
import type { WeightKey } from './options.js';

/** Calls on shared objects, the attacker's tools, in order of preference. */
const ATTACK_KINDS: readonly Exclude<WeightKey, 'attack'>[] = [
  'modify', 'ruleset_add_rule', 'seccomp_filter', 'restrict_self', 'send_fd', 'close_fd', 'ruleset_supervisee', 'exec',
];

function setTask(ops: readonly Op[], task: number): Op[] {
  const out: Op[] = [{ op: 'compromise', task }];
  for (const o of ops) out.push({ ...o, task } as Op);
  return out;
}

/** A compromise burst, or null when the API has no `compromise`. */
export function attackArbitrary(ctx: OpContext): fc.Arbitrary<Op[]> | null {
  if (!ctx.variant.opKinds.includes('compromise')) return null;
  const placeholder = fc.constant(0);
  const tools: fc.Arbitrary<Op>[] = [];
  for (const k of ATTACK_KINDS) {
    const a = opKindArbitrary(ctx, k, placeholder, true);
    if (a) tools.push(a);
  }
  if (tools.length === 0) return null;
  const calls = fc.array(fc.oneof(...tools), { minLength: 1, maxLength: ctx.options.attackOps });
  return fc.tuple(fc.nat(ctx.options.maxTaskRef), calls).map(([task, ops]) => setTask(ops, task));
}
