// What the fault proxy (fault-proxy.ts) is doing to each region of a target, and the fate of one
// request arriving there. Its own vocabulary — a region down, added latency, a share of requests
// lost, a concurrency limit with a bounded queue — and the mapping from the scenario's faults to
// it, with the reason when a fault cannot be enacted from outside the target. No sockets, no
// timers: the random draws come from a named seeded stream handed in, so a test can drive it.
import { describeFault, type FaultSpec } from '../../../sim/faults.ts'
import type { RandomStream } from '../../../sim/random-stream.ts'
import { ConcurrencyLimit, type ConcurrencyLimits } from '../../../mock-server/http/concurrency-limit.ts'
import { combinedLoss, lossFate } from '../../../mock-server/env/client-loss.ts'

export type ProxyFault =
  /** Refuse new connections and reset the open ones. */
  | { readonly kind: 'down' }
  /** Hold every request this long before forwarding it. */
  | { readonly kind: 'latency'; readonly addedMs: number }
  /** Lose this share of requests (the request, or its answer after the target applied it). */
  | { readonly kind: 'loss'; readonly share: number }
  /** Forward at most `inFlightMax` at once, queue `queueMax` more; beyond: 503. */
  | { readonly kind: 'limit'; readonly limits: ConcurrencyLimits }

/** What becomes of one request. */
export type RequestFate =
  | { readonly kind: 'forward'; readonly delayMs: number }
  /** Reset the connection before forwarding: the target never sees the request. */
  | { readonly kind: 'lose-request' }
  /** Forward, then reset the connection instead of answering: the target applied it, the client cannot know. */
  | { readonly kind: 'lose-answer'; readonly delayMs: number }

/** A scenario fault as the proxy enacts it, or why it cannot. */
export type ProxyPlan = { readonly region: string; readonly fault: ProxyFault } | { readonly region?: undefined; readonly notApplied: string }

/** Overload's limit in front of the region while it lasts (the mock server's own default queue wait is 1 s too). */
export const OVERLOAD_LIMITS: ConcurrencyLimits = { inFlightMax: 32, queueMax: 64 }
/** Faults at once, over the whole run: a timeline is short; a bound keeps a runaway caller from growing the table. */
const ACTIVE_MAX = 1024

/** How the proxy enacts a scenario fault; partitions between the target's regions and jobs of its own (purges, takedowns) it cannot. */
export function proxyPlanOf(spec: FaultSpec): ProxyPlan {
  switch (spec.kind) {
    case 'region-outage':
      return { region: spec.region, fault: { kind: 'down' } }
    case 'slow-cache':
      // The proxy cannot reach the target's cache; the region's answers slow down instead (every request, not only cache reads).
      return { region: spec.region, fault: { kind: 'latency', addedMs: spec.latencyMs } }
    case 'overload':
      return { region: spec.region, fault: { kind: 'limit', limits: OVERLOAD_LIMITS } }
    case 'network-loss':
      return { region: spec.region, fault: { kind: 'loss', share: spec.share } }
    case 'partition':
      return { notApplied: `the fault proxy stands between the clients and the target, not between the target's own regions (${spec.a}<->${spec.b})` }
    case 'bot-purge':
    case 'inactive-purge':
    case 'takedown':
      return { notApplied: `${spec.kind} is a job of the target itself: it needs the target's admin API` }
    case 'ddos':
      return { notApplied: 'ddos is traffic only' }
  }
}

interface Active {
  readonly region: string
  readonly fault: ProxyFault
}

export class ProxyFaultState {
  private readonly random: RandomStream
  private readonly active = new Map<string, Active>()
  /** The limit of each region under one (kept while its holders release, even after the fault ends). */
  private readonly limits = new Map<string, ConcurrencyLimit>()

  constructor({ random }: { random: RandomStream }) {
    this.random = random
  }

  /** Start a fault under an id (a scenario fault's label); a second start of the same id replaces the first. */
  start(id: string, region: string, fault: ProxyFault): void {
    if (!this.active.has(id) && this.active.size >= ACTIVE_MAX) throw new Error(`fault proxy: more than ${ACTIVE_MAX} faults at once`)
    if (fault.kind === 'loss' && !(fault.share >= 0 && fault.share <= 1)) throw new Error(`fault proxy: a loss share is in [0, 1], got ${fault.share}`)
    if (fault.kind === 'latency' && !(fault.addedMs >= 0)) throw new Error(`fault proxy: added latency is >= 0 ms, got ${fault.addedMs}`)
    this.active.set(id, { region, fault })
    if (fault.kind === 'limit') this.limits.set(region, new ConcurrencyLimit(fault.limits))
  }

  stop(id: string): void {
    const ended = this.active.get(id)
    this.active.delete(id)
    if (ended?.fault.kind === 'limit' && !this.faultsOf(ended.region).some((f) => f.kind === 'limit')) this.limits.delete(ended.region)
  }

  /** Start or stop a scenario fault; the reason when the proxy cannot enact it. */
  enact(spec: FaultSpec, start: boolean): { applied: true; region: string } | { applied: false; reason: string } {
    const plan = proxyPlanOf(spec)
    if (plan.region === undefined) return { applied: false, reason: plan.notApplied }
    const id = describeFault(spec)
    if (start) this.start(id, plan.region, plan.fault)
    else this.stop(id)
    return { applied: true, region: plan.region }
  }

  isDown(region: string): boolean {
    return this.faultsOf(region).some((fault) => fault.kind === 'down')
  }

  /** The concurrency limit in front of the region, if it has one now. */
  limitOf(region: string): ConcurrencyLimit | undefined {
    return this.limits.get(region)
  }

  /** The fate of a request arriving at the region now: one draw from the stream when a loss is active. */
  fate(region: string): RequestFate {
    const faults = this.faultsOf(region)
    // Two slow faults at once: the slower one holds (a request waits for the slowest hop once).
    const delayMs = Math.max(0, ...faults.map((fault) => (fault.kind === 'latency' ? fault.addedMs : 0)))
    // The rule of every lossy network (mock-server/env/client-loss.ts): two losses at once lose independently.
    const lost = lossFate(combinedLoss(faults.flatMap((fault) => (fault.kind === 'loss' ? [fault.share] : []))), () => this.random.next())
    if (lost === 'lose-request') return { kind: 'lose-request' }
    if (lost === 'lose-answer') return { kind: 'lose-answer', delayMs }
    return { kind: 'forward', delayMs }
  }

  /** One line per fault under way, for a test or a log. */
  describe(): string[] {
    return [...this.active.entries()].map(([id, { region, fault }]) => `${id}: ${region} ${fault.kind}`)
  }

  private faultsOf(region: string): ProxyFault[] {
    const faults: ProxyFault[] = []
    for (const active of this.active.values()) if (active.region === region) faults.push(active.fault)
    return faults
  }
}
