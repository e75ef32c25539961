// A worker thread's entry in a checkout, bundled: under tsx every worker thread would register
// tsx's loader and transform ~120 TypeScript modules through it — about 1 s of CPU per worker
// (bench: 850–1000 ms), which a short run on N workers pays N times. esbuild (a devDependency;
// tsx runs on it) bundles the worker's module graph once into one plain ES module, cached under
// node_modules/.cache/strata/ and rebuilt when any input's size or mtime changes; a worker then
// starts in ~200 ms. Packages stay external (resolved from this checkout's node_modules, so a user
// variant module is still imported through tsx), and names are kept as tsx keeps them. Without
// esbuild (or if bundling fails) the caller falls back to the tsx shim. The installed package runs
// dist/'s compiled JavaScript and needs none of this.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'strata');

interface Manifest {
  readonly inputs: Readonly<Record<string, readonly [number, number]>>;
}

function fresh(manifest: string, bundle: string): boolean {
  if (!existsSync(manifest) || !existsSync(bundle)) return false;
  try {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
    for (const [file, [mtime, size]] of Object.entries(m.inputs)) {
      const st = statSync(resolve(ROOT, file));
      if (st.mtimeMs !== mtime || st.size !== size) return false;
    }
    return true;
  } catch {
    return false;
  }
}

const made = new Map<string, Promise<URL | null>>();

/** The bundled entry for `entry` (a .ts file of this checkout), or null to use tsx. */
export function bundledWorker(entry: URL): Promise<URL | null> {
  const key = entry.href;
  let p = made.get(key);
  if (!p) made.set(key, (p = bundle(entry)));
  return p;
}

async function bundle(entry: URL): Promise<URL | null> {
  const name = fileURLToPath(entry).slice(ROOT.length).replace(/[/\\.]/g, '_');
  const out = join(CACHE, `${name}.mjs`);
  const manifest = join(CACHE, `${name}.json`);
  if (fresh(manifest, out)) return pathToFileURL(out);
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  try {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    const r = await esbuild.build({
      entryPoints: [fileURLToPath(entry)], bundle: true, platform: 'node', format: 'esm', target: 'node20',
      packages: 'external', keepNames: true, metafile: true, outfile: tmp, absWorkingDir: ROOT, logLevel: 'silent',
    });
    const inputs: Record<string, [number, number]> = {};
    for (const f of Object.keys(r.metafile.inputs)) {
      const st = statSync(resolve(ROOT, f));
      inputs[f] = [st.mtimeMs, st.size];
    }
    renameSync(tmp, out);
    const mtmp = `${manifest}.${process.pid}.tmp`;
    writeFileSync(mtmp, JSON.stringify({ inputs } satisfies Manifest));
    renameSync(mtmp, manifest);
    return pathToFileURL(out);
  } catch {
    return null;
  }
}
