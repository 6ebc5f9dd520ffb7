// Which checks a system under test can be judged by. Mode sim and the embedded mock server offer
// everything; a real service over HTTP offers what its capabilities say (scenarios/run/http/
// target-capabilities.ts). A check that needs what the target lacks is not applicable, with the
// reason and what would make it applicable: never failed for the lack, never passed for it.
import type { CheckName, CheckResult } from './check-types.ts'

/** What a target lets the checks see. */
export interface TargetFacts {
  /** Distinct regions of the target the scenario's regions reach (1: one front door for all). */
  readonly distinctRegions: number
  /** The final like state of every pair the run touched was read (liked lists, or each pair read back). */
  readonly likeStates: boolean
  /** It keeps notifications and knows who created each video of the run's world. */
  readonly creatorsKnown: boolean
  /** Its answers say how old they are (asOfMs and stale). */
  readonly staleness: boolean
  /** Where these facts come from, for the reasons: e.g. 'its capabilities document'. */
  readonly source: string
}

/** Why the check cannot judge this target; undefined when it can. */
export function notApplicableReason(name: CheckName, facts: TargetFacts): string | undefined {
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
      return facts.likeStates ? undefined : `the final like states were not read: the target serves no liked lists and the run touched more pairs than are read back one by one (${facts.source})`
    default:
      return undefined
  }
}

/** A checker's result turned not applicable: its expectation kept, nothing observed but the reason. */
export function notApplicable(result: CheckResult, reason: string): CheckResult {
  return { name: result.name, status: 'not-applicable', observed: `not applicable: ${reason}`, expected: result.expected, values: {}, examples: [] }
}
