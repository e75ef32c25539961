// Counting what a variant's model runs reached: every corner of its catalogue (how many steps
// or evaluations reached it) and, per op kind, how its calls ended. Fed one model trace at a
// time (the check engine's main scenario stream, not the shrinker's re-runs); the result is
// plain data (coverage/report.ts), ready for a JSON document.
import type { Variant } from '../variants/variant.js';
import type { ModelTrace } from '../properties/trace.js';
import type { CornerWorld, Hits } from './corner.js';
import type { Coverage, OpTally } from './report.js';
import { cornersFor } from './catalogue.js';
import { TraceContext } from './context.js';
import { resultKey, opResultId } from './op-results.js';
import { detectSeccomp } from './seccomp.js';
import { detectLandlock } from './landlock.js';
import { detectTasks } from './tasks.js';
import { detectDesigns } from './designs.js';
import { detectPtrace } from './ptrace.js';
import { detectNotify } from './notify.js';

/** Results that are no op's own answer (a filter stopped it, strict mode killed it, it meant nothing here). */
const NOT_ANSWERS: ReadonlySet<string> = new Set(['stopped', 'killed', 'invalid']);

export class CoverageCounter implements Hits {
  private readonly corners;
  private readonly index = new Map<string, number>();
  private readonly counts: number[];
  private readonly undeclared = new Map<string, number>();
  /** op kind → result key → calls. */
  private readonly tallies = new Map<string, Map<string, number>>();
  private scenarios = 0;
  private ops = 0;

  constructor(readonly variant: Variant, world?: CornerWorld) {
    this.corners = cornersFor(variant, world);
    this.corners.forEach((c, i) => this.index.set(c.id, i));
    this.counts = this.corners.map(() => 0);
  }

  hit(id: string): void {
    const i = this.index.get(id);
    if (i !== undefined) this.counts[i]!++;
    else this.undeclared.set(id, (this.undeclared.get(id) ?? 0) + 1);
  }

  /** Count one model run. */
  count(trace: ModelTrace): void {
    this.scenarios++;
    this.ops += trace.steps.length;
    const ctx = new TraceContext(this.variant);
    for (const step of trace.steps) {
      const key = resultKey(step.out.result);
      let t = this.tallies.get(step.op.op);
      if (t === undefined) this.tallies.set(step.op.op, (t = new Map()));
      t.set(key, (t.get(key) ?? 0) + 1);
      // a notif_return's errno is the supervisor's answer (any value), not a result of the model's
      // own rules — except ENOSYS, the listener's release
      const answer = step.op.op === 'notif_return' && key !== 'ok' && key !== 'ENOSYS';
      if (!NOT_ANSWERS.has(key) && !answer) this.hit(opResultId(step.op.op, key));
      detectLandlock(step, ctx, this);
      detectSeccomp(step, ctx, this);
      detectTasks(step, ctx, this);
      detectPtrace(step, ctx, this);
      detectDesigns(step, ctx, this);
      detectNotify(step, this);
    }
  }

  report(): Coverage {
    const corners = this.corners.map((c, i) => ({ ...c, count: this.counts[i]! }));
    const opResults: OpTally[] = [...this.tallies].map(([op, m]) => {
      let calls = 0;
      for (const n of m.values()) calls += n;
      return { op, calls, results: Object.fromEntries([...m].sort((a, b) => b[1] - a[1])) };
    });
    opResults.sort((a, b) => a.op.localeCompare(b.op));
    return {
      variant: this.variant.id,
      scenarios: this.scenarios,
      ops: this.ops,
      reached: corners.filter((c) => c.count > 0).length,
      corners,
      undeclared: [...this.undeclared].map(([id, count]) => ({ id, count })).sort((a, b) => a.id.localeCompare(b.id)),
      opResults,
    };
  }
}
