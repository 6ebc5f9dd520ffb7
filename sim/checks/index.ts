// The checkers, by name. Each reads the history (and the world's truth where it must) and
// returns a verdict with examples; none of them trusts the system beyond what it answered.
import { notApplicable, notApplicableReason } from './applicability.ts'
import type { CheckContext, CheckName, CheckResult } from './check-types.ts'
import { checkBoundedStaleness } from './bounded-staleness.ts'
import { checkConvergence } from './convergence.ts'
import { checkCounterBounds } from './counter-bounds.ts'
import { checkExercised } from './exercised.ts'
import { checkGoodput } from './goodput.ts'
import { checkNeverZero } from './never-zero.ts'
import { checkNoDoubleCount } from './no-double-count.ts'
import { checkNoFlip } from './no-flip.ts'
import { checkNoLostLikes } from './no-lost-likes.ts'
import { checkPurgeAccuracy } from './purge-accuracy.ts'
import { checkViewCounts } from './view-counts.ts'
import { checkLastIntent } from './last-intent.ts'
import { checkNotifications } from './notifications.ts'
import { checkSteadyState } from './steady-state.ts'
import { checkTakedown } from './takedown.ts'
import { checkSystemFaults } from './system-faults.ts'

export const CHECKERS: Readonly<Record<CheckName, (ctx: CheckContext) => CheckResult>> = {
  exercised: checkExercised,
  'no-lost-likes': checkNoLostLikes,
  'no-double-count': checkNoDoubleCount,
  'counter-bounds': checkCounterBounds,
  'bounded-staleness': checkBoundedStaleness,
  'never-zero': checkNeverZero,
  'view-counts': checkViewCounts,
  'no-flip': checkNoFlip,
  convergence: checkConvergence,
  'purge-accuracy': checkPurgeAccuracy,
  goodput: checkGoodput,
  'last-intent': checkLastIntent,
  notifications: checkNotifications,
  takedown: checkTakedown,
  'steady-state': checkSteadyState,
  'system-faults': checkSystemFaults,
}

/** Each named check on the run; one that needs what the target lacks is not applicable, with why (applicability.ts). */
export function runChecks(ctx: CheckContext, names: readonly CheckName[]): CheckResult[] {
  return names.map((name) => {
    const result = CHECKERS[name](ctx)
    const reason = ctx.target === undefined ? undefined : notApplicableReason(name, ctx.target)
    return reason === undefined ? result : notApplicable(result, reason)
  })
}

export { CHECK_NAMES } from './check-types.ts'
export type { CheckConfig, CheckContext, CheckExample, CheckName, CheckResult } from './check-types.ts'
export { PairTimeline } from './pair-timeline.ts'
export type { TargetFacts } from './applicability.ts'
export { measureDetection, type DetectionQuality } from './detection-quality.ts'
