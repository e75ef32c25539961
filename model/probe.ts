// A probe: the request goes through seccomp first, then the Landlock hook. STUB — being implemented.
import type { Request } from './request.js';
import type { World, Task } from './state.js';
import type { StepOut } from './result.js';
import { fail, invalid } from './result.js';

export function probe(world: World, task: Task, _request: Request): StepOut {
  return fail(world, task.tid, invalid('probe: not implemented yet'));
}
