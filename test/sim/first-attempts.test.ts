// Where each logical operation began: its earliest attempt of the kinds asked for, kept per
// operation that has one (the ids of a run count every operation, reads and views included).
import { describe, expect, it } from 'vitest'
import { History } from '../../sim/history.ts'
import { OpKind } from '../../sim/operation.ts'

function attempt(h: History, kind: OpKind, opId: number, invokeMs: number): number {
  return h.invoke({ kind, opId, user: 1, video: 2, process: 0, region: 0, attempt: 1, invokeMs, failover: false })
}

describe('FirstAttempts', () => {
  it('keeps one row per operation of the kinds, the earliest invoked (the lowest row among equals), however sparse the ids', () => {
    const h = new History()
    attempt(h, OpKind.View, 0, 10)
    const retry = attempt(h, OpKind.Like, 2_000_000, 50)
    const first = attempt(h, OpKind.Like, 2_000_000, 40) // recorded later, invoked earlier (a k6 ingest's order)
    const tieA = attempt(h, OpKind.Unlike, 7, 60)
    attempt(h, OpKind.Unlike, 7, 60)
    attempt(h, OpKind.ReadVideo, 9, 70)
    const writes = h.firstAttempts(OpKind.Like, OpKind.Unlike)
    expect(writes.size).toBe(2)
    expect([...writes.ops]).toEqual([7, 2_000_000])
    expect(writes.rowOf(2_000_000)).toBe(first)
    expect(writes.rowOf(7)).toBe(tieA)
    expect(writes.rowOf(0)).toBe(-1)
    expect(writes.rowOf(9)).toBe(-1)
    expect(writes.positionOf(3)).toBe(-1)
    expect(retry).not.toBe(first)
    // No kinds: every operation.
    expect([...h.firstAttempts().ops]).toEqual([0, 7, 9, 2_000_000])
  })
})
