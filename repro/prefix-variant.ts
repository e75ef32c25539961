// Test only: the model as it was before commit e2a4841 fixed the bug strata conform found
// (corpus/conform/model-ptrace-own-thread-group.json): PTRACE_ATTACH to a task of the caller's
// own thread group was decided by the LSMs alone, so with no Landlock scope in the way it was
// allowed; the kernel refuses it first (kernel/ptrace.c:ptrace_attach, EPERM). A reproducer
// written from this model's expectations must mark exactly those steps `not ok`.
import type { StepFn, Variant } from '../variants/variant.js';

function allowOwnGroupPtrace(inner: StepFn): StepFn {
  return function prefixStep(world, op) {
    const out = inner(world, op);
    const r = out.result;
    if (op.op !== 'probe' || op.request.kind !== 'ptrace' || r.kind !== 'probe') return out;
    const o = r.probe.outcome;
    if (o.kind !== 'errno' || o.by !== 'kernel') return out;
    return { ...out, result: { ...r, probe: { ...r.probe, outcome: { kind: 'allow' } } } };
  };
}

/** `variant` (linux) with the pre-e2a4841 ptrace decision. */
export function prefixPtraceVariant(variant: Variant): Variant {
  const inner = variant.wrap;
  return {
    ...variant,
    id: 'test-prefix-ptrace-own-group',
    title: 'Test only: linux before e2a4841 (PTRACE_ATTACH to its own thread group allowed)',
    wrap: (step) => allowOwnGroupPtrace(inner ? inner(step) : step),
  };
}
