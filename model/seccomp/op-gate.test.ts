import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Insn } from '../ops.js';
import { validProgram, arbRet } from '../bpf/arb.js';
import { ret, ldNr, jeq, ldArgLo } from '../bpf/asm.js';
import { syscall } from '../request.js';
import type { FilterNode } from './stack.js';
import { makeFilterNode } from './stack.js';
import { stackVerdict } from './eval.js';
import { opGateVerdict, syscallVerdict, OP_SYSCALL_NRS, CLONE_THREAD_FLAGS, NO_FD } from './op-gate.js';
import { rewriteStack } from './rewrite.js';
import { retErrno, SECCOMP_RET_ALLOW } from './action.js';
import { LINUX_EVALUATION, LINUX_SECCOMP_PRECEDENCE, evaluationOf } from '../evaluation.js';

/** Constant arguments ops pass: small codes, the two large constants, and values without a code. */
const arbArg = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(CLONE_THREAD_FLAGS, NO_FD, 4093, 4094, 0xffffffff, 2 ** 40));
const arbCall = fc.tuple(fc.oneof(fc.constantFrom(...OP_SYSCALL_NRS), fc.integer({ min: 0, max: 500 })), arbArg, arbArg);

/** A program: a random valid one, or one that returns a chosen value for one syscall number. */
const arbProgram: fc.Arbitrary<readonly Insn[]> = fc.oneof(
  validProgram(12),
  fc.tuple(fc.constantFrom(...OP_SYSCALL_NRS), arbRet, arbRet).map(([nr, hit, miss]) => [ldNr(), jeq(nr, 0, 1), ret(hit), ret(miss)]),
  fc.tuple(arbRet, fc.integer({ min: 0, max: 40 })).map(([r, a]) => [ldArgLo(0), jeq(a, 0, 1), ret(r), ret(SECCOMP_RET_ALLOW)]),
);

/** A forest of stacks sharing prefixes: node i sits on a random earlier node (or on nothing). */
const arbForest = fc.array(fc.tuple(arbProgram, fc.nat()), { minLength: 1, maxLength: 8 }).map((spec) => {
  const nodes: FilterNode[] = [];
  spec.forEach(([program, below], i) => {
    const prev = below % (i + 1) === i ? null : nodes[below % (i + 1)]!;
    nodes.push(makeFilterNode({ id: i + 1, prev, programs: [program] }));
  });
  return nodes;
});

describe('op gate (seccomp verdict of an op\'s own syscall)', () => {
  it('the incremental, node-memoised verdict equals seccomp_run_filters over the whole stack', () => {
    fc.assert(
      fc.property(arbForest, fc.array(fc.tuple(fc.nat(), arbCall), { minLength: 1, maxLength: 20 }), (nodes, calls) => {
        // Interleaved queries over shared nodes: memo entries made for one top serve the others.
        for (const [pick, [nr, a0, a1]] of calls) {
          const top = nodes[pick % nodes.length]!;
          expect(opGateVerdict(top, nr, a0, a1, LINUX_EVALUATION)).toEqual(stackVerdict(top, syscall(nr, [a0, a1]), LINUX_EVALUATION));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('syscallVerdict (a request\'s zero-argument syscall) equals stackVerdict under every evaluation', () => {
    const evaluations = [LINUX_EVALUATION, evaluationOf({ seccompCombine: 'newest' }), evaluationOf({ seccompPrecedence: [...LINUX_SECCOMP_PRECEDENCE].reverse() })];
    fc.assert(
      fc.property(arbForest, fc.array(fc.tuple(fc.nat(), fc.constantFrom(257, 76, 258, 259, 266, 263, 316, 265, 165, 49, 42, 62, 101, 39)), { minLength: 1, maxLength: 20 }), fc.constantFrom(...evaluations), (nodes, calls, e) => {
        for (const [pick, nr] of calls) {
          const top = nodes[pick % nodes.length]!;
          expect(syscallVerdict(top, nr, e)).toEqual(stackVerdict(top, syscall(nr), e));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a rewritten layer (a spread copy carrying the old memo) is evaluated afresh', () => {
    const bottom = makeFilterNode({ id: 1, prev: null, programs: [[ret(SECCOMP_RET_ALLOW)]] });
    const top = makeFilterNode({ id: 2, prev: bottom, programs: [[ret(SECCOMP_RET_ALLOW)]] });
    expect(opGateVerdict(top, 56, 17, 0, LINUX_EVALUATION).action).toBe('allow');
    const rewritten = rewriteStack(top, 1, [[ret(retErrno(1))]], new Map())!;
    expect(rewritten.memo).toBe(top.memo); // copied by the spread in rewrite.ts
    const v = opGateVerdict(rewritten, 56, 17, 0, LINUX_EVALUATION);
    expect(v).toEqual({ action: 'errno', ret: retErrno(1), data: 1, layer: 1 });
    expect(opGateVerdict(top, 56, 17, 0, LINUX_EVALUATION).action).toBe('allow');
  });
});
