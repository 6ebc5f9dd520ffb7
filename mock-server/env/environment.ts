// The environment a system under test runs in, owned by the harness: the clock (handed in, never
// read), the regions and whether each is up, the network between them (delays, partitions, lost
// messages), each region's capacity and queueing, its counter cache and the cache's faults, the
// overload factor, the directory of users and videos with its takedowns, and seeded randomness.
// It drives the system: it delivers the network's messages and fires its timers as time passes,
// and tells it when a region goes down or comes back. It decides nothing about counting.
import { AdmissionQueue } from '../core/admission-queue.ts'
import { CounterCache } from '../core/counter-cache.ts'
import { Directory } from '../core/directory.ts'
import { CoreConfigError } from '../core/errors.ts'
import { Jitter } from '../core/jitter.ts'
import { ViewedPairs } from '../core/viewed-pairs.ts'
import { SYSTEM_TICK_MS, type EngagementSystem, type SystemEnv, type SystemMessage } from '../systems/system.ts'
import { Network, type NetworkStats } from './network.ts'

export interface EnvironmentRegion {
  readonly id: string
  /** Requests per second the region's front door serves before its queue grows. */
  readonly capacityRps: number
  /** Operations per second the region's counter cache serves before it times out. */
  readonly cacheCapacityOpsPerS: number
}

export interface EnvironmentConfig {
  readonly regions: readonly EnvironmentRegion[]
  /** One-way network delay between two regions, ms. */
  readonly lagMs: (from: string, to: string) => number
  readonly seed: number
  /** Base service time of one request, ms, before queueing. */
  readonly serviceTimeMs: number
  /** Mean of the exponential jitter added to the service time, ms. */
  readonly serviceJitterMeanMs: number
  /** A counter-cache call slower than this times out. */
  readonly cacheTimeoutMs: number
}

export class Environment implements SystemEnv {
  readonly regions: readonly string[]
  readonly directory = new Directory()
  readonly cacheTimeoutMs: number
  private readonly regionIndex = new Map<string, number>()
  private readonly up: boolean[]
  private readonly admission: AdmissionQueue[]
  private readonly caches: CounterCache[]
  private readonly network: Network<SystemMessage>
  private readonly jitter: Jitter
  private readonly serviceTimeMs: number
  private readonly serviceJitterMeanMs: number
  /** Partitioned pairs, `${low}|${high}` by region index. */
  private readonly partitions = new Set<string>()
  private readonly cut: Uint8Array
  readonly slowCaches = new Map<number, number>()
  readonly overloads = new Map<number, number>()
  /** Who has viewed each video (the view log behind firstView). */
  private readonly views = new ViewedPairs()
  private system: EngagementSystem | undefined
  private clockMs = -Infinity
  private nextTickMs = Number.NaN
  private readonly reachable = (from: number, to: number): boolean => this.up[to] === true && this.cut[from * this.regions.length + to] === 0
  private readonly deliver = (to: number, from: number, message: SystemMessage): void => this.system?.onMessage(to, from, message)

  constructor(config: EnvironmentConfig) {
    this.regions = config.regions.map((region) => region.id)
    this.regions.forEach((id, index) => this.regionIndex.set(id, index))
    this.up = this.regions.map(() => true)
    this.admission = config.regions.map((region) => new AdmissionQueue({ capacityRps: region.capacityRps, queueMaxMs: Number.POSITIVE_INFINITY }))
    this.caches = config.regions.map((region) => new CounterCache({ capacityOpsPerS: region.cacheCapacityOpsPerS, timeoutMs: config.cacheTimeoutMs }))
    this.cut = new Uint8Array(this.regions.length * this.regions.length)
    const ids = this.regions
    this.network = new Network({ regions: ids.length, lagMs: (from, to) => config.lagMs(ids[from] as string, ids[to] as string) })
    this.jitter = new Jitter(config.seed)
    this.serviceTimeMs = config.serviceTimeMs
    this.serviceJitterMeanMs = config.serviceJitterMeanMs
    this.cacheTimeoutMs = config.cacheTimeoutMs
  }

  /** The system this environment drives (set once, before the first request). */
  attach(system: EngagementSystem): void {
    this.system = system
  }

  // ---- SystemEnv -------------------------------------------------------------------------

  nowMs(): number {
    return this.clockMs
  }

  random(): number {
    return this.jitter.next()
  }

  serviceMs(): number {
    return this.serviceTimeMs + this.jitter.exponential(this.serviceJitterMeanMs)
  }

  send(from: number, to: number, message: SystemMessage): void {
    this.network.send(from, to, message, this.clockMs)
  }

  admit(region: number, queueMaxMs: number): number {
    return (this.admission[region] as AdmissionQueue).admitWithin(this.clockMs, queueMaxMs)
  }

  queueDelayMs(region: number): number {
    return (this.admission[region] as AdmissionQueue).delayMs(this.clockMs)
  }

