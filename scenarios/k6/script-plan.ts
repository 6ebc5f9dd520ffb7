// Everything the k6 script needs besides the workload, resolved at export time and bundled into
// the script as a literal: regions and their URLs, the client's policy, the fault timeline as admin
// API calls, when to sample, probe and read the final state, and how to pace the final reads.
import type { Options } from 'k6/options'
import { lastDisturbanceEndMs, type FaultSpec } from '../../sim/faults.ts'
import { DEFAULT_CORE_CONFIG } from '../../mock-server/core/config.ts'
import { FINAL_READ_ATTEMPTS } from '../protocol/final-reads.ts'
import { DEFAULT_CACHE_CAPACITY_RATIO, type RunSetup } from '../run/run-setup.ts'
import { takedownIds } from '../run/sim-faults.ts'
import { FINAL_VUS_MAX, sessionScenariosEndMs } from './export-options.ts'
import { PLAN_FORMAT, type AdminRequest, type FaultEvent, type ScriptPlan } from './plan-format.ts'

export * from './plan-format.ts'

const SAMPLE_EVERY_MS = 1000
const PROBE_EVERY_MS = 100
/** Quiet time after the run before the final reads (as mode sim). */
export const QUIET_MS = 5000

export interface PlanInput {
  readonly setup: RunSetup
  /** The k6 scenarios that run sessions (the scenario's own, already scaled, and likestorm_extra). */
  readonly load: Options
  readonly exportId: string
  readonly likestormVersion: string
  readonly urls: Readonly<Record<string, string>>
  readonly finalTasks: number
  readonly finalReads: number
}

export function buildScriptPlan(input: PlanInput): ScriptPlan {
  const { setup, load } = input
  const { scenario, population } = setup
  const sessionScenarios = Object.keys(load.scenarios ?? {})
  const durationMs = setup.durationMs
  const finalStartMs = sessionScenariosEndMs(load, durationMs) + QUIET_MS
  // Half the smallest counter-cache capacity, as mode sim paces its final reads: they never queue.
  const ratio = scenario.system.cacheCapacityRatio ?? DEFAULT_CACHE_CAPACITY_RATIO
  const minCacheOpsPerS = Math.min(...population.regionIds.map((region) => (setup.capacityRps[region] ?? 0) * ratio).filter((c) => c > 0))
  const readSpacingMs = Number.isFinite(minCacheOpsPerS) ? Math.round((2000 / minCacheOpsPerS) * 1000) / 1000 : 10
  const finalVus = Math.min(FINAL_VUS_MAX, Math.max(1, input.finalTasks))
  const waitForStart: Record<string, boolean> = {}
  for (const name of sessionScenarios) {
    const k6Scenario = (load.scenarios ?? {})[name]
    waitForStart[name] = k6Scenario?.executor === 'constant-arrival-rate' || k6Scenario?.executor === 'ramping-arrival-rate'
  }
  const disturbanceEndMs = lastDisturbanceEndMs(scenario.faults)
  return {
    format: PLAN_FORMAT,
    exportId: input.exportId,
    likestormVersion: input.likestormVersion,
    world: { scenario: scenario.name, seed: setup.seed, scale: setup.scale },
    regions: setup.world.regions,
    urls: input.urls,
    client: setup.client,
    sessionScenarios,
    waitForStart,
    durationMs,
    faults: faultEvents(scenario.faults, setup),
    sampleEveryMs: SAMPLE_EVERY_MS,
    convergence: { fromMs: disturbanceEndMs > 0 ? disturbanceEndMs : durationMs, deadlineMs: (scenario.checks?.config?.convergence?.deadlineS ?? 30) * 1000, probeEveryMs: PROBE_EVERY_MS },
    final: {
      startMs: finalStartMs,
      readSpacingMs,
      readAttempts: FINAL_READ_ATTEMPTS,
      inboxLimit: DEFAULT_CORE_CONFIG.inboxMax,
      vus: finalVus,
      iterations: input.finalTasks,
      // Paced reads take reads x spacing; allow twice that, plus retries and slow answers.
      maxDurationMs: Math.ceil(input.finalReads * readSpacingMs * 2) + 120_000,
    },
    faultsEndMs: finalStartMs,
  }
}

/**
 * The timeline as admin calls, in time order. Overload is emulated on the server (capacity ÷
 * factor), since k6 sends only the executors' load; ddos is traffic (flood sessions in the
 * workload) and needs no call.
 */
export function faultEvents(faults: readonly FaultSpec[], setup: RunSetup): FaultEvent[] {
  const events: FaultEvent[] = []
  const post = (path: string, body: unknown): AdminRequest => ({ method: 'POST', path, body: JSON.stringify(body) })
  faults.forEach((spec, fault) => {
    const startMs = spec.startS * 1000
    const endMs = spec.endS * 1000
    const both = (body: (action: 'start' | 'stop') => unknown, outage: string | null = null): void => {
      events.push({ atMs: startMs, fault, action: 'start', request: post('/admin/v1/faults', body('start')), outage: outage === null ? null : { region: outage, down: true } })
      events.push({ atMs: endMs, fault, action: 'stop', request: post('/admin/v1/faults', body('stop')), outage: outage === null ? null : { region: outage, down: false } })
    }
    switch (spec.kind) {
      case 'overload':
        both((action) => ({ kind: 'overload', action, region: spec.region, ...(action === 'start' ? { factor: spec.factor } : {}) }))
        return
      case 'region-outage':
        both((action) => ({ kind: 'region-outage', action, region: spec.region }), spec.region)
        return
      case 'partition':
        both((action) => ({ kind: 'partition', action, a: spec.a, b: spec.b }))
        return
      case 'slow-cache':
        both((action) => ({ kind: 'slow-cache', action, region: spec.region, ...(action === 'start' ? { latencyMs: spec.latencyMs } : {}) }))
        return
      case 'network-loss':
        // The target loses the requests itself (the mock server's listeners reset them); a target
        // whose admin API refuses the kind has the fault reported as not applied by ingest-k6.
        both((action) => ({ kind: 'network-loss', action, region: spec.region, ...(action === 'start' ? { share: spec.share } : {}) }))
        return
      case 'takedown': {
        const videoIds = takedownIds(spec.videoRanks, setup.population)
        both((action) => ({ kind: 'takedown', action, videoIds }))
        return
      }
      case 'bot-purge':
        events.push({ atMs: startMs, fault, action: 'purge', request: post('/admin/v1/purges/bot', {}), outage: null })
        return
      case 'inactive-purge':
        events.push({ atMs: startMs, fault, action: 'purge', request: post('/admin/v1/purges/inactive', { idleDays: spec.idleDays }), outage: null })
        return
      case 'ddos':
        return
    }
  })
  // Stable: at one instant, switches keep the timeline's order.
  return events.map((event, i) => ({ event, i })).sort((a, b) => a.event.atMs - b.event.atMs || a.i - b.i).map(({ event }) => event)
}
