// A scenario that grows without end: the first task alternately starts a thread and installs a
// seccomp filter (RET_ALLOW) with TSYNC, so its thread group grows by one task per two ops and,
// until the path limit (MAX_INSNS_PER_PATH) refuses further filters with ENOMEM, every thread's
// stack grows by one layer. Used by replay's long-scenario tests and `npm run bench`.
import type { Op, Insn } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import type { Scenario } from './types.js';
import { scenarioOf } from './make.js';

/** BPF_RET | BPF_K, SECCOMP_RET_ALLOW. */
const ALLOW: readonly Insn[] = [[0x06, 0, 0, 0x7fff0000]];

/** `n` ops: thread, seccomp_filter(TSYNC), thread, … on the `linux` variant. */
export function threadTsyncScenario(n: number): Scenario {
  const ops: Op[] = new Array<Op>(n);
  for (let i = 0; i < n; i++) {
    ops[i] = i % 2 === 0
      ? { op: 'thread', task: 0 }
      : { op: 'seccomp_filter', task: 0, flags: SECCOMP_FILTER_FLAG.TSYNC, program: ALLOW };
  }
  return scenarioOf({ variant: { id: 'linux' }, ops, description: `thread + TSYNC filter, ${n} ops` });
}

/** `n` thread ops on the `linux` variant: one more task per op. */
export function threadsScenario(n: number): Scenario {
  const ops: Op[] = new Array<Op>(n);
  for (let i = 0; i < n; i++) ops[i] = { op: 'thread', task: 0 };
  return scenarioOf({ variant: { id: 'linux' }, ops, description: `thread, ${n} ops` });
}
