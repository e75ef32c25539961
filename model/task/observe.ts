// observe: the task's state as /proc/PID/task/TID/status and the Landlock layer-count oracle
// (fork, stack throw-away layers until E2BIG) show it.
import type { Task, World } from '../state.js';
import type { StepOut } from '../result.js';

export function observe(world: World, task: Task): StepOut {
  return {
    world,
    result: {
      kind: 'observe',
      state: {
        seccompMode: task.seccompMode,
        filterCount: task.filterCount,
        nnp: task.nnp,
        landlockLayers: task.domain ? task.domain.depth : 0,
      },
    },
    tid: task.tid,
  };
}
