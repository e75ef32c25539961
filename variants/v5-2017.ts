// Landlock v5 (Feb 2017): rules added through seccomp(SECCOMP_ADD_LANDLOCK_RULE) land in a
// per-hierarchy node shared by pointer at fork and appended in place by every sharer
// (layering-designs §2, §3a). Modelled on the seccomp stack: an add by a task that already has
// a layer appends its program to that (possibly shared) top layer (`seccompInPlaceAppend`).
// Flags must be 0: no TSYNC, no listener; no modify call.
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { TASK_OPS } from './op-kinds.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const V5_2017: Variant = {
  id: 'v5-2017',
  title: 'Landlock v5 (2017): per-hierarchy rule lists appended in place when shared',
  source:
    'Landlock v5 patch 06/10 "Handle Landlock events per process hierarchy", https://lore.kernel.org/all/?q=s%3A%22Handle+Landlock+events+per+process+hierarchy%22 (layering-designs §2, §3a)',
  semantics: { ...LINUX_SEMANTICS, seccompInPlaceAppend: true },
  opKinds: [...TASK_OPS, 'seccomp_filter'],
  // §6 V5 rows: I1 and I4 (parent→child, child→parent, sibling→sibling). In-place appends only
  // shrink A, so no weakening property fires; the child's decisions do depend on the others' calls.
  expectations: expectViolations(['I1', 'I4', 'non-interference']),
  witness: { property: 'I1', maxOps: 3 },
};
