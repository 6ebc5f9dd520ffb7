// The shape every checker returns and the context every checker reads.
import type { FaultSpec } from '../faults.ts'
import type { History, LikeStateSample } from '../history.ts'
import type { Population } from '../population.ts'
import type { TargetFacts } from './applicability.ts'
import type { PairTimeline } from './pair-timeline.ts'

export const CHECK_NAMES = [
  'no-lost-likes',
  'no-double-count',
  'counter-bounds',
  'bounded-staleness',
  'never-zero',
  'view-counts',
  'no-flip',
  'convergence',
  'purge-accuracy',
  'goodput',
  'last-intent',
  'notifications',
  'exercised',
  'takedown',
  'steady-state',
  'system-faults',
] as const
export type CheckName = (typeof CHECK_NAMES)[number]

export interface CheckExample {
  readonly message: string
  readonly videoId?: string
  readonly userId?: string
  readonly region?: string
  /** Virtual time of the offending read or write, ms since the run started. */
  readonly atMs?: number
}

/**
 * A check's verdict. pass: the system held; fail: it broke (with examples); inconclusive: the
 * harness could not judge it (it could not keep the offered schedule, or the run ended before the
 * check's evidence was gathered) and says why; not-applicable: the run has nothing this check is
 * about (no overload to judge goodput in, a target without the capability), said with the reason.
 */
export const CHECK_STATUSES = ['pass', 'fail', 'inconclusive', 'not-applicable'] as const
export type CheckStatus = (typeof CHECK_STATUSES)[number]

/** pass or fail from a condition that must hold. */
export function statusOf(held: boolean): CheckStatus {
  return held ? 'pass' : 'fail'
}

/**
 * What the harness measured about its own run. Timing checks (goodput, latency thresholds,
 * steady-state) are inconclusive when it could not drive the offered schedule; data invariants
 * never are: a lost or double-counted like is lost whatever the load generator's health.
 */
export interface HarnessHealth {
  /** Why the driver could not keep the offered schedule; undefined when it kept it. */
  readonly scheduleNotKept?: string
  /**
   * Set (to the same cause) when the harness's own timers ran late — its event loop, or the
   * embedded server's, stalled on a machine short of CPU: a client timeout then says nothing
   * about the service, and `exercised` does not hold a shortfall of timeouts against it.
   */
  readonly timersLate?: string
}

export interface CheckResult {
  readonly name: CheckName
  readonly status: CheckStatus
  /** What the run showed, in words and numbers. */
  readonly observed: string
  /** What a correct system must show. */
  readonly expected: string
  /** The figures behind `observed`, for comparison between runs. */
  readonly values: Readonly<Record<string, number | null>>
  readonly examples: readonly CheckExample[]
}

export interface FarmKindTargets {
  readonly careless?: number
  readonly stealthy?: number
  readonly inactive?: number
}

/** Shares of genuine users' operations that must be acknowledged, per group (0..1). */
export interface ExercisedShares {
  /** Likes and unlikes. */
  readonly likes?: number
  /** Video reads and read-backs of a user's own like. */
  readonly reads?: number
  readonly views?: number
}

export interface CheckConfig {
  readonly exercised?: { readonly minAcknowledgedShare?: ExercisedShares }
  readonly 'bounded-staleness'?: {
    /** How far before its own request an answer marked fresh may claim to be (replication in flight), ms. */
    readonly freshGraceMs?: number
    /** How old an answer marked stale may claim to be when its region had answered nothing fresher about the same thing, ms. */
    readonly maxStaleMs?: number
  }
  readonly 'counter-bounds'?: { readonly readsPerVideoRegion?: number }
  readonly convergence?: { readonly deadlineS?: number }
  /** A like younger than this (as of the read) may still be replicating: a 0 then is not flagged. */
  readonly 'never-zero'?: { readonly graceMs?: number }
  readonly 'steady-state'?: { readonly maxGrowth?: number }
  readonly 'purge-accuracy'?: {
    readonly minPrecision?: FarmKindTargets
    readonly minRecall?: FarmKindTargets
    readonly maxGenuineLikesRemovedRatio?: number
  }
  readonly goodput?: {
    readonly region: string
    /** Which fault windows to judge: an overload (capacity-relative) or a ddos (share of genuine requests). */
    readonly during?: 'overload' | 'ddos'
    /** ddos: share of genuine requests served within the deadline during the attack. */
    readonly minServedShare?: number
    /** Genuine requests served within the deadline during overload, per second, over the region's capacity. */
    readonly minShareOfCapacity?: number
    /** Seconds after the overload ends in which goodput must be back. */
    readonly recoveryS?: number
    /** Share of genuine requests served within the deadline in the recovery window. */
    readonly minRecoveredShare?: number
    /** A request counts as served when it succeeds within this long of its first attempt. */
    readonly deadlineMs?: number
  }
}

