// npm run build (and prepack): compile strata to dist/ for the package — JavaScript with .d.ts
// types, so that `import { check } from 'strata'` works from plain Node and any test runner with
// no TypeScript loader — and copy beside it the files the code reads at run time: the JSON
// Schemas, the executor's C sources and build script (the package's postinstall builds the
// executor into dist/conformance/build/), the reproducer's driver, and a package.json for the
// version. The repository itself runs the TypeScript through tsx and needs no build.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const copy = (rel) => {
  mkdirSync(dirname(join(dist, rel)), { recursive: true });
  cpSync(join(root, rel), join(dist, rel), { recursive: true });
};
for (const f of ['scenario/scenario.schema.json', 'result/result.schema.json', 'conformance/build.sh', 'conformance/executor.c', 'conformance/native', 'conformance/protocol.md', 'repro/driver.c']) copy(f);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ name: 'strata-dist', version: pkg.version, private: true, type: 'module' }, null, 2)}\n`);
