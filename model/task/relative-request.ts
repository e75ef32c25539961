// A probe's relative path (model/task/cwd.ts): the request it stands for, or the errno its
// lookup ends with before any hook. The walk is cwd.ts's; the last component's own rules are the
// removal calls' (fs/namei.c:do_rmdir, do_unlinkat).
import type { Request } from '../request.js';
import type { World, Task } from '../state.js';
import { ERRNO } from '../errno.js';
import { isRelativePath, walkFrom } from './cwd.js';

/** A probe's request with a relative `fs` path resolved from the task's cwd: the absolute
 * request, the lookup's errno (with the request as it was, for seccomp's view of the call), or
 * the reason the walk is not modelled. Every other request is returned as it is. */
export function resolveRequest(world: World, task: Task, request: Request): { readonly request: Request; readonly lookup?: number } | { readonly invalid: string } {
  if (request.kind !== 'fs' || !isRelativePath(request.path)) return { request };
  const w = walkFrom(world.fs, task.cwd, request.path);
  if ('invalid' in w) return w;
  if ('errno' in w) return { request, lookup: w.errno };
  const last = lastComponentErrno(request.access, request.path);
  if (last !== 0) return { request, lookup: last };
  return { request: { kind: 'fs', access: request.access, path: w.path } };
}

/**
 * rmdir(2) and unlink(2) refuse a last component "." or ".." before any hook
 * (fs/namei.c:do_rmdir — LAST_DOT EINVAL, LAST_DOTDOT ENOTEMPTY; do_unlinkat — EISDIR): a
 * relative path that names the cwd (".") is not removed as its absolute one would be. 0 when the
 * last component is a name.
 */
function lastComponentErrno(access: string, path: string): number {
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (last !== '.' && last !== '..') return 0;
  if (access === 'remove_dir') return last === '.' ? ERRNO.EINVAL : ERRNO.ENOTEMPTY;
  if (access === 'remove_file') return ERRNO.EISDIR;
  return 0;
}
