#!/usr/bin/env node
// strata's executable: runs the TypeScript CLI (cli/main.ts) through tsx's loader, so a fresh
// clone works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
await runCli(process.argv.slice(2));
