// Tracer corners (delegation.md §6): what a RET_TRACE'd probe came to — ENOSYS with no tracer
// that asked for seccomp stops (R1), a stop whose tracer continued the call (R2, R9), skipped it
// (R3), or rewrote it (R4) to a call that ran or that a kernel-final verdict stopped on the
// re-check (R5, where the design re-checks).
import type { TraceStep } from '../properties/trace.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import type { CornerDecl, Hits } from './corner.js';
import type { TraceContext } from './context.js';

const traced = (v: Variant): boolean => accepts(v, 'ptrace_attach') && accepts(v, 'ptrace_response') && accepts(v, 'probe');
const SPEC = 'delegation.md §6';

export const PTRACE_CORNERS: readonly CornerDecl[] = [
  { id: 'ptrace.trace.enosys', title: 'RET_TRACE with no tracer asking for seccomp stops: ENOSYS', spec: `${SPEC} R1`, group: 'tracers', applies: traced },
  { id: 'ptrace.trace.continue', title: 'RET_TRACE served by a tracer that continues the call (a recruited tracer: R9)', spec: `${SPEC} R2, R9`, group: 'tracers', applies: traced },
  { id: 'ptrace.trace.skip', title: 'RET_TRACE served by a tracer that skips the call with its own value', spec: `${SPEC} R3`, group: 'tracers', applies: traced },
  { id: 'ptrace.trace.rewrite.runs', title: 'RET_TRACE rewritten by the tracer to a call that runs', spec: `${SPEC} R4`, group: 'tracers', applies: traced },
  { id: 'ptrace.trace.rewrite.stopped', title: 'RET_TRACE rewritten to a call an ERRNO, TRAP or KILL verdict stops on the re-check', spec: `${SPEC} R5`, group: 'tracers', applies: (v) => traced(v) && v.semantics.seccompTraceRecheck },
];

export function detectPtrace(step: TraceStep, ctx: TraceContext, hits: Hits): void {
  if (step.op.op !== 'probe' || step.out.result.kind !== 'probe' || !traced(ctx.variant)) return;
  const p = step.out.result.probe;
  if (p.seccomp?.action !== 'trace') return;
  if (!p.trace) {
    hits.hit('ptrace.trace.enosys');
    return;
  }
  switch (p.trace.response.kind) {
    case 'allow': hits.hit('ptrace.trace.continue'); return;
    case 'skip': hits.hit('ptrace.trace.skip'); return;
    case 'rewrite': hits.hit(p.outcome.kind === 'allow' || p.outcome.kind === 'notify' ? 'ptrace.trace.rewrite.runs' : 'ptrace.trace.rewrite.stopped');
  }
}
