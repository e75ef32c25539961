// Unsafe e4, a design that differs from Linux only in evaluation: the newest seccomp filter's
// return decides alone, so a newer layer overrides an older one's denial — the "last rule wins"
// composition of firewall-style rule lists, applied to stacked layers. Linux runs every filter
// and lets the least permissive value win (kernel/seccomp.c:seccomp_run_filters), which is
// what makes an added filter unable to loosen. Written as an evaluation switch
// (model/evaluation.ts): probes, the op gate and the properties' decision tables all read it.
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const NEWEST_FILTER_WINS: Variant = {
  id: 'newest-filter-wins',
  title: 'UNSAFE e4: the newest seccomp filter decides alone (a newer layer overrides an older deny)',
  source: 'contrast kernel/seccomp.c:seccomp_run_filters (least permissive of all filters wins); layering-designs §3c',
  semantics: { ...LINUX_SEMANTICS, seccompCombine: 'newest' },
  abi: REFERENCE_ABI,
  opKinds: linuxOps(REFERENCE_ABI),
  // Witness (2 ops): seccomp(deny getpid); seccomp(allow all) — the caller's own add loosens it
  // (I3). With TSYNC the same add loosens the caller's sibling threads (I2-thread, 3 ops).
  expectations: expectViolations(['I3', 'I2-thread']),
  witness: { property: 'I3', maxOps: 2 },
};