export interface CheckContext {
  readonly history: History
  readonly population: Population
  readonly regionIds: readonly string[]
  readonly faults: readonly FaultSpec[]
  readonly durationMs: number
  readonly pairs: PairTimeline
  readonly config: CheckConfig
  /** Capacity of each region, requests per second (for goodput). */
  readonly capacityRps: Readonly<Record<string, number>>
  /** Most examples kept per check. */
  readonly examplesMax: number
  /** The driver's own health (mode http); absent in mode sim, whose virtual clock keeps every schedule. */
  readonly harness?: HarnessHealth
  /**
   * A user's system (--system): what the guard around it counted (calls that threw or answered
   * malformed, requests and background calls), with the first few as examples when the guard ran
   * in this process (mode sim). Absent for a system that is not guarded.
   */
  readonly systemFaults?: SystemFaultsSeen
  /** What a --target lets the checks see; absent when the system offers everything (mode sim, the embedded server). */
  readonly target?: TargetFacts
}

export interface SystemFaultsSeen {
  readonly count: number
  readonly examples: readonly CheckExample[]
}

/** The result of a check whose evidence was never gathered because the run ended early. */
export function endedBeforeFinal(name: CheckName, expected: string): CheckResult {
  return { name, status: 'inconclusive', observed: 'the run ended before its final reads: not judged', expected, values: {}, examples: [] }
}

/**
 * A data invariant with nothing to judge (no like acknowledged, no read answered, no time that
 * can be placed): it says so rather than pass vacuously. `why` names what was missing; when the
 * run did too little, `exercised` says why.
 */
export function nothingToJudge(name: CheckName, { expected, why, values }: { expected: string; why: string; values: Readonly<Record<string, number | null>> }): CheckResult {
  return { name, status: 'not-applicable', observed: `nothing to judge: ${why}`, expected, values, examples: [] }
}

/** Appended to a `why` that stems from the run doing little. */
export const SEE_EXERCISED = ' (see exercised)'

/**
 * A timing check's verdict on a run whose driver could not keep the offered schedule: what it
 * measured stands, but it says nothing about the system, so it is inconclusive with the cause.
 */
export function timingVerdict(result: CheckResult, harness: HarnessHealth | undefined): CheckResult {
  const cause = harness?.scheduleNotKept
  if (cause === undefined || result.status === 'not-applicable') return result
  return { ...result, status: 'inconclusive', observed: `${result.observed}; INCONCLUSIVE: ${cause}` }
}

/** Collects examples up to a bound while counting every violation. */
export class ExampleCollector {
  readonly examples: CheckExample[] = []
  count = 0
  private readonly max: number

  constructor(max: number) {
    this.max = max
  }

  add(make: () => CheckExample): void {
    this.count++
    if (this.examples.length < this.max) this.examples.push(make())
  }
}

/** How the final like states were read when on a sample, for a check's observed text. */
export function sampleWords(sample: LikeStateSample): string {
  return `on a sample of ${sample.pairs.size} of ${sample.of} pairs`
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`
}

/** The id a user goes by (what examples name), from a world index. */
export function userIdOf(ctx: Pick<CheckContext, 'population'>, user: number): string {
  return ctx.population.userIds.get(user) ?? `user #${user}`
}

/** The id of a video, from a world index. */
export function videoIdOf(ctx: Pick<CheckContext, 'population'>, video: number): string {
  return ctx.population.videoIds.get(video) ?? `video #${video}`
}

/** The id of a region, from its index. */
export function regionIdOf(ctx: Pick<CheckContext, 'regionIds'>, region: number): string {
  return ctx.regionIds[region] ?? `region #${region}`
}
