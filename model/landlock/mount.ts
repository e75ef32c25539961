// Changes of the mount tree (the `mount` request), decided as this 6.18 kernel does
// (conformance/landlock.test.ts "16."; landlock.md §3):
//   - every call that changes the mount topology is denied (EPERM) to a task whose domain has
//     a layer handling some fs access, whatever its rules: hook_sb_mount (mount(2): new, bind,
//     remount, propagation, move), hook_sb_umount, hook_sb_pivotroot, hook_move_mount — each
//     returns -EPERM iff landlock_get_applicable_subject(current_cred(), any_fs, …) finds one;
//     a domain that handles only net or scopes does not restrict them;
//   - open_tree(OPEN_TREE_CLONE), which makes a detached copy of a mount, and mount_setattr(2),
//     which changes a mount's flags, meet no Landlock hook and are never denied (attaching the
//     copy is move_mount, which is);
//   - allowed, pivot_root of a directory that is no mount point fails by itself (EINVAL,
//     fs/namespace.c:pivot_root's path_mounted(new) check, after the hook): counted as allowed
//     (conformance/compare.ts naturalErrnos).
// CAP_SYS_ADMIN is not modelled here: without it every call is EPERM (may_mount), an explained
// difference (conformance/explained.ts mount-needs-cap-sys-admin).
import type { MountCall, MountRequest } from '../request.js';
import { ERRNO } from '../errno.js';

/** The calls, in the executor's order (conformance/native/probe.c). */
export const MOUNT_CALLS: readonly MountCall[] = ['new', 'bind', 'remount', 'propagation', 'move', 'umount', 'pivot_root', 'move_mount', 'open_tree', 'mount_setattr'];

/** The syscall (x86_64) each call is made with. */
export const MOUNT_CALL_NR: Readonly<Record<MountCall, number>> = {
  new: 165, bind: 165, remount: 165, propagation: 165, move: 165, // mount
  umount: 166, // umount2
  pivot_root: 155,
  move_mount: 429,
  open_tree: 428,
  mount_setattr: 442,
};

export function mountCall(req: MountRequest): MountCall {
  return req.call ?? 'new';
}

/** Whether a Landlock hook sees the call (and denies it in a domain handling fs access). */
export function mountHooked(call: MountCall): boolean {
  return call !== 'open_tree' && call !== 'mount_setattr';
}

/** One layer's verdict: EPERM iff the call is hooked and the layer handles some fs access. */
export function mountLayerCode(call: MountCall, handledFs: number): number {
  return mountHooked(call) && handledFs !== 0 ? ERRNO.EPERM : 0;
}

/** The errnos with which an allowed call fails by itself in the executor's setting. */
export function mountNaturalErrnos(call: MountCall): readonly number[] {
  return call === 'pivot_root' ? [ERRNO.EINVAL] : [];
}
