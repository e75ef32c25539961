// What the live kernel did for one op, in the words resultWords (result-words.ts) uses for the
// model's results, so the two read side by side: errnos by name, new tids and fds, and the
// kernel-only kinds (skipped, timed out, not run, executor error) said plainly.
import type { Op } from '../model/ops.js';
import type { KernelDeath, KernelOpResult, KernelOutcome } from '../scenario/kernel-result.js';
import { errnoName } from '../model/errno.js';
import { resultWords } from './result-words.js';

/** `returned 4242`, `EACCES`, `trap(si_errno 7) on syscall 39`, `process killed (SIGSYS)`… */
export function kernelOutcomeWords(o: KernelOutcome): string {
  switch (o.kind) {
    case 'returned': return `returned ${o.ret}`;
    case 'errno': return errnoName(o.errno);
    case 'trap': return `trap(si_errno ${o.data}) on syscall ${o.nr}`;
    case 'kill_thread': return 'thread killed';
    case 'kill_process': return `process killed${o.signal ? ` (${o.signal})` : ''}${o.alone ? ', its only thread' : ''}`;
    case 'notify': return `notify(listener ${o.listener}), answered ${errnoName(o.errno)}`;
  }
}

function deathWords(d: KernelDeath): string {
  return [d.scope, ...(d.signal ? [d.signal] : []), ...(d.exitCode !== undefined ? [`exit ${d.exitCode}`] : []), ...(d.alone ? ['its only thread'] : [])].join(', ');
}

/** One kernel result in words. */
export function kernelResultWords(op: Op, r: KernelOpResult): string {
  switch (r.kind) {
    case 'ok': case 'err': {
      const words = resultWords(op, r.kind === 'ok' ? { kind: 'ok', ret: r.ret } : { kind: 'err', errno: r.errno });
      return r.thenKilled ? `${words}, then killed (${deathWords(r.thenKilled)}) at its next syscall (the executor's reply) by the filter it installed` : words;
    }
    case 'tsync_fail': case 'invalid':
      return resultWords(op, r);
    case 'probe': return kernelOutcomeWords(r.outcome);
    case 'killed': return `killed (${deathWords(r)}) before the call ran`;
    case 'stopped': return `stopped by seccomp before it ran: ${kernelOutcomeWords(r.outcome)}`;
    case 'observe': {
      const s = r.state;
      const layers = s.landlockLayers === null ? `unknown (${s.landlockError ?? 'no reason given'})` : String(s.landlockLayers);
      return `Seccomp ${s.seccompMode}, Seccomp_filters ${s.filterCount}, NoNewPrivs ${s.nnp ? 1 : 0}, Landlock layers ${layers}`;
    }
    case 'skip': return `SKIPPED: ${r.reason}`;
    case 'timeout': return `TIMED OUT after ${r.ms} ms (${r.scope})`;
    case 'not_run': return `not run: ${r.reason}`;
    case 'error': return `executor error: ${r.message}`;
  }
}
