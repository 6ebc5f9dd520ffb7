// What the history says about each (user, video) pair: surely liked (lower bound) and possibly
// liked (upper bound) for a read that claims the state as of T and ended at E.
import { FailureKind } from '../../../sim/failure-kind.ts'
import { describe, expect, it } from 'vitest'
import { PairTimeline } from '../../../sim/checks/pair-timeline.ts'
import { History, pairOf, type PurgeRecord } from '../../../sim/history.ts'
import { OpKind } from '../../../sim/operation.ts'

type Imported = { user: number; video: number; atMs: number }

class Script {
  readonly history = new History()
  private op = 0

  private invoke(kind: OpKind, user: number, video: number, atMs: number): number {
    return this.history.invoke({ kind, opId: this.op++, user, video, process: 0, region: 0, attempt: 0, invokeMs: atMs, failover: false })
  }

  like(user: number, video: number, invokeMs: number, completeMs: number): number {
    const i = this.invoke(OpKind.Like, user, video, invokeMs)
    this.history.ok(i, completeMs, completeMs - invokeMs)
    return i
  }

  unlike(user: number, video: number, invokeMs: number, completeMs: number): number {
    const i = this.invoke(OpKind.Unlike, user, video, invokeMs)
    this.history.ok(i, completeMs, completeMs - invokeMs)
    return i
  }

  indeterminate(kind: OpKind, user: number, video: number, invokeMs: number): number {
    const i = this.invoke(kind, user, video, invokeMs)
    this.history.indeterminate(i, invokeMs + 5000, FailureKind.Timeout, 'timeout')
    return i
  }

  failed(kind: OpKind, user: number, video: number, invokeMs: number, completeMs: number): number {
    const i = this.invoke(kind, user, video, invokeMs)
    this.history.fail(i, completeMs, completeMs - invokeMs, FailureKind.Shed, 'overloaded')
    return i
  }

  pending(kind: OpKind, user: number, video: number, invokeMs: number): number {
    return this.invoke(kind, user, video, invokeMs)
  }

  other(kind: OpKind, user: number, video: number, invokeMs: number, completeMs: number): number {
    const i = this.invoke(kind, user, video, invokeMs)
    this.history.ok(i, completeMs, completeMs - invokeMs)
    return i
  }

  purge(atMs: number, removed: Array<[user: number, video: number]>, kind: PurgeRecord['kind'] = 'bot', doneAtMs?: number): void {
    const users = [...new Set(removed.map(([user]) => user))]
    this.history.faults.push({
      spec: kind === 'bot' ? { kind: 'bot-purge', startS: atMs / 1000, endS: atMs / 1000 + 10 } : { kind: 'inactive-purge', idleDays: 90, startS: atMs / 1000, endS: atMs / 1000 + 10 },
      startMs: atMs,
      endMs: atMs + 10_000,
      purge: {
        kind,
        atMs,
        ...(doneAtMs === undefined ? {} : { doneAtMs }),
        accounts: users,
        reasons: users.map(() => ['test']),
        removedUsers: removed.map(([user]) => user),
        removedVideos: removed.map(([, video]) => video),
        unknownIds: 0,
      },
    })
  }

  timeline(videoCount = 10, importedLikes: Imported[] = []): PairTimeline {
    return new PairTimeline(this.history, { videoCount, importedLikes })
  }
}

const U = 7
const V = 3

/** Where each pair's events start, and where the last pair's end. */
function eventStarts(t: PairTimeline): number[] {
  return [...Array.from({ length: t.pairCount }, (_, index) => t.firstEventOf(index)), t.eventCount]
}

/** The events of pair `index`. */
function eventsOf(t: PairTimeline, index: number): number[] {
  return Array.from({ length: t.lastEventOf(index) - t.firstEventOf(index) + 1 }, (_, k) => t.firstEventOf(index) + k)
}

