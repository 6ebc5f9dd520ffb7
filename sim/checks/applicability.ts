// Which checks a system under test can be judged by. Mode sim and the embedded mock server offer
// everything; a real service over HTTP offers what its capabilities say (scenarios/run/http/
// target-capabilities.ts). A check that needs what the target lacks is not applicable, with the
// reason and what would make it applicable: never failed for the lack, never passed for it.
import type { CheckName, CheckResult } from './check-types.ts'

/** What a target lets the checks see. */
export interface TargetFacts {
  /** Distinct regions of the target the scenario's regions reach (1: one front door for all). */
  readonly distinctRegions: number
  /** The final like states of the pairs the run touched were read (liked lists, each pair read back, or a sample of them read back). */
  readonly likeStates: boolean
  /** It keeps notifications and knows who created each video of the run's world. */
  readonly creatorsKnown: boolean
  /** Its answers say how old they are (asOfMs and stale). */
  readonly staleness: boolean
  /** Where these facts come from, for the reasons: e.g. 'its capabilities document'. */
  readonly source: string
  /** Set when the target held state from before the run (--allow-dirty-target): what was found. */
  readonly leftoverState?: string
  /**
   * How far a time the target claims may be off ours, in scenario ms (the clock calibration's
   * uncertainty; Infinity: not calibrated). Absent: the target shares the scenario clock.
   */
  readonly clockSlackMs?: number
  /** The finest age bounded-staleness tells apart: how far a fresh answer may lag its request, scenario ms. */
  readonly freshGraceMs?: number
}

/**
 * Checks that compare counts with what the run's own history allows: likes, views and
 * notifications left by an earlier run would count against the target, so on a dirty target they
 * cannot judge. The checks of the pairs the run touched itself (no-lost-likes, last-intent,
 * no-flip) and of agreement between regions (convergence) see only what the run sent.
 */
const FOOLED_BY_LEFTOVERS: ReadonlySet<CheckName> = new Set<CheckName>(['no-double-count', 'counter-bounds', 'view-counts', 'bounded-staleness', 'notifications', 'never-zero'])

/** Why the check cannot judge this target; undefined when it can. */
export function notApplicableReason(name: CheckName, facts: TargetFacts): string | undefined {
  if (facts.leftoverState !== undefined && FOOLED_BY_LEFTOVERS.has(name)) {
    return `the target held state from before the run (${facts.leftoverState}) and --allow-dirty-target was given: counts that include it cannot be judged against this run's history; start from a fresh target, or pass --admin-token to reset it`
  }
  const precision = precisionReason(name, facts)
  if (precision !== undefined) return precision
  switch (name) {
    case 'convergence':
      return facts.distinctRegions < 2 ? `the target is one region (every region of the scenario reached the same URL), so there are no regions to agree (${facts.source})` : undefined
    case 'notifications':
      return facts.creatorsKnown
        ? undefined
        : `the target does not know who created which video, so no notification can be expected (${facts.source}); load the run's world into it (likestorm world export, or a provisioning path) and declare notifications and world "loaded" (docs/targets.md)`
    case 'bounded-staleness':
      return facts.staleness ? undefined : `the target's answers do not say how old they are (no asOfMs and stale; ${facts.source})`
    case 'no-lost-likes':
    case 'no-double-count':
    case 'last-intent':
      return facts.likeStates ? undefined : `the final like states were not read: the target serves neither liked lists nor read-backs of a like (${facts.source})`
    default:
      return undefined
  }
}

/**
 * bounded-staleness holds a fresh answer to lag its request by at most a grace: with a clock known
 * only to more than that (a Date header's whole seconds, a slow calibration call), a lag is
 * indistinguishable from the clocks' offset, which the check estimates within the uncertainty. The other checks that place a claimed time on ours (counter-bounds, never-zero, no-flip)
 * widen their windows by the uncertainty and stay sound, only weaker.
 */
function precisionReason(name: CheckName, { clockSlackMs, freshGraceMs, staleness }: TargetFacts): string | undefined {
  if (name !== 'bounded-staleness' || !staleness || clockSlackMs === undefined || freshGraceMs === undefined || clockSlackMs < freshGraceMs) return undefined
  const known = Number.isFinite(clockSlackMs) ? `known only to ±${Math.round(clockSlackMs)} ms of scenario time` : 'not calibrated'
  return `the target's clock is ${known}, not finer than the ${Math.round(freshGraceMs)} ms a fresh answer may lag: a claimed age that close cannot be told from the clocks' offset (serve asOfMs on fresh answers, or the admin API, for a finer calibration; or raise --time-scale)`
}

/** A checker's result turned not applicable: its expectation kept, nothing observed but the reason. */
export function notApplicable(result: CheckResult, reason: string): CheckResult {
  return { name: result.name, status: 'not-applicable', observed: `not applicable: ${reason}`, expected: result.expected, values: {}, examples: [] }
}
