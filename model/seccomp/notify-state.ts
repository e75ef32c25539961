// Pending user notifications as model state (kernel/seccomp.c: struct seccomp_knotif on a
// filter's notif->notifications list). Only scenarios that hand notifications to their own
// supervisor (a `notif_supervise` step) keep them: see notify.ts.
import type { Request } from '../request.js';
import type { OpResult } from '../result.js';
import type { SeccompVerdict } from '../outcome.js';

/** enum notify_state: INIT (queued), SENT (received by a supervisor), REPLIED (answered). */
export type NotifState = 'init' | 'sent' | 'replied';

export interface PendingNotif {
  /** Model order of creation (RECV is FIFO per filter: kernel ids go up by one, U11). */
  readonly seq: number;
  /** The listener (filter) the notification is queued on: the verdict's `match`. */
  readonly listener: number;
  /** The thread blocked in the call (struct seccomp_notif.pid, U10). */
  readonly tid: number;
  readonly state: NotifState;
  /** The probe's request, or null when the call is an op's own syscall (op-gate.ts). */
  readonly request: Request | null;
  /** The verdict that notified the call (a probe's; null for an op's own syscall). */
  readonly verdict: SeccompVerdict | null;
  /** The op whose call is blocked ('probe' or the op's name). */
  readonly op: string;
  /** Once REPLIED: what the blocked call returns (collected by `notif_return`). */
  readonly answer: OpResult | null;
}

export interface Notifications {
  readonly list: readonly PendingNotif[];
  readonly nextSeq: number;
}

export const NO_NOTIFICATIONS: Notifications = { list: [], nextSeq: 1 };
