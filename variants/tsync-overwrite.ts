// Unsafe e2: seccomp TSYNC copies the caller's new stack over every sibling thread without the
// ancestor check, dropping a sibling's own extra filters. A real instance: gVisor's Sentry,
// AppendSyscallFilter(p, syncAll) (commit 0f508e4) (layering-designs §3e2).
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const TSYNC_OVERWRITE: Variant = {
  id: 'tsync-overwrite',
  title: 'UNSAFE e2: seccomp TSYNC overwrites sibling stacks (no ancestor check)',
  source: 'gVisor pkg/sentry/kernel/seccomp.go AppendSyscallFilter, commit 0f508e4; kernel/seccomp.c:seccomp_can_sync_threads (layering-designs §3e2)',
  semantics: { ...LINUX_SEMANTICS, seccompTsyncAncestorCheck: false },
  abi: REFERENCE_ABI,
  opKinds: linuxOps(REFERENCE_ABI),
  // §6 e2 row.
  expectations: expectViolations(['I9', 'I2-thread']),
  witness: { property: 'I9', maxOps: 3 },
};
