// The fault timeline in mode http. Every fault is recorded in the history when it starts, with
// its window, as mode sim records it, so every report shows it. Faults of the traffic itself
// (overload, ddos: more requests, from the world's own clients and farms) need nothing from the
// target; the others go through its admin API, and without one they are recorded as skipped.
// With `--faults proxy` LikeStorm's own proxy in front of the target enacts what it can (outages,
// slow regions, lossy paths, overload's limit: fault-proxy.ts) and the admin API, when there is one, takes the
// rest; with `--faults none` only the traffic's own faults happen.
import { UsageError } from '../../errors.ts'
import { describeFault, type FaultSpec } from '../../../sim/faults.ts'
import type { FaultRecord, History } from '../../../sim/history.ts'
import type { Population } from '../../../sim/population.ts'
import { purgeRecord, takedownIds } from '../sim-faults.ts'
import type { AdminAnswer, AdminClient } from './admin-client.ts'
import type { FaultProxy } from './fault-proxy.ts'
import type { ServerClock } from './server-clock.ts'

/** Faults the traffic generator enacts by itself (sim/traffic.ts adds their requests). */
const TRAFFIC_FAULTS: ReadonlySet<FaultSpec['kind']> = new Set(['overload', 'ddos'])

/** How the faults of a run against a --target are enacted (`--faults`); the embedded server's are always its own admin API's. */
export const FAULT_ROUTES = ['admin', 'proxy', 'none'] as const
export type FaultRoute = (typeof FAULT_ROUTES)[number]

/** --faults chooses how faults reach a --target; the embedded server enacts its own, so without one the flag is a mistake. */
export function assertFaultRoute(route: string | undefined, target: string | undefined): void {
  if (route === undefined) return
  if (!(FAULT_ROUTES as readonly string[]).includes(route)) throw new UsageError('LS_BAD_FLAG', `--faults must be one of ${FAULT_ROUTES.join(', ')}, got ${JSON.stringify(route)}`)
  if (target === undefined) {
    throw new UsageError('LS_BAD_FLAG', `--faults ${route} says how faults reach a --target; the mock server started here enacts the scenario's faults itself: give --target URL, or leave --faults out`)
  }
}

export interface HttpFaultsOptions {
  readonly history: History
  readonly population: Population
  readonly serverClock: ServerClock
  /** The run's scenario clock: a purge is surely complete when its report arrives. */
  readonly clock: { nowMs(): number }
  /** The admin API, or undefined when the target has none (or it did not answer). */
  readonly admin: () => AdminClient | undefined
  /** --faults proxy: the proxy in front of the target, which enacts what it can before the admin API is asked. */
  readonly proxy?: FaultProxy
  /** --faults none: nothing but the traffic's own faults. */
  readonly none?: boolean
}

export class HttpFaults {
  /** Faults that could not be applied, with why. */
  readonly skipped: string[] = []
  /** Labels of the faults under way (for the progress line). */
  readonly active = new Set<string>()
  private readonly options: HttpFaultsOptions

  constructor(options: HttpFaultsOptions) {
    this.options = options
  }

  /** Start or stop a fault at its time. */
  async apply(spec: FaultSpec, start: boolean): Promise<void> {
    const { history } = this.options
    const label = describeFault(spec)
    if (start) this.active.add(label)
    else this.active.delete(label)
    const record: FaultRecord | undefined = start ? { spec, startMs: spec.startS * 1000, endMs: spec.endS * 1000 } : undefined
    if (record !== undefined) history.faults.push(record)
    const { proxy } = this.options
    // Overload is traffic, and in front of the proxy also a limit: both happen.
    if (TRAFFIC_FAULTS.has(spec.kind) && proxy === undefined) return
    if (this.options.none === true) return this.skip(record, label, 'not applied: --faults none')
    let notByProxy: string | undefined
    if (proxy !== undefined) {
      const enacted = await proxy.enact(spec, start)
      if (enacted.outcome === 'applied' && record !== undefined) record.via = 'proxy'
      if (enacted.outcome === 'failed') this.skipped.push(`${label} (${start ? 'start' : 'stop'}): ${enacted.reason}`)
      if (enacted.outcome !== 'not-enactable' || TRAFFIC_FAULTS.has(spec.kind)) return
      notByProxy = enacted.reason
    }
    const admin = this.options.admin()
    if (admin === undefined) return this.skip(record, label, notByProxy === undefined ? 'the target has no admin API' : `${notByProxy}; the target has no admin API`)
    const action = start ? 'start' : 'stop'
    const answer = await this.send(admin, spec, action, record)
    if (answer !== undefined && !answer.ok) {
      if (record !== undefined) record.skipped = answer.reason
      this.skipped.push(`${label} (${action}): ${answer.reason}`)
    } else if (record !== undefined) record.via = 'admin'
  }

  /** Recorded once, at the fault's start. */
  private skip(record: FaultRecord | undefined, label: string, reason: string): void {
    if (record === undefined) return
    record.skipped = reason
    this.skipped.push(`${label}: ${reason}`)
  }

  /** The admin call for a fault; undefined when there was none to make. */
  private async send(admin: AdminClient, spec: FaultSpec, action: 'start' | 'stop', record: FaultRecord | undefined): Promise<AdminAnswer<unknown> | undefined> {
    const { population, serverClock, clock } = this.options
    switch (spec.kind) {
      case 'region-outage':
        return admin.fault({ kind: 'region-outage', action, region: spec.region })
      case 'partition':
        return admin.fault({ kind: 'partition', action, a: spec.a, b: spec.b })
      case 'slow-cache':
        return admin.fault({ kind: 'slow-cache', action, region: spec.region, ...(action === 'start' ? { latencyMs: spec.latencyMs } : {}) })
      case 'network-loss':
        return admin.fault({ kind: 'network-loss', action, region: spec.region, ...(action === 'start' ? { share: spec.share } : {}) })
      case 'takedown':
        return admin.fault({ kind: 'takedown', action, videoIds: takedownIds(spec.videoRanks, population) })
      case 'bot-purge':
      case 'inactive-purge': {
        if (record === undefined) return undefined
        const report = spec.kind === 'bot-purge' ? await admin.botPurge() : await admin.inactivePurge(spec.idleDays)
        if (!report.ok) return report
        // The server purges in slices while it answers other requests: its likes go between the
        // time it began and the arrival of its report, and reads in between may count them or not.
        record.purge = purgeRecord({ ...report.value, atMs: serverClock.toScenarioMs(report.value.atMs) }, population, clock.nowMs())
        return undefined
      }
      case 'overload':
      case 'ddos':
        return undefined
    }
  }
}
