// ptrace between domains (security/landlock/task.c:hook_ptrace_access_check, domain_ptrace,
// domain_scope_le). Every Landlock domain counts, whatever it handles. The executor uses
// PTRACE_ATTACH (or kcmp(KCMP_VM), or readlink /proc/T/fd/0) on the target task.
//
// A tracer may access a tracee iff the tracer has no domain, or the tracer's domain is an
// ancestor-or-self of the tracee's (compared by layer id); else EPERM. A tracee with no
// domain is out of reach of any sandboxed tracer. Tasks of one thread group are exempt: the
// kernel's __ptrace_may_access allows them before any LSM hook runs.
import { ERRNO } from '../errno.js';
import type { DomainNode } from './domain.js';
import { isAncestorOrSelfDomain } from './domain.js';
import type { Evaluation } from '../evaluation.js';

/** The relation under `scope` (model/evaluation.ts): Linux's ancestry, or a depth comparison. */
export function ptraceDecision(tracer: DomainNode | null, tracerTgid: number, tracee: DomainNode | null, traceeTgid: number, scope: Evaluation['landlockScope']): number {
  if (tracerTgid === traceeTgid) return 0;
  if (tracer === null) return 0;
  if (scope === 'depth') return (tracee?.depth ?? 0) >= tracer.depth ? 0 : ERRNO.EPERM;
  return isAncestorOrSelfDomain(tracer, tracee) ? 0 : ERRNO.EPERM;
}
