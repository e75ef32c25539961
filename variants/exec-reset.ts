// Unsafe e3: execve empties the task's layers (OpenBSD pledge without execpromises; a bug in
// any design that promises inheritance across exec) (layering-designs §3e3).
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const EXEC_RESET: Variant = {
  id: 'exec-reset',
  title: 'UNSAFE e3: exec empties the layer stacks',
  source: 'OpenBSD pledge(2) (exec without execpromises); layering-designs §3 (e3)',
  semantics: { ...LINUX_SEMANTICS, execResetsLayers: true },
  abi: REFERENCE_ABI,
  opKinds: linuxOps(REFERENCE_ABI),
  // §6 e3 row.
  expectations: expectViolations(['I3', 'I10']),
  witness: { property: 'I10', maxOps: 2 },
};
