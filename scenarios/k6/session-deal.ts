// Which k6 scenario, and which of its iterations, runs each world session. The scenario's own k6
// scenarios stay as they are; an arrival-rate executor starts iteration k when its rate's
// integral reaches k, and its iteration k runs the session dealt to it, sleeping until the
// session's time. A session goes to an executor whose next iteration starts by the session's
// start (so no session is sent late because an executor fell behind the world), the one with most
// to spare. An iteration that would start more than LEAD_MAX_MS before the next session is left
// empty (a hole: it ends at once): a sleeping iteration holds a k6 VU, and an executor running
// ahead of the world would otherwise pile up sleeping VUs, seconds' worth of the rate, which k6
// pays for in memory. Sessions no executor can take — the world's rate above the executors'
// (diurnal peaks, flash crowds, farms, floods) — go to LikeStorm's own `likestorm_extra`
// scenario, a ramping-arrival-rate built from them: each second it starts at least the next
// second's extra sessions, so they too start on time. With VU executors (closed model) there is
// no schedule to keep: sessions are dealt in proportion to the scenarios' VUs, in order, and there
// is no extra scenario.
import type { Options, RampingArrivalRateScenario, Scenario as K6Scenario } from 'k6/options'
import { formatDurationS, parseDurationMs } from '../k6-duration.ts'
import { sessionRateProfile } from '../load-profile.ts'
import { executorOf, gracefulStopMs } from '../run/executors/index.ts'

export const EXTRA_SCENARIO = 'likestorm_extra'

export interface SessionSpan {
  readonly startMs: number
  readonly endMs: number
}

export interface Deal {
  /** The k6 scenario of each session, by session index. */
  readonly scenarioOf: readonly string[]
  /** The iteration of its scenario that runs each session (iterations between are holes). */
  readonly iterationOf: readonly number[]
  /** The extra scenario, when some sessions need it. */
  readonly extra: RampingArrivalRateScenario | undefined
}

const BUCKET_MS = 1000
/** The longest an arrival-rate iteration may wait for its session (longer: the iteration is a hole). */
export const LEAD_MAX_MS = 1000

export function dealSessions(load: Options, sessions: readonly SessionSpan[]): Deal {
  const names = Object.keys(load.scenarios ?? {})
  const scenarios = names.map((name) => (load.scenarios ?? {})[name] as K6Scenario)
  if (names.length === 0) throw new Error('session deal: the load has no k6 scenario')
  if (scenarios.some((s) => !isArrivalRate(s))) {
    const scenarioOf = closedModelDeal(names, scenarios, sessions)
    const next = new Map<string, number>()
    const iterationOf = scenarioOf.map((name) => {
      const k = next.get(name) ?? 0
      next.set(name, k + 1)
      return k
    })
    return { scenarioOf, iterationOf, extra: undefined }
  }
  const started = names.map((name) => iterationsStartedBy(load, name))
  const startOf = names.map((name) => iterationStartMs(load, name))
  // The next iteration of each scenario not yet dealt (a session or a hole).
  const next = new Array<number>(names.length).fill(0)
  const scenarioOf: string[] = []
  const iterationOf: number[] = []
  const extraStarts: number[] = []
  for (const session of sessions) {
    let best = -1
    let bestSpare = 0
    for (let i = 0; i < names.length; i++) {
      // Sessions come in start order: an iteration too early for this one is too early for every later one.
      while ((startOf[i] as (k: number) => number)(next[i] as number) < session.startMs - LEAD_MAX_MS) next[i] = (next[i] as number) + 1
      const spare = (started[i] as (tMs: number) => number)(session.startMs) - (next[i] as number)
      if (spare > bestSpare) {
        best = i
        bestSpare = spare
      }
    }
    if (best >= 0) {
      scenarioOf.push(names[best] as string)
      iterationOf.push(next[best] as number)
      next[best] = (next[best] as number) + 1
    } else {
      scenarioOf.push(EXTRA_SCENARIO)
      iterationOf.push(-1)
      extraStarts.push(session.startMs)
    }
  }
  if (extraStarts.length === 0) return { scenarioOf, iterationOf, extra: undefined }
  // Its graceful stop is the longest of the scenario's own: the extra sessions never delay the final phase.
  const extra: RampingArrivalRateScenario = {
    ...extraScenario(sessions.filter((_, i) => scenarioOf[i] === EXTRA_SCENARIO)),
    gracefulStop: formatDurationS(Math.max(...scenarios.map(gracefulStopMs)) / 1000),
  }
  // The extra scenario starts more iterations than sessions (each second covers the next two):
  // its iterations that would wait too long are holes too.
  const extraStartOf = iterationStartMs({ scenarios: { [EXTRA_SCENARIO]: extra } }, EXTRA_SCENARIO)
  let nextExtra = 0
  sessions.forEach((session, sid) => {
    if (scenarioOf[sid] !== EXTRA_SCENARIO) return
    while (extraStartOf(nextExtra) < session.startMs - LEAD_MAX_MS) nextExtra++
    iterationOf[sid] = nextExtra++
  })
  return { scenarioOf, iterationOf, extra }
}

