// Exit statuses and the error that means "the user asked for something we cannot do" (exit 2).

export const EXIT = {
  /** Every result matched (check), the replay reproduced the recording (replay). */
  OK: 0,
  /** An unexpected result (check), a replay that differs from its recording. */
  FAIL: 1,
  /** Bad usage: unknown flag, missing value, bad number, unknown id, unreadable scenario. */
  USAGE: 2,
  /** A bug in strata: an exception nobody expected. */
  INTERNAL: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad input: printed as one line `strata <command>: <message>`, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
