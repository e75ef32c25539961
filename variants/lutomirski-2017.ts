// Andy Lutomirski's review of Landlock v5 (28 Feb / 2 Mar 2017): layers are immutable by
// default; relaxation is a flag chosen when the layer is added (STRICTER: may only be narrowed,
// ANY: may be replaced); modify is a separate call from add; modifying a layer outside one's
// own stack needs an explicitly granted handle (the `export` flag gives a layer-handle fd)
// (layering-designs §3b, b1 + b2). TSYNC as seccomp's (ancestor-checked).
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const LUTOMIRSKI_2017: Variant = {
  id: 'lutomirski-2017',
  title: 'Lutomirski 2017: immutable by default, STRICTER/ANY chosen at add, modify by handle',
  source:
    'A. Lutomirski, review of "Handle Landlock events per process hierarchy", 28 Feb and 2 Mar 2017, https://lore.kernel.org/all/?q=s%3A%22Handle+Landlock+events%22+d%3A20170228..20170306 (layering-designs §3b)',
  semantics: { ...LINUX_SEMANTICS, modify: 'handle' },
  abi: REFERENCE_ABI,
  opKinds: [...linuxOps(REFERENCE_ABI), 'modify', 'mutability', 'export'],
  // §6 ANDY row: none. Relaxation only through a modify of an ANY layer, which the properties
  // attribute to the flag.
  expectations: expectViolations([]),
};
