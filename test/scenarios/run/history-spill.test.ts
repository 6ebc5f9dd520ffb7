// A history spilled to a file: every attempt reads back as written, whatever order it is read and
// written in, while only a few chunks stay in memory.
import { describe, expect, it } from 'vitest'
import { FailureKind } from '../../../sim/failure-kind.ts'
import { History, Outcome } from '../../../sim/history.ts'
import { OpKind } from '../../../sim/operation.ts'
import { SpillFile } from '../../../scenarios/run/history-spill.ts'

const ROWS = 20_000

function record(history: History, row: number): void {
  const i = history.invoke({ kind: (row % 5) as OpKind, opId: row, user: row * 3, video: row % 977, process: row % 64, region: row % 4, attempt: 1 + (row % 3), invokeMs: row * 1.5, failover: row % 7 === 0 })
  if (row % 11 === 0) history.indeterminate(i, row * 1.5 + 4000, FailureKind.Timeout, 'timeout')
  else if (row % 13 === 0) history.fail(i, row * 1.5 + 2, 2, FailureKind.Shed, `CODE_${row % 3}`)
  else history.ok(i, row * 1.5 + 25, 25)
  if (row % 5 === OpKind.ReadVideo) history.counts(i, { likeCount: row % 100, viewCount: row % 1000, uniqueViewers: row % 90, stale: row % 2 === 0, asOfMs: row })
}

/** Whether the row reads back as record() wrote it (counted, not expected one by one: an expect per field is slow). */
function readsBack(history: History, row: number): boolean {
  const outcome = row % 11 === 0 ? Outcome.Indeterminate : row % 13 === 0 ? Outcome.Fail : Outcome.Ok
  return (
    history.opIdOf(row) === row &&
    history.userOf(row) === row * 3 &&
    history.invokeMsOf(row) === row * 1.5 &&
    history.isFailover(row) === (row % 7 === 0) &&
    history.outcomeOf(row) === outcome &&
    (outcome !== Outcome.Fail || history.errorCode(row) === `CODE_${row % 3}`) &&
    history.likeCountOf(row) === (row % 5 === OpKind.ReadVideo ? row % 100 : -1)
  )
}

/** Rows from..to (by step) that do not read back. */
function wrongRows(history: History, { from, to, step }: { from: number; to: number; step: number }): number[] {
  const wrong: number[] = []
  for (let row = from; step > 0 ? row < to : row > to; row += step) if (!readsBack(history, row)) wrong.push(row)
  return wrong
}

describe('a history spilled to a file', () => {
  it('reads every attempt back as written, in order and out of it, with a bounded number of chunks in memory', () => {
    const history = new History({ capacity: 1024, store: new SpillFile(), residentChunks: 3 })
    try {
      for (let row = 0; row < ROWS; row++) record(history, row)
      // 20 chunks of 1024 rows were made; 3 stay in memory.
      const resident = history.residentBytes
      expect(wrongRows(history, { from: 0, to: ROWS, step: 1 })).toEqual([])
      expect(wrongRows(history, { from: ROWS - 1, to: -1, step: -97 })).toEqual([])
      // A write to a row long written out (an answer that arrives late) lands, and is read back.
      history.ok(5, 999, 7)
      expect(history.completeMsOf(5)).toBe(999)
      expect(wrongRows(history, { from: ROWS - 1, to: -1, step: -1013 })).toEqual([])
      expect(history.residentBytes).toBe(resident)
      expect(history.residentBytes).toBeLessThan((ROWS / 1024 / 4) * 1024 * 80)
    } finally {
      history.close()
    }
  })

  it('a closed history says so rather than read garbage', () => {
    const history = new History({ capacity: 1024, store: new SpillFile(), residentChunks: 2 })
    for (let row = 0; row < 4096; row++) record(history, row)
    history.close()
    expect(() => history.opIdOf(0)).toThrow(/closed/)
  })

  it('in memory, without a store, holds the same', () => {
    const history = new History({ capacity: 1024 })
    for (let row = 0; row < 5000; row++) record(history, row)
    expect(wrongRows(history, { from: 0, to: 5000, step: 1 })).toEqual([])
  })
})
