// Interrupts of a long command: SIGINT (Ctrl-C), SIGTERM and SIGHUP (what CI cancellation and a
// closed terminal send). While a command watches, the first such signal is handed to it (it stops
// its work, kills its children and prints the partial report) and the command then exits with
// 128 + the signal's number, the shell's convention: 130 SIGINT, 143 SIGTERM, 129 SIGHUP. A
// second signal while the partial report is being made exits at once with that status.
//
// The conformance executor is in strata's process group: Ctrl-C or a cancelled CI job signals it
// too, and its death may reach Node before Node's own signal does (signals to a multi-threaded
// process arrive in no fixed order). An executor that died of one of these signals is therefore
// taken as the interrupt itself (interruptOnExecutorSignal).
import { constants } from 'node:os';
import type { Op } from '../model/ops.js';
import type { KernelFeatures, KernelTrace } from '../conformance/result.js';
import type { KernelRunOptions, KernelWorld } from '../conformance/runner.js';
import type { KernelTarget } from '../conformance/conform.js';

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

/** The exit status of a command interrupted by `signal`: 128 + its number. */
export function interruptStatus(signal: InterruptSignal): number {
  return 128 + constants.signals[signal];
}

export interface InterruptWatch {
  /** The first signal received, or null. */
  readonly signal: InterruptSignal | null;
  /** Aborted with the signal's name on the first signal. */
  readonly abort: AbortSignal;
  /** Act as if `signal` had been received (the first time only). */
  trigger(signal: InterruptSignal): void;
  /** Stop watching (restores the default handling). */
  dispose(): void;
}

/**
 * Watch for interrupts until dispose(). `onFirst` runs on the first signal (it should only start
 * stopping the work; the command reports and returns). `onSecond` runs, synchronously, on a
 * further signal, just before the process exits with the second signal's status.
 */
export function watchInterrupts(onFirst: (signal: InterruptSignal) => void, onSecond: () => void = () => undefined): InterruptWatch {
  const controller = new AbortController();
  let first: InterruptSignal | null = null;
  const handlers = new Map<InterruptSignal, () => void>();
  const interrupt = (sig: InterruptSignal): void => {
    first = sig;
    controller.abort(sig);
    onFirst(sig);
  };
  for (const sig of INTERRUPT_SIGNALS) {
    const h = (): void => {
      if (first !== null) {
        onSecond();
        process.exit(interruptStatus(sig));
      }
      interrupt(sig);
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
  return {
    get signal() {
      return first;
    },
    abort: controller.signal,
    trigger(sig) {
      if (first === null) interrupt(sig);
    },
    dispose() {
      for (const [sig, h] of handlers) process.off(sig, h);
    },
  };
}

function isInterruptSignal(s: string | undefined): s is InterruptSignal {
  return (INTERRUPT_SIGNALS as readonly string[]).includes(s ?? '');
}

/** `target`, except that a kernel run whose executor died of SIGINT, SIGTERM or SIGHUP triggers
 * the interrupt on `watch` before the run's trace is returned. */
export function interruptOnExecutorSignal(target: KernelTarget, watch: InterruptWatch): KernelTarget {
  return {
    features: (): Promise<KernelFeatures> => target.features(),
    async run(ops: readonly Op[], world?: KernelWorld, options?: KernelRunOptions): Promise<KernelTrace> {
      const t = await target.run(ops, world, options);
      if (t.status === 'executor_failed' && isInterruptSignal(t.executorSignal)) watch.trigger(t.executorSignal);
      return t;
    },
  };
}
