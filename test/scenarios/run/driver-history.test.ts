// The http driver's history: a long run's attempts spill to a file but for a few chunks, so the
// driver's memory does not grow with the run, and answers that arrive out of order (many attempts
// in flight) still land on their attempts; a short run keeps its attempts in memory.
import { describe, expect, it } from 'vitest'
import { History, Outcome } from '../../../sim/history.ts'
import { BYTES_PER_ATTEMPT } from '../../../sim/history-columns.ts'
import { OpKind } from '../../../sim/operation.ts'
import { driverHistory, HTTP_CHUNK_ROWS, HTTP_SPILL_MIN_ATTEMPTS } from '../../../scenarios/run/http/driver-history.ts'

/** Attempts in flight at once: each is answered this many attempts after it was sent. */
const IN_FLIGHT = 5000
/** Chunks a spilled history keeps in memory (the history's default). */
const RESIDENT_CHUNKS = 8

/** Send `attempts` attempts, each answered IN_FLIGHT attempts later (the last ones at the end). */
function drive(history: History, attempts: number): void {
  const answer = (row: number): void => history.ok(row, row + 40, 40)
  for (let row = 0; row < attempts; row++) {
    history.invoke({ kind: OpKind.Like, opId: row, user: row % 1000, video: row % 97, process: row % 64, region: row % 4, attempt: 1, invokeMs: row, failover: false })
    if (row >= IN_FLIGHT) answer(row - IN_FLIGHT)
  }
  for (let row = Math.max(0, attempts - IN_FLIGHT); row < attempts; row++) answer(row)
}

describe("the http driver's history", () => {
  it('spills a long run: memory stays at its resident chunks, and every answer lands on its attempt', () => {
    const attempts = 2 * HTTP_SPILL_MIN_ATTEMPTS
    const history = driverHistory({ expectedAttempts: attempts })
    try {
      drive(history, attempts)
      expect(history.length).toBe(attempts)
      expect(history.residentBytes).toBe(RESIDENT_CHUNKS * HTTP_CHUNK_ROWS * BYTES_PER_ATTEMPT)
      let wrong = 0
      for (let row = 0; row < attempts; row++) if (history.outcomeOf(row) !== Outcome.Ok || history.completeMsOf(row) !== row + 40 || history.opIdOf(row) !== row) wrong++
      expect(wrong).toBe(0)
    } finally {
      history.close()
    }
  })

  it('keeps a short run in memory', () => {
    const history = driverHistory({ expectedAttempts: HTTP_SPILL_MIN_ATTEMPTS / 10 })
    drive(history, 30_000)
    expect(history.residentBytes).toBeGreaterThanOrEqual(30_000 * BYTES_PER_ATTEMPT)
  })
})
