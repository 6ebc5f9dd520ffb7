// Metrics in k6's terms, tagged by operation, region and scenario, aggregated for thresholds and
// the end-of-test summary. Built from the history after a run (the same way in both modes), so
// thresholds judge exactly what the checkers judge. Trends are HDR histograms: bounded memory.
import { FailureKind } from '../../sim/failure-kind.ts'
import { Outcome, type History } from '../../sim/history.ts'
import { OP_KIND_NAMES, OpKind } from '../../sim/operation.ts'
import { LatencyHistogram } from './latency-histogram.ts'
import { compare, describeAggregation, type Aggregation, type Threshold } from './threshold.ts'

export type MetricType = 'counter' | 'rate' | 'trend' | 'gauge'

/** The metrics we emit: k6's names where they exist, ours otherwise. */
export const METRICS: Readonly<Record<string, { readonly type: MetricType; readonly description: string }>> = {
  http_reqs: { type: 'counter', description: 'requests sent (attempts, retries included)' },
  // k6's meaning: every request, whatever its outcome (a timeout counts its wait, a refused
  // connection its few ms). It used to count successes only (until issue 19): that is likestorm_ok_duration now.
  http_req_duration: { type: 'trend', description: 'time of every request, answered or not (timeouts included), as k6 counts it, ms' },
  likestorm_ok_duration: { type: 'trend', description: 'service time of successful requests only, ms' },
  http_req_failed: { type: 'rate', description: 'share of requests that failed or timed out' },
  open_model_duration: { type: 'trend', description: 'latency from the intended send time (coordinated omission corrected), ms' },
  iterations: { type: 'counter', description: 'logical operations started' },
  dropped_iterations: { type: 'counter', description: 'operations not started: no free VU' },
  vus: { type: 'gauge', description: 'VUs busy at the peak' },
  likes_acknowledged: { type: 'counter', description: 'likes the system acknowledged' },
  reads_stale: { type: 'counter', description: 'count reads marked stale' },
  reads_zero_while_liked: { type: 'counter', description: 'count reads showing 0 likes while acknowledged likes stood' },
  shed_requests: { type: 'counter', description: 'requests shed (503) or rate-limited (429)' },
  failovers: { type: 'counter', description: 'requests sent to another region after a refused connection' },
}

interface Series {
  count: number
  sum: number
  trues: number
  min: number
  max: number
  histogram: LatencyHistogram | undefined
}

export type Tags = Readonly<Record<string, string>>

interface Entry {
  readonly tags: Tags
  readonly data: Series
}

export class MetricStore {
  private readonly series = new Map<string, Entry>()
  /**
   * The series of each tags object already seen, by metric: callers pass the same tags objects
   * again and again (a run makes millions of samples), so the key text is built once per object.
   */
  private readonly byTags = new WeakMap<Tags, Map<string, Series>>()

  /** A sample: counters add value, rates count truthy values, trends record it, gauges keep min/max/last. */
  add(metric: string, tags: Tags, value: number): void {
    let perMetric = this.byTags.get(tags)
    if (perMetric === undefined) {
      perMetric = new Map()
      this.byTags.set(tags, perMetric)
    }
    let data = perMetric.get(metric)
    if (data === undefined) {
      data = this.seriesOf(metric, tags)
      perMetric.set(metric, data)
    }
    data.count++
    data.sum += value
    if (value !== 0) data.trues++
    if (value < data.min) data.min = value
    if (value > data.max) data.max = value
    data.histogram?.record(value)
  }

  /** The series of a metric and tags (equal tags in another object share it), created on first use. */
  private seriesOf(metric: string, tags: Tags): Series {
    const type = METRICS[metric]?.type
    if (type === undefined) throw new Error(`metric store: unknown metric ${metric}`)
    const key = `${metric}\u0000${Object.entries(tags).map(([k, v]) => `${k}=${v}`).join('\u0001')}`
    let entry = this.series.get(key)
    if (entry === undefined) {
      entry = { tags, data: { count: 0, sum: 0, trues: 0, min: Infinity, max: -Infinity, histogram: type === 'trend' ? new LatencyHistogram() : undefined } }
      this.series.set(key, entry)
    }
    return entry.data
  }

