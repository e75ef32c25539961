// Today's Linux: seccomp filter stacks (layering-designs §3c) and Landlock domains (§3d) at a
// chosen Landlock ABI. Every layer is immutable; add pushes a new layer shared by reference;
// seccomp TSYNC needs every sibling's stack to be an ancestor of the caller's. From ABI 8
// Landlock TSYNC *overwrites* the siblings' domains by design (threads are not a boundary:
// security/landlock/tsync.c:restrict_one_thread), which I9 and I2-thread flag. The overwritten
// thread's domain is then the caller's: tasks whose domain is an ancestor of the caller's —
// the caller itself, its forked children — can now ptrace it, signal it or connect to its
// abstract sockets where they could not before (task.c:domain_scope_le), which the weakening
// properties flag through their task-relative decisions (I2, I3, I6, children-never-weakened).
import type { Variant } from './variant.js';
import { expectViolations } from './variant.js';
import { linuxOps, NOTIF_OPS } from './op-kinds.js';
import { LINUX_SEMANTICS } from '../model/semantics.js';
import { LANDLOCK_ABI_MAX } from '../model/limits.js';
import { initialWorld } from '../model/state.js';

/** The ABI of the reference machine's kernel (the model's default world). */
export const REFERENCE_ABI = initialWorld().abi;

const SOURCE =
  'Documentation/userspace-api/seccomp_filter.rst, kernel/seccomp.c; Documentation/userspace-api/landlock.rst, security/landlock/ (layering-designs §3c, §3d)';

/** Linux with Landlock at `abi` (1..LANDLOCK_ABI_MAX). Id `linux` at the reference ABI, else `linux-abi<N>`. */
export function linuxVariant(abi: number = REFERENCE_ABI): Variant {
  if (!Number.isInteger(abi) || abi < 1 || abi > LANDLOCK_ABI_MAX) {
    throw new RangeError(`linux variant: Landlock ABI must be an integer in 1..${LANDLOCK_ABI_MAX}, got ${String(abi)}`);
  }
  const landlockTsync = abi >= LANDLOCK_ABI_MAX;
  return {
    id: abi === REFERENCE_ABI ? 'linux' : `linux-abi${abi}`,
    title: `Linux: seccomp + Landlock ABI ${abi}${landlockTsync ? ' (Landlock TSYNC overwrites sibling domains)' : ''}`,
    source: SOURCE,
    semantics: LINUX_SEMANTICS,
    abi,
    opKinds: [...linuxOps(abi), ...NOTIF_OPS],
    // §6 LANDLOCK row: I9 and I2-thread by design, once TSYNC exists; and the reach the
    // overwrite gives others over the sibling (see the header).
    // I6 by design (the supervisor protocol): a task's own NEW_LISTENER layer takes over a call an
    // older layer delegated elsewhere (TRACE with no tracer, USER_NOTIF with a closed or no
    // listener), and its thread CONTINUEs it — the self-escape of delegation.md U39, which the
    // kernel documents (properties/delegation.ts).
    expectations: expectViolations(landlockTsync ? ['I9', 'I2-thread', 'I2', 'I3', 'I6', 'children-never-weakened'] : ['I6']),
    ...(landlockTsync ? { witness: { property: 'I9' as const, maxOps: 4 } } : {}),
  };
}

export const LINUX: Variant = linuxVariant();
export const LINUX_ABI8: Variant = linuxVariant(LANDLOCK_ABI_MAX);
