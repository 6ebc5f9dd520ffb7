// RegionReplica: one region's like set (LWW) and the counts derived from it, views, and the
// last-known-good snapshot; several replicas over one shared pair index.
import { describe, expect, it } from 'vitest'
import { PairIndex } from '../../../mock-server/core/pair-index.ts'
import { ENTRY_LIKE_STATE, ENTRY_VIEW, RegionReplica, lwwStamp } from '../../../mock-server/core/region-replica.ts'

function replica(countFromLikeSet = true, videos = 4): RegionReplica {
  const r = new RegionReplica({ id: 'r', index: 0, countFromLikeSet })
  r.ensureVideos(videos)
  return r
}

describe('lwwStamp', () => {
  it('orders by time first, then by origin', () => {
    expect(lwwStamp(1000, 0)).toBeLessThan(lwwStamp(1000, 1))
    expect(lwwStamp(1000, 7)).toBeLessThan(lwwStamp(1000.001, 0))
    expect(lwwStamp(999, 15)).toBeLessThan(lwwStamp(1000, 0))
    expect(lwwStamp(1000, 3)).toBe(lwwStamp(1000, 3))
  })
})

describe('RegionReplica like set (LWW, countFromLikeSet)', () => {
  it('counts distinct likers', () => {
    const r = replica()
    expect(r.applyLikeState(0, 1, lwwStamp(10, 0), true)).toBe(true)
    expect(r.applyLikeState(0, 2, lwwStamp(11, 0), true)).toBe(true)
    expect(r.applyLikeState(1, 1, lwwStamp(12, 0), true)).toBe(true)
    expect(r.likeCount[0]).toBe(2)
    expect(r.likeCount[1]).toBe(1)
    expect(r.isLiked(0, 1)).toBe(true)
    expect(r.isLiked(0, 3)).toBe(false)
    expect(r.isLiked(2, 1)).toBe(false)
  })

  it('a repeated like (newer stamp) does not count twice', () => {
    const r = replica()
    r.applyLikeState(0, 1, lwwStamp(10, 0), true)
    expect(r.applyLikeState(0, 1, lwwStamp(20, 1), true)).toBe(false)
    expect(r.likeCount[0]).toBe(1)
  })

  it('an equal stamp is the same write arriving twice: a no-op', () => {
    const r = replica()
    const stamp = lwwStamp(10, 0)
    r.applyLikeState(0, 1, stamp, true)
    expect(r.applyLikeState(0, 1, stamp, true)).toBe(false)
    expect(r.applyLikeState(0, 1, stamp, false)).toBe(false)
    expect(r.likeCount[0]).toBe(1)
    expect(r.isLiked(0, 1)).toBe(true)
  })

  it('ignores a write with an older stamp than the one applied', () => {
    const r = replica()
    r.applyLikeState(0, 1, lwwStamp(20, 0), true)
    expect(r.applyLikeState(0, 1, lwwStamp(10, 1), false)).toBe(false)
    expect(r.isLiked(0, 1)).toBe(true)
    expect(r.likeCount[0]).toBe(1)
  })

  it('unlike with a newer stamp removes the like; count follows the set', () => {
    const r = replica()
    r.applyLikeState(0, 1, lwwStamp(10, 0), true)
    r.applyLikeState(0, 2, lwwStamp(10, 0), true)
    expect(r.applyLikeState(0, 1, lwwStamp(20, 0), false)).toBe(true)
    expect(r.likeCount[0]).toBe(1)
    expect(r.isLiked(0, 1)).toBe(false)
    // unliking again changes nothing; a like-less unlike never goes negative
    expect(r.applyLikeState(0, 1, lwwStamp(30, 0), false)).toBe(false)
    expect(r.applyLikeState(0, 9, lwwStamp(30, 0), false)).toBe(false)
    expect(r.likeCount[0]).toBe(1)
  })

  it('an unlike that arrives before its like keeps the pair unliked (tombstone wins by stamp)', () => {
    const r = replica()
    r.applyLikeState(0, 1, lwwStamp(20, 1), false)
    expect(r.applyLikeState(0, 1, lwwStamp(10, 0), true)).toBe(false)
    expect(r.likeCount[0]).toBe(0)
    expect(r.isLiked(0, 1)).toBe(false)
  })

  it('converges to the same set whatever order the entries arrive in', () => {
    const entries: Array<[number, number, number, boolean]> = [
      [0, 1, lwwStamp(10, 0), true],
      [0, 1, lwwStamp(15, 1), false],
      [0, 1, lwwStamp(12, 2), true],
      [0, 2, lwwStamp(11, 1), true],
      [1, 2, lwwStamp(11, 0), true],
      [1, 2, lwwStamp(11, 1), false],
      [1, 3, lwwStamp(5, 0), true],
    ]
    const forward = replica()
    const backward = replica()
    for (const e of entries) forward.applyLikeState(...e)
    for (const e of [...entries].reverse()) backward.applyLikeState(...e)
    expect(Array.from(forward.likeCount)).toEqual([1, 1, 0, 0])
    expect(Array.from(backward.likeCount)).toEqual(Array.from(forward.likeCount))
    expect(backward.countsDigest(4)).toBe(forward.countsDigest(4))
  })

  it('applyEntry dispatches like-state and view entries', () => {
    const r = replica()
    r.applyEntry(ENTRY_LIKE_STATE, 2, 5, lwwStamp(1, 0), true, 0)
    r.applyEntry(ENTRY_VIEW, 2, 5, 0, true, 0)
    r.applyEntry(ENTRY_VIEW, 2, 5, 0, false, 0)
    expect(r.likeCount[2]).toBe(1)
    expect(r.viewCount[2]).toBe(2)
    expect(r.uniqueViewers[2]).toBe(1)
  })

  it('handles many users per video and many pairs (slot pools grow)', () => {
    const r = replica(true, 3)
    for (let user = 0; user < 5000; user++) r.applyLikeState(user % 3, user, lwwStamp(user, 0), true)
    for (let user = 0; user < 5000; user += 2) r.applyLikeState(user % 3, user, lwwStamp(10_000, 0), false)
    const expected = [0, 1, 2].map((v) => Array.from({ length: 5000 }, (_, u) => u).filter((u) => u % 3 === v && u % 2 === 1).length)
    expect(Array.from(r.likeCount)).toEqual(expected)
    expect(r.isLiked(1, 4999)).toBe(true)
    expect(r.isLiked(0, 4998)).toBe(false)
  })
})

