// Named exit codes (k6 names its own; ours are few). A CI gate reads them: 0 and 1 are promises
// about the system under test; 3 and 4 say the harness could not keep its own side of the bargain.
import type { RunVerdict } from '../scenarios/run/result.ts'

export const EXIT = {
  /** Every check passed (for `tour`: every run matched its expected outcome). */
  OK: 0,
  /** A check failed (or a run did not match its expectation): the system broke, with examples. */
  CHECK_FAILED: 1,
  /** Bad usage or configuration: one line says which flag or field and what is allowed. */
  USAGE: 2,
  /** No check failed, but the harness could not judge one (it could not drive the offered load); the run says why. */
  INCONCLUSIVE: 3,
  /** The run reached a bound of its own (--duration-max, the operation cap) before it finished; its partial result says which. */
  BOUND_REACHED: 4,
  /** Stopped by SIGHUP; a partial result was written and marked interrupted. */
  HANGUP: 129,
  /** Stopped by Ctrl-C (SIGINT); a partial result was written and marked interrupted. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM (CI cancellation, `timeout`); a partial result was written and marked interrupted. */
  TERMINATED: 143,
} as const

/** The exit code of a set of finished runs: a failure first, then an inconclusive run, else 0. */
export function exitForVerdicts(verdicts: readonly RunVerdict[]): number {
  if (verdicts.includes('fail')) return EXIT.CHECK_FAILED
  return verdicts.includes('inconclusive') ? EXIT.INCONCLUSIVE : EXIT.OK
}
