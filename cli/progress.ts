// The progress line of a long check, on stderr: nothing for the first ~2 s; then on a terminal
// one line rewritten in place (each variant's start, and a tick about every second while it
// runs); elsewhere a line per finished variant and, while a variant runs, a line at least every
// PROGRESS_LINE_EVERY_MS, so a log never goes quiet for more than 10 s. It never mentions
// violations: their files are written before anything about them is printed.
import type { ProgressEvent } from '../properties/check.js';
import type { Io } from './io.js';

/** Runs shorter than this print no progress at all. */
export const PROGRESS_AFTER_MS = 2000;
/** Off a terminal, a running variant prints a line once this long has passed since the last one
 * (the engine ticks about every second, so the gap stays under 10 s). */
export const PROGRESS_LINE_EVERY_MS = 5000;

export class Progress {
  private readonly t0: number;
  private lastLine: number;
  private shown = false;
  constructor(private readonly io: Io, private readonly total: number) {
    this.t0 = io.now();
    this.lastLine = this.t0;
  }

  readonly onEvent = (e: ProgressEvent): void => {
    if (e.type !== 'variant-start' && e.type !== 'variant-done' && e.type !== 'tick') return;
    const now = this.io.now();
    const elapsed = now - this.t0;
    if (elapsed < PROGRESS_AFTER_MS) return;
    const s = `${(elapsed / 1000).toFixed(1)} s`;
    const text = e.type === 'variant-start'
      ? `strata check: [${e.index + 1}/${this.total}] ${e.variant} … ${s}`
      : e.type === 'tick'
        ? `strata check: [${e.index + 1}/${this.total}] ${e.variant} … ${e.scenarios} scenarios${e.shrinking ? ', shrinking' : ''}, ${s}`
        : `strata check: ${e.variant} done (${e.scenarios} scenarios${e.interrupted ? ', interrupted' : ''}) ${s}`;
    if (this.io.status) this.io.status(text);
    else if (e.type === 'variant-done' || (e.type === 'tick' && now - this.lastLine >= PROGRESS_LINE_EVERY_MS)) {
      this.io.err(text);
      this.lastLine = now;
    }
    this.shown = true;
  };

  /** A diagnostic line on stderr, after clearing the in-place line if one is shown. */
  readonly say = (line: string): void => {
    if (this.shown && this.io.status) this.io.status('');
    this.io.err(line);
  };

  /** Clear the in-place line before the report starts. */
  done(): void {
    if (this.shown && this.io.status) this.io.status('');
  }
}