describe('RegionReplica naive counter (countFromLikeSet: false)', () => {
  it('double-counts a repeated like', () => {
    const r = replica(false)
    expect(r.applyLikeState(0, 1, lwwStamp(10, 0), true)).toBe(true)
    expect(r.applyLikeState(0, 1, lwwStamp(11, 0), true)).toBe(false)
    expect(r.likeCount[0]).toBe(2)
    // even the very same write arriving twice
    const stamp = lwwStamp(12, 0)
    r.applyLikeState(0, 2, stamp, true)
    r.applyLikeState(0, 2, stamp, true)
    expect(r.likeCount[0]).toBe(4)
  })

  it('applies an older stamp after a newer one (last applied wins)', () => {
    const r = replica(false)
    r.applyLikeState(0, 1, lwwStamp(20, 0), false)
    r.applyLikeState(0, 1, lwwStamp(10, 0), true)
    expect(r.isLiked(0, 1)).toBe(true)
  })

  it('clamps the counter at 0 on unlikes that were never liked', () => {
    const r = replica(false)
    r.applyLikeState(0, 1, lwwStamp(10, 0), false)
    r.applyLikeState(0, 2, lwwStamp(10, 0), false)
    expect(r.likeCount[0]).toBe(0)
    r.applyLikeState(0, 3, lwwStamp(11, 0), true)
    expect(r.likeCount[0]).toBe(1)
  })
})

