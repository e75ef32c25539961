// The progress line of a long check, on stderr: nothing for the first ~2 s, then one line per
// variant (rewritten in place on a terminal). It never mentions violations: their files are
// written before anything about them is printed.
import type { ProgressEvent } from '../properties/check.js';
import type { Io } from './io.js';

/** Runs shorter than this print no progress at all. */
export const PROGRESS_AFTER_MS = 2000;

export class Progress {
  private readonly t0: number;
  private shown = false;
  constructor(private readonly io: Io, private readonly total: number) {
    this.t0 = io.now();
  }

  readonly onEvent = (e: ProgressEvent): void => {
    if (e.type !== 'variant-start' && e.type !== 'variant-done') return;
    const elapsed = this.io.now() - this.t0;
    if (elapsed < PROGRESS_AFTER_MS) return;
    const text = e.type === 'variant-start'
      ? `strata check: [${e.index + 1}/${this.total}] ${e.variant} … ${(elapsed / 1000).toFixed(1)} s`
      : `strata check: ${e.variant} done (${e.scenarios} scenarios${e.interrupted ? ', interrupted' : ''}) ${(elapsed / 1000).toFixed(1)} s`;
    if (this.io.status) this.io.status(text);
    else if (e.type === 'variant-done') this.io.err(text);
    this.shown = true;
  };

  /** Clear the in-place line before the report starts. */
  done(): void {
    if (this.shown && this.io.status) this.io.status('');
  }
}
