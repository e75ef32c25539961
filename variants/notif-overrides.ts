// Unsafe e5, a design that differs from Linux only in evaluation: a supervisor's listener
// overrides a denial of another layer. USER_NOTIF is ranked above ERRNO (between TRAP and
// ERRNO), so a call that an older layer denies with ERRNO, and a newer layer created with
// NEW_LISTENER notifies, goes to that listener — whose holder may CONTINUE it. A layer created
// without NEW_LISTENER (the ERRNO layer) is thus relaxed through someone else's listener, the
// opposite of Linux, where "any ERRNO, TRAP or KILL of any layer still wins" (U36;
// kernel/seccomp.c:seccomp_run_filters compares the actions signed: USER_NOTIF 0x7fc00000 loses
// to ERRNO 0x00050000). Written as an evaluation switch (model/evaluation.ts): probes, the op
// gate and the properties' decision tables all read it.
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps, NOTIF_OPS } from './op-kinds.js';
import { REFERENCE_ABI } from './linux.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';

export const NOTIF_OVERRIDES: Variant = {
  id: 'notif-overrides',
  title: 'UNSAFE e5: a USER_NOTIF listener overrides another layer\'s ERRNO (the supervisor decides calls a non-delegating layer denies)',
  source: 'contrast kernel/seccomp.c:seccomp_run_filters (USER_NOTIF loses to ERRNO, TRAP, KILL); delegation.md U36, §12 item 1',
  semantics: { ...LINUX_SEMANTICS, seccompPrecedence: ['kill_process', 'kill_thread', 'trap', 'user_notif', 'errno', 'trace', 'log', 'allow'] },
  abi: REFERENCE_ABI,
  opKinds: [...linuxOps(REFERENCE_ABI), ...NOTIF_OPS],
  // Witness (2 ops): seccomp(getpid → ERRNO); seccomp(getpid → USER_NOTIF, NEW_LISTENER) — the
  // caller's own add moves getpid from a denial to a delegated decision (I3). With a supervisor
  // (a thread that RECVs and CONTINUEs) the denied call runs (I6, the delegation bound). With
  // TSYNC the same add loosens a sibling thread (I2-thread, 3 ops: §6 row; the default budget
  // reaches it since the generator's keyring segment shifted its stream). Linux's own I6 (the
  // self-escape, properties/delegation.ts) it shares.
  expectations: expectViolations(['I3', 'I6', 'I2-thread']),
  witness: { property: 'I3', maxOps: 2 },
};
