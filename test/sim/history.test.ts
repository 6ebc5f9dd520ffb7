// The Jepsen-style history: columnar attempts, outcomes, interned error codes, pair keys.
import { FailureKind } from '../../sim/failure-kind.ts'
import { describe, expect, it } from 'vitest'
import { History, Outcome, OUTCOME_NAMES, PAIR_USER_LIMIT, pairOf, pairUserOf, pairVideoOf } from '../../sim/history.ts'
import { isWrite, OP_KIND_NAMES, OpKind } from '../../sim/operation.ts'

describe('History attempts', () => {
  it('invoke records every column and starts pending with no result', () => {
    const h = new History()
    const i = h.invoke(OpKind.Like, 17, 3, 9, 4, 2, 1, 1500, true)
    expect(i).toBe(0)
    expect(h.length).toBe(1)
    expect(h.kind[i]).toBe(OpKind.Like)
    expect(h.opId[i]).toBe(17)
    expect(h.user[i]).toBe(3)
    expect(h.video[i]).toBe(9)
    expect(h.process[i]).toBe(4)
    expect(h.region[i]).toBe(2)
    expect(h.attempt[i]).toBe(1)
    expect(h.failover[i]).toBe(1)
    expect(h.invokeMs[i]).toBe(1500)
    expect(h.completeMs[i]).toBe(Infinity)
    expect(h.outcome[i]).toBe(Outcome.Pending)
    expect(h.error[i]).toBe(0)
    expect(h.errorCode(i)).toBe('')
    expect(h.likeCount[i]).toBe(-1)
    expect(h.viewCount[i]).toBe(-1)
    expect(h.uniqueViewers[i]).toBe(-1)
    expect(h.liked[i]).toBe(-1)
    expect(h.stale[i]).toBe(0)
    expect(Number.isNaN(h.asOfMs[i])).toBe(true)
    expect(h.invoke(OpKind.View, 18, 0, 0, 0, 0, 0, 1600, false)).toBe(1)
    expect(h.failover[1]).toBe(0)
  })

  it('ok records completion and latency', () => {
    const h = new History()
    const i = h.invoke(OpKind.View, 1, 1, 1, 1, 0, 0, 100, false)
    h.ok(i, 130, 30)
    expect(h.outcome[i]).toBe(Outcome.Ok)
    expect(h.completeMs[i]).toBe(130)
    expect(h.latencyMs[i]).toBe(30)
    expect(h.errorCode(i)).toBe('')
  })

  it('fail records completion, latency, the failure kind and the error code', () => {
    const h = new History()
    const i = h.invoke(OpKind.Like, 1, 1, 1, 1, 0, 0, 100, false)
    expect(h.failureOf(i)).toBe(FailureKind.None)
    h.fail(i, 150, 50, FailureKind.Shed, 'LS_CORE_OVERLOADED')
    expect(h.outcome[i]).toBe(Outcome.Fail)
    expect(h.completeMs[i]).toBe(150)
    expect(h.latencyMs[i]).toBe(50)
    expect(h.failureOf(i)).toBe(FailureKind.Shed)
    expect(h.errorCode(i)).toBe('LS_CORE_OVERLOADED')
  })

  it('indeterminate never completes; its latency is how long the client waited', () => {
    const h = new History()
    const i = h.invoke(OpKind.Unlike, 1, 1, 1, 1, 0, 0, 1000, false)
    h.indeterminate(i, 3500, FailureKind.Timeout, 'timeout')
    expect(h.outcome[i]).toBe(Outcome.Indeterminate)
    expect(h.failureOf(i)).toBe(FailureKind.Timeout)
    expect(h.completeMs[i]).toBe(Infinity)
    expect(h.latencyMs[i]).toBe(2500)
    expect(h.errorCode(i)).toBe('timeout')
  })

  it('counts and likedFlag record read results', () => {
    const h = new History()
    const a = h.invoke(OpKind.ReadVideo, 1, 1, 1, 1, 0, 0, 0, false)
    h.counts(a, 12, 340, 200, true, 950)
    expect([h.likeCount[a], h.viewCount[a], h.uniqueViewers[a], h.stale[a], h.asOfMs[a]]).toEqual([12, 340, 200, 1, 950])
    const b = h.invoke(OpKind.ReadLiked, 2, 1, 1, 1, 0, 0, 0, false)
    h.likedFlag(b, true, false, 1000)
    expect([h.liked[b], h.stale[b], h.asOfMs[b]]).toEqual([1, 0, 1000])
    h.likedFlag(b, false, true, 1100)
    expect([h.liked[b], h.stale[b], h.asOfMs[b]]).toEqual([0, 1, 1100])
  })

  it('interns error codes: the same code shares an index, new codes get new ones', () => {
    const h = new History()
    const codes = ['timeout', 'overloaded', 'timeout', 'refused', 'overloaded']
    const indices = codes.map((code, k) => {
      const i = h.invoke(OpKind.Like, k, 0, 0, 0, 0, 0, k, false)
      h.fail(i, k + 1, 1, FailureKind.Other, code)
      return h.error[i]
    })
    expect(indices).toEqual([1, 2, 1, 3, 2])
    expect(h.errorCodes).toEqual(['', 'timeout', 'overloaded', 'refused'])
    expect(codes.map((_, i) => h.errorCode(i))).toEqual(codes)
  })

  it('refuses more than 254 distinct error codes', () => {
    const h = new History()
    const i = h.invoke(OpKind.Like, 0, 0, 0, 0, 0, 0, 0, false)
    for (let k = 0; k < 254; k++) h.fail(i, 1, 1, FailureKind.Other, `code-${k}`)
    expect(h.errorCode(i)).toBe('code-253')
    expect(h.error[i]).toBe(254)
    expect(() => h.fail(i, 1, 1, FailureKind.Other, 'one-too-many')).toThrow(/254/)
    // Known codes still work.
    h.fail(i, 1, 1, FailureKind.Other, 'code-0')
    expect(h.errorCode(i)).toBe('code-0')
  })

  it('grows past its initial capacity without losing or corrupting data', () => {
    const h = new History()
    const n = 10_000
    for (let k = 0; k < n; k++) {
      const i = h.invoke((k % 5) as OpKind, k, k * 3, k % 997, k % 13, k % 4, k % 3, k * 10, k % 2 === 0)
      if (k % 3 === 0) h.ok(i, k * 10 + 5, 5)
      else if (k % 3 === 1) h.fail(i, k * 10 + 7, 7, FailureKind.Other, `e${k % 4}`)
      else h.indeterminate(i, k * 10 + 9, FailureKind.Timeout, 'timeout')
      if (k % 7 === 0) h.counts(i, k, k + 1, k + 2, k % 2 === 1, k * 10 + 1)
    }
    expect(h.length).toBe(n)
    expect(h.kind.length).toBeGreaterThanOrEqual(n)
    const bad: number[] = []
    for (let k = 0; k < n; k++) {
      const ok =
        h.kind[k] === k % 5 &&
        h.opId[k] === k &&
        h.user[k] === k * 3 &&
        h.video[k] === k % 997 &&
        h.process[k] === k % 13 &&
        h.region[k] === k % 4 &&
        h.attempt[k] === k % 3 &&
        h.failover[k] === (k % 2 === 0 ? 1 : 0) &&
        h.failureOf(k) === [FailureKind.None, FailureKind.Other, FailureKind.Timeout][k % 3] &&
        h.invokeMs[k] === k * 10 &&
        (k % 3 === 0
          ? h.outcome[k] === Outcome.Ok && h.completeMs[k] === k * 10 + 5 && h.latencyMs[k] === 5
          : k % 3 === 1
            ? h.outcome[k] === Outcome.Fail && h.completeMs[k] === k * 10 + 7 && h.errorCode(k) === `e${k % 4}`
            : h.outcome[k] === Outcome.Indeterminate && h.completeMs[k] === Infinity && h.latencyMs[k] === 9 && h.errorCode(k) === 'timeout') &&
        (k % 7 === 0 ? h.likeCount[k] === k && h.viewCount[k] === k + 1 && h.uniqueViewers[k] === k + 2 && h.asOfMs[k] === k * 10 + 1 : h.likeCount[k] === -1 && h.liked[k] === -1)
      if (!ok) bad.push(k)
    }
    expect(bad.slice(0, 10)).toEqual([])
  })

  it('starts with no faults, final snapshot or probes', () => {
    const h = new History()
    expect(h.length).toBe(0)
    expect(h.faults).toEqual([])
    expect(h.final).toBeUndefined()
    expect(h.convergenceFromMs).toBeUndefined()
    expect(h.probes).toEqual([])
    expect(OUTCOME_NAMES[Outcome.Indeterminate]).toBe('indeterminate')
  })
})

