// A scenario's task reference: an index into the live tasks at that step, modulo their number
// (scenario.schema.json taskRef), as the executor resolves it (conformance/native/book.c).
import type { World, Task } from './state.js';

export function resolveTask(world: World, ref: number): Task | undefined {
  const n = world.tasks.length;
  if (n === 0 || !Number.isInteger(ref)) return undefined;
  const i = ref % n;
  return world.tasks.at(i < 0 ? i + n : i);
}
