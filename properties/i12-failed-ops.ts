// I12 failed ops change no state (layering-designs §5): an op that fails (an errno, a TSYNC
// failure, an op the model rejects as invalid, or an op whose own syscall a filter stopped
// without killing) returns the very world it was given (model/step.ts contract; the kernel
// checks before it commits). A kill is not a failure of the op: it removes tasks.
// In a supervised scenario (model/seccomp/notify.ts) two results are not failures of the step:
// `notif_return` reports the answered call's return (an ENOSYS there is the call's, U22), and
// an op stopped by a notification leaves its thread blocked — each changes the pending
// notifications only.
import type { Property } from './property.js';
import { firstStepViolation, describeStep } from './property.js';
import type { StepView } from './step-view.js';

function checkStep(view: StepView) {
  const { before, after, out } = view.step;
  const r = out.result;
  const k = r.kind;
  const stoppedNoKill = k === 'stopped' && r.outcome.kind !== 'kill_thread' && r.outcome.kind !== 'kill_process';
  if ((k !== 'err' && k !== 'tsync_fail' && k !== 'invalid' && !stoppedNoKill) || after === before) return null;
  const notifsOnly = after.tasks === before.tasks && after.rulesets === before.rulesets && after.maps === before.maps && after.notifs !== before.notifs;
  if (notifsOnly && (view.step.op.op === 'notif_return' || (k === 'stopped' && r.outcome.kind === 'notify'))) return null;
  return { message: `${describeStep(view)} failed (${k}) but returned a changed world`, details: { result: out.result } };
}

export const I12: Property = {
  id: 'I12',
  statement: 'A failed op (errno, TSYNC failure, invalid, stopped by a filter without a kill) changes no state.',
  source: 'layering-designs §5 I12; kernel/seccomp.c:seccomp_set_mode_filter, security/landlock/syscalls.c',
  threadScope: 'all',
  threadNote: 'The whole world.',
  on: { ok: false, changed: true },
  stepCheck: checkStep,
  check: (trace) => firstStepViolation(trace, checkStep),
};