const videoRanges = (t: PairTimeline, videoCount: number): number[][] => Array.from({ length: videoCount }, (_, video) => [t.firstPairOf(video), t.pairEndOf(video)])

/** [must, may] for the pair (U, V) at T with E. */
function state(t: PairTimeline, tMs: number, eMs = tMs, user = U, video = V): [boolean, boolean] {
  const index = t.indexOf(pairOf(video, user))
  if (index < 0) return [false, false]
  return [t.mustBeLiked(index, tMs, eMs), t.mayBeLiked(index, tMs, eMs)]
}

describe('PairTimeline: a single acknowledged like [100, 200]', () => {
  const s = new Script()
  s.like(U, V, 100, 200)
  const t = s.timeline()

  it('holds one pair with one event', () => {
    expect(t.pairCount).toBe(1)
    expect(t.indexOf(pairOf(V, U))).toBe(0)
    expect(t.indexOf(pairOf(V, U + 1))).toBe(-1)
    expect(eventStarts(t)).toEqual([0, 1])
    expect(t.isLikeEvent(0)).toBe(true)
    expect(t.eventInvokeMsOf(0)).toBe(100)
    expect(t.eventCompleteMsOf(0)).toBe(200)
    expect(t.eventAttemptOf(0)).toBe(0)
  })

  it('before the like is invoked: neither may nor must', () => {
    expect(state(t, 50)).toEqual([false, false])
    expect(t.bounds(V, 50, 50)).toEqual([0, 0])
  })

  it('while it is in flight: may but not must', () => {
    expect(state(t, 150)).toEqual([false, true])
    expect(state(t, 199.9)).toEqual([false, true])
    expect(t.bounds(V, 150, 150)).toEqual([0, 1])
  })

  it('a read claiming an earlier state but ending after the invoke: may, not must', () => {
    expect(state(t, 50, 150)).toEqual([false, true])
  })

  it('from its completion on: must (and so may)', () => {
    expect(state(t, 200)).toEqual([true, true])
    expect(state(t, 1e9)).toEqual([true, true])
    expect(t.bounds(V, 1000, 1000)).toEqual([1, 1])
  })

  it('other videos have no pairs', () => {
    expect(t.bounds(V + 1, 1000, 1000)).toEqual([0, 0])
    expect(t.firstPairOf(V + 1)).toBe(t.pairEndOf(V + 1))
  })
})

describe('PairTimeline: like [100, 200] then unlike [300, 400] (sequential)', () => {
  const s = new Script()
  s.like(U, V, 100, 200)
  s.unlike(U, V, 300, 400)
  const t = s.timeline()

  it('between the two: liked', () => {
    expect(state(t, 250)).toEqual([true, true])
  })

  it('while the unlike is in flight: may, not must', () => {
    expect(state(t, 350)).toEqual([false, true])
  })

  it('a read as of 250 that ended after the unlike began: may, not must', () => {
    expect(state(t, 250, 350)).toEqual([false, true])
  })

  it('after the unlike completed: neither', () => {
    expect(state(t, 400)).toEqual([false, false])
    expect(state(t, 10_000)).toEqual([false, false])
    expect(t.bounds(V, 10_000, 10_000)).toEqual([0, 0])
  })

  it('a second like [500, 600] after the unlike makes it surely liked again', () => {
    const s2 = new Script()
    s2.like(U, V, 100, 200)
    s2.unlike(U, V, 300, 400)
    s2.like(U, V, 500, 600)
    const t2 = s2.timeline()
    expect(state(t2, 450)).toEqual([false, false])
    expect(state(t2, 550)).toEqual([false, true])
    expect(state(t2, 600)).toEqual([true, true])
  })

  it('an unlike that completed before the like began does not override it', () => {
    const s2 = new Script()
    s2.unlike(U, V, 0, 50)
    s2.like(U, V, 100, 200)
    expect(state(s2.timeline(), 300)).toEqual([true, true])
  })
})

