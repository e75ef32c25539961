// Unsafe: no re-check of seccomp after a tracer's PTRACE_EVENT_SECCOMP stop, as before Linux 4.8
// (kernel/seccomp.c:__seccomp_filter; commit 93e35efb8de4 "x86/ptrace: run seccomp after
// ptrace", 2016): a tracer that rewrites a RET_TRACE'd call to another syscall makes it run
// unchecked, past a layer that denies it with ERRNO or KILL (delegation.md §6 R5, §12 item 5).
// Landlock's layers are unaffected (its hooks run in the syscall itself).
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const NO_TRACE_RECHECK: Variant = {
  id: 'no-trace-recheck',
  title: 'UNSAFE: no seccomp re-check after a tracer\'s stop (before Linux 4.8): a rewrite escapes other layers',
  source: 'kernel/seccomp.c:__seccomp_filter before 4.8 (commit 93e35efb8de4 added recheck_after_trace); delegation.md §6 R5',
  semantics: { ...LINUX_SEMANTICS, seccompTraceRecheck: false },
  abi: REFERENCE_ABI,
  opKinds: linuxOps(REFERENCE_ABI),
  // §6 row "no re-check after trace" (properties/section6.ts).
  expectations: expectViolations(['tracer-bounded']),
  witness: { property: 'tracer-bounded', maxOps: 5 },
};