function isArrivalRate(scenario: K6Scenario): boolean {
  return scenario.executor === 'constant-arrival-rate' || scenario.executor === 'ramping-arrival-rate'
}

/** How many iterations an arrival-rate k6 scenario has started by t (k6 starts iteration k when the rate's integral reaches k). */
export function iterationsStartedBy(load: Options, name: string): (tMs: number) => number {
  const scenario = (load.scenarios ?? {})[name]
  if (scenario === undefined) return () => 0
  const knots = sessionRateProfile({ scenarios: { [name]: scenario } }, 1).knots
  return (tMs) => {
    const tS = tMs / 1000
    const first = knots[0]
    if (first === undefined || tS < first.tS) return 0
    let total = 0
    for (let i = 1; i < knots.length; i++) {
      const a = knots[i - 1] as { tS: number; ratePerS: number }
      const b = knots[i] as { tS: number; ratePerS: number }
      if (tS <= a.tS) break
      const end = Math.min(tS, b.tS)
      const span = b.tS - a.tS
      const rateAtEnd = span > 0 ? a.ratePerS + ((b.ratePerS - a.ratePerS) * (end - a.tS)) / span : a.ratePerS
      total += ((a.ratePerS + rateAtEnd) / 2) * (end - a.tS)
    }
    // Iteration 0 starts at the scenario's start; iteration k once the integral reaches k.
    return Math.floor(total + 1e-9) + 1
  }
}

/**
 * A ramping-arrival-rate that starts, during each second, at least the extra sessions of the next
 * second (k6 ramps linearly between stage targets, so each target covers the seconds on both
 * sides), and enough VUs for the extra sessions running at once.
 */
export function extraScenario(spans: readonly SessionSpan[]): RampingArrivalRateScenario {
  const lastMs = Math.max(...spans.map((span) => span.startMs))
  const buckets = Math.floor(lastMs / BUCKET_MS) + 1
  const counts = new Array<number>(buckets + 2).fill(0)
  for (const span of spans) {
    const bucket = Math.floor(span.startMs / BUCKET_MS)
    counts[bucket] = (counts[bucket] as number) + 1
  }
  const n = (b: number): number => counts[b] ?? 0
  const stages = Array.from({ length: buckets }, (_, b) => ({ duration: '1s', target: Math.max(n(b), n(b + 1), n(b + 2)) }))
  // Iterations of second b = (target[b-1] + target[b]) / 2 >= n(b+1); second 0 also takes its own.
  const startRate = 2 * (n(0) + n(1))
  const peak = peakConcurrent(spans)
  const maxVUs = Math.ceil(peak * 1.2) + 10
  return {
    executor: 'ramping-arrival-rate',
    startRate,
    timeUnit: '1s',
    stages,
    preAllocatedVUs: Math.min(maxVUs, Math.ceil(peak / 2) + 1),
    maxVUs,
  }
}

