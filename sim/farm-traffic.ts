// The bot farms' traffic, pre-generated per farm and sorted by time: the traffic generator merges
// it with the genuine sessions.
import { logNormal, standardNormal } from './distributions.ts'
import { farmActiveFromS } from './farm-traits.ts'
import { OpKind } from './operation.ts'
import type { RandomStream } from './rng.ts'
import type { TrafficPopulation } from './traffic.ts'
import type { FanGroupInstance } from './population.ts'
import type { BehaviourSpec, FarmSpec } from './world-spec.ts'

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

/** What the farm traits need of the world, and the stream their draws come from (not the farm's own). */
export interface FarmWorld {
  readonly behaviour: BehaviourSpec
  readonly dayLengthS: number
  readonly traits: RandomStream
}

type Row = [number, number, number, number, number]

/**
 * A hijacked account's owner before the takeover: a moderately active person. The run compresses
 * days, so this stays well under REFERENCES' 200-400 views per active user per day.
 */
const HIJACKED_VIEWS_PER_DAY = 20

/**
 * A farm's likes, pre-generated and sorted. Careless farms work through their ordered targets in
 * lockstep: target j is liked around the centre of its slot of the burst. Stealthy farms spread
 * likes over the whole run, mix in likes of popular videos, and watch some of what they like.
 * Traits (sim/farm-traits.ts) shape when and how; a farm without traits draws exactly as before.
 */
export function generateFarmOps(index: number, population: TrafficPopulation, durationMs: number, stream: RandomStream, world?: FarmWorld): FarmOps {
  const farm = population.farms[index]
  const rows: Row[] = []
  if (farm !== undefined) {
    const { spec: farmSpec, members, targets } = farm
    const waves = farmWaves(farmSpec, durationMs)
    const fresh = new Set(farm.fresh)
    const traits = world?.traits ?? stream
    const watchMs = (): number => {
      if (farmSpec.paidHumans === true && world !== undefined) {
        const b = world.behaviour
        return Math.max(1, Math.round(Math.min(b.watchMaxMs, logNormal(traits, { median: b.watchMedianMs, sigma: b.watchSigma }))))
      }
      return Math.round(traits.between(1000, 3000))
    }
    // One paid act: a like (after a view when paid humans do it), or a fake view for a view farm.
    const act = (at: number, user: number, video: number): void => {
      if (farmSpec.viewsOnly === true) {
        rows.push([at, OpKind.View, user, video, watchMs()])
        return
      }
      if (farmSpec.paidHumans === true) {
        const ms = watchMs()
        rows.push([Math.max(0, at - ms), OpKind.View, user, video, ms])
      }
      rows.push([at, OpKind.Like, user, video, 0])
    }
    for (const user of members) {
      if (farmSpec.hijacked === true && world !== undefined) ownerHistory({ rows, user, untilMs: (farmSpec.takeoverS ?? 0) * 1000, population, world })
      waves.forEach((wave, w) => {
        // A returning farm's replacements were bought for its return.
        if (w === 0 && waves.length > 1 && fresh.has(user)) return
        const startMs = wave.startMs
        const endMs = startMs + wave.lengthMs
        if (farmSpec.kind === 'flood') {
          // A flood: Poisson requests at requestsPerS for the burst, mostly reads of popular
          // videos, some views and likes (none of which may count if they are rejected).
          let at = startMs + stream.exponential(1000 / farmSpec.requestsPerS)
          while (at < endMs) {
            const video = population.rankToVideo[population.popularity.sample(stream)] as number
            const u = stream.next()
            if (u < 0.6) rows.push([at, OpKind.ReadVideo, user, video, 0])
            else if (u < 0.9) rows.push([at, OpKind.View, user, video, 1000])
            else rows.push([at, OpKind.Like, user, video, 0])
            at += stream.exponential(1000 / farmSpec.requestsPerS)
          }
        } else if (farmSpec.kind === 'careless') {
          const burstMs = wave.lengthMs
          const slotMs = burstMs / targets.length
          targets.forEach((video, j) => {
            if (!stream.chance(farmSpec.likeShare)) return
            const centre = startMs + (j + 0.5) * slotMs
            const at = Math.min(startMs + burstMs, Math.max(startMs, centre + standardNormal(stream) * slotMs * 0.5))
            act(at, user, video)
          })
        } else {
          const liked: number[] = []
          for (const video of targets) if (stream.chance(farmSpec.likeShare)) liked.push(video)
          for (let i = 0; i < farmSpec.coverLikes; i++) liked.push(population.rankToVideo[population.popularity.sample(stream)] as number)
          const videos = [...new Set(liked)]
          if (farmSpec.dripPerDay !== undefined && world !== undefined) {
            // A drip: one like every dayLength / dripPerDay on average, until the wave ends.
            const gapMs = (world.dayLengthS * 1000) / farmSpec.dripPerDay
            let at = startMs + traits.exponential(gapMs)
            for (const video of traits.shuffle(videos)) {
              if (at >= endMs) break
              act(at, user, video)
              at += traits.exponential(gapMs)
            }
            return
          }
          for (const video of videos) {
            const at = stream.between(startMs, endMs - 1)
            if (farmSpec.viewsOnly === true || farmSpec.paidHumans === true) {
              act(at, user, video)
              continue
            }
            if (stream.chance(farmSpec.watchShare)) {
              const watchMs = Math.round(stream.between(1000, 3000))
              rows.push([Math.max(0, at - watchMs), OpKind.View, user, video, watchMs])
            }
            rows.push([at, OpKind.Like, user, video, 0])
          }
        }
      })
    }
  }
  return toColumns(rows, population, durationMs)
}

