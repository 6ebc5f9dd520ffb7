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
import type { LikeLog } from './like-log.ts'
import type { DetectionConfig } from './detection-config.ts'

export interface LockstepCluster {
  readonly videos: readonly number[]
  readonly members: readonly number[]
}

const BUCKETS_PER_VIDEO_GRID = 1 << 20

export function findLockstepClusters(log: LikeLog, config: DetectionConfig): LockstepCluster[] {
  const cells = buildCells(log, config.lockstepWindowMs)
  const dense: Array<{ video: number; users: number[] }> = []
  for (const [key, users] of cells) {
    const distinct = Array.from(new Set(users)).sort((a, b) => a - b)
    if (distinct.length >= config.lockstepMinGroup) {
      dense.push({ video: Math.floor(key / (2 * BUCKETS_PER_VIDEO_GRID)), users: distinct })
    }
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
  dense.forEach((cell, index) => {
    for (const user of cell.users) {
      let list = cellsOfUser.get(user)
      if (list === undefined) {
        list = []
        cellsOfUser.set(user, list)
      }
      list.push(index)
    }
  })
  const overlap = new Map<number, number>()
  const n = dense.length
  for (const list of cellsOfUser.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as number
        const b = list[j] as number
        if ((dense[a] as { video: number }).video === (dense[b] as { video: number }).video) continue
        const key = a * n + b
        overlap.set(key, (overlap.get(key) ?? 0) + 1)
      }
    }
  }
  for (const [key, shared] of overlap) {
    const a = Math.floor(key / n)
    const b = key % n
    const sizeA = (dense[a] as { users: number[] }).users.length
    const sizeB = (dense[b] as { users: number[] }).users.length
    const jaccard = shared / (sizeA + sizeB - shared)
    if (jaccard >= config.lockstepMinJaccard) parent[find(a)] = find(b)
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
    }
    const flagged: number[] = []
    for (const [user, liked] of videosByUser) if (liked.size >= needed) flagged.push(user)
    flagged.sort((a, b) => a - b)
    clusters.push({ videos: Array.from(videos).sort((a, b) => a - b), members: flagged })
  }
  return clusters
}

function buildCells(log: LikeLog, windowMs: number): Map<number, number[]> {
  const cells = new Map<number, number[]>()
  const add = (key: number, user: number): void => {
    let users = cells.get(key)
    if (users === undefined) {
      users = []
      cells.set(key, users)
    }
    users.push(user)
  }
  log.forEach((user, video, atMs) => {
    // Shift by a large offset so imported likes with negative times still get non-negative buckets.
    const t = atMs + windowMs * 1_000_000
    const bucketA = Math.floor(t / windowMs) % BUCKETS_PER_VIDEO_GRID
    const bucketB = Math.floor((t + windowMs / 2) / windowMs) % BUCKETS_PER_VIDEO_GRID
    add((video * 2) * BUCKETS_PER_VIDEO_GRID + bucketA, user)
    add((video * 2 + 1) * BUCKETS_PER_VIDEO_GRID + bucketB, user)
  })
  return cells
}
