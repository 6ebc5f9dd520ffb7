// The charts of an HTML report as plain data (pure): which series, on which axis, in what unit,
// over one shared time axis in seconds, with the fault windows and purge moments every chart
// shades. The browser side (html/report-client.js) only draws what this describes.
import type { RunResult } from '../result/result.ts'
import { downsample, downsampleFactor, MAX_CHART_POINTS, type Combine } from './downsample.ts'
import { formatCount } from './format.ts'

export interface ChartSeries {
  readonly label: string
  readonly color: string
  readonly values: readonly (number | null)[]
  readonly widthPx?: number
  readonly dash?: readonly number[]
  /** Drawn as bars on the right-hand axis. */
  readonly bars?: boolean
  /** Plotted against the right-hand axis (unit: the chart's `y2Unit`). */
  readonly right?: boolean
}

export interface ChartSpec {
  readonly id: string
  readonly title: string
  /** One sentence: what to look for. */
  readonly caption: string
  readonly unit: string
  readonly y2Unit?: string
  readonly log?: boolean
  readonly series: readonly ChartSeries[]
  /** Shade between two series (indexes into `series`): the range readers were shown. */
  readonly band?: { readonly upper: number; readonly lower: number; readonly color: string }
  /** The hot video this chart follows (check examples about it jump here). */
  readonly videoId?: string
}

export interface ChartWindow {
  readonly label: string
  readonly kind: string
  readonly startS: number
  readonly endS: number
  readonly skipped: boolean
}

export interface ChartMarker {
  readonly label: string
  readonly atS: number
}

export interface ChartModel {
  readonly xS: readonly number[]
  readonly durationS: number
  readonly windows: readonly ChartWindow[]
  readonly markers: readonly ChartMarker[]
  readonly charts: readonly ChartSpec[]
}

/** Optional series a mode-http result adds: latency from the intended send time (open model). */
interface OpenModelSeries {
  readonly openModelLatencyP50Ms?: readonly (number | null)[]
  readonly openModelLatencyP95Ms?: readonly (number | null)[]
  readonly openModelLatencyP99Ms?: readonly (number | null)[]
}

const COLOR = {
  offered: '#8a94a6',
  served: '#1f9d55',
  shed: '#e67e22',
  failed: '#d64545',
  timeout: '#8e44ad',
  p50: '#2f80ed',
  p95: '#f2994a',
  p99: '#d64545',
  truth: '#1b1f24',
  shownMax: '#2f80ed',
  shownMin: '#d64545',
  zero: 'rgba(214, 69, 69, 0.55)',
  stale: '#f2994a',
  accounts: '#8e44ad',
  likes: '#d64545',
} as const
const REGION_COLORS = ['#2f80ed', '#1f9d55', '#e67e22', '#8e44ad', '#d64545', '#00a3a3', '#b8860b', '#6b7280']

const round = (value: number | null, digits: number): number | null => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits)

