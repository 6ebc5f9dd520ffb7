// Named exit codes (k6 names its own; ours are few).
export const EXIT = {
  /** Every check passed (for `tour`: every run matched its expected outcome). */
  OK: 0,
  /** A check failed (or a run did not match its expectation). */
  CHECK_FAILED: 1,
  /** Bad usage or configuration: one line says which flag or field and what is allowed. */
  USAGE: 2,
  /** Stopped by Ctrl-C; partial results were written and marked interrupted. */
  INTERRUPTED: 130,
} as const
