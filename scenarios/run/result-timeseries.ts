// The result document's time series: per point (buckets merged so a series has at most
// MAX_SERIES_POINTS), the offered and served load, failures, latency percentiles, stale and zero
// reads, each region's replication lag, and the hottest videos' proven likes against those shown.
import { OpKind } from '../../sim/operation.ts'
import type { Population } from '../../sim/population.ts'
import type { HotVideoSeries, TimeSeriesResult } from '../../result/result.ts'
import type { ResultInput } from './build-result.ts'
import { round } from './result-json.ts'
import type { TimeSeries } from './time-series.ts'

/** Charts stay readable and reports small: at most this many points per series. */
export const MAX_SERIES_POINTS = 600
const HOT_VIDEOS = 3

export function timeSeries(input: ResultInput): TimeSeriesResult {
  const { series, setup } = input
  const factor = Math.max(1, Math.ceil(series.buckets / MAX_SERIES_POINTS))
  const points = Math.ceil(series.buckets / factor)
  const range = (point: number): [number, number] => [point * factor, Math.min(series.buckets, (point + 1) * factor)]
  const rate = (array: Int32Array): number[] =>
    Array.from({ length: points }, (_, point) => {
      const [first, end] = range(point)
      let total = 0
      for (let bucket = first; bucket < end; bucket++) total += array[bucket] as number
      return round(total / (((end - first) * series.bucketMs) / 1000), 2)
    })
  const count = (array: Int32Array): number[] =>
    Array.from({ length: points }, (_, point) => {
      const [first, end] = range(point)
      let total = 0
      for (let bucket = first; bucket < end; bucket++) total += array[bucket] as number
      return total
    })
  const percentile = (p: number, from: TimeSeries = series): (number | null)[] => Array.from({ length: points }, (_, point) => from.percentileMs(...range(point), p))
  const replicationLagMs: Record<string, (number | null)[]> = {}
  setup.population.regionIds.forEach((region, index) => {
    const lag = input.lagMs[index] as Float64Array
    replicationLagMs[region] = Array.from({ length: points }, (_, point) => {
      const [first, end] = range(point)
      let worst = Number.NaN
      for (let bucket = first; bucket < end; bucket++) {
        const value = lag[bucket] as number
        if (!Number.isNaN(value) && !(value <= worst)) worst = value
      }
      return Number.isNaN(worst) ? null : round(worst, 1)
    })
  })
  return {
    bucketMs: series.bucketMs * factor,
    tMs: Array.from({ length: points }, (_, point) => point * factor * series.bucketMs),
    offeredRps: rate(series.offered),
    servedRps: rate(series.served),
    shedRps: rate(series.shed),
    failedRps: rate(series.failed),
    timeoutRps: rate(series.timeouts),
    latencyP50Ms: percentile(50),
    latencyP95Ms: percentile(95),
    latencyP99Ms: percentile(99),
    ...(input.open === undefined
      ? {}
      : { openModelLatencyP50Ms: percentile(50, input.open.series), openModelLatencyP95Ms: percentile(95, input.open.series), openModelLatencyP99Ms: percentile(99, input.open.series) }),
    staleReads: count(series.staleReads),
    zeroLikeReads: count(series.zeroLikeReads),
    replicationLagMs,
    hotVideos: hotVideos(input, points, factor),
  }
}

/** The most-liked videos: what the history proves stood, against what readers were shown. */
function hotVideos(input: ResultInput, points: number, factor: number): HotVideoSeries[] {
  const { pairs, history, series, setup } = input
  const population: Population = setup.population
  const endMs = series.buckets * series.bucketMs
  const pairCounts = Array.from({ length: population.videoCount }, (_, video) => pairs.pairEndOf(video) - pairs.firstPairOf(video))
  const candidates = pairCounts
    .map((pairCount, video) => ({ video, pairCount }))
    .sort((a, b) => b.pairCount - a.pairCount || a.video - b.video)
    .slice(0, HOT_VIDEOS)
    .filter((c) => c.pairCount > 0)
  const rankOf = new Int32Array(population.videoCount)
  population.rankToVideo.forEach((video, rank) => {
    rankOf[video] = rank + 1
  })
  const pointMs = series.bucketMs * factor
  return candidates.map(({ video }) => {
    const shownMin: (number | null)[] = new Array(points).fill(null)
    const shownMax: (number | null)[] = new Array(points).fill(null)
    const zeroReads: number[] = new Array(points).fill(0)
    for (let i = 0; i < history.length; i++) {
      if (history.videoOf(i) !== video || !history.isAcknowledged(i, OpKind.ReadVideo)) continue
      const t = history.invokeMsOf(i)
      if (t >= endMs) continue
      const point = Math.min(points - 1, Math.floor(t / pointMs))
      const value = history.likeCountOf(i)
      const min = shownMin[point]
      const max = shownMax[point]
      if (min === null || min === undefined || value < min) shownMin[point] = value
      if (max === null || max === undefined || value > max) shownMax[point] = value
      if (value === 0) zeroReads[point] = (zeroReads[point] as number) + 1
    }
    const trueLikes = Array.from({ length: points }, (_, point) => {
      const at = Math.min(endMs, (point + 1) * pointMs)
      return pairs.bounds(video, at, at)[0]
    })
    return { videoId: population.videoIds.get(video) as string, rank: rankOf[video] as number, trueLikes, shownMin, shownMax, zeroReads }
  })
}
