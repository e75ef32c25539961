// The one error a scenario reader or writer raises: typed, and printable as ONE line that names
// the file and the offending field (`scenario.json: /ops/3/task: must be integer`).

export type ScenarioErrorKind =
  /** The file could not be read or written. */
  | 'io'
  /** Not JSON. */
  | 'syntax'
  /** Not a strata scenario, or a version this strata does not read. */
  | 'version'
  /** JSON, but not a well-formed scenario document (schema or cross-field check). */
  | 'schema'
  /** Larger than strata reads (scenario/limits.ts). */
  | 'size';

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    readonly kind: ScenarioErrorKind,
    /** The file name (or a label such as `<stdin>`) the document came from. */
    readonly source: string,
    /** JSON pointer of the offending field ('' for the document itself). */
    readonly pointer: string,
    /** What is wrong, lower-case, no trailing period. */
    readonly detail: string,
  ) {
    super(formatScenarioError(source, pointer, detail));
  }
}

/** `source: /pointer: detail`, or `source: detail` when the pointer is the whole document. */
export function formatScenarioError(source: string, pointer: string, detail: string): string {
  return pointer === '' ? `${source}: ${detail}` : `${source}: ${pointer}: ${detail}`;
}

export function isScenarioError(e: unknown): e is ScenarioError {
  return e instanceof ScenarioError;
}