  retryAfterMs(region: number, queueMaxMs: number): number {
    return (this.admission[region] as AdmissionQueue).retryAfterWithin(this.clockMs, queueMaxMs)
  }

  cacheCall(region: number): number {
    return (this.caches[region] as CounterCache).call(this.clockMs)
  }

  cacheDelayMs(region: number): number {
    return (this.caches[region] as CounterCache).delayMs(this.clockMs)
  }

  firstView(video: number, user: number): boolean {
    return this.views.add(video, user)
  }

  /** Whether the user has viewed the video (detection asks it of a like). */
  hasViewed(video: number, user: number): boolean {
    return this.views.has(video, user)
  }

  // ---- time ------------------------------------------------------------------------------

  /** Move the clock to `nowMs`, firing the system's timers and delivering its messages in time order. A time in the past is ignored. */
  advanceTo(nowMs: number): void {
    if (!(nowMs > this.clockMs)) return
    if (Number.isNaN(this.nextTickMs)) this.nextTickMs = Math.ceil(nowMs / SYSTEM_TICK_MS) * SYSTEM_TICK_MS
    while (this.nextTickMs <= nowMs) {
      const tickMs = this.nextTickMs
      this.clockMs = tickMs
      this.network.deliverUpTo(tickMs, this.reachable, this.deliver)
      const system = this.system
      if (system !== undefined) for (let region = 0; region < this.up.length; region++) if (this.up[region] === true) system.onTick(region, tickMs)
      this.nextTickMs = tickMs + SYSTEM_TICK_MS
    }
    this.clockMs = nowMs
    if (this.network.earliestDueMs <= nowMs) this.network.deliverUpTo(nowMs, this.reachable, this.deliver)
  }

  // ---- regions and faults ----------------------------------------------------------------

  /** Region handle of an id, -1 when unknown. */
  regionHandle(regionId: string): number {
    return this.regionIndex.get(regionId) ?? -1
  }

  requireRegion(regionId: string): number {
    const index = this.regionIndex.get(regionId)
    if (index === undefined) throw new CoreConfigError(`unknown region ${regionId}; known: ${this.regions.join(', ')}`)
    return index
  }

  isUp(region: number): boolean {
    return this.up[region] === true
  }

  setRegionUp(regionId: string, up: boolean, nowMs: number): void {
    const region = this.requireRegion(regionId)
    if (this.up[region] === up) return
    this.advanceTo(nowMs)
    this.up[region] = up
    // A region that restarts loses its queues.
    ;(this.admission[region] as AdmissionQueue).reset()
    ;(this.caches[region] as CounterCache).reset()
    if (up) this.system?.onRecover(region)
    else this.system?.onOutage(region)
  }

  setPartition(a: string, b: string, partitioned: boolean, nowMs: number): void {
    const first = this.requireRegion(a)
    const second = this.requireRegion(b)
    this.advanceTo(nowMs)
    const key = first < second ? `${first}|${second}` : `${second}|${first}`
    if (partitioned) this.partitions.add(key)
    else this.partitions.delete(key)
    const count = this.regions.length
    this.cut[first * count + second] = partitioned ? 1 : 0
    this.cut[second * count + first] = partitioned ? 1 : 0
  }

  /** Partitioned pairs of region ids, each sorted. */
  partitionedPairs(): [string, string][] {
    return [...this.partitions].map((key) => {
      const [a, b] = key.split('|').map((index) => this.regions[Number(index)] as string) as [string, string]
      return a < b ? [a, b] : [b, a]
    })
  }

  setSlowCache(regionId: string, latencyMs: number): void {
    const region = this.requireRegion(regionId)
    ;(this.caches[region] as CounterCache).setExtraLatency(latencyMs)
    if (latencyMs > 0) this.slowCaches.set(region, latencyMs)
    else this.slowCaches.delete(region)
  }

  /** Overload emulation for a server that cannot be driven hard enough: capacity / factor. */
  setOverload(regionId: string, factor: number): void {
    if (!(factor >= 1)) throw new CoreConfigError(`overload factor must be >= 1, got ${factor}`)
    const region = this.requireRegion(regionId)
    ;(this.admission[region] as AdmissionQueue).setCapacityFactor(factor)
    if (factor > 1) this.overloads.set(region, factor)
    else this.overloads.delete(region)
  }

  /** Takes videos down (the system is told; likes are kept) or restores them. Unknown ids are returned. */
  setTakenDown(videoIds: readonly string[], takenDown: boolean): string[] {
    const unknown: string[] = []
    const videos: number[] = []
    for (const videoId of videoIds) {
      const video = this.directory.video(videoId)
      if (video < 0) unknown.push(videoId)
      else {
        this.directory.setTakenDown(video, takenDown)
        videos.push(video)
      }
    }
    if (videos.length > 0) this.system?.onTakedown(videos, takenDown)
    return unknown
  }

  get networkStats(): Readonly<NetworkStats> {
    return this.network.stats
  }

  /** Messages in flight to a region. */
  inFlightTo(region: number): number {
    return this.network.inFlightTo(region)
  }
}
