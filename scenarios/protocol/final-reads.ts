// The final phase's client decisions (Jepsen's final generator), one value each for every mode:
// how many times a final read is tried and how long to wait between tries, how many notifications
// an inbox read asks for, how many pages a liked list may take, and when the convergence probes
// stop. Mode sim, mode http and the k6 script read these; only the pacing is theirs.
import type { FailureKind } from '../../sim/failure-kind.ts'
import { isFinalRefusal } from './answer-kind.ts'

/** Tries of one final read (a video's counts, a page of a liked list, an inbox). */
export const FINAL_READ_ATTEMPTS = 4
/** Wait before the second try; doubled before each further one. */
export const FINAL_READ_BACKOFF_BASE_MS = 50
/** Pages of one liked list at most (a bound on a list the server keeps paging). */
export const FINAL_LIST_PAGES_MAX = 10_000
/** Liked videos per page (the API's largest page). */
export const FINAL_LIST_PAGE_LIMIT = 1000

/** How a final read's try ended: its kind, and whether an ok answer was usable (fresh, well formed). */
export interface FinalReadTry {
  readonly kind: FailureKind
  readonly usable: boolean
  /** 1 for the first try. */
  readonly attempt: number
}

export type FinalReadDecision = { readonly next: 'done' } | { readonly next: 'give-up' } | { readonly next: 'retry'; readonly delayMs: number }

const DONE: FinalReadDecision = { next: 'done' }
const GIVE_UP: FinalReadDecision = { next: 'give-up' }

/** After one try of a final read: done with a usable answer, give up, or try again after a backoff. */
export function afterFinalRead(read: FinalReadTry): FinalReadDecision {
  if (read.usable) return DONE
  // A definite refusal of the request itself (unknown id, bad request) will not change on a retry.
  if (isFinalRefusal(read.kind) || read.attempt >= FINAL_READ_ATTEMPTS) return GIVE_UP
  return { next: 'retry', delayMs: FINAL_READ_BACKOFF_BASE_MS * 2 ** (read.attempt - 1) }
}

/**
 * Whether to probe convergence again after a probe at `atMs`: until every region caught up, while
 * the probe was taken before the deadline (fromMs + deadlineMs; a probe at the deadline is the last).
 */
export function probeAgain({ atMs, fromMs, deadlineMs, caughtUp }: { atMs: number; fromMs: number; deadlineMs: number; caughtUp: boolean }): boolean {
  return !caughtUp && atMs < fromMs + deadlineMs
}
