// What a command may touch of the outside world, passed in (tests give fakes): two line writers,
// the working directory, whether stderr is a terminal (for the progress line), and a clock.

export interface Io {
  /** One line of the report (stdout). */
  readonly out: (line: string) => void;
  /** One line of diagnostics (stderr). */
  readonly err: (line: string) => void;
  /** Rewrite the progress line in place (stderr); `''` clears it. Undefined: not a terminal. */
  readonly status?: (text: string) => void;
  readonly cwd: string;
  readonly now: () => number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Tests: `strata check` runs its engine on this thread with `now` as its clock (no worker
   * thread, so no interrupt handling while it runs). */
  readonly inProcessEngine?: boolean;
}

/** The process's own streams. */
export function processIo(): Io {
  const tty = process.stderr.isTTY === true;
  let shown = 0;
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    ...(tty
      ? {
          status: (text: string) => {
            const pad = shown > text.length ? ' '.repeat(shown - text.length) : '';
            process.stderr.write(`\r${text}${pad}${text === '' ? '\r' : ''}`);
            shown = text.length;
          },
        }
      : {}),
    cwd: process.cwd(),
    now: () => Date.now(),
    env: process.env,
  };
}
