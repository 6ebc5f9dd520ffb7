// One region's copy of the engagement data: the (user, video) like set with last-writer-wins
// stamps, the counts derived from it, views with their unique viewers, and the last-known-good
// counts served when the counter cache is down.
//
// Views and unique viewers are also kept per origin region (a G-counter: each origin's row only
// grows, and its own row is the whole truth about it), so that a replica which missed an origin's
// entries can take that origin's row from it whole (`mergeFrom`) instead of replaying them.
//
// With `countFromLikeSet` the like set is an LWW-element-set (a CRDT): every region applies the
// same entries in any order and ends with the same set, and the count is |likers| by construction,
// so retries and double taps cannot inflate it. Without it the replica keeps a separate counter
// that every like entry bumps and every unlike entry lowers, as a single cached counter does.
import { NO_PAIR, PairIndex } from './pair-index.ts'
import { grown } from './typed-arrays.ts'

export const ENTRY_LIKE_STATE = 0
export const ENTRY_VIEW = 1

/** A pair's state in one replica; UNSEEN (0, what a new column holds) until a write reaches it. */
const UNSEEN = 0
const UNLIKED = 1
const LIKED = 2

/** One replica's pairs and one origin's row of the view counts, as plain arrays. */
export interface ReplicaSnapshot {
  readonly videos: Int32Array
  readonly users: Int32Array
  readonly stamps: Float64Array
  readonly liked: Uint8Array
  /** The origin's views and first views per video. */
  readonly views: Int32Array
  readonly uniques: Int32Array
}

/** LWW stamp: microsecond time with the origin in the low bits (origins < 16) as the tie-break. */
export function lwwStamp(nowMs: number, origin: number): number {
  return Math.round(nowMs * 1000) * 16 + origin
}

export class RegionReplica {
  readonly id: string
  readonly index: number
  /** Regions whose views this replica counts apart (the G-counter's rows). */
  private readonly origins: number
  up = true
  /**
   * The like set. The pairs, their ids and each user's pairs are in the index the system's
   * replicas share; this replica keeps, by pair id, the pair's last applied stamp and its state
   * here (9 bytes a pair). Typed arrays throughout, so updates allocate nothing.
   */
  private readonly pairs: PairIndex
  private pairStamp = new Float64Array(0)
  private pairState = new Uint8Array(0)
  /** Pairs this replica holds (state not UNSEEN). */
  private pairsHeld = 0
  private readonly countFromLikeSet: boolean
  likeCount = new Int32Array(0)
  viewCount = new Int32Array(0)
  uniqueViewers = new Int32Array(0)
  lkgLikes = new Int32Array(0)
  lkgViews = new Int32Array(0)
  lkgUniques = new Int32Array(0)
  /** NaN when no last-known-good value exists. */
  lkgAsOfMs = new Float64Array(0)
  /** Views and first views per (video, origin region), at video * origins + origin. */
  private originViews = new Int32Array(0)
  private originUniques = new Int32Array(0)

  /**
   * @param origins regions that write views (default: this one and those before it)
   * @param pairs the pair index shared by the system's replicas (default: one of its own)
   */
  constructor({ id, index, countFromLikeSet, origins = index + 1, pairs = new PairIndex() }: { id: string; index: number; countFromLikeSet: boolean; origins?: number; pairs?: PairIndex }) {
    this.id = id
    this.index = index
    this.countFromLikeSet = countFromLikeSet
    this.origins = origins
    this.pairs = pairs
  }

