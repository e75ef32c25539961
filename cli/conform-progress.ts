// The progress line of a long `strata conform`, on stderr: the scenarios run so far and the
// tallies, rewritten in place on a terminal (after ~2 s, at most 4 times a second) or, elsewhere,
// one line every 10 s. Shrinking is shown too; a discrepancy's file is
// written before anything about it is printed.
import type { ConformEvent } from '../conformance/conform.js';
import type { Io } from './io.js';
import { PROGRESS_AFTER_MS } from './progress.js';

const TTY_EVERY_MS = 250;
const LOG_EVERY_MS = 10_000;

export class ConformProgress {
  private readonly t0: number;
  private last = 0;
  private shown = false;
  private unexplained = 0;
  private explained = 0;
  constructor(private readonly io: Io) {
    this.t0 = io.now();
  }

  readonly onEvent = (e: ConformEvent): void => {
    const now = this.io.now();
    const elapsed = now - this.t0;
    let text: string | null = null;
    if (e.type === 'scenario') {
      this.unexplained = e.unexplained;
      this.explained = e.explained;
      text = `strata conform: ${e.scenarios}/${e.runs} scenarios · ${this.unexplained} unexplained · ${this.explained} explained · ${(elapsed / 1000).toFixed(1)} s`;
    } else if (e.type === 'shrinking') {
      text = `strata conform: shrinking the discrepancy of scenario ${e.run}: ${e.ops} ops, ${e.kernelRuns} kernel runs · ${(elapsed / 1000).toFixed(1)} s`;
    }
    if (text === null || elapsed < PROGRESS_AFTER_MS) return;
    if (this.io.status) {
      if (now - this.last < TTY_EVERY_MS) return;
      this.io.status(text);
    } else {
      if (now - Math.max(this.last, this.t0) < LOG_EVERY_MS) return;
      this.io.err(text);
    }
    this.last = now;
    this.shown = true;
  };

  /** Clear the in-place line before the report starts. */
  done(): void {
    if (this.shown && this.io.status) this.io.status('');
  }
}
