// keyctl(2) on the session keyring, part of a task's credentials (security/keys/):
//   - KEYCTL_JOIN_SESSION_KEYRING with no name (keyctl_join_session_keyring →
//     join_session_keyring(NULL)): a new anonymous session keyring on the calling thread's cred
//     (install_session_keyring_to_cred, commit_creds). The kernel returns the keyring's serial;
//     the model returns the keyring's number — the k-th keyring the scenario joined is k, as the
//     executor numbers serials in the order it meets them. Tasks start on keyring 0, the one they
//     inherit from outside the scenario; fork, clone and exec keep it.
//   - KEYCTL_SESSION_TO_PARENT (keyctl_session_to_parent): the caller's session keyring goes onto
//     its real parent. The parent must be single-threaded (thread_group_empty: only its leader
//     alive) → else EPERM; the same keyring already → 0, nothing to do; the credentials' owners
//     are all root here. The new cred is made at the parent's next return to user space
//     (key_change_session_keyring): `cred_transfer(new, old)` copies the parent's *own* cred, and
//     Landlock's hook_cred_transfer its domain — the child's call changes the parent's keyring
//     and nothing else (landlock.md §2, CVE-2024-42318: before that hook existed the parent's
//     domain was dropped; semantics.credTransferKeepsDomain = false). The model applies the change
//     at once: nothing the parent does can come before its next return to user space.
// A real parent outside the scenario (the first task's, or one reparented to the executor) is not
// a modelled task: the op is `invalid` and the executor does not make the call.
import type { Op } from '../ops.js';
import type { World, Task } from '../state.js';
import type { StepOut } from '../result.js';
import { ok, err, fail, invalid } from '../result.js';
import { ERRNO } from '../errno.js';
import { worldWith } from '../state.js';
import { mapOne, realParent } from './tree.js';

export type KeyctlCall = Extract<Op, { op: 'keyctl' }>['call'];

/** The calls, in the order of the executor's sub-command (conformance/native/task.c). */
export const KEYCTL_CALLS: readonly KeyctlCall[] = ['join_session', 'session_to_parent'];

/** keyctl's operation numbers (include/uapi/linux/keyctl.h): the op gate's first argument. */
export const KEYCTL_OPERATION: Readonly<Record<KeyctlCall, number>> = { join_session: 1, session_to_parent: 18 };

/** A real parent the executor would not make the call towards, or null. */
export function keyctlOutsideModel(world: World, task: Task, op: Extract<Op, { op: 'keyctl' }>): StepOut | null {
  if (op.call !== 'session_to_parent' || realParent(world, task) !== 'outside') return null;
  return fail(world, task.tid, invalid('keyctl session_to_parent: the real parent is not a modelled task'));
}

export function keyctl(world: World, task: Task, op: Extract<Op, { op: 'keyctl' }>): StepOut {
  if (op.call === 'join_session') {
    const k = world.nextKeyring;
    return { world: worldWith(mapOne(world, task, { sessionKeyring: k }), { nextKeyring: k + 1 }), result: ok(k), tid: task.tid };
  }
  const parent = realParent(world, task);
  if (parent === 'outside') return keyctlOutsideModel(world, task, op)!;
  // thread_group_empty(parent): several live threads, or a lone thread that is not the leader.
  if (parent === 'ambiguous') return fail(world, task.tid, err(ERRNO.EPERM));
  if (parent.sessionKeyring === task.sessionKeyring) return { world, result: ok(0), tid: task.tid };
  const keep = world.semantics.credTransferKeepsDomain;
  const next = mapOne(world, parent, keep ? { sessionKeyring: task.sessionKeyring } : { sessionKeyring: task.sessionKeyring, domain: null, llLogSubdomainsOff: false });
  return { world: next, result: ok(0), tid: task.tid };
}
