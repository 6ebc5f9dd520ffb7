// Lockstep detection in the spirit of CopyCatch (Beutel et al., WWW 2013): a group is suspicious
// when at least n accounts each liked at least ρ·m of the same m videos, each like within ±Δt of
// that video's burst. We find it without guessing the group first:
//   1. cut each video's likes into time cells of width Δt (two grids offset by Δt/2, so a burst
//      that straddles a boundary still lands whole in one cell);
//   2. keep dense cells (>= n distinct likers);
//   3. link two dense cells of different videos when their likers' Jaccard similarity is high
//      (SynchroTrap's similarity; random popular-video audiences overlap by a few percent, a farm's
//      cells by a third or more);
//   4. a connected component spanning >= minClusterVideos videos is a campaign; its members are the
//      accounts that liked >= max(minVideos, ρ·m) of its videos inside its cells.
// Cost: one pass to build cells, then overlaps counted through each account's list of dense cells.
// Written as steps that yield between slices of work (work-slice.ts), so a purge over millions of
// likes does not hold a server's event loop; findLockstepClusters runs them at once.
import { runSteps, WHOLE, type Steps } from '../work-slice.ts'
import type { WorkBudget } from './detector-module.ts'
import type { LikeLog } from './like-log.ts'
import type { DetectionConfig } from './detection-config.ts'

export interface LockstepCluster {
  readonly videos: readonly number[]
  readonly members: readonly number[]
}

const BUCKETS_PER_VIDEO_GRID = 1 << 20

/**
 * The most of what a detector has watched that one time cell may span. A cell as long as the
 * watch is no lockstep at all: everything anyone liked falls in it together. In a 60 s swarm world
 * purged at 41 s, a 60 s cell made a genuine heavy user who liked 3 of a farm cluster's 15 popular
 * targets a "member" of it (swarm-40422627434151): a third of a minute is the most a cell may take.
 */
export const LOCKSTEP_MAX_WATCHED_SHARE = 0.5

/** The cell width at `nowMs` (ms since the watch began): the configured window, at most half the watch (and at least a second). */
export function lockstepWindowMsAt(config: DetectionConfig, nowMs: number): number {
  return Math.max(1000, Math.min(config.lockstepWindowMs, nowMs * LOCKSTEP_MAX_WATCHED_SHARE))
}

export function findLockstepClusters(log: LikeLog, config: DetectionConfig, windowMs = config.lockstepWindowMs): LockstepCluster[] {
  return runSteps(lockstepClusterSteps(log, config, windowMs, WHOLE()))
}

/**
 * @param end scan the log up to this `total` (default: as it is when called)
 * @param burstMin a dense cell must also hold this many times the events its video gets per cell
 *   outside it (0: no such test, and the videos' events are not counted). Views need it: a popular
 *   video's audience fills every cell of it, and people who watch the popular videos overlap cell
 *   after cell.
 */
