// The entry of a strata check pool worker (cli/check-pool.ts) under tsx: registers tsx's loader
// in this thread, as bin/strata.mjs does for the main one, then runs cli/check-pool-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./check-pool-worker.ts');