describe('RegionReplica views', () => {
  it('applyView adds one view; the first flag adds one unique viewer', () => {
    const r = replica()
    r.applyView(1, true)
    r.applyView(1, false)
    r.applyView(1, false)
    r.applyView(1, true)
    expect(r.viewCount[1]).toBe(4)
    expect(r.uniqueViewers[1]).toBe(2)
    expect(r.viewCount[0]).toBe(0)
  })
})

describe('RegionReplica likedVideos index', () => {
  it('tracks the videos a user currently likes', () => {
    const r = replica()
    expect(r.likedVideos(1)).toBeUndefined()
    r.applyLikeState(0, 1, lwwStamp(1, 0), true)
    r.applyLikeState(2, 1, lwwStamp(2, 0), true)
    r.applyLikeState(3, 2, lwwStamp(3, 0), true)
    expect(Array.from(r.likedVideos(1) ?? []).sort()).toEqual([0, 2])
    r.applyLikeState(0, 1, lwwStamp(4, 0), false)
    expect(Array.from(r.likedVideos(1) ?? [])).toEqual([2])
    // an ignored (older) write does not touch the index
    r.applyLikeState(2, 1, lwwStamp(1, 0), false)
    expect(Array.from(r.likedVideos(1) ?? [])).toEqual([2])
    expect(Array.from(r.likedVideos(2) ?? [])).toEqual([3])
  })

  it('naive mode keeps the index right too', () => {
    const r = replica(false)
    r.applyLikeState(0, 1, lwwStamp(1, 0), true)
    r.applyLikeState(0, 1, lwwStamp(2, 0), true)
    expect(Array.from(r.likedVideos(1) ?? [])).toEqual([0])
    r.applyLikeState(0, 1, lwwStamp(3, 0), false)
    expect(Array.from(r.likedVideos(1) ?? [])).toEqual([])
  })
})

describe('RegionReplica last-known-good', () => {
  it('has no last-known-good value (NaN) until rememberGood', () => {
    const r = replica()
    expect(Number.isNaN(r.lkgAsOfMs[0] as number)).toBe(true)
  })

  it('rememberGood snapshots the counts and the time; later changes do not move it', () => {
    const r = replica()
    r.applyLikeState(1, 1, lwwStamp(1, 0), true)
    r.applyLikeState(1, 2, lwwStamp(1, 0), true)
    r.applyView(1, true)
    r.applyView(1, false)
    r.rememberGood(1, 1234)
    r.applyLikeState(1, 3, lwwStamp(2, 0), true)
    r.applyView(1, true)
    expect(r.lkgLikes[1]).toBe(2)
    expect(r.lkgViews[1]).toBe(2)
    expect(r.lkgUniques[1]).toBe(1)
    expect(r.lkgAsOfMs[1]).toBe(1234)
    expect(Number.isNaN(r.lkgAsOfMs[0] as number)).toBe(true)
  })

  it('ensureVideos keeps existing counts and last-known-good values, new videos start empty', () => {
    const r = replica(true, 2)
    r.applyLikeState(1, 1, lwwStamp(1, 0), true)
    r.rememberGood(1, 50)
    r.ensureVideos(5)
    expect(r.likeCount.length).toBe(5)
    expect(r.likeCount[1]).toBe(1)
    expect(r.lkgAsOfMs[1]).toBe(50)
    expect(Number.isNaN(r.lkgAsOfMs[4] as number)).toBe(true)
    expect(r.likeCount[4]).toBe(0)
    r.ensureVideos(3) // never shrinks
    expect(r.likeCount.length).toBe(5)
  })
})

