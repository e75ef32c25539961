// Where report lines go. Library code never writes to the console: it appends to an array or
// calls a writer the caller supplies (the CLI passes one that writes to stdout).

/** A line collector (`string[]`) or a writer called once per line (without a newline). */
export type Sink = string[] | ((line: string) => void);

/** Write one line (or several, split on newlines) to a sink. */
export function emit(sink: Sink, line: string): void {
  for (const l of line.split('\n')) {
    if (Array.isArray(sink)) sink.push(l);
    else sink(l);
  }
}

/** Render with `f` into a fresh array and return the text (lines joined, trailing newline). */
export function renderToString(f: (sink: Sink) => void): string {
  const lines: string[] = [];
  f(lines);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
