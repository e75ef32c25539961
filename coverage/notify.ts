// Corners of the user-notification supervisor protocol (model/seccomp/notify.ts; delegation.md
// §1–§5, the facts each corner names): a call left blocked, each answer, each refusal, poll's
// three bits, a listener's release answering ENOSYS, and the
// self-escape (a delegated call relaxed past an older layer's delegation: properties/delegation.ts).
// A blocked thread's death (U25, U26) is no corner: the generator does not aim it (model test:
// model/seccomp/notify.test.ts).
import type { TraceStep } from '../properties/trace.js';
import type { CornerDecl, Hits } from './corner.js';
import type { Variant } from '../variants/variant.js';
import { accepts } from '../variants/variant.js';
import { ERRNO } from '../model/errno.js';
import { POLLIN, POLLOUT, POLLHUP } from '../model/seccomp/notify.js';
import { delegationBreach } from '../properties/delegation.js';

const supervised = (v: Variant): boolean => accepts(v, 'notif_supervise');
const G = 'seccomp supervisor';

function c(id: string, title: string, spec: string): CornerDecl {
  return { id: `notify.${id}`, title, spec: `delegation.md ${spec}`, group: G, applies: supervised };
}

export const NOTIFY_CORNERS: readonly CornerDecl[] = [
  c('blocked', 'a notified call leaves its thread blocked until answered', '§2 U10'),
  c('recv', 'RECV returns the blocked thread (INIT → SENT)', '§2 U11, U12'),
  c('recv.enoent', 'RECV on a filter with no users: ENOENT at once', '§2 U13, U27'),
  c('recv.would-block', 'RECV with nothing queued while the filter has users (it would sleep)', '§2 U13'),
  c('id_valid.sent', 'ID_VALID of a received notification: 0', '§2 U12'),
  c('id_valid.enoent', 'ID_VALID of a notification not received, answered or gone: ENOENT', '§2 U12'),
  c('send.value', 'SEND with a value: the call returns it', '§2 U15'),
  c('send.error', 'SEND with an error: the call returns it (the sign unchecked)', '§2 U15'),
  c('send.continue', 'SEND with FLAG_CONTINUE: the call runs', '§2 U16'),
  c('send.einval', 'SEND refused: flags other than CONTINUE, or CONTINUE with a value', '§2 U14'),
  c('send.enoent', 'SEND to an id no pending notification has (answered, or none)', '§2 U14'),
  c('send.unreceived', 'SEND to a notification not yet received (no id known: not run)', '§2 U14'),
  c('addfd', 'ADDFD installs the supervisor\'s file in the target', '§2 U17, U35'),
  c('addfd.send', 'ADDFD|SEND: the call returns the new descriptor', '§2 U19'),
  c('set_flags.einval', 'NOTIF_SET_FLAGS with a flag other than SYNC_WAKE_UP: EINVAL', '§1 U8'),
  c('sizes', 'SECCOMP_GET_NOTIF_SIZES', '§1 U7'),
  c('poll.in', 'poll: POLLIN (a notification queued)', '§2 U21'),
  c('poll.out', 'poll: POLLOUT (a notification received)', '§2 U21'),
  c('poll.hup', 'poll: POLLHUP (the filter has no users)', '§2 U21'),
  c('release.enosys', 'the listener\'s last descriptor released: a pending call answered ENOSYS', '§3 U22, U23'),
  c('return.blocked', 'an op aimed at a blocked thread (not run)', '§3 U24'),
  c('self-escape', 'a supervisor lets a call proceed that another layer delegated elsewhere or denied', '§5 U36–U39; §12'),
];

export function detectNotify(step: TraceStep, hits: Hits): void {
  const { op, before, after, out } = step;
  if (before.notifs === null && after.notifs === null) return;
  const r = out.result;
  const grew = (after.notifs?.list.length ?? 0) > (before.notifs?.list.length ?? 0) && after.notifs!.nextSeq !== before.notifs?.nextSeq;
  if (grew && op.op === 'probe') hits.hit('notify.blocked');
  if (r.kind === 'invalid' && / is blocked in a notified call/.test(r.reason)) hits.hit('notify.return.blocked');
  switch (op.op) {
    case 'notif_recv':
      if (r.kind === 'ok') hits.hit('notify.recv');
      else if (r.kind === 'err' && r.errno === ERRNO.ENOENT) hits.hit('notify.recv.enoent');
      else if (r.kind === 'invalid' && /would block/.test(r.reason)) hits.hit('notify.recv.would-block');
      break;
    case 'notif_id_valid':
      if (r.kind === 'ok') hits.hit('notify.id_valid.sent');
      else if (r.kind === 'err' && r.errno === ERRNO.ENOENT) hits.hit('notify.id_valid.enoent');
      break;
    case 'notif_send':
      if (r.kind === 'ok') hits.hit((op.flags & 1) !== 0 ? 'notify.send.continue' : op.error !== 0 ? 'notify.send.error' : 'notify.send.value');
      else if (r.kind === 'err' && r.errno === ERRNO.EINVAL) hits.hit('notify.send.einval');
      else if (r.kind === 'err' && r.errno === ERRNO.ENOENT) hits.hit('notify.send.enoent');
      else if (r.kind === 'invalid' && /not received/.test(r.reason)) hits.hit('notify.send.unreceived');
      break;
    case 'notif_addfd':
      if (r.kind === 'ok') hits.hit((op.flags & 2) !== 0 ? 'notify.addfd.send' : 'notify.addfd');
      break;
    case 'notif_set_flags':
      if (r.kind === 'err' && r.errno === ERRNO.EINVAL) hits.hit('notify.set_flags.einval');
      break;
    case 'notif_sizes':
      if (r.kind === 'ok') hits.hit('notify.sizes');
      break;
    case 'notif_poll':
      if (r.kind === 'ok') {
        if (r.ret & POLLIN) hits.hit('notify.poll.in');
        if (r.ret & POLLOUT) hits.hit('notify.poll.out');
        if (r.ret & POLLHUP) hits.hit('notify.poll.hup');
      }
      break;
    case 'notif_return':
      if (r.kind === 'err' && r.errno === ERRNO.ENOSYS) hits.hit('notify.release.enosys');
      break;
    default:
      break;
  }
  if ((op.op === 'notif_send' || op.op === 'notif_addfd') && delegationBreach(step)) hits.hit('notify.self-escape');
}