describe('RegionReplica countsDigest and totals', () => {
  it('is equal for equal counts, whatever the history', () => {
    const a = replica()
    const b = replica()
    a.applyLikeState(0, 1, lwwStamp(1, 0), true)
    a.applyLikeState(0, 2, lwwStamp(1, 0), true)
    a.applyView(3, true)
    b.applyView(3, false)
    b.applyLikeState(0, 7, lwwStamp(9, 1), true)
    b.applyLikeState(0, 8, lwwStamp(9, 1), true)
    b.applyLikeState(0, 9, lwwStamp(9, 1), true)
    b.applyLikeState(0, 9, lwwStamp(10, 1), false)
    expect(a.countsDigest(4)).toBe(b.countsDigest(4))
    expect(a.countsDigest(4)).toMatch(/^[0-9a-f]{8}$/)
  })

  it('differs when a like count or a view count differs', () => {
    const base = replica()
    const moreLikes = replica()
    const moreViews = replica()
    moreLikes.applyLikeState(2, 1, lwwStamp(1, 0), true)
    moreViews.applyView(2, true)
    const digests = new Set([base.countsDigest(4), moreLikes.countsDigest(4), moreViews.countsDigest(4)])
    expect(digests.size).toBe(3)
  })

  it('depends on which video holds the count', () => {
    const a = replica()
    const b = replica()
    a.applyLikeState(0, 1, lwwStamp(1, 0), true)
    b.applyLikeState(1, 1, lwwStamp(1, 0), true)
    expect(a.countsDigest(4)).not.toBe(b.countsDigest(4))
  })

  it('totals sums likes and views', () => {
    const r = replica()
    r.applyLikeState(0, 1, lwwStamp(1, 0), true)
    r.applyLikeState(3, 1, lwwStamp(1, 0), true)
    r.applyView(2, true)
    expect(r.totals(4)).toEqual({ likes: 2, views: 1 })
    expect(r.totals(1)).toEqual({ likes: 1, views: 0 })
  })
})

describe('RegionReplica mergeFrom (anti-entropy after a replication overflow)', () => {
  function region(index: number): RegionReplica {
    const r = new RegionReplica({ id: `r${index}`, index, countFromLikeSet: true, origins: 3 })
    r.ensureVideos(4)
    return r
  }

  it('takes every pair of the source last-writer-wins, and the source origin\'s row of views (the larger wins)', () => {
    const origin = region(1)
    const behind = region(0)
    // what both saw before the overflow
    for (const r of [origin, behind]) {
      r.applyLikeState(0, 1, lwwStamp(1, 1), true)
      r.applyView(2, true, 1)
    }
    // the destination's own later writes, and a newer unlike of a pair the origin still likes
    behind.applyView(2, true, 0)
    behind.applyLikeState(0, 1, lwwStamp(50, 0), false)
    // what the destination missed from origin 1 (and one write origin 1 had from region 2)
    origin.applyLikeState(1, 5, lwwStamp(10, 1), true)
    origin.applyLikeState(3, 6, lwwStamp(11, 2), true)
    origin.applyView(2, false, 1)
    origin.applyView(3, true, 1)
    origin.applyView(3, true, 2)
    expect(behind.mergeFrom(origin, 1)).toBe(3)
    expect(behind.isLiked(0, 1)).toBe(false) // its own newer unlike wins
    expect(behind.isLiked(1, 5) && behind.isLiked(3, 6)).toBe(true)
    expect(Array.from(behind.likeCount)).toEqual([0, 1, 0, 1])
    // video 2: its own view (origin 0) plus origin 1's two; video 3: origin 1's only (origin 2's comes by its own link)
    expect(Array.from(behind.viewCount)).toEqual([0, 0, 3, 1])
    expect(Array.from(behind.uniqueViewers)).toEqual([0, 0, 2, 1])
    // merging again changes nothing
    behind.mergeFrom(origin, 1)
    expect(Array.from(behind.viewCount)).toEqual([0, 0, 3, 1])
    expect(Array.from(behind.likeCount)).toEqual([0, 1, 0, 1])
  })
})