/**
 * The VUs each arrival-rate scenario needs, from the schedule: its iteration k starts when the
 * rate's integral reaches k (up to LEAD_MAX_MS before its session: it sleeps until the session
 * is due; a hole ends at once) and holds its VU until the session's last operation is answered, `allowanceMs` (a request
 * timeout) after its last offset at worst. k6 drops an iteration when no VU is free, and grows
 * past preAllocatedVUs only slowly, dropping meanwhile; k6 counts started iterations, so each drop
 * shifts every later session onto a later iteration: late, and the last ones never sent. So both
 * preAllocatedVUs and maxVUs take the peak of iterations in flight, plus a quarter and 10 for
 * answers slower than the schedule can know (retries, backoff). VU executors are left out.
 */
export function vuBudget(load: Options, deal: Deal, sessions: readonly SessionSpan[], allowanceMs: number): Record<string, number> {
  const budget: Record<string, number> = {}
  const scenarios = { ...(load.scenarios ?? {}), ...(deal.extra === undefined ? {} : { [EXTRA_SCENARIO]: deal.extra }) }
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (!isArrivalRate(scenario)) continue
    const startOf = iterationStartMs({ scenarios: { [name]: scenario } }, name)
    const events: Array<[number, number]> = []
    sessions.forEach((span, sid) => {
      if (deal.scenarioOf[sid] !== name) return
      const startMs = startOf(deal.iterationOf[sid] as number)
      events.push([startMs, 1], [Math.max(startMs, span.startMs) + (span.endMs - span.startMs) + allowanceMs, -1])
    })
    budget[name] = Math.ceil(peakOf(events) * 1.25) + 10
  }
  return budget
}

/** When iteration k of an arrival-rate scenario starts, ms (the first instant iterationsStartedBy counts it). */
export function iterationStartMs(load: Options, name: string): (k: number) => number {
  const started = iterationsStartedBy(load, name)
  const scenario = (load.scenarios ?? {})[name]
  const endMs = (parseDurationMs(scenario?.startTime ?? '0s') ?? 0) + (scenario === undefined ? 0 : (executorOf(scenario)?.spanMs() ?? 0))
  return (k) => {
    // Iterations are dealt in start order, so k's start is after (k-1)'s: a binary search per k is plenty.
    let lo = 0
    let hi = Math.max(endMs, 1)
    if (started(hi) <= k) return hi
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (started(mid) > k) hi = mid
      else lo = mid
    }
    return started(lo) > k ? lo : hi
  }
}

function peakOf(events: Array<[number, number]>): number {
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let live = 0
  let peak = 0
  for (const [, delta] of events) {
    live += delta
    if (live > peak) peak = live
  }
  return peak
}

/** Most extra sessions live at once, counting the second an iteration may wait before its session. */
function peakConcurrent(spans: readonly SessionSpan[]): number {
  const events: Array<[number, number]> = []
  for (const span of spans) events.push([span.startMs - BUCKET_MS, 1], [span.endMs, -1])
  return peakOf(events)
}

/** VU executors: sessions dealt in proportion to the VUs of the scenarios active at their start (golden-ratio sequence: deterministic and even). */
function closedModelDeal(names: readonly string[], scenarios: readonly K6Scenario[], sessions: readonly SessionSpan[]): string[] {
  const weights = scenarios.map(vuWeight)
  return sessions.map((session, sid) => {
    const w = weights.map((weight) => weight(session.startMs))
    const total = w.reduce((sum, x) => sum + x, 0)
    if (!(total > 0)) return names[0] as string
    let u = ((sid * 0.6180339887498949) % 1) * total
    for (let i = 0; i < names.length; i++) {
      u -= w[i] as number
      if (u < 0) return names[i] as string
    }
    return names[names.length - 1] as string
  })
}

function vuWeight(scenario: K6Scenario): (tMs: number) => number {
  const startMs = parseDurationMs(scenario.startTime ?? '0s') ?? 0
  const s = scenario as { vus?: number; startVUs?: number; stages?: Array<{ duration: string; target: number }>; duration?: string; maxDuration?: string }
  const spanMs = executorOf(scenario)?.spanMs() ?? 0
  const vus = Math.max(s.vus ?? 1, s.startVUs ?? 0, ...(s.stages ?? []).map((stage) => stage.target))
  return (tMs) => (tMs >= startMs && tMs < startMs + spanMs ? vus : 0)
}