  ensureVideos(count: number): void {
    if (count <= this.likeCount.length) return
    const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T, fill?: number): T => {
      const next = make(count)
      if (fill !== undefined) next.fill(fill)
      next.set(old as never)
      return next
    }
    this.likeCount = grow(this.likeCount, (n) => new Int32Array(n))
    this.viewCount = grow(this.viewCount, (n) => new Int32Array(n))
    this.uniqueViewers = grow(this.uniqueViewers, (n) => new Int32Array(n))
    this.lkgLikes = grow(this.lkgLikes, (n) => new Int32Array(n))
    this.lkgViews = grow(this.lkgViews, (n) => new Int32Array(n))
    this.lkgUniques = grow(this.lkgUniques, (n) => new Int32Array(n))
    this.lkgAsOfMs = grow(this.lkgAsOfMs, (n) => new Float64Array(n), Number.NaN)
    this.originViews = grown(this.originViews, new Int32Array(count * this.origins))
    this.originUniques = grown(this.originUniques, new Int32Array(count * this.origins))
  }


  applyEntry(kind: number, video: number, user: number, stamp: number, flag: boolean, origin: number): void {
    if (kind === ENTRY_LIKE_STATE) this.applyLikeState(video, user, stamp, flag)
    else if (kind === ENTRY_VIEW) this.applyView(video, flag, origin)
  }

  /**
   * Anti-entropy from an origin region's replica: every pair it holds, merged last-writer-wins
   * (its own writes and any it received; older stamps change nothing), and its row of the view
   * G-counter (the larger count wins). Returns the pairs gone through.
   */
  mergeFrom(source: RegionReplica, origin: number): number {
    return this.mergeSnapshot(source.snapshot(origin), origin)
  }

  /**
   * What `mergeFrom` takes from this replica, as plain data (a message can carry it). Pairs come
   * in id order; the order they are merged in changes nothing (last writer wins per pair, and a
   * user's liked list follows the shared index).
   */
  snapshot(origin: number): ReplicaSnapshot {
    const size = this.pairsHeld
    const snapshot: ReplicaSnapshot = {
      videos: new Int32Array(size),
      users: new Int32Array(size),
      stamps: new Float64Array(size),
      liked: new Uint8Array(size),
      views: new Int32Array(this.likeCount.length),
      uniques: new Int32Array(this.likeCount.length),
    }
    let at = 0
    const ids = Math.min(this.pairs.size, this.pairState.length)
    for (let pair = 0; pair < ids; pair++) {
      const state = this.pairState[pair] as number
      if (state === UNSEEN) continue
      snapshot.videos[at] = this.pairs.videoOf(pair)
      snapshot.users[at] = this.pairs.userOf(pair)
      snapshot.stamps[at] = this.pairStamp[pair] as number
      snapshot.liked[at] = state === LIKED ? 1 : 0
      at++
    }
    for (let video = 0; video < this.likeCount.length; video++) {
      snapshot.views[video] = this.originViews[video * this.origins + origin] as number
      snapshot.uniques[video] = this.originUniques[video * this.origins + origin] as number
    }
    return snapshot
  }

  /** Merge a snapshot of `origin`'s replica (see mergeFrom). Returns the pairs gone through. */
  mergeSnapshot(source: ReplicaSnapshot, origin: number): number {
    for (let at = 0; at < source.videos.length; at++) {
      this.applyLikeState(source.videos[at] as number, source.users[at] as number, source.stamps[at] as number, source.liked[at] === 1)
    }
    const videos = Math.min(this.likeCount.length, source.views.length)
    for (let video = 0; video < videos; video++) {
      const at = video * this.origins + origin
      const views = (source.views[video] as number) - (this.originViews[at] as number)
      if (views > 0) {
        this.viewCount[video] = (this.viewCount[video] as number) + views
        this.originViews[at] = source.views[video] as number
      }
      const uniques = (source.uniques[video] as number) - (this.originUniques[at] as number)
      if (uniques > 0) {
        this.uniqueViewers[video] = (this.uniqueViewers[video] as number) + uniques
        this.originUniques[at] = source.uniques[video] as number
      }
    }
    return source.videos.length
  }

  /** Returns true when the pair's liked state changed. */
  applyLikeState(video: number, user: number, stamp: number, liked: boolean): boolean {
    const pair = this.pairs.intern(video, user)
    if (pair >= this.pairState.length) this.growPairs()
    const state = this.pairState[pair] as number
    if (state === UNSEEN) this.pairsHeld++
    else if (this.countFromLikeSet && (this.pairStamp[pair] as number) >= stamp) {
      // Last writer wins; an equal stamp is the same write arriving twice.
      return false
    }
    const wasLiked = state === LIKED
    this.pairStamp[pair] = stamp
    this.pairState[pair] = liked ? LIKED : UNLIKED
    if (this.countFromLikeSet) {
      if (liked === wasLiked) return false
      this.likeCount[video] = (this.likeCount[video] as number) + (liked ? 1 : -1)
    } else {
      // Last applied wins, and the counter moves whatever the set said before.
      const count = (this.likeCount[video] as number) + (liked ? 1 : -1)
      this.likeCount[video] = count < 0 ? 0 : count
      if (liked === wasLiked) return false
    }
    return true
  }

  /**
   * A view: the total grows by one; the unique-viewer count grows when this is the pair's first
   * view, which the origin decided against the global viewer set (a union, so every region ends
   * with the same count whatever order the entries arrive in).
   */
  applyView(video: number, firstForViewer: boolean, origin = this.index): void {
    const at = video * this.origins + origin
    this.viewCount[video] = (this.viewCount[video] as number) + 1
    this.originViews[at] = (this.originViews[at] as number) + 1
    if (firstForViewer) {
      this.uniqueViewers[video] = (this.uniqueViewers[video] as number) + 1
      this.originUniques[at] = (this.originUniques[at] as number) + 1
    }
  }

  /**
   * A purge took an account's views of the video away: the counts drop, the origin rows do not
   * (they only grow, and anti-entropy merges them by max), so the removal is applied once per
   * replica, apart from them. A view of the account still on its way lands in its origin row
   * later and the counts end right (counting-system's account-views.ts).
   */
  removeViews(video: number, views: number, uniques: number): void {
    this.viewCount[video] = (this.viewCount[video] as number) - views
    this.uniqueViewers[video] = (this.uniqueViewers[video] as number) - uniques
  }

  isLiked(video: number, user: number): boolean {
    const pair = this.pairs.find(video, user)
    return pair !== NO_PAIR && this.pairState[pair] === LIKED
  }

  /**
   * The videos a user currently likes here, in the order the system first saw each pair (a fresh
   * array: the caller may sort it; both callers do); undefined when none. It walks every pair of
   * the user's that any region has seen, liked here or not: a user's pairs are few.
   */
  likedVideos(user: number): number[] | undefined {
    const videos: number[] = []
    for (let pair = this.pairs.newestOf(user); pair !== NO_PAIR; pair = this.pairs.olderThan(pair)) {
      if (this.pairState[pair] === LIKED) videos.push(this.pairs.videoOf(pair))
    }
    return videos.length === 0 ? undefined : videos.reverse()
  }

  rememberGood(video: number, asOfMs: number): void {
    this.lkgLikes[video] = this.likeCount[video] as number
    this.lkgViews[video] = this.viewCount[video] as number
    this.lkgUniques[video] = this.uniqueViewers[video] as number
    this.lkgAsOfMs[video] = asOfMs
  }

  /** Forget a video's counts (the like set is kept): what evicting a cache-only counter does. */
  evictCounts(video: number): void {
    this.likeCount[video] = 0
    this.viewCount[video] = 0
    this.uniqueViewers[video] = 0
    this.lkgAsOfMs[video] = Number.NaN
  }

  /** Order-independent digest of the counts, to compare regions cheaply (FNV-1a over the arrays). */
  countsDigest(videoCount: number): string {
    let hash = 0x811c9dc5
    for (let video = 0; video < videoCount; video++) {
      hash = Math.imul(hash ^ (this.likeCount[video] as number), 0x01000193)
      hash = Math.imul(hash ^ (this.viewCount[video] as number), 0x01000193)
    }
    return (hash >>> 0).toString(16).padStart(8, '0')
  }

  totals(videoCount: number): { likes: number; views: number } {
    let likes = 0
    let views = 0
    for (let video = 0; video < videoCount; video++) {
      likes += this.likeCount[video] as number
      views += this.viewCount[video] as number
    }
    return { likes, views }
  }

  /** Columns for every id the shared index can hold now (zero: UNSEEN). */
  private growPairs(): void {
    const ids = this.pairs.idCapacity
    this.pairStamp = grown(this.pairStamp, new Float64Array(ids))
    this.pairState = grown(this.pairState, new Uint8Array(ids))
  }
}
