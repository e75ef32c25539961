// Working directories in generated scenarios (model/task/cwd.ts): the sandbox segment moves its
// task into a directory of the tree, before its restrict_self (a cwd taken outside the sandbox)
// or after it, and words its fs probes relative to where the task is. A generated relative path
// never has `..`: the generator's idea of a task's cwd can be wrong (a chdir a filter stopped),
// and a path that only descends is then still a path of the tree, or a failed lookup — never a
// walk out of the tree, which no model follows.
import type { Rng } from './pick.js';
import { chance, pick } from './pick.js';
import type { Op } from '../model/ops.js';
import type { Request } from '../model/request.js';
import type { Population } from './population.js';

/** The absolute `path` as seen from the directory `dir` when it lies beneath it ("s/g", "." for
 * `dir` itself), else null. */
export function beneath(dir: string, path: string): string | null {
  if (path === dir) return '.';
  const prefix = dir === '/' ? '/' : `${dir}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : null;
}

/**
 * A chdir by `task`: into a directory of the tree (`dirs`, the root among them), a file 1 in 10
 * (ENOTDIR) or no entry 1 in 20 (ENOENT); its path relative to where the generator believes the
 * task is, half the time when it lies beneath. The population follows a chdir into a directory.
 */
export function chdirOp(rng: Rng, pop: Population, task: number, dirs: readonly string[], files: readonly string[]): Op {
  const r = rng.nextInt(0, 19);
  const to = r === 0 ? `${pick(rng, dirs)}/strata.none`.replace('//', '/') : r <= 2 && files.length ? pick(rng, files) : pick(rng, dirs);
  const rel = beneath(pop.cwd(task), to);
  const path = rel !== null && chance(rng, 1, 2) ? rel : to;
  if (dirs.includes(to)) pop.chdir(task, to);
  return { op: 'chdir', task, path };
}

/** An fs probe's request worded relative to the task's working directory, 2 in 3 times when its
 * path lies beneath it; every other request as it is. */
export function fromCwd(rng: Rng, pop: Population, task: number, request: Request): Request {
  if (request.kind !== 'fs') return request;
  const rel = beneath(pop.cwd(task), request.path);
  if (rel === null || !chance(rng, 2, 3)) return request;
  return { kind: 'fs', access: request.access, path: rel };
}
