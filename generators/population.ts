// The generator's own view of the task list: what its fork, thread, exec and exit ops do to
// the live tasks (model/task/tree.ts), resolving task indices modulo the count as
// model/step.ts does. Kills (filters, probes, strict mode) and ops a filter stops are not
// modelled, so it is an approximation, good enough to draw references among live tasks, to
// bound the population and to avoid exiting the last task.
import type { Op } from '../model/ops.js';

export class Population {
  /** Thread-group ids of the live tasks, in creation order. */
  private readonly tgids: number[] = [0];
  private nextGroup = 1;

  get size(): number {
    return this.tgids.length;
  }

  private index(ref: number): number {
    const n = this.tgids.length;
    return ref >= 0 && ref < n ? ref : ((ref % n) + n) % n;
  }

  /** Account for one op (appended to the scenario). */
  apply(op: Op): void {
    switch (op.op) {
      case 'fork':
        this.fork();
        return;
      case 'thread':
        this.thread(op.task);
        return;
      case 'exit':
        this.exit(op.task);
        return;
      case 'exec':
        this.exec(op.task);
        return;
      default:
        return;
    }
  }

  // The ops that change the task list, for a caller that knows which op it appended.

  fork(): void {
    if (this.tgids.length === 0) return;
    this.tgids.push(this.nextGroup++);
  }

  thread(task: number): void {
    if (this.tgids.length === 0) return;
    this.tgids.push(this.tgids[this.index(task)]!);
  }

  exit(task: number): void {
    if (this.tgids.length === 0) return;
    this.tgids.splice(this.index(task), 1);
  }

  /** de_thread: the group's other threads die; the exec'ing one keeps its place. */
  exec(task: number): void {
    if (this.tgids.length === 0) return;
    const t = this.tgids;
    const i = this.index(task);
    const g = t[i]!;
    let kept = 0;
    for (let j = 0; j < t.length; j++) if (t[j] !== g || j === i) t[kept++] = t[j]!;
    t.length = kept;
  }
}