describe('RegionReplica over a pair index shared by the regions', () => {
  function regions(count: number): RegionReplica[] {
    const pairs = new PairIndex(16)
    return Array.from({ length: count }, (_, index) => {
      const r = new RegionReplica({ id: `r${index}`, index, countFromLikeSet: true, origins: count, pairs })
      r.ensureVideos(4)
      return r
    })
  }

  it('a replica that never saw a pair reports it absent, though a sibling holds it', () => {
    const [a, b] = regions(2) as [RegionReplica, RegionReplica]
    a.applyLikeState(2, 7, lwwStamp(1, 0), true)
    expect([a.isLiked(2, 7), b.isLiked(2, 7)]).toEqual([true, false])
    expect([a.likedVideos(7), b.likedVideos(7)]).toEqual([[2], undefined])
    expect([a.snapshot(0).videos.length, b.snapshot(1).videos.length]).toEqual([1, 0])
    expect(Array.from(b.likeCount)).toEqual([0, 0, 0, 0])
    // The pair is new to b: an old unlike still applies (there is nothing newer here to beat it).
    expect(b.applyLikeState(2, 7, lwwStamp(0.5, 1), false)).toBe(false)
    expect([b.isLiked(2, 7), b.snapshot(1).videos.length, b.snapshot(1).liked[0]]).toEqual([false, 1, 0])
  })

  it('merges only the pairs the source holds, last writer wins, and serves them like its own', () => {
    const [origin, behind, other] = regions(3) as [RegionReplica, RegionReplica, RegionReplica]
    other.applyLikeState(0, 1, lwwStamp(1, 2), true) // in the index, never in origin
    origin.applyLikeState(1, 1, lwwStamp(2, 0), true)
    origin.applyLikeState(3, 1, lwwStamp(3, 0), true)
    origin.applyLikeState(3, 2, lwwStamp(4, 0), false)
    behind.applyLikeState(3, 1, lwwStamp(9, 1), false) // newer than origin's like
    expect(behind.mergeFrom(origin, 0)).toBe(3)
    expect([behind.isLiked(0, 1), behind.isLiked(1, 1), behind.isLiked(3, 1), behind.isLiked(3, 2)]).toEqual([false, true, false, false])
    expect(Array.from(behind.likeCount)).toEqual([0, 1, 0, 0])
    expect(behind.likedVideos(1)).toEqual([1])
    // Its snapshot now holds what it merged and its own pairs, each once.
    const snapshot = behind.snapshot(1)
    expect(Array.from(snapshot.videos, (video, at) => `${video}/${snapshot.users[at]}:${snapshot.liked[at]}`).sort()).toEqual(['1/1:1', '3/1:0', '3/2:0'])
  })

  it("lists a user's likes in the order the system first saw each pair, whatever order they reached this replica in", () => {
    const [a, b] = regions(2) as [RegionReplica, RegionReplica]
    // First seen: video 3 (at b), then 0, then 2 (at a).
    b.applyLikeState(3, 5, lwwStamp(1, 1), true)
    a.applyLikeState(0, 5, lwwStamp(2, 0), true)
    a.applyLikeState(2, 5, lwwStamp(3, 0), true)
    expect(a.likedVideos(5)).toEqual([0, 2])
    b.mergeFrom(a, 0)
    a.mergeFrom(b, 1)
    expect([a.likedVideos(5), b.likedVideos(5)]).toEqual([[3, 0, 2], [3, 0, 2]])
    // An unlike and a like again leave the pair in its place.
    a.applyLikeState(3, 5, lwwStamp(4, 0), false)
    expect(a.likedVideos(5)).toEqual([0, 2])
    a.applyLikeState(3, 5, lwwStamp(5, 0), true)
    expect(a.likedVideos(5)).toEqual([3, 0, 2])
  })

  it('keeps every pair right when siblings add ids past its columns', () => {
    const [a, b] = regions(2) as [RegionReplica, RegionReplica]
    for (let user = 0; user < 3000; user++) a.applyLikeState(user % 4, user, lwwStamp(user, 0), true)
    b.applyLikeState(3, 2999, lwwStamp(5000, 1), false)
    b.applyLikeState(2, 123_456, lwwStamp(5000, 1), true)
    expect([b.isLiked(3, 2999), b.isLiked(1, 2999), b.isLiked(2, 123_456), b.isLiked(2, 2)]).toEqual([false, false, true, false])
    expect(b.mergeFrom(a, 0)).toBe(3000)
    expect(Array.from(b.likeCount)).toEqual([750, 750, 751, 749])
    expect([b.likedVideos(2999), b.likedVideos(123_456), b.snapshot(1).videos.length]).toEqual([undefined, [2], 3001])
  })
})
