// One region's store for set-counter.ts: the like set — for each (user, video) the last write the
// region knows, liked or not, with its stamp — and each video's counts, derived from it. A write
// applies only if its stamp is newer than what is known of the pair (last writer wins), so a retry,
// a double tap or a copy the network delivers twice changes nothing twice, and writes that arrive
// in any order end in the same state in every region. Durable: it survives an outage.

/** What one region knows of one (user, video) pair. */
interface PairState {
  liked: boolean
  stamp: number
}

export class RegionStore {
  /** The like set: by user, then by video. */
  readonly likes = new Map<number, Map<number, PairState>>()
  likeCount: number[] = []
  viewCount: number[] = []
  uniqueViewers: number[] = []

  /** `likeCountDelta`: how a write that applies moves its video's count (set-counter: only a change of the pair's state). */
  constructor(private readonly likeCountDelta: (wasLiked: boolean, liked: boolean) => number) {}

  /** Apply a write of a pair if it is newer than what is known of it; true when the pair's state changed. */
  apply(user: number, video: number, liked: boolean, stamp: number): boolean {
    let videos = this.likes.get(user)
    if (videos === undefined) this.likes.set(user, (videos = new Map()))
    const known = videos.get(video)
    if (known !== undefined && known.stamp >= stamp) return false
    const wasLiked = known?.liked ?? false
    videos.set(video, { liked, stamp })
    this.likeCount[video] = (this.likeCount[video] ?? 0) + this.likeCountDelta(wasLiked, liked)
    return wasLiked !== liked
  }

  isLiked(user: number, video: number): boolean {
    return this.likes.get(user)?.get(video)?.liked === true
  }

  likedVideos(user: number): number[] {
    return [...(this.likes.get(user) ?? [])].filter(([, state]) => state.liked).map(([video]) => video)
  }

  view(video: number, firstView: boolean): void {
    this.viewCount[video] = (this.viewCount[video] ?? 0) + 1
    if (firstView) this.uniqueViewers[video] = (this.uniqueViewers[video] ?? 0) + 1
  }

  /**
   * A purge took an account's views of the video away. Each view reaches each region exactly once
   * (set-replication.ts), so one still on its way lands later and the counts end right; until then
   * the region may count below zero, which its answers show as 0.
   */
  removeViews(video: number, views: number, uniques: number): void {
    this.viewCount[video] = (this.viewCount[video] ?? 0) - views
    this.uniqueViewers[video] = (this.uniqueViewers[video] ?? 0) - uniques
  }

  /** Every video's counts as one string: equal strings, equal counts (regions compare them to converge). */
  digest(videoCount: number): string {
    let hash = 0x811c9dc5
    for (let video = 0; video < videoCount; video++) {
      for (const value of [this.likeCount[video] ?? 0, this.viewCount[video] ?? 0, this.uniqueViewers[video] ?? 0]) hash = Math.imul(hash ^ value, 0x01000193)
    }
    return (hash >>> 0).toString(16)
  }
}

/**
 * Each account's views (user -> video -> views, and whether it was a unique viewer), kept so that
 * a purge can remove them; one for every region, like the platform's view log.
 */
export class AccountViews {
  private readonly byUser = new Map<number, Map<number, { views: number; unique: boolean }>>()

  record(user: number, video: number, firstView: boolean): void {
    let videos = this.byUser.get(user)
    if (videos === undefined) this.byUser.set(user, (videos = new Map()))
    const seen = videos.get(video) ?? { views: 0, unique: false }
    videos.set(video, { views: seen.views + 1, unique: seen.unique || firstView })
  }

  /** The account's views by video, in video order, forgotten (a purged account views nothing more). */
  take(user: number): Array<{ video: number; views: number; unique: boolean }> {
    const videos = this.byUser.get(user) ?? new Map<number, { views: number; unique: boolean }>()
    this.byUser.delete(user)
    return [...videos].map(([video, seen]) => ({ video, ...seen })).sort((a, b) => a.video - b.video)
  }
}

/**
 * Last-writer-wins stamps: the time in microseconds, then the origin (16 origins at most: the
 * regions, then the platform), as one number that orders writes. An origin never gives a stamp
 * twice: two writes in one microsecond get consecutive ones, the later winning.
 */
export class Stamps {
  private readonly last: number[]

  constructor(origins: number) {
    this.last = Array.from({ length: origins }, () => -Infinity)
  }

  next(origin: number, nowMs: number): number {
    const stamp = Math.max(Math.round(nowMs * 1000) * 16 + origin, (this.last[origin] as number) + 16)
    this.last[origin] = stamp
    return stamp
  }
}