export function* lockstepClusterSteps(log: LikeLog, config: DetectionConfig, windowMs: number, slice: WorkBudget, end = log.total, burstMin = 0): Steps<LockstepCluster[]> {
  const { cells, eventsOfVideo, spanMs } = yield* buildCells(log, windowMs, slice, end, burstMin > 0)
  const dense: Array<{ video: number; users: number[] }> = []
  /** The video's events outside a cell, as events per cell. */
  const outsidePerCell = (inCell: number, ofVideo: number): number => ((ofVideo - inCell) * windowMs) / Math.max(windowMs, spanMs - windowMs)
  for (const [key, users] of cells) {
    const distinct = Array.from(new Set(users)).sort((a, b) => a - b)
    const video = Math.floor(key / (2 * BUCKETS_PER_VIDEO_GRID))
    if (distinct.length >= config.lockstepMinGroup && (burstMin === 0 || users.length >= burstMin * outsidePerCell(users.length, eventsOfVideo.get(video) ?? 0))) {
      dense.push({ video, users: distinct })
    }
    if (slice.tick(users.length)) yield
  }
  if (dense.length === 0) return []
  const parent = dense.map((_, i) => i)
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number
      i = parent[i] as number
    }
    return i
  }
  // Overlaps between dense cells, counted through each account's dense cells.
  const cellsOfUser = new Map<number, number[]>()
  for (let index = 0; index < dense.length; index++) {
    for (const user of (dense[index] as { users: number[] }).users) {
      let list = cellsOfUser.get(user)
      if (list === undefined) {
        list = []
        cellsOfUser.set(user, list)
      }
      list.push(index)
    }
    if (slice.tick((dense[index] as { users: number[] }).users.length)) yield
  }
  // Overlaps of each dense cell with the later ones, counted in a reused array rather than one
  // map entry per pair of cells: a farm's cells overlap pairwise, millions of pairs.
  const n = dense.length
  const shared = new Int32Array(n)
  const touched: number[] = []
  for (let a = 0; a < n; a++) {
    const cellA = dense[a] as { video: number; users: number[] }
    for (const user of cellA.users) {
      for (const b of cellsOfUser.get(user) as number[]) {
        if (slice.tick()) yield
        if (b <= a || (dense[b] as { video: number }).video === cellA.video) continue
        if (shared[b] === 0) touched.push(b)
        shared[b] = (shared[b] as number) + 1
      }
    }
    for (const b of touched) {
      const overlap = shared[b] as number
      shared[b] = 0
      const jaccard = overlap / (cellA.users.length + (dense[b] as { users: number[] }).users.length - overlap)
      if (jaccard >= config.lockstepMinJaccard) parent[find(a)] = find(b)
    }
    touched.length = 0
  }
  const components = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const root = find(i)
    let list = components.get(root)
    if (list === undefined) {
      list = []
      components.set(root, list)
    }
    list.push(i)
    if (slice.tick()) yield
  }
  const clusters: LockstepCluster[] = []
  for (const members of components.values()) {
    const videos = new Set(members.map((i) => (dense[i] as { video: number }).video))
    if (videos.size < config.lockstepMinClusterVideos) continue
    const needed = Math.max(config.lockstepMinVideos, Math.ceil(config.lockstepMinShare * videos.size))
    const videosByUser = new Map<number, Set<number>>()
    for (const i of members) {
      const cell = dense[i] as { video: number; users: number[] }
      for (const user of cell.users) {
        let liked = videosByUser.get(user)
        if (liked === undefined) {
          liked = new Set()
          videosByUser.set(user, liked)
        }
        liked.add(cell.video)
      }
      if (slice.tick()) yield
    }
    const flagged: number[] = []
    for (const [user, liked] of videosByUser) if (liked.size >= needed) flagged.push(user)
    flagged.sort((a, b) => a - b)
    clusters.push({ videos: Array.from(videos).sort((a, b) => a - b), members: flagged })
  }
  return clusters
}

/** @param countVideos also count each video's events and the log's time span (for the burst test) */
function* buildCells(log: LikeLog, windowMs: number, slice: WorkBudget, end: number, countVideos: boolean): Steps<{ cells: Map<number, number[]>; eventsOfVideo: Map<number, number>; spanMs: number }> {
  const cells = new Map<number, number[]>()
  const eventsOfVideo = new Map<number, number>()
  let firstMs = Infinity
  let lastMs = -Infinity
  const add = (key: number, user: number): void => {
    let users = cells.get(key)
    if (users === undefined) {
      users = []
      cells.set(key, users)
    }
    users.push(user)
  }
  yield* log.scan(slice, end, (user, video, atMs) => {
    if (countVideos) {
      eventsOfVideo.set(video, (eventsOfVideo.get(video) ?? 0) + 1)
      if (atMs < firstMs) firstMs = atMs
      if (atMs > lastMs) lastMs = atMs
    }
    // Shift by a large offset so imported likes with negative times still get non-negative buckets.
    const t = atMs + windowMs * 1_000_000
    const bucketA = Math.floor(t / windowMs) % BUCKETS_PER_VIDEO_GRID
    const bucketB = Math.floor((t + windowMs / 2) / windowMs) % BUCKETS_PER_VIDEO_GRID
    add((video * 2) * BUCKETS_PER_VIDEO_GRID + bucketA, user)
    add((video * 2 + 1) * BUCKETS_PER_VIDEO_GRID + bucketB, user)
  })
  return { cells, eventsOfVideo, spanMs: lastMs > firstMs ? lastMs - firstMs : 0 }
}
