// What a system's acknowledged answers showed, as the history records them: the counts of a video,
// a liked flag, and the fresh counts a --target answered before the run's clock started.
/** The counts an acknowledged answer showed (-1 for a count it did not give). */
export interface CountsAnswer {
  likeCount: number
  viewCount: number
  uniqueViewers: number
  stale: boolean
  /** NaN when the answer gave no asOfMs. */
  asOfMs: number
}

/** A fresh answer about a video's counts in a region, read before the run began (History.countsReadBefore). */
export interface CountsReadBefore {
  readonly region: number
  readonly video: number
  /** On this history's clock: before the run, so most often negative. */
  readonly asOfMs: number
}

/** The liked flag an acknowledged read of a like showed. */
export interface LikedAnswer {
  readonly liked: boolean
  readonly stale: boolean
  /** NaN when the answer gave no asOfMs. */
  readonly asOfMs: number
}