  /** The aggregation of a metric over every series whose tags include the filter; null when no sample matched. */
  aggregate(metric: string, filter: Tags, aggregation: Aggregation): number | null {
    const type = METRICS[metric]?.type
    if (type === undefined) return null
    let count = 0
    let sum = 0
    let trues = 0
    let min = Infinity
    let max = -Infinity
    const merged = type === 'trend' ? new LatencyHistogram() : undefined
    for (const [key, entry] of this.series) {
      if (!key.startsWith(`${metric}\u0000`)) continue
      if (!Object.entries(filter).every(([k, v]) => entry.tags[k] === v)) continue
      count += entry.data.count
      sum += entry.data.sum
      trues += entry.data.trues
      min = Math.min(min, entry.data.min)
      max = Math.max(max, entry.data.max)
      if (merged !== undefined && entry.data.histogram !== undefined) merged.merge(entry.data.histogram)
    }
    if (count === 0) return type === 'counter' && (aggregation.kind === 'count' || aggregation.kind === 'value') ? 0 : null
    switch (aggregation.kind) {
      case 'count':
        return type === 'counter' ? sum : count
      case 'rate':
        return type === 'rate' ? trues / count : sum
      case 'value':
        return type === 'gauge' ? max : sum
      case 'avg':
        return sum / count
      case 'min':
        return min
      case 'max':
        return max
      case 'med':
        return merged?.percentileMs(50) ?? null
      case 'percentile':
        return merged?.percentileMs(aggregation.percentile) ?? null
    }
  }
}

export interface ThresholdOutcome {
  readonly name: string
  readonly passed: boolean
  readonly observed: number | null
  readonly abortOnFail: boolean
}

/** Judge thresholds against the store. A threshold with no matching sample fails (nothing was measured). */
export function evaluateThresholds(store: MetricStore, thresholds: readonly Threshold[]): ThresholdOutcome[] {
  return thresholds.map((threshold) => {
    const observed = store.aggregate(threshold.key.metric, threshold.key.tags, threshold.expression.aggregation)
    return {
      name: `${threshold.key.source}: ${threshold.expression.source}`,
      passed: observed !== null && compare(observed, threshold.expression.operator, threshold.expression.value),
      observed,
      abortOnFail: threshold.abortOnFail,
    }
  })
}

export { describeAggregation }

/**
 * Turns history attempts into metric samples, tagged by op and region (and the k6 scenario name).
 * Incremental: the HTTP driver feeds it settled attempts during a run to watch abortOnFail
 * thresholds; the judge feeds it the whole history once.
 */
export class HistoryMetrics {
  readonly store = new MetricStore()
  private readonly tagCache = new Map<number, Tags>()
  private readonly regionIds: readonly string[]
  private readonly scenario: string
  private readonly timeScale: number

  constructor({ regionIds, scenario, timeScale = 1 }: { regionIds: readonly string[]; scenario: string; timeScale?: number }) {
    this.regionIds = regionIds
    this.scenario = scenario
    this.timeScale = timeScale
  }

  tagsOf(kind: number, region: number): Tags {
    const key = kind * 64 + region
    let tags = this.tagCache.get(key)
    if (tags === undefined) {
      tags = { op: OP_KIND_NAMES[kind] as string, region: this.regionIds[region] as string, scenario: this.scenario }
      this.tagCache.set(key, tags)
    }
    return tags
  }

  /** Samples of attempts [from, to), which must all be settled (not pending). */
  record(history: History, from: number, to: number): void {
    const { store } = this
    for (let i = from; i < to; i++) {
      const kind = history.kindOf(i)
      const tags = this.tagsOf(kind, history.regionOf(i))
      const outcome = history.outcomeOf(i)
      store.add('http_reqs', tags, 1)
      store.add('http_req_failed', tags, outcome === Outcome.Ok ? 0 : 1)
      store.add('http_req_duration', tags, history.latencyMsOf(i))
      if (history.attemptOf(i) === 1 && !history.isFailover(i)) store.add('iterations', tags, 1)
      if (history.isFailover(i)) store.add('failovers', tags, 1)
      if (history.failureOf(i) === FailureKind.Shed) store.add('shed_requests', tags, 1)
      if (outcome !== Outcome.Ok) continue
      const latencyMs = history.latencyMsOf(i)
      store.add('likestorm_ok_duration', tags, latencyMs)
      // History times are scenario ms; a latency is wall ms.
      const fromIntendedMs = (history.completeMsOf(i) - history.intendedMsOf(i)) * this.timeScale
      store.add('open_model_duration', tags, Math.max(latencyMs, fromIntendedMs))
      if (kind === OpKind.Like) store.add('likes_acknowledged', tags, 1)
      if (kind === OpKind.ReadVideo && history.isStale(i)) store.add('reads_stale', tags, 1)
    }
  }
}
