// non-interference's window: the listener channel of a shared filter (kernel/seccomp.c:
// has_duplicate_listener) is Linux's by design and ends the comparison; the property still
// catches a difference that does not go through it. The scenario below was found by
// `strata check --variant linux --property non-interference --runs 200000 --max-ops 60`.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Op } from '../model/ops.js';
import type { Violation } from './property.js';
import { scenarioArbitrary } from '../generators/scenario.js';
import { builtinVariant } from '../variants/registry.js';
import { runTrace, traceScenario } from './trace.js';
import { NON_INTERFERENCE } from './non-interference.js';
import { BROKEN } from './broken-designs.js';

const ALLOW: Op = { op: 'seccomp_filter', task: 0, flags: 8, program: [[6, 0, 0, 2147418112]] } as unknown as Op;
const ARG0_EACCES = [[32, 0, 0, 16], [69, 0, 1, 1], [6, 0, 0, 327693], [6, 0, 0, 2147418112]];

/** P installs a filter with a listener, forks C; P's exec closes the listener (close-on-exec);
 * C's own NEW_LISTENER filter then succeeds — without P's calls it fails with EBUSY. */
const LISTENER_CHANNEL: Op[] = [
  ALLOW,
  { op: 'ruleset_create', task: 0, fs: 16384, net: 0, scoped: 0 } as unknown as Op,
  { op: 'fork', task: 0 },
  { op: 'send_fd', task: 0, fd: 1, to: 1 } as unknown as Op,
  { op: 'exec', task: 1 },
  { op: 'exec', task: 0 },
  { op: 'seccomp_filter', task: 1, flags: 8, program: ARG0_EACCES } as unknown as Op,
];

describe('non-interference', () => {
  it('the listener channel of a shared filter ends the window: linux holds', () => {
    const trace = runTrace(builtinVariant('linux')!, LISTENER_CHANNEL);
    // the channel is real: C's NEW_LISTENER filter succeeded because P's exec closed the listener
    expect(trace.steps[6]!.out.result.kind).toBe('ok');
    const withoutParent = runTrace(builtinVariant('linux')!, [LISTENER_CHANNEL[0]!, LISTENER_CHANNEL[1]!, LISTENER_CHANNEL[2]!, LISTENER_CHANNEL[4]!, { ...LISTENER_CHANNEL[6]!, task: 1 } as Op]);
    expect(withoutParent.steps[4]!.out.result).toMatchObject({ kind: 'err', errno: 16 });
    expect(NON_INTERFERENCE.check(trace)).toBeNull();
  });

  it('a difference outside that channel is still found (an add that lands in the child)', () => {
    const denyGetpid: Op = { op: 'seccomp_filter', task: 0, flags: 0, program: [[32, 0, 0, 0], [21, 0, 1, 39], [6, 0, 0, 0x50001], [6, 0, 0, 2147418112]] } as unknown as Op;
    const trace = runTrace(BROKEN.addLeaks, [{ op: 'fork', task: 0 }, denyGetpid]);
    expect(NON_INTERFERENCE.check(trace)).not.toBeNull();
  });
});

describe('non-interference as a monitor (strata explore branches it per path)', () => {
  it('is the same property step by step, and a step it calls idle changes nothing', () => {
    let idle = 0;
    let split = 0;
    for (const id of ['linux', 'v5-2017', 'live-ruleset', 'mutable-domains-rfc']) {
      const v = builtinVariant(id)!;
      fc.assert(fc.property(scenarioArbitrary(v, { maxOps: 20 }), (s) => {
        const trace = traceScenario(s, v);
        const m = NON_INTERFERENCE.monitor!();
        let first: Violation | null = null;
        for (const step of trace.steps) {
          const before = m.state().map((c) => [c.watched, c.world, c.pins && [...c.pins]]);
          const quiet = m.idle(step);
          const other = m.copy();
          const v1 = m.advance(step, trace);
          first ??= v1;
          // the copy advances alike, and the original did not move it
          expect(other.advance(step, trace)).toEqual(v1);
          if (quiet) {
            idle++;
            expect(v1).toBeNull();
            expect(m.state().map((c) => [c.watched, c.world, c.pins && [...c.pins]])).toEqual(before);
          }
          if (m.state().some((c) => c.world !== null)) split++;
          if (v1) break;
        }
        expect(first).toEqual(NON_INTERFERENCE.check(trace));
      }), { seed: 7, numRuns: 150 });
    }
    expect(idle).toBeGreaterThan(100);
    expect(split).toBeGreaterThan(0);
  }, 120_000);
});
