// Unsafe: Landlock's SIGIO/SIGURG path before the fix for CVE-2026-72183 ("landlock: Fix
// LANDLOCK_SCOPE_SIGNAL bypass on the SIGIO path"; affected from commit 18eb75f3af40 "landlock:
// Always allow signals between threads of the same process", v6.15 and its stable backports,
// until 6.12.101, 6.18.40 and 7.1.5). F_SETOWN naming a process group recorded no Landlock
// domain when the caller's process headed the group's task list: control_current_fowner asked
// same_thread_group of pid_task(pid, PIDTYPE_PGID), the group's most recently attached process —
// the caller itself right after its fork — so hook_file_send_sigiotask let the SIGURG (or, with
// F_SETSIG and O_ASYNC, any signal) reach every member of the group unchecked: a signal-scoped
// sandbox signals the unsandboxed process that forked it. (It also exempted no recipient of the
// setter's own process once a domain was recorded, which only made it stricter.)
// Layers are untouched: no stack or decision table of a task changes, so only the signal-scope
// property sees it.
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const FOWN_GROUP_HEAD: Variant = {
  id: 'fown-group-head',
  title: 'UNSAFE: F_SETOWN to its own process group by the group\'s head records no domain (Landlock before the fix for CVE-2026-72183)',
  source: 'security/landlock/fs.c:control_current_fowner from commit 18eb75f3af40 until "landlock: Fix LANDLOCK_SCOPE_SIGNAL bypass on the SIGIO path" (CVE-2026-72183); fs/fcntl.c:send_sigurg (do_each_pid_task); landlock.md §4',
  semantics: { ...LINUX_SEMANTICS, sigioScopeFix: false },
  abi: REFERENCE_ABI,
  opKinds: linuxOps(REFERENCE_ABI),
  expectations: expectViolations(['signal-scope']),
  witness: { property: 'signal-scope', maxOps: 6 },
};