/**
 * When the farm works: careless farms and floods in their burst, stealthy farms from when they are
 * active to the end of the run; a returning farm again from its return (a second burst, or the
 * rest of the run).
 */
export function farmWaves(spec: FarmSpec, durationMs: number): Array<{ startMs: number; lengthMs: number }> {
  const burst = spec.kind !== 'stealthy'
  const activeFromMs = farmActiveFromS(spec) * 1000
  const first = burst ? { startMs: spec.startS * 1000, lengthMs: spec.burstS * 1000 } : { startMs: activeFromMs, lengthMs: durationMs - activeFromMs }
  if (spec.returnsAfterPurgeS === undefined) return [first]
  const returnMs = spec.returnsAfterPurgeS * 1000
  if (burst) return [first, { startMs: returnMs, lengthMs: spec.burstS * 1000 }]
  return [{ startMs: first.startMs, lengthMs: returnMs - first.startMs }, { startMs: returnMs, lengthMs: durationMs - returnMs }]
}

/** A hijacked account's owner before the takeover: popular videos watched as people watch, some liked. */
function ownerHistory({ rows, user, untilMs, population, world }: { rows: Row[]; user: number; untilMs: number; population: TrafficPopulation; world: FarmWorld }): void {
  const { traits, behaviour: b } = world
  const gapMs = (world.dayLengthS * 1000) / HIJACKED_VIEWS_PER_DAY
  const liked = new Set<number>()
  for (let at = traits.exponential(gapMs); at < untilMs; at += traits.exponential(gapMs)) {
    const video = population.rankToVideo[population.popularity.sample(traits)] as number
    const watchMs = Math.max(1, Math.round(Math.min(b.watchMaxMs, logNormal(traits, { median: b.watchMedianMs, sigma: b.watchSigma }))))
    rows.push([at, OpKind.View, user, video, watchMs])
    if (!liked.has(video) && traits.chance(b.likeAfterViewP)) {
      liked.add(video)
      rows.push([Math.min(untilMs - 1, at + watchMs), OpKind.Like, user, video, 0])
    }
  }
}

/**
 * A fan group's views and likes: each fan watches (most of) and likes a share of the creator's
 * videos at random times over the run, and joins some watch parties, where the fans who come like
 * one video within a few minutes of each other. Fans watch what they like, all of it or nearly.
 */
export function generateFanOps(group: FanGroupInstance, population: TrafficPopulation, durationMs: number, stream: RandomStream): FarmOps {
  const rows: Row[] = []
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

function toColumns(rows: Row[], population: TrafficPopulation, durationMs: number): FarmOps {
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
