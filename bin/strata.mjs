#!/usr/bin/env node
// strata's executable. In a checkout it runs the TypeScript CLI (cli/main.ts) through tsx's
// loader, so a fresh clone works after `npm ci` with no build step; the installed package has no
// TypeScript sources and runs the compiled CLI (dist/, built by prepack: scripts/build.mjs).
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import(source.href);
  await runCli(process.argv.slice(2));
} else {
  const { runCli } = await import(new URL('../dist/cli/main.js', import.meta.url).href);
  await runCli(process.argv.slice(2));
}
