// Named exit codes (k6 names its own; ours are few), and the one rule that turns a command's runs
// into one of them. A CI gate reads them: 0 and 1 are promises about the system under test; 3 and
// 4 say the harness could not keep its own side of the bargain; 128 + n says the command was
// stopped by signal n before it finished what it was asked to do.
import type { RunResult } from '../result/result.ts'

export const EXIT = {
  /** Every check passed (for `tour`: every run matched its expected outcome). */
  OK: 0,
  /** A check failed (or a run did not match its expectation, or an abortOnFail threshold stopped it): the system broke, with examples. */
  CHECK_FAILED: 1,
  /** Bad usage or configuration: one line says which flag or field and what is allowed. */
  USAGE: 2,
  /** No check failed, but the harness could not judge one (it could not drive the offered load); the run says why. */
  INCONCLUSIVE: 3,
  /** The run reached a bound of its own (--time-limit, the operation cap) before it finished; its partial result says which. */
  BOUND_REACHED: 4,
  /** Stopped by SIGHUP; a partial result was written and marked interrupted. */
  HANGUP: 129,
  /** Stopped by Ctrl-C (SIGINT); a partial result was written and marked interrupted. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM (CI cancellation, `timeout`); a partial result was written and marked interrupted. */
  TERMINATED: 143,
} as const

/** The signals every long-running command stops on, cleanly (see stop-signals.ts). */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
export type StopSignal = (typeof STOP_SIGNALS)[number]

/** 128 + the signal's number, as a shell reports a process a signal ended. */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: EXIT.INTERRUPTED, SIGTERM: EXIT.TERMINATED, SIGHUP: EXIT.HANGUP }

export function isStopSignal(name: string): name is StopSignal {
  return (STOP_SIGNALS as readonly string[]).includes(name)
}

/** What the exit code reads of a run. */
export type JudgedRun = Pick<RunResult, 'verdict' | 'stoppedBy'>

/**
 * The exit code of a command's runs, the one place that decides it. Highest first:
 *
 * 1. a stop signal the command received (129 SIGHUP, 130 SIGINT, 143 SIGTERM): the command did
 *    not finish what it was asked; whatever ran was written, marked interrupted, with its verdicts.
 *    A shell and CI read 128 + n as "stopped", not as a verdict on the system, and a script that
 *    runs several commands must be able to stop on it. The first signal names the code.
 * 2. 1, a check failed in any run (or an abortOnFail threshold stopped one): a broken invariant is
 *    a broken invariant, however far the run got, so it outranks every harness-side code below.
 * 3. 4, a run reached a bound of its own (--time-limit, the operation cap): no check failed in
 *    what ran, but the scenario did not run to its end, so a pass would be a promise not kept.
 * 4. 3, a run could not be judged in full (inconclusive; a k6 output that does not cover the test).
 * 5. 0.
 */
export function exitForRuns(runs: readonly JudgedRun[], signal?: StopSignal): number {
  if (signal !== undefined) return SIGNAL_EXIT[signal]
  // A run a signal stopped (e.g. in another thread) speaks for the signal the command missed.
  const stopped = runs.find((run) => run.stoppedBy?.kind === 'signal')?.stoppedBy?.detail
  if (stopped !== undefined) return isStopSignal(stopped) ? SIGNAL_EXIT[stopped] : EXIT.INTERRUPTED
  if (runs.some((run) => run.verdict === 'fail' || run.stoppedBy?.kind === 'abort-on-fail')) return EXIT.CHECK_FAILED
  if (runs.some((run) => run.stoppedBy?.kind === 'time-limit' || run.stoppedBy?.kind === 'operation-cap')) return EXIT.BOUND_REACHED
  if (runs.some((run) => run.verdict === 'inconclusive' || run.stoppedBy?.kind === 'incomplete-output')) return EXIT.INCONCLUSIVE
  return EXIT.OK
}
