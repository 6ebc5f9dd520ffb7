// The Jepsen-style history: columnar attempts, outcomes, interned error codes, pair keys.
import { FailureKind } from '../../sim/failure-kind.ts'
import { describe, expect, it } from 'vitest'
import { History, Outcome, OUTCOME_NAMES, PAIR_USER_LIMIT, pairOf, pairUserOf, pairVideoOf } from '../../sim/history.ts'
import { isWrite, OP_KIND_NAMES, OpKind } from '../../sim/operation.ts'

describe('History attempts', () => {
  it('invoke records every column and starts pending with no result', () => {
    const h = new History()
    const i = h.invoke({ kind: OpKind.Like, opId: 17, user: 3, video: 9, process: 4, region: 2, attempt: 1, invokeMs: 1500, failover: true })
    expect(i).toBe(0)
    expect(h.length).toBe(1)
    expect(h.kindOf(i)).toBe(OpKind.Like)
    expect(h.opIdOf(i)).toBe(17)
    expect(h.userOf(i)).toBe(3)
    expect(h.videoOf(i)).toBe(9)
    expect(h.processOf(i)).toBe(4)
    expect(h.regionOf(i)).toBe(2)
    expect(h.attemptOf(i)).toBe(1)
    expect(h.isFailover(i)).toBe(true)
    expect(h.invokeMsOf(i)).toBe(1500)
    expect(h.completeMsOf(i)).toBe(Infinity)
    expect(h.outcomeOf(i)).toBe(Outcome.Pending)
    expect(h.errorCode(i)).toBe('')
    expect(h.likeCountOf(i)).toBe(-1)
    expect(h.viewCountOf(i)).toBe(-1)
    expect(h.uniqueViewersOf(i)).toBe(-1)
    expect(h.likedOf(i)).toBe(undefined)
    expect(h.isStale(i)).toBe(false)
    expect(Number.isNaN(h.asOfMsOf(i))).toBe(true)
    expect(h.invoke({ kind: OpKind.View, opId: 18, user: 0, video: 0, process: 0, region: 0, attempt: 0, invokeMs: 1600, failover: false })).toBe(1)
    expect(h.isFailover(1)).toBe(false)
  })

  it('ok records completion and latency', () => {
    const h = new History()
    const i = h.invoke({ kind: OpKind.View, opId: 1, user: 1, video: 1, process: 1, region: 0, attempt: 0, invokeMs: 100, failover: false })
    h.ok(i, 130, 30)
    expect(h.outcomeOf(i)).toBe(Outcome.Ok)
    expect(h.completeMsOf(i)).toBe(130)
    expect(h.latencyMsOf(i)).toBe(30)
    expect(h.errorCode(i)).toBe('')
  })

  it('fail records completion, latency, the failure kind and the error code', () => {
    const h = new History()
    const i = h.invoke({ kind: OpKind.Like, opId: 1, user: 1, video: 1, process: 1, region: 0, attempt: 0, invokeMs: 100, failover: false })
    expect(h.failureOf(i)).toBe(FailureKind.None)
    h.fail(i, 150, 50, FailureKind.Shed, 'LS_CORE_OVERLOADED')
    expect(h.outcomeOf(i)).toBe(Outcome.Fail)
    expect(h.completeMsOf(i)).toBe(150)
    expect(h.latencyMsOf(i)).toBe(50)
    expect(h.failureOf(i)).toBe(FailureKind.Shed)
    expect(h.errorCode(i)).toBe('LS_CORE_OVERLOADED')
  })

  it('indeterminate never completes; its latency is how long the client waited', () => {
    const h = new History()
    const i = h.invoke({ kind: OpKind.Unlike, opId: 1, user: 1, video: 1, process: 1, region: 0, attempt: 0, invokeMs: 1000, failover: false })
    h.indeterminate(i, 3500, FailureKind.Timeout, 'timeout')
    expect(h.outcomeOf(i)).toBe(Outcome.Indeterminate)
    expect(h.failureOf(i)).toBe(FailureKind.Timeout)
    expect(h.completeMsOf(i)).toBe(Infinity)
    expect(h.latencyMsOf(i)).toBe(2500)
    expect(h.errorCode(i)).toBe('timeout')
  })

  it('counts and likedFlag record read results', () => {
    const h = new History()
    const a = h.invoke({ kind: OpKind.ReadVideo, opId: 1, user: 1, video: 1, process: 1, region: 0, attempt: 0, invokeMs: 0, failover: false })
    h.counts(a, { likeCount: 12, viewCount: 340, uniqueViewers: 200, stale: true, asOfMs: 950 })
    expect([h.likeCountOf(a), h.viewCountOf(a), h.uniqueViewersOf(a), h.isStale(a), h.asOfMsOf(a)]).toEqual([12, 340, 200, true, 950])
    const b = h.invoke({ kind: OpKind.ReadLiked, opId: 2, user: 1, video: 1, process: 1, region: 0, attempt: 0, invokeMs: 0, failover: false })
    h.likedFlag(b, { liked: true, stale: false, asOfMs: 1000 })
    expect([h.likedOf(b), h.isStale(b), h.asOfMsOf(b)]).toEqual([true, false, 1000])
    h.likedFlag(b, { liked: false, stale: true, asOfMs: 1100 })
    expect([h.likedOf(b), h.isStale(b), h.asOfMsOf(b)]).toEqual([false, true, 1100])
  })

  it('interns error codes: the same code shares an index, new codes get new ones', () => {
    const h = new History()
    const codes = ['timeout', 'overloaded', 'timeout', 'refused', 'overloaded']
    const indices = codes.map((code, k) => {
      const i = h.invoke({ kind: OpKind.Like, opId: k, user: 0, video: 0, process: 0, region: 0, attempt: 0, invokeMs: k, failover: false })
      h.fail(i, k + 1, 1, FailureKind.Other, code)
      return h.errorCodes.indexOf(h.errorCode(i))
    })
    expect(indices).toEqual([1, 2, 1, 3, 2])
    expect(h.errorCodes).toEqual(['', 'timeout', 'overloaded', 'refused'])
    expect(codes.map((_, i) => h.errorCode(i))).toEqual(codes)
  })

  it('refuses more than 254 distinct error codes', () => {
    const h = new History()
    const i = h.invoke({ kind: OpKind.Like, opId: 0, user: 0, video: 0, process: 0, region: 0, attempt: 0, invokeMs: 0, failover: false })
    for (let k = 0; k < 254; k++) h.fail(i, 1, 1, FailureKind.Other, `code-${k}`)
    expect(h.errorCode(i)).toBe('code-253')
    expect(h.errorCodes.length).toBe(255)
    expect(() => h.fail(i, 1, 1, FailureKind.Other, 'one-too-many')).toThrow(/254/)
    // Known codes still work.
    h.fail(i, 1, 1, FailureKind.Other, 'code-0')
    expect(h.errorCode(i)).toBe('code-0')
  })

  it('grows past its initial capacity without losing or corrupting data', () => {
    const h = new History()
    const n = 10_000
    for (let k = 0; k < n; k++) {
      const i = h.invoke({ kind: (k % 5) as OpKind, opId: k, user: k * 3, video: k % 997, process: k % 13, region: k % 4, attempt: k % 3, invokeMs: k * 10, failover: k % 2 === 0 })
      if (k % 3 === 0) h.ok(i, k * 10 + 5, 5)
      else if (k % 3 === 1) h.fail(i, k * 10 + 7, 7, FailureKind.Other, `e${k % 4}`)
      else h.indeterminate(i, k * 10 + 9, FailureKind.Timeout, 'timeout')
      if (k % 7 === 0) h.counts(i, { likeCount: k, viewCount: k + 1, uniqueViewers: k + 2, stale: k % 2 === 1, asOfMs: k * 10 + 1 })
    }
    expect(h.length).toBe(n)
    const bad: number[] = []
    for (let k = 0; k < n; k++) {
      const ok =
        h.kindOf(k) === k % 5 &&
        h.opIdOf(k) === k &&
        h.userOf(k) === k * 3 &&
        h.videoOf(k) === k % 997 &&
        h.processOf(k) === k % 13 &&
        h.regionOf(k) === k % 4 &&
        h.attemptOf(k) === k % 3 &&
        h.isFailover(k) === (k % 2 === 0) &&
        h.failureOf(k) === [FailureKind.None, FailureKind.Other, FailureKind.Timeout][k % 3] &&
        h.invokeMsOf(k) === k * 10 &&
        (k % 3 === 0
          ? h.outcomeOf(k) === Outcome.Ok && h.completeMsOf(k) === k * 10 + 5 && h.latencyMsOf(k) === 5
          : k % 3 === 1
            ? h.outcomeOf(k) === Outcome.Fail && h.completeMsOf(k) === k * 10 + 7 && h.errorCode(k) === `e${k % 4}`
            : h.outcomeOf(k) === Outcome.Indeterminate && h.completeMsOf(k) === Infinity && h.latencyMsOf(k) === 9 && h.errorCode(k) === 'timeout') &&
        (k % 7 === 0 ? h.likeCountOf(k) === k && h.viewCountOf(k) === k + 1 && h.uniqueViewersOf(k) === k + 2 && h.asOfMsOf(k) === k * 10 + 1 : h.likeCountOf(k) === -1 && h.likedOf(k) === undefined)
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
