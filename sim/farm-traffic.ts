// The bot farms' traffic, pre-generated per farm and sorted by time: the traffic generator merges
// it with the genuine sessions.
import { standardNormal } from './distributions.ts'
import { OpKind } from './operation.ts'
import type { RandomStream } from './rng.ts'
import type { TrafficPopulation } from './traffic.ts'
import type { FanGroupInstance } from './population.ts'

/** One farm's operations as columns, and how far the merge has taken them. */
export interface FarmOps {
  readonly atMs: Float64Array
  readonly kind: Uint8Array
  readonly user: Int32Array
  /** The account's home region. */
  readonly home: Uint8Array
  readonly video: Int32Array
  readonly watchMs: Int32Array
  cursor: number
}

/**
 * A farm's likes, pre-generated and sorted. Careless farms work through their ordered targets in
 * lockstep: target j is liked around the centre of its slot of the burst. Stealthy farms spread
 * likes over the whole run, mix in likes of popular videos, and watch some of what they like.
 */
export function generateFarmOps(index: number, population: TrafficPopulation, durationMs: number, stream: RandomStream): FarmOps {
  const farm = population.farms[index]
  const rows: Array<[number, number, number, number, number]> = []
  if (farm !== undefined) {
    const { spec: farmSpec, members, targets } = farm
    const startMs = farmSpec.startS * 1000
    const burstMs = farmSpec.burstS * 1000
    const slotMs = burstMs / targets.length
    for (const user of members) {
      if (farmSpec.kind === 'flood') {
        // A flood: Poisson requests at requestsPerS for the burst, mostly reads of popular
        // videos, some views and likes (none of which may count if they are rejected).
        let at = startMs + stream.exponential(1000 / farmSpec.requestsPerS)
        while (at < startMs + burstMs) {
          const video = population.rankToVideo[population.popularity.sample(stream)] as number
          const u = stream.next()
          if (u < 0.6) rows.push([at, OpKind.ReadVideo, user, video, 0])
          else if (u < 0.9) rows.push([at, OpKind.View, user, video, 1000])
          else rows.push([at, OpKind.Like, user, video, 0])
          at += stream.exponential(1000 / farmSpec.requestsPerS)
        }
      } else if (farmSpec.kind === 'careless') {
        targets.forEach((video, j) => {
          if (!stream.chance(farmSpec.likeShare)) return
          const centre = startMs + (j + 0.5) * slotMs
          const at = Math.min(startMs + burstMs, Math.max(startMs, centre + standardNormal(stream) * slotMs * 0.5))
          rows.push([at, OpKind.Like, user, video, 0])
        })
      } else {
        const liked: number[] = []
        for (const video of targets) if (stream.chance(farmSpec.likeShare)) liked.push(video)
        for (let i = 0; i < farmSpec.coverLikes; i++) liked.push(population.rankToVideo[population.popularity.sample(stream)] as number)
        for (const video of new Set(liked)) {
          const at = stream.between(0, durationMs - 1)
          if (stream.chance(farmSpec.watchShare)) {
            const watchMs = Math.round(stream.between(1000, 3000))
            rows.push([Math.max(0, at - watchMs), OpKind.View, user, video, watchMs])
          }
          rows.push([at, OpKind.Like, user, video, 0])
        }
      }
    }
  }
  return toColumns(rows, population, durationMs)
}

/**
 * A fan group's views and likes: each fan watches (most of) and likes a share of the creator's
 * videos at random times over the run, and joins some watch parties, where the fans who come like
 * one video within a few minutes of each other. Fans watch what they like, all of it or nearly.
 */
export function generateFanOps(group: FanGroupInstance, population: TrafficPopulation, durationMs: number, stream: RandomStream): FarmOps {
  const rows: Array<[number, number, number, number, number]> = []
  const { spec, members, videos } = group
  const windowMs = spec.partyWindowS * 1000
  const parties = Array.from({ length: videos.length === 0 ? 0 : spec.parties }, () => ({
    video: videos[stream.int(videos.length)] as number,
    startMs: stream.between(0, Math.max(0, durationMs - windowMs)),
  }))
  const watch = (user: number, video: number, likeAt: number): void => {
    const watchMs = Math.round(stream.between(8000, 40_000))
    rows.push([Math.max(0, likeAt - watchMs), OpKind.View, user, video, watchMs])
    rows.push([likeAt, OpKind.Like, user, video, 0])
  }
  for (const user of members) {
    const liked = new Set<number>()
    for (const party of parties) {
      if (!stream.chance(spec.partyShare) || liked.has(party.video)) continue
      liked.add(party.video)
      watch(user, party.video, party.startMs + stream.between(0, windowMs))
    }
    for (const video of videos) {
      if (liked.has(video) || !stream.chance(spec.likeShare)) continue
      liked.add(video)
      watch(user, video, stream.between(0, durationMs - 1))
    }
  }
  return toColumns(rows, population, durationMs)
}

function toColumns(rows: Array<[number, number, number, number, number]>, population: TrafficPopulation, durationMs: number): FarmOps {
  rows.sort((a, b) => a[0] - b[0])
  const kept = rows.filter((row) => row[0] < durationMs)
  return {
    atMs: Float64Array.from(kept, (row) => row[0]),
    kind: Uint8Array.from(kept, (row) => row[1]),
    user: Int32Array.from(kept, (row) => row[2]),
    home: Uint8Array.from(kept, (row) => population.userRegion[row[2]] as number),
    video: Int32Array.from(kept, (row) => row[3]),
    watchMs: Int32Array.from(kept, (row) => row[4]),
    cursor: 0,
  }
}
