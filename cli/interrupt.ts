// Interrupts of a long command: SIGINT (Ctrl-C), SIGTERM and SIGHUP (what CI cancellation and a
// closed terminal send). While a command watches, the first such signal is handed to it (it stops
// its work, kills its children and prints the partial report) and the command then exits with
// 128 + the signal's number, the shell's convention: 130 SIGINT, 143 SIGTERM, 129 SIGHUP. A
// second signal while the partial report is being made exits at once with that status.
import { constants } from 'node:os';

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
  for (const sig of INTERRUPT_SIGNALS) {
    const h = (): void => {
      if (first !== null) {
        onSecond();
        process.exit(interruptStatus(sig));
      }
      first = sig;
      controller.abort(sig);
      onFirst(sig);
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
  return {
    get signal() {
      return first;
    },
    abort: controller.signal,
    dispose() {
      for (const [sig, h] of handlers) process.off(sig, h);
    },
  };
}