describe('pair keys', () => {
  it('round-trip video and user', () => {
    for (const [video, user] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [123, 4567],
      [1_999_999, PAIR_USER_LIMIT - 1],
    ] as const) {
      const pair = pairOf(video, user)
      expect(Number.isSafeInteger(pair)).toBe(true)
      expect(pairVideoOf(pair)).toBe(video)
      expect(pairUserOf(pair)).toBe(user)
    }
  })

  it('are unique and video-major: all pairs of a video sort together', () => {
    const keys = new Set<number>()
    for (let video = 0; video < 50; video++) for (let user = 0; user < 50; user++) keys.add(pairOf(video, user * 997))
    expect(keys.size).toBe(2500)
    expect(pairOf(1, 0)).toBeGreaterThan(pairOf(0, PAIR_USER_LIMIT - 1))
    expect(pairOf(5, 10)).toBeLessThan(pairOf(5, 11))
  })
})

describe('operations', () => {
  it('views, likes and unlikes are writes; reads are not', () => {
    expect(isWrite(OpKind.View)).toBe(true)
    expect(isWrite(OpKind.Like)).toBe(true)
    expect(isWrite(OpKind.Unlike)).toBe(true)
    expect(isWrite(OpKind.ReadVideo)).toBe(false)
    expect(isWrite(OpKind.ReadLiked)).toBe(false)
    expect(OP_KIND_NAMES[OpKind.Unlike]).toBe('unlike')
    expect(OP_KIND_NAMES[OpKind.ReadLiked]).toBe('read-liked')
  })
})