export function buildChartModel(result: RunResult): ChartModel {
  const ts = result.timeseries
  const factor = downsampleFactor(ts.tMs.length, MAX_CHART_POINTS)
  const series = (values: readonly (number | null)[], how: Combine, digits = 2): (number | null)[] => downsample(values, factor, how).map((v) => round(v, digits))
  const bucketS = (ts.bucketMs * factor) / 1000
  const xS = downsample(ts.tMs, factor, 'min').map((t) => round((t ?? 0) / 1000, 3) as number)
  const perSecond = (counts: readonly number[]): (number | null)[] => series(counts, 'sum').map((v) => round(v === null ? null : v / bucketS, 2))
  const charts: ChartSpec[] = [
    rateChart(series),
    latencyChart(result, series),
    errorChart(series),
    ...ts.hotVideos.map((video) => hotVideoChart(video, series, bucketS)),
    readsChart(perSecond(ts.staleReads), perSecond(ts.zeroLikeReads)),
  ]
  const lag = lagChart(result, series)
  if (lag !== null) charts.push(lag)
  const purges = purgeChart(result, xS)
  if (purges !== null) charts.push(purges)
  return { xS, durationS: result.config.durationS, windows: faultWindows(result), markers: purgeMarkers(result), charts }

  function rateChart(s: typeof series): ChartSpec {
    return {
      id: 'rate',
      title: 'Offered vs served requests',
      caption: 'Attempts sent against attempts answered in time; the gap during a fault is shed, failed or timed out.',
      unit: 'req/s',
      series: [
        { label: 'offered', color: COLOR.offered, values: s(ts.offeredRps, 'mean'), widthPx: 2 },
        { label: 'served', color: COLOR.served, values: s(ts.servedRps, 'mean'), widthPx: 2 },
        { label: 'shed (503)', color: COLOR.shed, values: s(ts.shedRps, 'mean') },
        { label: 'failed', color: COLOR.failed, values: s(ts.failedRps, 'mean') },
        { label: 'timed out', color: COLOR.timeout, values: s(ts.timeoutRps, 'mean') },
      ],
    }
  }

  function errorChart(s: typeof series): ChartSpec {
    const offered = s(ts.offeredRps, 'mean')
    const share = (values: (number | null)[]): (number | null)[] =>
      values.map((v, i) => {
        const o = offered[i]
        return v === null || o === null || o === undefined || o <= 0 ? null : round((100 * v) / o, 2)
      })
    return {
      id: 'errors',
      title: 'Errors and shedding by class',
      caption: 'Share of attempts in each bucket: fast 503s from load shedding, client timeouts, other failures (region down, partition).',
      unit: '% of attempts',
      series: [
        { label: 'shed (503)', color: COLOR.shed, values: share(s(ts.shedRps, 'mean')), widthPx: 2 },
        { label: 'timed out', color: COLOR.timeout, values: share(s(ts.timeoutRps, 'mean')), widthPx: 2 },
        { label: 'other failures', color: COLOR.failed, values: share(s(ts.failedRps, 'mean')), widthPx: 2 },
      ],
    }
  }
}

function latencyChart(result: RunResult, series: (values: readonly (number | null)[], how: Combine, digits?: number) => (number | null)[]): ChartSpec {
  const ts = result.timeseries as RunResult['timeseries'] & OpenModelSeries
  const list: ChartSeries[] = [
    { label: 'p50', color: COLOR.p50, values: series(ts.latencyP50Ms, 'max', 3), widthPx: 2 },
    { label: 'p95', color: COLOR.p95, values: series(ts.latencyP95Ms, 'max', 3), widthPx: 2 },
    { label: 'p99', color: COLOR.p99, values: series(ts.latencyP99Ms, 'max', 3), widthPx: 2 },
  ]
  const open = [
    ['p50 open model', COLOR.p50, ts.openModelLatencyP50Ms],
    ['p95 open model', COLOR.p95, ts.openModelLatencyP95Ms],
    ['p99 open model', COLOR.p99, ts.openModelLatencyP99Ms],
  ] as const
  for (const [label, color, values] of open) if (values !== undefined) list.push({ label, color, values: series(values, 'max', 3), dash: [6, 4] })
  const hasOpen = list.length > 3
  const hasData = list.some((s) => s.values.some((v) => v !== null && v > 0))
  return {
    id: 'latency',
    title: 'Latency percentiles',
    caption: hasOpen
      ? 'Service time of answered attempts (solid) and open-model latency from the intended send time (dashed), log scale.'
      : 'Service time of answered attempts, per bucket, log scale (open-model latency appears here for mode http results).',
    unit: 'ms',
    log: hasData,
    series: list,
  }
}

function hotVideoChart(video: RunResult['timeseries']['hotVideos'][number], series: (values: readonly (number | null)[], how: Combine, digits?: number) => (number | null)[], bucketS: number): ChartSpec {
  return {
    id: `hot-${video.rank}-${video.videoId}`.replace(/[^A-Za-z0-9_-]/g, '_'),
    videoId: video.videoId,
    title: `Hot video ${video.videoId} (popularity rank ${video.rank}): true likes vs shown`,
    caption: 'Black: likes the history proves were standing. Shaded: the lowest to highest count readers were shown (above black: counted twice). Red bars: reads that showed 0 while likes stood.',
    unit: 'likes',
    y2Unit: `reads showing 0 / ${bucketS}s`,
    series: [
      { label: 'true likes', color: COLOR.truth, values: series(video.trueLikes, 'last', 0), widthPx: 2.5 },
      { label: 'shown max', color: COLOR.shownMax, values: series(video.shownMax, 'max', 0), widthPx: 1 },
      { label: 'shown min', color: COLOR.shownMin, values: series(video.shownMin, 'min', 0), widthPx: 1 },
      { label: '0 shown while likes stood', color: COLOR.zero, values: series(wrongZeroReads(video), 'sum', 0), bars: true, right: true },
    ],
    band: { upper: 1, lower: 2, color: 'rgba(47, 128, 237, 0.15)' },
  }
}

