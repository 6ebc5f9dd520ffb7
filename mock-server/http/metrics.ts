// Prometheus metrics of the mock server, on a registry of its own so that several servers in one
// process (tests, the bench) never share counters. Units follow Prometheus: seconds and totals.
// Everything goes through prom-client except the per-request series (requests and latency by
// route, region and status): those are recorded on every request, so they live in plain counters
// reached through a recorder bound to its route and region (no label hashing on the hot path) and
// are rendered in the same exposition format at scrape time.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { CoreState } from '../core/types.ts'

const DURATION_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const REQUESTS_NAME = 'likestorm_http_requests_total'
const DURATION_NAME = 'likestorm_http_request_duration_seconds'

export type ShedReason = 'capacity' | 'concurrency' | 'rate-limited' | 'shutting-down' | 'deadline'

/** One (route, region, status) series: a request count and a latency histogram. */
interface RequestSeries {
  readonly route: string
  readonly region: string
  readonly status: number
  count: number
  sumS: number
  /** Per bucket (not cumulative): observations with bucket[i-1] < value <= bucket[i]. */
  readonly bucketCounts: Float64Array
}

/** Records one finished request of a route at a region: its status and elapsed ms. */
export type RequestRecorder = (statusCode: number, elapsedMs: number) => void

/** What a scrape reads besides the counters: the core's state and each listener's load. */
export interface MetricsSnapshot {
  readonly state: CoreState
  readonly listeners: ReadonlyArray<{ readonly region: string; readonly listening: boolean; readonly inFlight: number; readonly queued: number }>
}

export class ServerMetrics {
  readonly registry = new Registry()
  private readonly series: RequestSeries[] = []
  private readonly shed: Counter<'region' | 'reason'>
  private readonly staleReads: Counter<'region' | 'route'>
  private readonly refused: Counter<'region' | 'code'>
  private readonly purges: Counter<'kind'>
  private readonly purgedAccounts: Counter<'kind'>
  private readonly purgedLikes: Counter<'kind'>
  private readonly purgedViews: Counter<'kind'>
  private readonly inFlight: Gauge<'region'>
  private readonly queued: Gauge<'region'>
  private readonly listening: Gauge<'region'>
  private readonly regionUp: Gauge<'region'>
  private readonly replicationLagS: Gauge<'region'>
  private readonly queueDelayS: Gauge<'region'>
  private readonly coreEvents: Gauge<'event'>

