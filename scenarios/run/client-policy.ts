// How clients behave when things go wrong, shared by both drivers: which region they send to
// (home first, failing over nearest-first after a refused connection and sticking to the choice
// for a while), how long they wait (timeout), and when they retry (at most maxAttempts, within a
// retry budget, after jittered exponential backoff or the server's Retry-After).
import type { RandomStream } from '../../sim/rng.ts'
import type { RegionSpec } from '../../sim/regions.ts'
import { defaultReplicationLagMs } from '../../sim/regions.ts'
import type { ClientSpec } from '../scenario.ts'

/** Retry tokens a region's clients can bank (bounds bursts of retries after a quiet spell). */
const BUDGET_CAP = 50

export class ClientPolicy {
  readonly spec: ClientSpec
  private readonly regionIds: readonly string[]
  private readonly routes: readonly (readonly number[])[]
  private readonly downUntilMs: Float64Array
  private readonly tokens: Float64Array
  private readonly rtt: Float64Array
  private readonly jitter: RandomStream
  retriesDenied = 0

  constructor({ spec, regions, jitter }: { spec: ClientSpec; regions: readonly RegionSpec[]; jitter: RandomStream }) {
    this.spec = spec
    this.jitter = jitter
    this.regionIds = regions.map((region) => region.id)
    const index = new Map(this.regionIds.map((id, i) => [id, i]))
    this.routes = regions.map((region, i) => [i, ...region.failoverOrder.map((id) => index.get(id)).filter((j): j is number => j !== undefined && j !== i)])
    this.downUntilMs = new Float64Array(regions.length).fill(-Infinity)
    this.tokens = new Float64Array(regions.length).fill(BUDGET_CAP / 5)
    const n = regions.length
    this.rtt = new Float64Array(n * n)
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        // Round trip to the home region is short; to another region, twice the one-way lag.
        this.rtt[a * n + b] = a === b ? 20 : 2 * defaultReplicationLagMs(this.regionIds[a] as string, this.regionIds[b] as string)
      }
    }
  }

  /** The regions to try, in order, for a client at home in `home`. */
  route(home: number): readonly number[] {
    return this.routes[home] as readonly number[]
  }

  /** Whether clients currently avoid a region (it refused connections recently). */
  avoids(region: number, nowMs: number): boolean {
    return (this.downUntilMs[region] as number) > nowMs
  }

  /** A refused connection: clients avoid the region for a while. */
  refused(region: number, nowMs: number): void {
    this.downUntilMs[region] = nowMs + this.spec.failoverStickyMs
  }

  /** First region of the route that clients do not avoid (home when all are avoided). */
  pick(home: number, nowMs: number): number {
    for (const region of this.route(home)) if (!this.avoids(region, nowMs)) return region
    return home
  }

  rttMs(home: number, region: number): number {
    return this.rtt[home * this.regionIds.length + region] as number
  }

  /** Every first attempt earns a fraction of a retry token. */
  earn(home: number): void {
    this.tokens[home] = Math.min(BUDGET_CAP, (this.tokens[home] as number) + this.spec.retryBudgetRatio)
  }

  /** May this logical request be retried (attempts so far, budget left)? Spends a token when yes. */
  mayRetry(home: number, attemptsSoFar: number): boolean {
    if (attemptsSoFar >= this.spec.maxAttempts) return false
    if ((this.tokens[home] as number) < 1) {
      this.retriesDenied++
      return false
    }
    this.tokens[home] = (this.tokens[home] as number) - 1
    return true
  }

  /** Delay before the next attempt: jittered exponential backoff, at least the server's Retry-After. */
  /** @param retryAfterMs the server's Retry-After, ms; undefined or NaN when it gave none */
  backoffMs(attemptsSoFar: number, retryAfterMs: number | undefined): number {
    const backoff = this.spec.backoffBaseMs * 2 ** (attemptsSoFar - 1) * this.jitter.between(0.5, 1.5)
    return retryAfterMs === undefined || Number.isNaN(retryAfterMs) ? backoff : Math.max(backoff, retryAfterMs)
  }
}
