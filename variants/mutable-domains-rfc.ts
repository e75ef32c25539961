// "Landlock: mutable domains" RFC (Tingmao Wang, Feb 2026, not merged): a supervisor ruleset
// whose COMMITs reach the layers that supervisees restricted themselves to (C(L) = Ce ∪ Cs),
// relaxation opt-in at creation, handle-based and bounded by the other layers (§3f).
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const MUTABLE_DOMAINS_RFC: Variant = {
  id: 'mutable-domains-rfc',
  title: 'Landlock mutable domains RFC (2026): supervisor rulesets with COMMIT',
  source:
    'RFC "Landlock: mutable domains (and supervisor notification uAPI options)", 15 Feb 2026, https://lore.kernel.org/all/6981cdab-dcff-47fc-a236-1890f9bc9c55@maowtm.org/ (layering-designs §3f)',
  semantics: { ...LINUX_SEMANTICS, landlockSupervisor: true },
  abi: REFERENCE_ABI,
  opKinds: [...linuxOps(REFERENCE_ABI), 'ruleset_supervisee', 'ruleset_create.supervisor', 'ruleset_add_rule.commit'],
  // §6 LL-MUTABLE row: I1/I2 only via I6's explicit path (a supervisor commit).
  expectations: expectViolations([]),
};