  constructor({ processMetrics = false }: { processMetrics?: boolean } = {}) {
    const registers = [this.registry]
    this.shed = new Counter({
      name: 'likestorm_http_shed_requests_total',
      help: 'requests refused before any work: capacity (the modelled front door, 503), concurrency (in-flight bound and queue, 503), rate-limited (per client network, 429), shutting-down (503)',
      labelNames: ['region', 'reason'],
      registers,
    })
    this.refused = new Counter({
      name: 'likestorm_http_refused_connections_total',
      help: 'requests answered on the socket before routing, then the connection closed: malformed HTTP (LS_HTTP_BAD_REQUEST), headers too large, too slow to arrive (LS_HTTP_REQUEST_TIMEOUT), CONNECT',
      labelNames: ['region', 'code'],
      registers,
    })
    this.staleReads = new Counter({ name: 'likestorm_http_stale_reads_total', help: 'responses that served last-known-good counts (stale: true)', labelNames: ['region', 'route'], registers })
    this.purges = new Counter({ name: 'likestorm_purges_total', help: 'purge jobs run through the admin API', labelNames: ['kind'], registers })
    this.purgedAccounts = new Counter({ name: 'likestorm_purged_accounts_total', help: 'accounts removed by purges', labelNames: ['kind'], registers })
    this.purgedLikes = new Counter({ name: 'likestorm_purged_likes_total', help: 'likes removed by purges', labelNames: ['kind'], registers })
    this.purgedViews = new Counter({ name: 'likestorm_purged_views_total', help: 'views removed by purges (0 for a system whose purges leave views counted)', labelNames: ['kind'], registers })
    this.inFlight = new Gauge({ name: 'likestorm_http_in_flight_requests', help: 'API requests being served per region listener', labelNames: ['region'], registers })
    this.queued = new Gauge({ name: 'likestorm_http_queued_requests', help: 'API requests waiting for an in-flight slot', labelNames: ['region'], registers })
    this.listening = new Gauge({ name: 'likestorm_region_listening', help: '1 when the region listener accepts connections', labelNames: ['region'], registers })
    this.regionUp = new Gauge({ name: 'likestorm_region_up', help: '1 when the region is up in the core', labelNames: ['region'], registers })
    this.replicationLagS = new Gauge({ name: 'likestorm_replication_lag_seconds', help: 'how far behind the other regions each region is', labelNames: ['region'], registers })
    this.queueDelayS = new Gauge({ name: 'likestorm_queue_delay_seconds', help: 'modelled front-door queueing delay per region', labelNames: ['region'], registers })
    this.coreEvents = new Gauge({
      name: 'likestorm_core_events',
      help: 'counters of the engagement core since the world started (reset with it)',
      labelNames: ['event'],
      registers,
    })
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'likestorm_' })
  }

  get contentType(): string {
    return this.registry.contentType
  }

  /** A recorder for one route at one region (route: the route's URL pattern, bounded cardinality). */
  recorder(route: string, region: string): RequestRecorder {
    const byStatus = new Map<number, RequestSeries>()
    return (statusCode, elapsedMs) => {
      let series = byStatus.get(statusCode)
      if (series === undefined) {
        series = { route, region, status: statusCode, count: 0, sumS: 0, bucketCounts: new Float64Array(DURATION_BUCKETS_S.length) }
        byStatus.set(statusCode, series)
        this.series.push(series)
      }
      const seconds = elapsedMs / 1000
      series.count++
      series.sumS += seconds
      for (let i = 0; i < DURATION_BUCKETS_S.length; i++) {
        if (seconds <= (DURATION_BUCKETS_S[i] as number)) {
          series.bucketCounts[i] = (series.bucketCounts[i] as number) + 1
          break
        }
      }
    }
  }

  countShed(region: string, reason: ShedReason): void {
    this.shed.inc({ region, reason })
  }

  countRefusedConnection(region: string, code: string): void {
    this.refused.inc({ region, code })
  }

  countStaleRead(region: string, route: string): void {
    this.staleReads.inc({ region, route })
  }

  countPurge(kind: 'bot' | 'inactive', { accounts, likes, views }: { accounts: number; likes: number; views: number }): void {
    this.purges.inc({ kind })
    this.purgedAccounts.inc({ kind }, accounts)
    this.purgedLikes.inc({ kind }, likes)
    this.purgedViews.inc({ kind }, views)
  }

  /** The exposition text, with the gauges set from a snapshot taken for this scrape. */
  async render(snapshot: MetricsSnapshot): Promise<string> {
    for (const region of snapshot.state.regions) {
      this.regionUp.set({ region: region.region }, region.up ? 1 : 0)
      this.replicationLagS.set({ region: region.region }, region.replicationLagMs / 1000)
      this.queueDelayS.set({ region: region.region }, region.queueDelayMs / 1000)
    }
    for (const listener of snapshot.listeners) {
      this.listening.set({ region: listener.region }, listener.listening ? 1 : 0)
      this.inFlight.set({ region: listener.region }, listener.inFlight)
      this.queued.set({ region: listener.region }, listener.queued)
    }
    for (const [event, value] of Object.entries(snapshot.state.counters)) this.coreEvents.set({ event }, value)
    return `${renderRequestSeries(this.series)}\n\n${await this.registry.metrics()}`
  }
}

/** The per-request series in the Prometheus text format (a counter and a histogram). */
export function renderRequestSeries(series: readonly RequestSeries[]): string {
  const ordered = [...series].sort((a, b) => a.route.localeCompare(b.route) || a.region.localeCompare(b.region) || a.status - b.status)
  const counts = [`# HELP ${REQUESTS_NAME} HTTP requests by route, region and status`, `# TYPE ${REQUESTS_NAME} counter`]
  const durations = [`# HELP ${DURATION_NAME} HTTP request latency (enacted waits included) by route, region and status`, `# TYPE ${DURATION_NAME} histogram`]
  for (const s of ordered) {
    const labels = `route="${escapeLabel(s.route)}",region="${escapeLabel(s.region)}",status="${s.status}"`
    counts.push(`${REQUESTS_NAME}{${labels}} ${s.count}`)
    let cumulative = 0
    DURATION_BUCKETS_S.forEach((le, i) => {
      cumulative += s.bucketCounts[i] as number
      durations.push(`${DURATION_NAME}_bucket{${labels},le="${le}"} ${cumulative}`)
    })
    durations.push(`${DURATION_NAME}_bucket{${labels},le="+Inf"} ${s.count}`, `${DURATION_NAME}_sum{${labels}} ${s.sumS}`, `${DURATION_NAME}_count{${labels}} ${s.count}`)
  }
  return `${counts.join('\n')}\n\n${durations.join('\n')}`
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