describe('PairTimeline: concurrent like and unlike', () => {
  it('unlike [150, 250] overlapping like [100, 200]: may, not must', () => {
    const s = new Script()
    s.like(U, V, 100, 200)
    s.unlike(U, V, 150, 250)
    const t = s.timeline()
    expect(state(t, 1000)).toEqual([false, true])
    expect(t.bounds(V, 1000, 1000)).toEqual([0, 1])
  })

  it('unlike [50, 150] that began before the like [100, 200]: may, not must', () => {
    const s = new Script()
    s.unlike(U, V, 50, 150)
    s.like(U, V, 100, 200)
    expect(state(s.timeline(), 1000)).toEqual([false, true])
  })

  it('a long like [0, 1000] spanning a short unlike [400, 500]: may, not must', () => {
    const s = new Script()
    s.like(U, V, 0, 1000)
    s.unlike(U, V, 400, 500)
    expect(state(s.timeline(), 2000)).toEqual([false, true])
  })
})

describe('PairTimeline: uncertain and failed attempts', () => {
  it('an indeterminate like may have taken effect, but not surely', () => {
    const s = new Script()
    s.indeterminate(OpKind.Like, U, V, 100)
    const t = s.timeline()
    expect(t.eventCompleteMsOf(0)).toBe(Infinity)
    expect(state(t, 50)).toEqual([false, false])
    expect(state(t, 1e9)).toEqual([false, true])
  })

  it('a pending like (run cut short) counts as indeterminate', () => {
    const s = new Script()
    s.pending(OpKind.Like, U, V, 100)
    expect(state(s.timeline(), 1e9)).toEqual([false, true])
  })

  it('a failed like is proof of no effect: neither may nor must, and not even a pair', () => {
    const s = new Script()
    s.failed(OpKind.Like, U, V, 100, 200)
    const t = s.timeline()
    expect(t.pairCount).toBe(0)
    expect(t.indexOf(pairOf(V, U))).toBe(-1)
    expect(t.bounds(V, 1000, 1000)).toEqual([0, 0])
  })

  it('a failed unlike after an acked like changes nothing', () => {
    const s = new Script()
    s.like(U, V, 100, 200)
    s.failed(OpKind.Unlike, U, V, 300, 400)
    expect(state(s.timeline(), 1000)).toEqual([true, true])
  })

  it('an indeterminate unlike after an acked like: not must, still may', () => {
    const s = new Script()
    s.like(U, V, 100, 200)
    s.indeterminate(OpKind.Unlike, U, V, 300)
    const t = s.timeline()
    expect(state(t, 1e9)).toEqual([false, true])
    // A read that ended before the unlike was invoked is still sure.
    expect(state(t, 250, 250)).toEqual([true, true])
  })

  it('an indeterminate unlike before an acked like still casts doubt (it may land late)', () => {
    const s = new Script()
    s.indeterminate(OpKind.Unlike, U, V, 0)
    s.like(U, V, 100, 200)
    expect(state(s.timeline(), 1000)).toEqual([false, true])
  })

  it('reads and views are ignored', () => {
    const s = new Script()
    s.other(OpKind.View, U, V, 0, 10)
    s.other(OpKind.ReadVideo, U, V, 20, 30)
    s.other(OpKind.ReadLiked, U, V, 40, 50)
    expect(s.timeline().pairCount).toBe(0)
  })
})