/**
 * Reads that showed 0 in a bucket throughout which likes surely stood (the history proves likes
 * standing at both its start and its end): the 2020 symptom. A 0 on a video that truly had no likes
 * yet is right and is left out. Coarser than the never-zero check, which judges each read.
 */
export function wrongZeroReads(video: RunResult['timeseries']['hotVideos'][number]): number[] {
  return video.zeroReads.map((zeros, i) => {
    const before = i === 0 ? 0 : (video.trueLikes[i - 1] as number)
    const after = video.trueLikes[i] as number
    return Math.min(before, after) > 0 ? zeros : 0
  })
}

function readsChart(stale: (number | null)[], zero: (number | null)[]): ChartSpec {
  return {
    id: 'reads',
    title: 'Stale and zero-like reads',
    caption: 'Reads marked stale (last-known-good, honest under overload) and reads that showed 0 likes; some videos truly have none, the never-zero check judges which were wrong.',
    unit: 'reads/s',
    series: [
      { label: 'stale reads', color: COLOR.stale, values: stale, widthPx: 2 },
      { label: 'zero-like reads', color: COLOR.failed, values: zero, widthPx: 2 },
    ],
  }
}

function lagChart(result: RunResult, series: (values: readonly (number | null)[], how: Combine, digits?: number) => (number | null)[]): ChartSpec | null {
  const regions = Object.entries(result.timeseries.replicationLagMs)
  if (!regions.some(([, lag]) => lag.some((v) => v !== null))) return null
  return {
    id: 'lag',
    title: 'Replication lag per region',
    caption: 'Worst lag of the changes each region applied in the bucket; a gap means nothing to apply (or the region was down).',
    unit: 'ms',
    series: regions.map(([region, lag], i) => ({ label: region, color: REGION_COLORS[i % REGION_COLORS.length] as string, values: series(lag, 'max', 1), widthPx: 1.5 })),
  }
}

/** Accounts purged and likes removed so far, a step at each purge. */
function purgeChart(result: RunResult, xS: readonly number[]): ChartSpec | null {
  const purges = result.faults.flatMap((f) => (f.purge === undefined ? [] : [f.purge])).sort((a, b) => a.atMs - b.atMs)
  if (purges.length === 0) return null
  const cumulative = (pick: (p: (typeof purges)[number]) => number): number[] =>
    xS.map((t) => purges.filter((p) => p.atMs / 1000 <= t).reduce((sum, p) => sum + pick(p), 0))
  return {
    id: 'purges',
    title: 'Detection and purges',
    caption: 'Accounts the system flagged and purged, and the likes removed with them, so far; each purge is marked on every chart.',
    unit: 'accounts',
    y2Unit: 'likes',
    series: [
      { label: 'accounts purged', color: COLOR.accounts, values: cumulative((p) => p.accounts), widthPx: 2 },
      { label: 'likes removed', color: COLOR.likes, values: cumulative((p) => p.likesRemoved), widthPx: 2, right: true },
    ],
  }
}

function faultWindows(result: RunResult): ChartWindow[] {
  return result.faults.map((fault) => ({
    label: fault.skipped === undefined ? fault.description : `${fault.description} (skipped)`,
    kind: fault.kind,
    startS: fault.startMs / 1000,
    endS: Math.max(fault.endMs, fault.startMs) / 1000,
    skipped: fault.skipped !== undefined,
  }))
}

function purgeMarkers(result: RunResult): ChartMarker[] {
  return result.faults.flatMap((fault) =>
    fault.purge === undefined
      ? []
      : [{ atS: fault.purge.atMs / 1000, label: `${fault.purge.kind} purge: ${formatCount(fault.purge.accounts)} accounts, ${formatCount(fault.purge.likesRemoved)} likes` }],
  )
}
