// The running mock server: one fastify app per region over one shared world, their listeners,
// their in-flight limits, and what the admin API does beyond the core (take a region's listener
// down and up, reset the world). Built by buildServer (app.ts); server.ts drives its lifecycle.
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { Static } from 'typebox'
import { ClientLoss } from '../env/client-loss.ts'
import { Mulberry32 } from '../core/jitter.ts'
import { activeFaults, type AdminControl } from './admin.ts'
import type { RegionApp } from './app.ts'
import { MonotonicClock } from './clock.ts'
import { ConcurrencyLimit } from './concurrency-limit.ts'
import type { ClassifiedError } from './error-handler.ts'
import type { HttpLimits } from './http-limits.ts'
import type { LiveWorld, WorldRequest } from './live-world.ts'
import type { MetricsSnapshot, ServerMetrics } from './metrics.ts'
import { RegionListeners, type ListenerAddress } from './region-listeners.ts'
import type { StateResponse, WorldInfo } from './schemas.ts'

export class EngagementServer implements AdminControl {
  readonly world: LiveWorld
  readonly metrics: ServerMetrics
  readonly limits: HttpLimits
  readonly adminToken: string
  readonly loss: ClientLoss
  private readonly apps = new Map<string, RegionApp>()
  private readonly limiters = new Map<string, ConcurrencyLimit>()
  private listeners: RegionListeners | undefined
  private draining = false
  private closing: Promise<void> | undefined

  constructor({ world, metrics, limits, adminToken }: { world: LiveWorld; metrics: ServerMetrics; limits: HttpLimits; adminToken: string }) {
    this.world = world
    this.metrics = metrics
    this.limits = limits
    this.adminToken = adminToken
    this.loss = new ClientLoss({ draw: lossDraw(world.core.config.seed) })
    for (const region of world.regions) this.limiters.set(region, new ConcurrencyLimit(limits))
  }

  get regions(): readonly string[] {
    return this.world.regions
  }

  get isDraining(): boolean {
    return this.draining
  }

  /** The fastify app of a region: inject() into it. */
  app(region: string): RegionApp {
    const app = this.apps.get(region)
    if (app === undefined) throw new Error(`no region ${region}; regions: ${this.regions.join(', ')}`)
    return app
  }

  limiter(region: string): ConcurrencyLimit {
    return this.limiters.get(region) as ConcurrencyLimit
  }

  /** Listen on one port per region (port, port + 1, …; 0: each a free port). */
  async listen({ host, port }: { host: string; port: number }): Promise<ListenerAddress[]> {
    if (this.listeners !== undefined) throw new Error('the server is already listening')
    this.listeners = new RegionListeners(this.regions.map((region) => ({ region, server: this.app(region).server as Server })))
    return this.listeners.listen({ host, port })
  }

  /** The URL a region listens on; null while it does not (not yet listening, or down). */
  regionUrl(region: string): string | null {
    return this.listeners?.url(region) ?? null
  }

  addresses(): ListenerAddress[] {
    return this.listeners?.addresses() ?? []
  }

  state(): Static<typeof StateResponse> {
    const nowMs = this.world.clock.nowMs()
    const state = this.world.core.state(nowMs)
    return {
      nowMs,
      strategy: state.strategy,
      world: this.world.info,
      draining: this.draining,
      regions: state.regions.map((region) => ({
        ...region,
        url: this.listeners?.url(region.region) ?? null,
        listening: this.listeners?.isListening(region.region) ?? false,
        inFlight: this.limiter(region.region).inFlight,
        queued: this.limiter(region.region).queued,
      })),
      faults: activeFaults(this.world.core, this.loss, nowMs),
      counters: state.counters,
    }
  }

  metricsSnapshot(): MetricsSnapshot {
    return {
      state: this.world.core.state(this.world.clock.nowMs()),
      listeners: this.regions.map((region) => ({
        region,
        listening: this.listeners?.isListening(region) ?? false,
        inFlight: this.limiter(region).inFlight,
        queued: this.limiter(region).queued,
      })),
    }
  }

  async setRegionUp(region: string, up: boolean, spare: Socket | undefined): Promise<ClassifiedError | undefined> {
    const core = this.world.core
    const nowMs = this.world.clock.nowMs()
    if (!up) {
      const upRegions = core.state(nowMs).regions.filter((r) => r.up).map((r) => r.region)
      if (upRegions.length === 1 && upRegions[0] === region) return { code: 'LS_HTTP_LAST_REGION', detail: region }
      core.setRegionUp(region, false, nowMs)
      this.listeners?.stop(region, { spare })
      return undefined
    }
    const refused = await this.reopen(region)
    if (refused !== undefined) return refused
    core.setRegionUp(region, true, this.world.clock.nowMs())
    return undefined
  }

  async reset(request: WorldRequest): Promise<ClassifiedError | WorldInfo> {
    const built = this.world.reset(request)
    if (!built.ok) return { code: 'LS_HTTP_BAD_RESET', detail: built.message }
    // A new world starts with no fault: the lossy paths heal with it.
    this.loss.clear()
    // A new world has every region up: so must the listeners be.
    for (const region of this.regions) {
      const refused = await this.reopen(region)
      if (refused !== undefined) return refused
    }
    return built.info
  }

  /**
   * Graceful stop: turn new requests away, stop accepting connections, let in-flight requests
   * finish within `drainMsMax`, then reset what is left and close the apps.
   */
  close({ drainMsMax = 10_000 }: { drainMsMax?: number } = {}): Promise<void> {
    this.closing ??= this.drain(drainMsMax)
    return this.closing
  }

  /** Reset every connection now (a second Ctrl-C). */
  destroy(): void {
    this.draining = true
    this.listeners?.destroyAll()
  }

  private async drain(drainMsMax: number): Promise<void> {
    this.draining = true
    this.listeners?.stopAccepting()
    const drainClock = new MonotonicClock()
    while (this.inFlight() > 0 && drainClock.nowMs() < drainMsMax) await pause(5)
    this.listeners?.destroyAll()
    await Promise.all([...this.apps.values()].map((app) => app.close()))
  }

  private inFlight(): number {
    let total = 0
    for (const limiter of this.limiters.values()) total += limiter.inFlight + limiter.queued
    return total
  }

  private async reopen(region: string): Promise<ClassifiedError | undefined> {
    try {
      await this.listeners?.start(region)
      return undefined
    } catch (error) {
      return { code: 'LS_HTTP_LISTEN_FAILED', detail: `${region}: ${error instanceof Error ? error.message : String(error)}` }
    }
  }

  /** Used by buildServer only. */
  addApp(region: string, app: RegionApp): void {
    this.apps.set(region, app)
  }
}

/**
 * The draws of the lossy paths: the world's seed, on a generator of their own (the core's jitter
 * is not disturbed). Which requests are lost still depends on the order they arrive in, which
 * real sockets do not fix; the share lost does not.
 */
function lossDraw(seed: number): () => number {
  const generator = new Mulberry32(seed ^ 0x4c055)
  return () => generator.next()
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