describe('PairTimeline: purges and imported likes', () => {
  it('a purge removal recorded in history.faults[].purge overrides an earlier like', () => {
    const s = new Script()
    s.like(U, V, 100, 200)
    s.purge(500, [[U, V]])
    const t = s.timeline()
    const index = t.indexOf(pairOf(V, U))
    expect(eventsOf(t, index).length).toBe(2)
    const removal = t.firstEventOf(index) + 1
    expect(t.isLikeEvent(removal)).toBe(false)
    expect(t.eventAttemptOf(removal)).toBe(-1)
    expect(state(t, 400)).toEqual([true, true])
    expect(state(t, 400, 600)).toEqual([false, true])
    expect(state(t, 500)).toEqual([false, false])
    expect(state(t, 1e9)).toEqual([false, false])
  })

  it('a purge run in slices (mode http) removes its likes between its start and its report: a read in between may count them', () => {
    const s = new Script()
    s.like(U, V, 100, 200)
    s.purge(500, [[U, V]], 'bot', 900)
    const t = s.timeline()
    expect(state(t, 400)).toEqual([true, true])
    expect(state(t, 600)).toEqual([false, true])
    expect(state(t, 899)).toEqual([false, true])
    expect(state(t, 900)).toEqual([false, false])
  })

  it('a like after the purge is surely liked again', () => {
    const s = new Script()
    s.like(U, V, 100, 200)
    s.purge(500, [[U, V]])
    s.like(U, V, 700, 800)
    expect(state(s.timeline(), 1000)).toEqual([true, true])
  })

  it('faults without a purge record add nothing', () => {
    const s = new Script()
    s.like(U, V, 100, 200)
    s.history.faults.push({ spec: { kind: 'region-outage', region: 'us-east', startS: 0, endS: 1 }, startMs: 0, endMs: 1000 })
    const t = s.timeline()
    expect(t.firstEventOf(1)).toBe(1)
    expect(state(t, 1e9)).toEqual([true, true])
  })

  it('imported likes are surely liked from their time on', () => {
    const s = new Script()
    const imported: Imported[] = [
      { user: U, video: V, atMs: -5 * 86_400_000 },
      { user: U + 1, video: V, atMs: -3 * 86_400_000 },
    ]
    const t = s.timeline(10, imported)
    expect(t.pairCount).toBe(2)
    expect(state(t, 0)).toEqual([true, true])
    expect(state(t, 0, 0, U + 1)).toEqual([true, true])
    expect(t.eventAttemptOf(0)).toBe(-1)
    expect(t.bounds(V, 0, 0)).toEqual([2, 2])
    expect(t.bounds(V, -4 * 86_400_000, -4 * 86_400_000)).toEqual([1, 1])
  })

  it('an inactive purge removes imported likes; a later unlike too', () => {
    const s = new Script()
    s.purge(1000, [[U, V]], 'inactive')
    s.unlike(U + 1, V, 100, 200)
    const t = s.timeline(10, [
      { user: U, video: V, atMs: -1e9 },
      { user: U + 1, video: V, atMs: -1e9 },
    ])
    expect(t.bounds(V, 0, 0)).toEqual([2, 2])
    // U + 1's unlike in flight.
    expect(t.bounds(V, 150, 150)).toEqual([1, 2])
    // U + 1 unliked; U's imported like not yet purged.
    expect(t.bounds(V, 500, 500)).toEqual([1, 1])
    expect(t.bounds(V, 500, 1500)).toEqual([0, 1])
    expect(t.bounds(V, 2000, 2000)).toEqual([0, 0])
  })
})

