// The attempts of a k6 output, spilled to a file as they are read: a few chunks in memory however
// long the output, every attempt read back as it was pushed, in send order across two files
// interleaved in time, and the same attempt twice found after the fact.
import { describe, expect, it } from 'vitest'
import { ATTEMPT_COLUMNS, AttemptRows, type AttemptColumn } from '../../scenarios/k6/attempt-rows.ts'
import { SpillFile } from '../../scenarios/run/history-spill.ts'

const ROWS = 24_000
const RESIDENT = 4

/** Row r: two instances' files, each about in send order; file 1's rows come after file 0's. */
function row(r: number): Record<AttemptColumn, number> {
  const file = r < ROWS / 2 ? 0 : 1
  const n = file === 0 ? r : r - ROWS / 2
  const values = Object.fromEntries(ATTEMPT_COLUMNS.map((name, c) => [name, r * 31 + c])) as Record<AttemptColumn, number>
  // Sent in time order within a file, the two files interleaved; an answer's point comes a few rows late.
  return { ...values, req: 2 * n + file, attempt: 1, hop: 0, sentMs: 2 * n + file - (n % 7 === 0 ? 5 : 0), file, line: n + 1, asOfMs: r % 3 === 0 ? Number.NaN : r }
}

describe('the attempts of a k6 output', () => {
  it('keep a few chunks in memory and read back in send order, the files merged', () => {
    const rows = new AttemptRows({ store: new SpillFile(), residentChunks: RESIDENT })
    try {
      for (let r = 0; r < ROWS; r++) rows.push(row(r))
      const keysBytes = 2 * 8 * 65_536
      expect(rows.residentBytes).toBeLessThanOrEqual(keysBytes + RESIDENT * 4096 * ATTEMPT_COLUMNS.length * 8)
      const order = rows.sendOrder()
      let wrong = 0
      let lastSentMs = -Infinity
      for (const i of order) {
        const expected = row(i)
        const sentMs = rows.get('sentMs', i)
        if (sentMs < lastSentMs) wrong++
        lastSentMs = sentMs
        for (const name of ATTEMPT_COLUMNS) if (!Object.is(rows.get(name, i), expected[name])) wrong++
      }
      expect(wrong).toBe(0)
      expect(rows.duplicate()).toBeUndefined()
    } finally {
      rows.close()
    }
  })

  it('find the same request attempt twice, the later second', () => {
    const rows = new AttemptRows({ store: new SpillFile(), residentChunks: 2 })
    try {
      for (let r = 0; r < 10_000; r++) rows.push(row(r))
      rows.push({ ...row(20), line: 99 })
      expect(rows.duplicate()).toEqual({ first: 20, second: 10_000 })
      expect(rows.get('line', 10_000)).toBe(99)
    } finally {
      rows.close()
    }
  })
})
