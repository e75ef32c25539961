// One step's result in words: errnos by name, new tids and fds named for what they are.
import type { Op } from '../model/ops.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';
import type { OpResult } from '../model/result.js';
import type { SeccompVerdict } from '../model/outcome.js';
import { errnoName } from '../model/errno.js';
import { outcomeWords } from './names.js';

/** `ok, child t102`, `EPERM`, `TSYNC failed: thread t102 does not descend from the caller's filter`… */
export function resultWords(op: Op, r: OpResult): string {
  switch (r.kind) {
    case 'ok': return `ok${okDetail(op, r.ret)}`;
    case 'err': return errnoName(r.errno);
    case 'tsync_fail': return `TSYNC refused: returned t${r.tid}, a sibling thread whose filters are not ancestors of the caller's`;
    case 'probe': {
      const by = verdictWords(r.probe.seccomp);
      return `${outcomeWords(r.probe.outcome)}${by}`;
    }
    case 'killed': return `killed (${r.scope}, ${r.signal}) before the call ran`;
    case 'stopped': return `stopped by seccomp before it ran: ${r.outcome.kind === 'errno' && r.outcome.errno !== 0 ? errnoName(r.outcome.errno) : outcomeWords(r.outcome)}`;
    case 'observe': {
      const s = r.state;
      return `Seccomp ${s.seccompMode}, Seccomp_filters ${s.filterCount}, NoNewPrivs ${s.nnp ? 1 : 0}, Landlock layers ${s.landlockLayers}`;
    }
    case 'invalid': return `invalid: ${r.reason}`;
  }
}

function okDetail(op: Op, ret: number): string {
  switch (op.op) {
    case 'fork': return `, child t${ret}`;
    case 'thread': return `, thread t${ret}`;
    case 'ruleset_create': case 'ruleset_supervisee': return `, ruleset fd ${ret}`;
    case 'send_fd': return `, arrives as fd ${ret}`;
    case 'map_create': return `, map fd ${ret}`;
    case 'seccomp_filter': return ret > 0 ? `, ${(op.flags & SECCOMP_FILTER_FLAG.NEW_LISTENER) !== 0 ? 'listener' : 'layer handle'} fd ${ret}` : '';
    case 'restrict_self': return ret > 0 ? `, layer handle fd ${ret}` : '';
    default: return ret !== 0 ? `, returns ${ret}` : '';
  }
}

/** ` — seccomp errno from layer 2` (empty when seccomp allowed the call or the task is unfiltered). */
function verdictWords(v: SeccompVerdict | null): string {
  if (!v || v.action === 'allow') return '';
  return ` — seccomp ${v.action} ${v.layer === null ? 'in strict mode' : `from layer ${v.layer}`}`;
}