describe('PairTimeline: layout and bounds over many pairs', () => {
  const s = new Script()
  // Video 0: users 1, 2, 3 liked; user 2 then unliked. Video 2: user 5 liked (indeterminate).
  // Video 4: user 1 liked twice (second device), user 9 failed. Video 1, 3: nothing.
  s.like(3, 0, 10, 20)
  s.like(1, 4, 15, 25)
  s.like(1, 0, 30, 40)
  s.indeterminate(OpKind.Like, 5, 2, 35)
  s.like(2, 0, 50, 60)
  s.like(1, 4, 55, 70)
  s.unlike(2, 0, 100, 110)
  s.failed(OpKind.Like, 9, 4, 10, 20)
  const t = s.timeline(5)

  it('pairs are sorted distinct keys, video-major', () => {
    const pairs = Array.from({ length: t.pairCount }, (_, index) => t.pairKeyOf(index))
    expect(pairs).toEqual([pairOf(0, 1), pairOf(0, 2), pairOf(0, 3), pairOf(2, 5), pairOf(4, 1)])
  })

  it('videoPairStart/End give each video its contiguous range', () => {
    expect(videoRanges(t, 5)).toEqual([[0, 3], [0, 0], [3, 4], [0, 0], [4, 5]])
    for (let video = 0; video < 5; video++) {
      for (let index = t.firstPairOf(video); index < t.pairEndOf(video); index++) {
        expect(Math.floor(t.pairKeyOf(index) / 2 ** 22)).toBe(video)
      }
    }
  })

  it('events of a pair are grouped and ordered by invocation', () => {
    expect(eventStarts(t)).toEqual([0, 1, 3, 4, 5, 7])
    const index = t.indexOf(pairOf(0, 2))
    expect(eventsOf(t, index).map((e) => t.eventInvokeMsOf(e))).toEqual([50, 100])
    expect(eventsOf(t, index).map((e) => t.isLikeEvent(e))).toEqual([true, false])
    const twice = t.indexOf(pairOf(4, 1))
    expect(eventsOf(t, twice).map((e) => t.eventInvokeMsOf(e))).toEqual([15, 55])
  })

  it('attempt points back to the history index', () => {
    for (let e = 0; e < t.eventCount; e++) {
      expect(s.history.invokeMsOf(t.eventAttemptOf(e))).toBe(t.eventInvokeMsOf(e))
    }
  })

  it('bounds count surely and possibly liked pairs per video', () => {
    expect(t.bounds(0, 5, 5)).toEqual([0, 0])
    expect(t.bounds(0, 45, 45)).toEqual([2, 2])
    expect(t.bounds(0, 55, 55)).toEqual([2, 3])
    expect(t.bounds(0, 80, 80)).toEqual([3, 3])
    expect(t.bounds(0, 105, 105)).toEqual([2, 3])
    expect(t.bounds(0, 200, 200)).toEqual([2, 2])
    expect(t.bounds(1, 200, 200)).toEqual([0, 0])
    expect(t.bounds(2, 200, 200)).toEqual([0, 1])
    expect(t.bounds(4, 200, 200)).toEqual([1, 1])
  })

  it('lower <= upper for every video and time', () => {
    for (let video = 0; video < 5; video++) {
      for (let tMs = 0; tMs <= 200; tMs += 5) {
        const [lower, upper] = t.bounds(video, tMs, tMs + 10)
        expect(lower).toBeLessThanOrEqual(upper)
      }
    }
  })

  it('firstSurelyLiked, lastLiked and lastAckMs point at the right pairs', () => {
    expect(t.firstSurelyLiked(0, 5, 5)).toBe(-1)
    expect(t.firstSurelyLiked(0, 45, 45)).toBe(t.indexOf(pairOf(0, 1)))
    expect(t.firstSurelyLiked(2, 1000, 1000)).toBe(-1)
    expect(t.lastLiked(0, 45)).toBe(t.indexOf(pairOf(0, 1)))
    expect(t.lastLiked(0, 80)).toBe(t.indexOf(pairOf(0, 2)))
    expect(t.lastLiked(1, 80)).toBe(-1)
    expect(t.lastAckMs(t.indexOf(pairOf(4, 1)), 1000)).toBe(70)
    expect(t.lastAckMs(t.indexOf(pairOf(4, 1)), 30)).toBe(25)
    expect(Number.isNaN(t.lastAckMs(t.indexOf(pairOf(4, 1)), 10))).toBe(true)
  })

  it('pairs of videos beyond videoCount are kept but not ranged', () => {
    const s2 = new Script()
    s2.like(1, 7, 0, 10)
    const t2 = s2.timeline(5)
    expect(t2.pairCount).toBe(1)
    expect(videoRanges(t2, 5).map(([, end]) => end)).toEqual([0, 0, 0, 0, 0])
  })
})
