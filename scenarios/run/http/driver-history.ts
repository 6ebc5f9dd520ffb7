// The http driver's history. A long run's attempts go to a temporary file (history-spill.ts) but
// for a few chunks in memory, as in mode sim, so the driver's memory stays flat however long the
// run: what it holds is its sockets, its VUs and the world, not the operations it has sent.
// Unlike mode sim, answers arrive out of order: an answer is written to its attempt's row
// whenever it comes, and a row whose chunk already left memory is read back (slower, never
// wrong). The resident chunks cover far more attempts than are in flight at once at any rate the
// driver sends (a VU has one request out; every request ends by the client's timeout).
import { History } from '../../../sim/history.ts'
import { SpillFile } from '../history-spill.ts'

/**
 * From about this many attempts the driver's history spills: below it the attempts cost at most
 * ~8 MB, and a short run (every test) keeps them all in memory.
 */
export const HTTP_SPILL_MIN_ATTEMPTS = 100_000

/**
 * Rows per chunk of a spilled driver history: 16,384 attempts (1.3 MB). Smaller than mode sim's
 * chunks, so that the resident set (8 chunks, ~10 MB, ~131,000 attempts) is small beside the
 * driver's own memory and is full within the first minute of a modest run.
 */
export const HTTP_CHUNK_ROWS = 1 << 14

export interface DriverHistoryOptions {
  /** About how many attempts the run will record. */
  readonly expectedAttempts: number
  /** Spill whatever the size (a test); by default only from HTTP_SPILL_MIN_ATTEMPTS. */
  readonly spill?: boolean
  readonly chunkRows?: number
}

export function driverHistory({ expectedAttempts, spill, chunkRows = HTTP_CHUNK_ROWS }: DriverHistoryOptions): History {
  if (!(spill ?? expectedAttempts >= HTTP_SPILL_MIN_ATTEMPTS)) return new History()
  const file = new SpillFile()
  const history = new History({ capacity: chunkRows, store: file })
  // The history outlives the driver (the checks and reports read it): the file goes with it.
  file.releaseWith(history)
  return history
}
