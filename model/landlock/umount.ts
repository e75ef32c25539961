// umount(2) of a mount of the scenario's tree (model/landlock/fstree.ts), as fs/namespace.c
// decides it (path_umount → can_umount → do_umount), in this order:
//   - the path is looked up (LOOKUP_MOUNTPOINT): no such path → ENOENT;
//   - may_mount: no CAP_SYS_ADMIN → EPERM;
//   - path_mounted: the path is no mount's root → EINVAL; check_mnt: a detached mount is in no
//     namespace → EINVAL;
//   - security_sb_umount: Landlock's hook_sb_umount → EPERM when a layer of the caller's domain
//     handles an fs right (model/landlock/mount.ts);
//   - propagate_mount_busy: some task's working directory at or beneath the mount point → EBUSY.
// Then the mount is gone: its point shows the directory it hid again (empty), and the paths that
// went through it lead nowhere. Rules added through it stay on the inodes they named.
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { err, fail, ok } from '../result.js';
import { worldWith } from '../state.js';
import { ERRNO } from '../errno.js';
import type { FsTree } from './fstree.js';
import { fsIndex } from './fstree.js';
import { landlockDecide } from './decide.js';

const UNMOUNTED = new WeakMap<FsTree, Map<string, FsTree>>();

/** `tree` without its bind mount at `at`: one shared value per tree and mount point, so the
 * caches kept per tree (indexes, views, tables) are shared by every run that unmounts it. */
export function withoutMount(tree: FsTree, at: string): FsTree {
  let byAt = UNMOUNTED.get(tree);
  if (byAt === undefined) UNMOUNTED.set(tree, (byAt = new Map()));
  let next = byAt.get(at);
  if (next === undefined) {
    const mounts = (tree.mounts ?? []).filter((m) => m.at !== at);
    next = Object.freeze({ entries: tree.entries, ...(mounts.length ? { mounts: Object.freeze(mounts) } : {}) });
    byAt.set(at, next);
  }
  return next;
}

/** umount2(path, 0) by `task`. */
export function umount(world: World, task: Task, op: Extract<Op, { op: 'umount' }>): StepOut {
  const ix = fsIndex(world.fs);
  const i = ix.indexOf(op.path);
  if (i < 0) return fail(world, task.tid, err(ERRNO.ENOENT));
  if (!task.capSysAdmin) return fail(world, task.tid, err(ERRNO.EPERM));
  // a bind mount's root has its mount point's parent above it; a detached root has none
  if (!ix.isMountRoot(i) || ix.parent[i] === -1) return fail(world, task.tid, err(ERRNO.EINVAL));
  const denied = landlockDecide(world, task, { kind: 'mount', call: 'umount' });
  if (denied !== 0) return fail(world, task.tid, err(denied));
  const prefix = `${op.path}/`;
  if (world.tasks.some((t) => t.cwd === op.path || t.cwd.startsWith(prefix))) return fail(world, task.tid, err(ERRNO.EBUSY));
  return { world: worldWith(world, { fs: withoutMount(world.fs, op.path) }), result: ok(0), tid: task.tid };
}
