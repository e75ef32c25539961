// The working directory and paths relative to it (fs/namei.c:path_init with AT_FDCWD and
// link_path_walk; fs/open.c:chdir). A task's cwd is its fs_struct's pwd: the threads of a group
// share it (the executor clones threads with CLONE_FS, as pthread_create does), a fork copies it
// (kernel/fork.c:copy_fs), exec keeps it. chdir(2) asks only for search permission on the
// directory (inode_permission with MAY_EXEC | MAY_CHDIR), where Landlock has no hook: a task
// enters any directory of the tree whatever its domain handles, and gains nothing by it —
// Landlock decides an access by walking up from the file reached to the real root
// (fs.c:is_access_to_paths_allowed), not from where the lookup started, so a relative path is
// decided as its absolute one, and a cwd taken before a sandbox opens nothing more.
//
// A relative path (an `fs` probe's, or chdir's) is walked from the cwd, component by component
// (link_path_walk): a component missing before the last is ENOENT, one that is not a directory
// ENOTDIR — the lookup's answer, after seccomp and before any Landlock hook. `..` above the
// tree's root would leave the scenario's tree (a temp directory the model does not know): that
// walk is `invalid` on both sides, before any call. The last component is joined to give the
// absolute path the request stands for.
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { err, fail, invalid, ok } from '../result.js';
import { mapGroup, taskWith } from '../state.js';
import { ERRNO } from '../errno.js';
import { fsIndex, parentPath, ROOT } from '../landlock/fstree.js';
import type { FsTree } from '../landlock/fstree.js';
import { detachedRootReason } from '../landlock/detached-root.js';

export function isRelativePath(path: string): boolean {
  return !path.startsWith('/');
}

/** Where a walk ends: the absolute path, the lookup's errno (at the component that failed), or
 * the reason the model does not follow it. */
export type Walk = { readonly path: string } | { readonly errno: number } | { readonly invalid: string };

/** The absolute path `path` names from `cwd`; an absolute path is returned as it is. */
export function walkFrom(tree: FsTree, cwd: string, path: string): Walk {
  if (!isRelativePath(path)) return { path };
  const parts = path.split('/');
  if (parts.some((c) => c === '')) return { invalid: `the relative path ${JSON.stringify(path)} has an empty component` };
  const ix = fsIndex(tree);
  let at = cwd;
  let lookup = 0;
  for (let k = 0; k < parts.length; k++) {
    const c = parts[k]!;
    if (c === '.') continue;
    if (c === '..') {
      // at a detached mount's root `..` stays (fs/namei.c:follow_dotdot: no mount point to
      // choose, so it is handled as the root)
      if (ix.hasMounts && at !== ROOT && ix.parent[ix.indexOf(at)] === -1) continue;
      const up = parentPath(at);
      if (up === null) return { invalid: `the relative path ${JSON.stringify(path)} climbs above the scenario's tree from ${cwd}` };
      at = up;
      continue;
    }
    const next = at === ROOT ? `/${c}` : `${at}/${c}`;
    // a detached mount's name is no entry of the tree's root: the walk does not reach it
    if (lookup === 0 && at === ROOT && ix.hasMounts && ix.parent[ix.indexOf(next)] === -1 && ix.indexOf(next) > 0) lookup = ERRNO.ENOENT;
    if (k < parts.length - 1 && lookup === 0) {
      const type = ix.typeOf(next);
      if (type === undefined) lookup = ERRNO.ENOENT;
      else if (type !== 'dir') lookup = ERRNO.ENOTDIR;
    }
    at = next;
  }
  // the kernel stops at the first failing component; a later `..` above the root still leaves
  // the model (checked above, whatever came before)
  return lookup !== 0 ? { errno: lookup } : { path: at };
}

/**
 * A chdir or an `fs` probe the model does not follow, as the op's result (made by neither
 * side); else null: a relative walk above the tree's root; in a supervised scenario, a relative
 * probe with `..` (a notified call looks its path up only when the supervisor lets it continue,
 * from the cwd of that moment, which a sibling thread may have moved: without `..` the walk stays
 * in the tree, and the model follows it then); removing an empty directory that is a task's
 * working directory (the executor puts the tree back with a new directory, which no cwd is).
 */
export function walkOutsideModel(world: World, task: Task, op: Op): StepOut | null {
  const path = op.op === 'chdir' ? op.path : op.op === 'probe' && op.request.kind === 'fs' ? op.request.path : undefined;
  if (path === undefined) return null;
  const removesDir = op.op === 'probe' && op.request.kind === 'fs' && op.request.access === 'remove_dir';
  // the common case, an absolute probe path: nothing to walk, nothing removed (a hot path)
  if (!isRelativePath(path) && !removesDir) return null;
  if (op.op === 'probe' && world.notifs !== null && isRelativePath(path) && path.split('/').includes('..')) {
    return fail(world, task.tid, invalid('probe: a relative path with ".." in a supervised scenario is not modelled'));
  }
  const w = walkFrom(world.fs, task.cwd, path);
  if ('invalid' in w) return fail(world, task.tid, invalid(`${op.op}: ${w.invalid}`));
  if (removesDir && 'path' in w && removesACwd(world, w.path)) {
    return fail(world, task.tid, invalid('probe: removing a task\'s working directory is not modelled'));
  }
  if (removesDir && 'path' in w) {
    const why = detachedRootReason(world.fs, { kind: 'fs', access: 'remove_dir', path: w.path });
    if (why) return fail(world, task.tid, invalid(`probe: ${why}`));
  }
  return null;
}

/** Whether `dir` is an empty directory of the tree that some live task has as its cwd. */
function removesACwd(world: World, dir: string): boolean {
  // the directory is an inode: through a mount, another path may name it
  const ix = fsIndex(world.fs);
  const canon = ix.canonOf(dir) ?? dir;
  if (canon === ROOT || !world.tasks.some((t) => (ix.canonOf(t.cwd) ?? t.cwd) === canon)) return false;
  const prefix = `${canon}/`;
  return !world.fs.entries.some((e) => e.path.startsWith(prefix));
}

/** chdir(2): the lookup's ENOENT or ENOTDIR; else every thread of the group moves (the
 * fs_struct is shared). No LSM hook decides it. */
export function chdir(world: World, task: Task, op: Extract<Op, { op: 'chdir' }>): StepOut {
  const w = walkFrom(world.fs, task.cwd, op.path);
  if ('invalid' in w) return fail(world, task.tid, invalid(`chdir: ${w.invalid}`));
  if ('errno' in w) return fail(world, task.tid, err(w.errno));
  const type = fsIndex(world.fs).typeOf(w.path);
  if (type === undefined) return fail(world, task.tid, err(ERRNO.ENOENT));
  if (type !== 'dir') return fail(world, task.tid, err(ERRNO.ENOTDIR));
  if (task.cwd === w.path) return { world, result: ok(0), tid: task.tid };
  const cwd = w.path;
  return { world: mapGroup(world, task.tgid, (t) => taskWith(t, { cwd })), result: ok(0), tid: task.tid };
}
