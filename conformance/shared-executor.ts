// One KernelExecutor per test file: started with its features before the file's tests, closed
// after them. `kx` and `f` are live bindings, set once the file's beforeAll has run.
import { afterAll, beforeAll } from 'vitest';
import { KernelExecutor } from './runner.js';
import type { KernelFeatures } from './result.js';

export let kx: KernelExecutor;
export let f: KernelFeatures;

/** Register the executor's start and close on the calling test file. */
export function useSharedExecutor(): void {
  beforeAll(async () => {
    kx = new KernelExecutor();
    f = await kx.features();
  });
  afterAll(() => kx.close());
}
