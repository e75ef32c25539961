// Unsafe: KEYCTL_SESSION_TO_PARENT drops the parent's Landlock domain, as Linux did before the fix
// for CVE-2024-42318 (5.13 up to 6.10; security/landlock/cred.c gained hook_cred_transfer in
// commit 39705a6c29f8 "landlock: Don't lose track of restrictions on cred_transfer", 6.11-rc1,
// stable 5.15.165, 6.1.103, 6.6.44, 6.10.3; landlock.md §2): key_change_session_keyring makes the
// parent's new cred with cred_transfer, and without that hook the Landlock blob stayed empty. So
// a child — sandboxed or not — that joins a session keyring of its own and installs it on its
// parent strips the parent's sandbox: a task's layers changed by another task's call.
// Seccomp's layers are unaffected (they live on the task, not its cred).
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const KEYRING_DROPS_DOMAIN: Variant = {
  id: 'keyring-drops-domain',
  title: 'UNSAFE: KEYCTL_SESSION_TO_PARENT drops the parent\'s Landlock domain (CVE-2024-42318, before 6.11)',
  source: 'security/landlock/cred.c before commit 39705a6c29f8 (no hook_cred_transfer); security/keys/process_keys.c:key_change_session_keyring; landlock.md §2',
  semantics: { ...LINUX_SEMANTICS, credTransferKeepsDomain: false },
  abi: REFERENCE_ABI,
  opKinds: linuxOps(REFERENCE_ABI),
  // A task's layers changed by another task's call: its child's (I2, I6), and so a child of the
  // first task weakened by its own child (I1, children-never-weakened), and the first task's
  // decisions depending on a child's calls (non-interference).
  expectations: expectViolations(['I1', 'I2', 'I6', 'children-never-weakened', 'non-interference']),
  witness: { property: 'I2', maxOps: 5 },
};
