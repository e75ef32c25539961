// Ops with a task and nothing else (fork, thread, exec, …, compromise), one shared value per
// kind and task index: ops are immutable data once generated, so scenarios can share them,
// and a generated scenario allocates only the ops that carry drawn fields.
import type { Op } from '../model/ops.js';

type PlainKind = 'fork' | 'thread' | 'exec' | 'exit' | 'set_nnp' | 'drop_cap' | 'seccomp_strict' | 'observe' | 'compromise';

export class PlainOps {
  /** Per kind code (the caller's), the {op, task} values by task index. */
  private readonly rows: Op[][] = [];
  private readonly compromises: Op[] = [];

  /** `{ op: kind, task }`; `code` is the caller's small-integer code for `kind`, `task` >= 0. */
  op(kind: string, code: number, task: number): Op {
    let row = this.rows[code];
    if (row === undefined) {
      row = [];
      this.rows[code] = row;
    }
    return row[task] ?? (row[task] = { op: kind as PlainKind, task } as Op);
  }

  /** `{ op: 'compromise', task }`, `task` >= 0. */
  compromise(task: number): Op {
    return this.compromises[task] ?? (this.compromises[task] = { op: 'compromise', task });
  }
}
