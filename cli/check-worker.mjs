// The entry of strata check's worker thread (cli/check-in-worker.ts): registers tsx's loader in
// this thread, as bin/strata.mjs does for the main one, then runs cli/check-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
