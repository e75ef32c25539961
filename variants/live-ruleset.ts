// Unsafe e1: restrict_self pushes a *reference* to the ruleset instead of a snapshot, so a
// layer's content is the ruleset's as it is now. Any holder of the ruleset fd (the parent, or a
// child the fd leaked to) loosens every task holding the layer (layering-designs §3e1).
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const LIVE_RULESET: Variant = {
  id: 'live-ruleset',
  title: 'UNSAFE e1: Landlock layers read the live ruleset (no snapshot at restrict)',
  source: 'layering-designs §3 (e1); cf. security/landlock/ruleset.c:landlock_merge_ruleset, which copies',
  semantics: { ...LINUX_SEMANTICS, landlockRestrictSnapshot: false },
  abi: REFERENCE_ABI,
  opKinds: linuxOps(REFERENCE_ABI),
  // §6 e1 row: I2, I6, I11; the same add_rule also changes a layer of a forked child (I1),
  // loosens the caller (I3) and its threads (I2-thread), and the child's decisions.
  expectations: expectViolations(['I1', 'I2', 'I2-thread', 'I3', 'I6', 'I11', 'children-never-weakened', 'non-interference']),
  witness: { property: 'I2', maxOps: 4 },
};
