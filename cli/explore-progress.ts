// The progress line of a long `strata explore`, on stderr, as check's (cli/progress.ts): nothing
// for the first ~2 s; then on a terminal one line rewritten in place; elsewhere a line per
// finished depth and variant and, within a long depth, one at least every PROGRESS_LINE_EVERY_MS.
// It never mentions violations: their files are written before anything about them is printed.
import type { ExploreEvent } from '../explore/engine.js';
import type { Io } from './io.js';
import { PROGRESS_AFTER_MS, PROGRESS_LINE_EVERY_MS } from './progress.js';

export class ExploreProgress {
  private readonly t0: number;
  private lastLine: number;
  private shown = false;
  private index = 0;
  constructor(private readonly io: Io, private readonly total: number, private readonly depth: number) {
    this.t0 = io.now();
    this.lastLine = this.t0;
  }

  readonly onEvent = (e: ExploreEvent): void => {
    if (e.type === 'variant-start') this.index = e.index;
    if (e.type === 'found' || e.type === 'crash') return;
    const now = this.io.now();
    const elapsed = now - this.t0;
    if (elapsed < PROGRESS_AFTER_MS) return;
    const s = `${(elapsed / 1000).toFixed(1)} s`;
    const at = `strata explore: [${this.index + 1}/${this.total}]`;
    let text: string;
    let line = false;
    switch (e.type) {
      case 'variant-start':
        text = `${at} ${e.variant} … ${s}`;
        break;
      case 'tick':
        text = `${at} ${e.variant} depth ${e.depth}/${this.depth} … ${e.worlds} worlds, ${e.transitions} transitions, ${s}`;
        line = now - this.lastLine >= PROGRESS_LINE_EVERY_MS;
        break;
      case 'depth-done':
        text = `${at} ${e.variant} depth ${e.depth}/${this.depth} done: ${e.worlds} worlds, ${e.transitions} transitions, ${s}`;
        line = true;
        break;
      case 'variant-done':
        text = `strata explore: ${e.variant} done (depth ${e.summary.depthCompleted}, ${e.summary.worlds} worlds${e.summary.interrupted ? ', stopped' : ''}) ${s}`;
        line = true;
        break;
    }
    if (this.io.status) this.io.status(text);
    else if (line) {
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

  done(): void {
    if (this.shown && this.io.status) this.io.status('');
  }
}
