// Full-table entries against the model, without a kernel: what is compared (through
// decideRequest and compare.ts), and what is never counted as agreeing — an entry the kernel
// could not observe, an entry after the worlds parted, a task or target the model lacks there.
import { describe, expect, test } from 'vitest';
import type { Op } from '../model/ops.js';
import { defaultUniverse } from '../model/universe.js';
import { runTrace } from '../properties/trace.js';
import { linuxVariant } from '../variants/linux.js';
import { diffScenario } from './diff.js';
import type { KernelStep, KernelTableEntry } from './result.js';
import { diffTables } from './table-diff.js';
import { tableSignature } from './diff.js';
import { NR, RET, filter, onNr, observe, thread } from './fixtures.js';

const U = defaultUniverse();
const getpid = U.syscalls.findIndex((r) => r.nr === NR.getpid && r.args.every((a) => a === 0));
const getuid = U.syscalls.findIndex((r) => r.nr === NR.getuid);
const linux = linuxVariant(7);

function run(ops: readonly Op[], kernel: readonly KernelStep[], tables: readonly KernelTableEntry[]) {
  const model = runTrace(linux, ops, { universe: U });
  const steps = diffScenario({ ops, model, kernel });
  return diffTables({ ops, model, tables, steps });
}

const ok: KernelStep = { tid: 100, result: { kind: 'ok', ret: 0 } };

describe('diffTables', () => {
  test('compared through decideRequest: agreeing and differing entries, with a table signature', () => {
    const ops = [filter(0, onNr(NR.getpid, RET.ERRNO | 1))];
    const d = run(ops, [ok], [
      { point: 'end', tid: 100, request: getpid, result: { kind: 'probe', outcome: { kind: 'errno', errno: 1 } } },
      { point: 'end', tid: 100, request: getuid, result: { kind: 'probe', outcome: { kind: 'errno', errno: 13 } } },
    ]);
    expect(d.entries.map((e) => e.status.status)).toEqual(['same', 'different']);
    expect(d.unexplained).toEqual([1]);
    expect(tableSignature(d)).toBe('table syscall: allow | errno');
  });

  test('never "same" for what the kernel did not observe, after the worlds parted, or for tasks the model lacks', () => {
    const ops = [thread(0), observe(0)];
    const kernel: KernelStep[] = [{ tid: 100, result: { kind: 'ok', ret: 101 } }, { tid: 100, result: { kind: 'observe', state: { seccompMode: 0, filterCount: 0, nnp: false, landlockLayers: 0 } } }];
    const d = run(ops, kernel, [
      { point: 1, tid: 100, request: getpid, result: { kind: 'skip', reason: 'no' } },
      { point: 1, tid: 100, request: getuid, result: { kind: 'error', message: 'plumbing' } },
      { point: 1, tid: 100, request: getpid, result: { kind: 'timeout', ms: 5, scope: 'op' } },
      { point: 'end', tid: 105, request: getpid, result: { kind: 'probe', outcome: { kind: 'returned', ret: 0 } } },
      { point: 'end', tid: 100, request: { kind: 'signal', target: 107 }, result: { kind: 'probe', outcome: { kind: 'returned', ret: 0 } } },
      { point: 'end', tid: 100, request: { kind: 'signal', target: 101 }, result: { kind: 'probe', outcome: { kind: 'returned', ret: 0 } } },
    ]);
    expect(d.entries.map((e) => e.status.status)).toEqual(['not_compared', 'not_compared', 'not_compared', 'not_compared', 'not_compared', 'same']);
    expect(d.unexplained).toEqual([]);
    // a step the kernel did not carry out, which changed the model: nothing after it is compared
    const parted = run(ops, [{ tid: 100, result: { kind: 'skip', reason: 'no threads here' } }, kernel[1]!], [
      { point: 'end', tid: 100, request: getpid, result: { kind: 'probe', outcome: { kind: 'errno', errno: 1 } } },
    ]);
    expect(parted.entries[0]!.status).toMatchObject({ status: 'not_compared', category: 'after an earlier step' });
    expect(parted.unexplained).toEqual([]);
  });

  test('a task that died while its disposable child probed is a difference (re-run before it counts), not a lost entry', () => {
    const ops = [filter(0, onNr(NR.getpid, RET.ERRNO | 1))];
    const d = run(ops, [ok], [
      { point: 'end', tid: 100, request: getuid, result: { kind: 'error', message: 'the task itself died while its disposable child probed: process sig:9 0' } },
    ]);
    expect(d.entries[0]!.status).toMatchObject({ status: 'different' });
    expect(d.unexplained).toEqual([0]);
    expect(tableSignature(d)).toBe('table syscall: allow | error');
  });
});
