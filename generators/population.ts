// The generator's own view of the task list: what its fork, thread, exec and exit ops do to
// the live tasks (model/task/tree.ts), resolving task indices modulo the count as
// model/step.ts does. Kills (filters, probes, strict mode) and ops a filter stops are not
// modelled, so it is an approximation, good enough to draw references among live tasks, to
// bound the population and to avoid exiting the last task.
import type { Op } from '../model/ops.js';

export class Population {
  /** Thread-group ids of the live tasks, in creation order. */
  private tgids: number[] = [0];
  private nextGroup = 1;

  get size(): number {
    return this.tgids.length;
  }

  private index(ref: number): number {
    const n = this.tgids.length;
    return ((ref % n) + n) % n;
  }

  /** Account for one op (appended to the scenario). */
  apply(op: Op): void {
    const n = this.tgids.length;
    if (n === 0) return;
    switch (op.op) {
      case 'fork':
        this.tgids.push(this.nextGroup++);
        return;
      case 'thread':
        this.tgids.push(this.tgids[this.index(op.task)]!);
        return;
      case 'exit':
        this.tgids.splice(this.index(op.task), 1);
        return;
      case 'exec': {
        // de_thread: the group's other threads die; the exec'ing one keeps its place.
        const i = this.index(op.task);
        const g = this.tgids[i]!;
        this.tgids = this.tgids.filter((x, j) => x !== g || j === i);
        return;
      }
      default:
        return;
    }
  }
}
